package site

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file finds inline citations of regulation articles in Chinese text —
// 《中华人民共和国劳动法》第四十四条, 本法第十条第二款, 《监察法》第十条至第十二条 — and
// knows nothing of the site: resolving titles, versions and anchors is the caller's job.
//
// Decisions on forms that could be read either way (each has a table test):
//   - A bare 第X条 is not a mention: without a title or 本法 before it, we cannot tell
//     which document it cites. It is one only when it continues a list after a mention
//     (《监察法》第十条、第十二条), and a list never crosses a line break, so the number
//     that starts the next line's article (第十条 本法所称…) is never taken for a citation.
//   - 第X条 followed by 例 is not a citation: the 条 belongs to 条例 (第一条例外 has no
//     reading as "article 1" we could rely on, and 条例 is the more common word); nor is
//     第X条 followed by a noun that makes 条 a measure word (第三条腿, 第二条路). We would
//     rather miss a link than make a wrong one.
//   - A 《title》 must be followed by its 第X条 at once, or after spaces, one parenthesised
//     note (（2020年修正）, （法释〔2020〕26号）) and 的 — nothing else — so 《人民日报》第3版,
//     《求是》第5期 and 《红楼梦》第三回 are not mentions, nor is a title with no article.
//   - Mentions inside a title are part of its name: in 《关于〈中华人民共和国刑法〉第九十三条
//     第二款的解释》第一条 only the outer title and its 第一条 are reported.
//   - 本条第二款, 前款, 同法第X条 and 该法第X条 need context this parser does not have and
//     are not reported. 基本法第十八条 and 日本法第十条 are not 本法 (the rune before 本 is
//     checked).
//   - Chapters, sections and the like (第三章, 第二节, 二〇二四年第3号) are not articles; a
//     list stops before them.

// A Mention is one reference in text to one or more articles of a regulation.
type Mention struct {
	Start, End int // byte offsets in the text of the whole mention, 《title》 or 本法 included
	// Title is the title inside 《》 as written (e.g. "中华人民共和国劳动法", "食品安全法",
	// "最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释"); "" when Self.
	Title string
	// Self is set for 本法第十条 and the like: the citing document itself.
	Self bool
	// SelfNoun is, when Self, the noun after 本 as written: "法", "条例", "办法", "实施细则" …
	// A resolver may check it against the citing page: in a 决定 that amends a law, 本法
	// means the amended law, not the 决定.
	SelfNoun string
	Refs     []ArticleRef // in text order; never empty
}

// An ArticleRef is one article cited, maybe narrowed to a 款 or 项.
type ArticleRef struct {
	// Start and End are the byte offsets in the text of this reference (of 第四十四条第二款,
	// or of 第二款 alone in 第五条第一款、第二款). For an Implied reference they span the
	// whole range it lies in.
	Start, End int
	Article    int // article number, from 1: 44 for 第四十四条
	Sub        int // 之一/之二 … for 第二百六十条之一 (0 if none)
	Clause     int // 款, from 1; 0 if none
	Item       int // 项, from 1; 0 if none
	// Implied marks an article, clause or item inside a range that the text does not
	// write: 第十一条 in 第十条至第十二条. A linker skips it; a citation index keeps it.
	Implied bool
}

// maxRange is the most articles (or clauses, or items) a range may cover to be expanded
// into each of them; a wider range (第一条至第一百条) yields its two ends only.
const maxRange = 20

// selfNouns are the nouns a document calls itself by after 本, longest first where one is
// a prefix of another (法规 before 法).
var selfNouns = []string{
	"实施细则", "实施办法", "实施条例", "条例", "办法", "规定", "细则", "规则", "准则", "制度",
	"决定", "解释", "意见", "章程", "规范", "通知", "法规", "法",
}

// selfNounStarts are the first runes of selfNouns.
const selfNounStarts = "实条办规细准制决解意章通法"

// notSelfBefore are runes that, just before 本法, make another law of it: 基本法 (of
// Hong Kong or Macao), 日本法, 根本法. Words such as 成本 are not in it: 构成本法第十条 is
// 构成 + 本法.
const notSelfBefore = "基日根"

// measureNouns are runes that, right after 第X条, make 条 a measure word or part of 条例.
const measureNouns = "例腿路鱼河街船狗龙命裤绳线缝"

// ParseMentions returns the citations of regulation articles in text, in text order and
// not overlapping; nil if there are none. It makes one pass over text and allocates only
// for what it finds.
func ParseMentions(text string) []Mention {
	if !strings.Contains(text, "第") {
		return nil
	}
	p := mentionParser{text: text}
	var out []Mention
	nextTitle, nextSelf := -1, -1 // next 《 and 本 at or after i; -2 when there is none
	for i := 0; i < len(text); {
		nextTitle = nextIndex(text, i, "《", nextTitle)
		nextSelf = nextIndex(text, i, "本", nextSelf)
		switch {
		case nextTitle < 0 && nextSelf < 0:
			return out
		case nextSelf < 0 || nextTitle >= 0 && nextTitle < nextSelf:
			m, next, ok := p.titleMention(nextTitle)
			if ok {
				out = append(out, m)
			}
			i = next
		default:
			m, ok := p.selfMention(nextSelf)
			if ok {
				out = append(out, m)
				i = m.End
			} else {
				i = nextSelf + len("本")
			}
		}
	}
	return out
}

// A mentionParser holds the text and what ParseMentions reuses from one mention to the
// next: room for the references of a mention (copied out at its end, so a long text is
// not spent growing one big slice) and for the units it reads.
type mentionParser struct {
	text    string
	refs    []ArticleRef
	u, next unitRun
}

// nextIndex returns the offset of the first sub in text at or after i, given the answer
// of the last call (prev); -2 when there is none left. It searches again only when prev
// has been passed, so the text is searched once for each of 《 and 本.
func nextIndex(text string, i int, sub string, prev int) int {
	if prev == -2 || prev >= i {
		return prev
	}
	j := strings.Index(text[i:], sub)
	if j < 0 {
		return -2
	}
	return i + j
}

// titleMention reads a mention that starts with the 《 at i. It returns where scanning
// goes on: after the mention, after the closing 》 when there is no article, or after the
// 《 when it does not close (so a 《 inside it gets its turn).
func (p *mentionParser) titleMention(i int) (Mention, int, bool) {
	text := p.text
	open := i + len("《")
	close := titleEnd(text, open)
	if close < 0 {
		return Mention{}, open, false
	}
	after := close + len("》")
	if close == open {
		return Mention{}, after, false
	}
	refs, end, ok := p.refList(gap(text, after))
	if !ok {
		return Mention{}, after, false
	}
	return Mention{Start: i, End: end, Title: text[open:close], Refs: refs}, end, true
}

// maxTitle bounds the bytes of a title, so a stray 《 costs little.
const maxTitle = 600

// titleEnd returns the offset of the 》 that closes the title starting at i (just after
// its 《), counting nested 《》; -1 if none does within maxTitle bytes on the same line.
func titleEnd(text string, i int) int {
	window := text[i:min(len(text), i+maxTitle)]
	if nl := strings.IndexByte(window, '\n'); nl >= 0 {
		window = window[:nl]
	}
	if cr := strings.IndexByte(window, '\r'); cr >= 0 {
		window = window[:cr]
	}
	// 《 and 》 are E3 80 8A and E3 80 8B; E3 leads few other runes of Chinese text
	// (CJK punctuation), so it is a fast first filter.
	depth := 1
	for j := 0; ; j++ {
		k := strings.IndexByte(window[j:], 0xE3)
		if k < 0 {
			return -1
		}
		j += k
		switch {
		case strings.HasPrefix(window[j:], "《"):
			depth++
		case strings.HasPrefix(window[j:], "》"):
			if depth--; depth == 0 {
				return i + j
			}
		}
	}
}

// gap skips what may stand between a title (or 本法) and its first article — spaces, one
// parenthesised note such as （2020年修正）, 的, and the chapter or section of the
// article — and returns where the article should start.
func gap(text string, i int) int {
	i = spaces(text, i)
	if j := parenthesised(text, i); j > i {
		i = spaces(text, j)
	}
	if strings.HasPrefix(text[i:], "的") {
		i = spaces(text, i+len("的"))
	}
	// 《…条例》第二章第七条: the divisions the article is in.
	for range 3 {
		j := division(text, i)
		if j == i {
			break
		}
		i = spaces(text, j)
	}
	return i
}

// division returns the offset after a 第N编, 第N分编, 第N章 or 第N节 at i; i if there is none.
func division(text string, i int) int {
	if !strings.HasPrefix(text[i:], "第") {
		return i
	}
	digits, j := numeral(text, spaces(text, i+len("第")))
	j = spaces(text, j)
	for _, d := range [...]string{"编", "分编", "章", "节"} {
		if strings.HasPrefix(text[j:], d) {
			if v, ok := ParseChineseNumber(digits); !ok || v < 1 {
				return i
			}
			return j + len(d)
		}
	}
	return i
}

// maxNote bounds the bytes of a parenthesised note after a title.
const maxNote = 240

// parenthesised returns the offset after a parenthesised note starting at i, with
// full-width or ASCII parentheses, nested ones counted; i if there is none.
func parenthesised(text string, i int) int {
	depth := 0
	for j := i; j < len(text) && j-i < maxNote; {
		r, size := utf8.DecodeRuneInString(text[j:])
		switch r {
		case '（', '(':
			depth++
		case '）', ')':
			depth--
			if depth == 0 {
				return j + size
			}
		case '\n', '\r':
			return i
		}
		if depth <= 0 {
			return i
		}
		j += size
	}
	return i
}

// spaces skips ASCII, full-width and no-break spaces and tabs, but not line breaks.
func spaces(text string, i int) int {
	for i < len(text) {
		switch {
		case text[i] == ' ' || text[i] == '\t':
			i++
		case strings.HasPrefix(text[i:], "\u3000"):
			i += len("\u3000")
		case strings.HasPrefix(text[i:], "\u00a0"):
			i += len("\u00a0")
		default:
			return i
		}
	}
	return i
}

// selfMention reads a mention that starts with the 本 at i: 本法第十条, 本条例的第五条.
func (p *mentionParser) selfMention(i int) (Mention, bool) {
	text := p.text
	if r, _ := utf8.DecodeLastRuneInString(text[:i]); strings.ContainsRune(notSelfBefore, r) {
		return Mention{}, false
	}
	j := i + len("本")
	// Most 本 (本院, 本案, 本人) start no noun: one look at the next rune turns them away.
	if r, _ := utf8.DecodeRuneInString(text[j:]); !strings.ContainsRune(selfNounStarts, r) {
		return Mention{}, false
	}
	for _, noun := range selfNouns {
		if !strings.HasPrefix(text[j:], noun) {
			continue
		}
		refs, end, ok := p.refList(gap(text, j+len(noun)))
		if !ok {
			return Mention{}, false
		}
		return Mention{Start: i, End: end, Self: true, SelfNoun: noun, Refs: refs}, true
	}
	return Mention{}, false
}

// Levels of a unit: what 第N is followed by.
const (
	levelArticle = iota + 1 // 条
	levelClause             // 款
	levelItem               // 项
)

// refList reads the article references starting at i — one, then any that continue it
// as a list or range — and returns them with the end of the last.
func (p *mentionParser) refList(i int) ([]ArticleRef, int, bool) {
	p.refs = p.refs[:0]
	end, ok := p.appendRefs(i, ArticleRef{}, levelArticle, false)
	if !ok {
		return nil, 0, false
	}
	for {
		j, isRange, ok := separator(p.text, end)
		if !ok {
			break
		}
		n := len(p.refs)
		last := p.refs[n-1]
		nextEnd, ok := p.appendRefs(j, last, levelItem, isRange)
		if !ok {
			break
		}
		if isRange {
			p.refs = slices.Insert(p.refs, n, expand(last, p.refs[n])...)
		}
		end = nextEnd
	}
	return slices.Clone(p.refs), end, true
}

// separator reads what joins two references of a list — 、 和 及 以及 或 或者 与, or a range
// mark 至 到 ～ ~ — with spaces around, and returns where the next reference should start.
func separator(text string, i int) (int, bool, bool) {
	j := spaces(text, i)
	for _, sep := range [...]string{"、", "和", "以及", "及", "或者", "或", "与"} {
		if strings.HasPrefix(text[j:], sep) {
			j = spaces(text, j+len(sep))
			if sep != "、" {
				return j, false, true
			}
			// 、以及 and 、或者: a second word after 、.
			for _, word := range [...]string{"以及", "或者", "和", "及", "或"} {
				if strings.HasPrefix(text[j:], word) {
					return spaces(text, j+len(word)), false, true
				}
			}
			return j, false, true
		}
	}
	for _, sep := range [...]string{"至", "到", "～", "~"} {
		if strings.HasPrefix(text[j:], sep) {
			return spaces(text, j+len(sep)), true, true
		}
	}
	return 0, false, false
}

// appendRefs appends to p.refs the references at i: 第X条[之N][第Y款][第Z项], or,
// continuing prev, 第Y款[第Z项] or 第Z项; or numbers sharing one 第 and one unit (第三、四、
// 五条, 第一至三款, 第五条第一、二款), one reference for each. maxLevel is the finest level
// it may start at (levelArticle for the first of a list). noDi allows the 第 to be left
// out, as after 至 in 第十条至十二条. It appends nothing when there is no reference.
func (p *mentionParser) appendRefs(i int, prev ArticleRef, maxLevel int, noDi bool) (int, bool) {
	text := p.text
	u, next := &p.u, &p.next
	if !unit(text, i, noDi, u) || u.level > maxLevel {
		return 0, false
	}
	if c, _ := utf8.DecodeRuneInString(text[u.end:]); u.level == levelArticle && strings.ContainsRune(measureNouns, c) {
		return 0, false
	}
	r := ArticleRef{Start: i, Article: prev.Article, Sub: prev.Sub, Clause: prev.Clause}
	for {
		if u.count > 1 {
			p.refs = appendGroup(p.refs, r, u)
			return u.end, true
		}
		r.set(u.level, u.nums[0].n)
		end := u.end
		if u.level == levelArticle {
			end = sub(text, end, &r.Sub)
		}
		// A finer unit may follow without a separator: 第五条第一款第二项.
		if u.level == levelItem || !unit(text, spaces(text, end), false, next) || next.level <= u.level {
			r.End = end
			p.refs = append(p.refs, r)
			return end, true
		}
		u, next = next, u
	}
}

// set narrows r to number n at level, clearing the finer levels.
func (r *ArticleRef) set(level, n int) {
	switch level {
	case levelArticle:
		r.Article, r.Sub, r.Clause, r.Item = n, 0, 0, 0
	case levelClause:
		r.Clause, r.Item = n, 0
	case levelItem:
		r.Item = n
	}
}

// appendGroup appends a reference for each number of u, at u's level under base: the
// first spans from base.Start, the last to the unit (五条 in 第三、四、五条), the others
// their numbers; the numbers a range of them covers (第一至三条) are implied.
func appendGroup(out []ArticleRef, base ArticleRef, u *unitRun) []ArticleRef {
	for k, num := range u.nums[:u.count] {
		r := base
		r.set(u.level, num.n)
		r.Start, r.End = num.start, num.end
		if k == 0 {
			r.Start = base.Start
		}
		if k == u.count-1 {
			r.End = u.end
		}
		if k > 0 && num.through {
			out = append(out, expand(out[len(out)-1], r)...)
		}
		out = append(out, r)
	}
	return out
}

// sub reads 之一, 之二 … at i into *n and returns the offset after it; i if there is none.
// 之一般 is a word (一般, "general"), not 之一.
func sub(text string, i int, n *int) int {
	if !strings.HasPrefix(text[i:], "之") {
		return i
	}
	digits, end := numeral(text, i+len("之"))
	v, ok := ParseChineseNumber(digits)
	if !ok || v < 1 || strings.HasPrefix(text[end:], "般") {
		return i
	}
	*n = v
	return end
}

// maxGroup bounds the numbers that share one 第 and one unit (第三、四、五条).
const maxGroup = 10

// A unitRun is what unit reads: the numbers of 第N条 or 第N、M、K款, their level, and the
// offset after the unit.
type unitRun struct {
	level, end, count int
	nums              [maxGroup]struct {
		n, start, end int  // the number and its offsets (start at its 第 when it has one)
		through       bool // after 至: the end of a range from the number before it
	}
}

// unit reads into u 第N条, 第N款, 第N项 or 第（N）项 at i, spaces allowed inside (第 44 条),
// or several numbers before one unit (第三、四、五条, 第一至三款, 第一至第三条).
func unit(text string, i int, noDi bool, u *unitRun) bool {
	j := i
	if strings.HasPrefix(text[j:], "第") {
		j = spaces(text, j+len("第"))
	} else if !noDi {
		return false
	}
	paren := false
	if j < len(text) && text[j] == '(' {
		paren, j = true, j+1
	} else if strings.HasPrefix(text[j:], "（") {
		paren, j = true, j+len("（")
	}
	start := j
	digits, j := numeral(text, j)
	v, ok := ParseChineseNumber(digits)
	if !ok || v < 1 {
		return false
	}
	u.nums[0].n, u.nums[0].start, u.nums[0].end, u.nums[0].through = v, start, j, false
	u.count = 1
	if paren {
		switch {
		case j < len(text) && text[j] == ')':
			j++
		case strings.HasPrefix(text[j:], "）"):
			j += len("）")
		default:
			return false
		}
	}
	for !paren && u.count < maxGroup {
		k := spaces(text, j)
		through := strings.HasPrefix(text[k:], "至")
		if !through && !strings.HasPrefix(text[k:], "、") {
			break
		}
		k = spaces(text, k+len("、")) // 、 and 至 have the same length
		start := k
		if strings.HasPrefix(text[k:], "第") {
			k = spaces(text, k+len("第"))
		}
		digits, e := numeral(text, k)
		v, ok := ParseChineseNumber(digits)
		if !ok || v < 1 {
			break
		}
		num := &u.nums[u.count]
		num.n, num.start, num.end, num.through = v, start, e, through
		u.count++
		j = e
	}
	j = spaces(text, j)
	switch {
	case strings.HasPrefix(text[j:], "条") && !paren:
		u.level, u.end = levelArticle, j+len("条")
	case strings.HasPrefix(text[j:], "款") && !paren:
		u.level, u.end = levelClause, j+len("款")
	case strings.HasPrefix(text[j:], "项"):
		u.level, u.end = levelItem, j+len("项")
	default:
		return false
	}
	return true
}

// maxNumeral bounds the runes of a number: 九千九百九十九 has seven.
const maxNumeral = 8

// numeral returns the run of Chinese numerals or digits at i and the offset after it.
func numeral(text string, i int) (string, int) {
	j := i
	for n := 0; j < len(text) && n < maxNumeral; n++ {
		r, size := utf8.DecodeRuneInString(text[j:])
		if _, ok := numeralValue(r); !ok {
			break
		}
		j += size
	}
	return text[i:j], j
}

// expand returns the references a range from a to b covers strictly between them, when
// both are at the same level of the same article (or clause) and the range is no wider
// than maxRange.
func expand(a, b ArticleRef) []ArticleRef {
	from, to := 0, 0
	var at func(n int) ArticleRef
	base := ArticleRef{Start: a.Start, End: b.End, Implied: true}
	switch {
	case b.Clause == 0 && b.Item == 0 && a.Clause == 0 && a.Item == 0 && a.Sub == 0 && b.Sub == 0:
		from, to = a.Article, b.Article
		at = func(n int) ArticleRef { r := base; r.Article = n; return r }
	case b.Item == 0 && a.Item == 0 && a.Article == b.Article && a.Sub == b.Sub && a.Clause > 0:
		from, to = a.Clause, b.Clause
		at = func(n int) ArticleRef { r := base; r.Article, r.Sub, r.Clause = a.Article, a.Sub, n; return r }
	case a.Article == b.Article && a.Sub == b.Sub && a.Clause == b.Clause && a.Item > 0 && b.Item > 0:
		from, to = a.Item, b.Item
		at = func(n int) ArticleRef {
			r := base
			r.Article, r.Sub, r.Clause, r.Item = a.Article, a.Sub, a.Clause, n
			return r
		}
	default:
		return nil
	}
	if to <= from+1 || to-from+1 > maxRange {
		return nil
	}
	refs := make([]ArticleRef, 0, to-from-1)
	for n := from + 1; n < to; n++ {
		refs = append(refs, at(n))
	}
	return refs
}

// ArticleID is the anchor id an article gets on its page: ArticleID(44, 0) ==
// "第四十四条", ArticleID(260, 1) == "第二百六十条之一". It writes numbers as regulations
// write their article numbers, which markArticle keeps as the id: 第十条 (not 第一十条),
// 第一百一十条, 第一百零五条, 第一千零一十一条. Numbers outside 1…9999 are written in
// Arabic digits.
//
// A regulation that numbers its articles in Arabic digits (第44条 at the start of a
// paragraph) has ids such as "第44条", so a resolver should try both ArticleID and
// "第" + strconv.Itoa(article) + "条" (with "之" + strconv.Itoa(sub)).
func ArticleID(article, sub int) string {
	id := "第" + chineseNumeral(article) + "条"
	if sub > 0 {
		id += "之" + chineseNumeral(sub)
	}
	return id
}

var chineseDigits = [...]string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumeral writes n in Chinese numerals as laws number articles: 十, 十二, 二十,
// 一百一十, 一百零五, 一千零二十; outside 1…9999 in Arabic digits.
func chineseNumeral(n int) string {
	if n < 1 || n > 9999 {
		return strconv.Itoa(n)
	}
	var b strings.Builder
	started, zero := false, false
	for _, u := range [...]struct {
		value int
		name  string
	}{{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}} {
		d := n / u.value % 10
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		if !(u.value == 10 && d == 1 && !started) {
			b.WriteString(chineseDigits[d])
		}
		b.WriteString(u.name)
		started = true
	}
	return b.String()
}

// numeralValue returns the value of a numeral rune: a digit 0–9 (Chinese, ASCII or
// full-width), or 10, 100, 1000 for 十, 百, 千; 2 for 两.
func numeralValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '０' && r <= '９':
		return int(r - '０'), true
	}
	switch r {
	case '零', '〇':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	}
	return 0, false
}

// ParseChineseNumber parses 一…九千九百九十九 (also 两, 〇/零, 十 = 10, 一十 = 10, 十二, 二十,
// 一百零五, 一千零二十) and Arabic digits; ok false otherwise. Chinese numerals must be
// well formed: units in falling order, 零 where a unit is skipped (一百零五, not 一百五,
// which colloquially means 150), 两 only before 百 and 千. 一百十 is read as 110. Arabic
// digits (ASCII or full-width) may be up to nine.
func ParseChineseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if s == "零" || s == "〇" {
		return 0, true
	}
	if n, ok := arabic(s); ok {
		return n, true
	}
	total := 0
	digit := -1    // a digit waiting for its unit
	liang := false // that digit is 两
	last := 10000  // the last unit; the next must be smaller
	zero := false  // 零 since the last unit
	for _, r := range s {
		v, ok := numeralValue(r)
		if !ok || r < utf8.RuneSelf || r >= '０' && r <= '９' {
			return 0, false
		}
		switch {
		case v == 0:
			if digit >= 0 || zero || total == 0 {
				return 0, false
			}
			zero = true
		case v < 10:
			if digit >= 0 {
				return 0, false
			}
			digit, liang = v, r == '两'
		default:
			if v >= last || liang && v == 10 {
				return 0, false
			}
			if digit < 0 {
				if v != 10 {
					return 0, false // 百 and 千 need their digit
				}
				digit = 1
			}
			if skipped := total > 0 && last != v*10; skipped != zero {
				return 0, false
			}
			total += digit * v
			digit, liang, last, zero = -1, false, v, false
		}
	}
	if digit >= 0 {
		if liang {
			return 0, false
		}
		if skipped := total > 0 && last != 10; skipped != zero {
			return 0, false
		}
		total += digit
	} else if zero {
		return 0, false
	}
	return total, true
}

// arabic parses up to nine ASCII or full-width digits.
func arabic(s string) (int, bool) {
	n, count := 0, 0
	for _, r := range s {
		var d int
		switch {
		case r >= '0' && r <= '9':
			d = int(r - '0')
		case r >= '０' && r <= '９':
			d = int(r - '０')
		default:
			return 0, false
		}
		if count++; count > 9 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, count > 0
}
