package site

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"jingjian/internal/textpos"
)

// A warning case is published de-identified: people appear as 张某某, never with their ID
// number, mobile number or bank card. The privacy lint finds what slipped through in the
// pages of case sections: the three numbers are errors (a build refuses to publish them),
// a full name where the convention wants 某某 is a warning (names are harder to tell).

// privacyKind says what a finding is.
type privacyKind int

const (
	privacyID privacyKind = iota
	privacyMobile
	privacyCard
	privacyName
)

// A privacyFinding is one piece of personal data in a page's source.
type privacyFinding struct {
	kind      privacyKind
	text      string // as written
	line, col int    // in the source file
	allowed   bool   // the line carries the inline marker
}

// checkPrivacy reports the personal data in the pages of case sections, unless the line
// carries an inline marker or the allow-list names it.
func (s *Site) checkPrivacy(errs *textpos.List) {
	cases := s.Config.CaseSections()
	for _, p := range s.Pages {
		if len(p.privacy) == 0 || !slices.Contains(cases, p.Section.Top().Page.Dir) {
			continue
		}
		for _, f := range p.privacy {
			if f.allowed || s.privacyAllow[f.text] || s.privacyAllow[digitsOf(f.text)] {
				continue
			}
			at := textpos.Pos{Path: p.display(), Line: f.line, Col: f.col}
			const howto = "如确属公开信息，在该行末尾加 <!-- privacy:allow -->（前言中用 # privacy:allow），或写入 %s"
			allow := s.Config.Privacy.AllowFile
			switch f.kind {
			case privacyID:
				errs.Add(at, "案例中出现身份证号 %s；公开前请删除或写作 %s********%s。"+howto, f.text, f.text[:6], f.text[len(f.text)-4:], allow)
			case privacyMobile:
				errs.Add(at, "案例中出现手机号码 %s；公开前请删除或写作 %s****%s。"+howto, f.text, f.text[:3], f.text[len(f.text)-4:], allow)
			case privacyCard:
				errs.Add(at, "案例中出现银行卡号 %s；公开前请删除或只保留末四位。"+howto, f.text, allow)
			case privacyName:
				surname := string([]rune(f.text)[:1])
				errs.Warn(at, "疑似真实姓名“%s”；案例中的人名按惯例写作“%s某某”或“%s某”。"+howto, f.text, surname, surname, allow)
			}
		}
	}
}

// digitsOf is s without the spaces and hyphens that group its digits.
func digitsOf(s string) string { return digitGrouping.Replace(s) }

var digitGrouping = strings.NewReplacer(" ", "", "-", "")

// readAllowList reads the privacy allow-list of the site in dir: one number or name per
// line, # starting a comment. A missing file allows nothing.
func readAllowList(dir, name string, errs *textpos.List) map[string]bool {
	if name == "" {
		return nil
	}
	src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		errs.Add(textpos.Pos{Path: name}, "无法读取隐私检查允许名单: %v", err)
		return nil
	}
	text, _, err := decodeText(src)
	if te, ok := errors.AsType[*textError](err); ok {
		*errs = append(*errs, te.at(name))
		return nil
	}
	if err != nil {
		errs.Add(textpos.Pos{Path: name}, "%v", err)
		return nil
	}
	out := map[string]bool{}
	for line := range strings.Lines(string(text)) {
		line, _, _ = strings.Cut(line, "#")
		if line = strings.TrimSpace(line); line != "" {
			out[line] = true
			out[digitsOf(line)] = true
		}
	}
	return out
}

// privacyMarkers on a line accept what the lint finds on it (a public hotline, a name
// that must stay): in Markdown `<!-- privacy:allow -->`, in front matter `# privacy:allow`.
var privacyMarkers = []string{"privacy:allow", "隐私:允许", "隐私：允许"}

// scanPrivacy finds personal data in the decoded text of a source file, front matter
// included: ID, mobile and bank card numbers, and names in the places cases name people.
func scanPrivacy(text []byte) []privacyFinding {
	var out []privacyFinding
	s := string(text)
	add := func(kind privacyKind, start, end int) {
		line, col := textpos.LineCol(text, start)
		ls := strings.LastIndexByte(s[:start], '\n') + 1
		le := strings.IndexByte(s[start:], '\n')
		if le < 0 {
			le = len(s) - start
		}
		lineText := s[ls : start+le]
		allowed := false
		for _, m := range privacyMarkers {
			allowed = allowed || strings.Contains(lineText, m)
		}
		out = append(out, privacyFinding{kind: kind, text: s[start:end], line: line, col: col, allowed: allowed})
	}
	for _, n := range digitRuns(s) {
		switch {
		case validID(n.digits):
			add(privacyID, n.start, n.end)
		case isMobile(n.digits):
			add(privacyMobile, n.start, n.end)
		case len(n.digits) >= 16 && len(n.digits) <= 19 && luhn(n.digits):
			add(privacyCard, n.start, n.end)
		}
	}
	for _, m := range findNames(s) {
		add(privacyName, m[0], m[1])
	}
	return out
}

// A digitRun is a number as written: digits, maybe grouped by single spaces or hyphens
// into groups of three or more (138-1234-5678, 6222 0212 3456 7890), maybe ending in X
// (an ID number's check character).
type digitRun struct {
	digits     string // the digits alone, X upper-cased
	start, end int    // byte offsets of the run in the text
}

// digitRuns finds the numbers of s that stand alone: not part of a longer run of digits
// or letters (a file name, a hash).
func digitRuns(s string) []digitRun {
	var out []digitRun
	isDigit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for i := 0; i < len(s); i++ {
		if !isDigit(i) || i > 0 && (isDigit(i-1) || isASCIILetter(s[i-1])) {
			continue
		}
		var b strings.Builder
		j, group := i, 0
		for j < len(s) {
			switch {
			case isDigit(j):
				b.WriteByte(s[j])
				group++
				j++
				continue
			case (s[j] == ' ' || s[j] == '-') && group >= 3 && isDigit(j+1) && isDigit(j+2) && isDigit(j+3):
				group = 0
				j++
				continue
			}
			break
		}
		end := j
		if b.Len() == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			b.WriteByte('X')
			end = j + 1
		}
		if end < len(s) && (isASCIILetter(s[end]) || isDigit(end)) {
			i = end
			continue // 12345678901234567890abc: an identifier, not a number
		}
		// A trailing separator belongs to the text: trim what the loop never took.
		out = append(out, digitRun{digits: b.String(), start: i, end: end})
		i = end
	}
	return out
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// idWeights are the weights of the check digit of an 18-digit resident ID (GB 11643).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// validID reports whether d is an 18-digit resident ID number: a region code, a real
// birth date between 1900 and 2099, and the right check character.
func validID(d string) bool {
	if len(d) != 18 || d[0] == '0' {
		return false
	}
	sum := 0
	for i := range 17 {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
		sum += int(d[i]-'0') * idWeights[i]
	}
	if "10X98765432"[sum%11] != d[17] {
		return false
	}
	year, month, day := atoi(d[6:10]), atoi(d[10:12]), atoi(d[12:14])
	return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
}

func atoi(s string) int {
	n := 0
	for _, c := range []byte(s) {
		n = n*10 + int(c-'0')
	}
	return n
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// isMobile reports whether d is a mainland mobile number: 11 digits, 13x–19x.
func isMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
}

// luhn reports whether the digits of d pass the Luhn check bank card numbers carry.
func luhn(d string) bool {
	sum := 0
	for i := range len(d) {
		c := d[len(d)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		n := int(c - '0')
		if i%2 == 1 {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// surnames are the commonest Chinese family names (and a few of two characters): a name
// the lint reports starts with one of them.
var surnames = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝" {
		m[string(r)] = true
	}
	for _, s := range []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯"} {
		m[s] = true
	}
	return m
}()

// roleWords name a person's part in a proceeding; the name follows them.
var roleWords = []string{"被告人", "犯罪嫌疑人", "被调查人", "被审查人", "当事人", "举报人", "证人"}

// findNames finds full personal names (surname and given name, no 某) in the places a
// case names people: before the one-line biography (陈明，男，1987年出生, 陈明（女，…),
// before 同志, and after the roles of a proceeding (被告人陈明). It returns byte spans.
// It looks for those anchors with strings.Index, not a regular expression: every page
// of a site is scanned, and the laws corpus is 58 MB.
func findNames(s string) [][2]int {
	var out [][2]int
	seen := map[int]bool{}
	add := func(run string, at int, leading bool) {
		name, off, ok := personName(run, leading)
		if ok && !seen[at+off] {
			seen[at+off] = true
			out = append(out, [2]int{at + off, at + off + len(name)})
		}
	}
	for _, sex := range []string{"男", "女"} {
		for i := 0; ; {
			k := strings.Index(s[i:], sex)
			if k < 0 {
				break
			}
			at := i + k
			i = at + len(sex)
			before, _ := utf8.DecodeLastRuneInString(s[:at])
			after, _ := utf8.DecodeRuneInString(s[i:])
			if !strings.ContainsRune("，,、（(", before) || !strings.ContainsRune("，,、。；）)（(", after) {
				continue
			}
			start := at - utf8.RuneLen(before)
			for start > 0 && s[start-1] == ' ' {
				start--
			}
			run := hanBefore(s, start, 4)
			add(run, start-len(run), false)
		}
	}
	for i := 0; ; {
		k := strings.Index(s[i:], "同志")
		if k < 0 {
			break
		}
		at := i + k
		i = at + len("同志")
		run := hanBefore(s, at, 4)
		add(run, at-len(run), false)
	}
	for _, role := range roleWords {
		for i := 0; ; {
			k := strings.Index(s[i:], role)
			if k < 0 {
				break
			}
			at := i + k + len(role)
			i = at
			add(hanAfter(s, at, 3), at, true)
		}
	}
	return out
}

// hanBefore returns the run of at most n Chinese characters ending at byte end of s.
func hanBefore(s string, end, n int) string {
	start := end
	for range n {
		r, size := utf8.DecodeLastRuneInString(s[:start])
		if size == 0 || !unicode.Is(unicode.Han, r) {
			break
		}
		start -= size
	}
	return s[start:end]
}

// hanAfter returns the run of at most n Chinese characters starting at byte start of s.
func hanAfter(s string, start, n int) string {
	end := start
	for range n {
		r, size := utf8.DecodeRuneInString(s[end:])
		if size == 0 || !unicode.Is(unicode.Han, r) {
			break
		}
		end += size
	}
	return s[start:end]
}

// personName picks a full name out of a run of Chinese characters: its last (or, with
// leading, first) two or three characters that begin with a surname and hold no 某, 甲,
// 乙 or 丙 (the placeholders of de-identified text). It returns the name and its offset.
func personName(run string, leading bool) (string, int, bool) {
	runes := []rune(run)
	for _, n := range []int{3, 2} {
		if len(runes) < n {
			continue
		}
		from := len(runes) - n
		if leading {
			from = 0
			if n == 3 && strings.ContainsRune(nameFollowers, runes[2]) {
				continue // 被告人陈明在…: the name is 陈明
			}
		}
		cand := runes[from : from+n]
		if !surnames[string(cand[0])] && !(n == 3 && surnames[string(cand[:2])]) {
			continue
		}
		if strings.ContainsAny(string(cand), "某甲乙丙丁") || !allHan(cand) || commonWord(string(cand)) {
			continue
		}
		off := len(string(runes[:from]))
		return string(cand), off, true
	}
	return "", 0, false
}

// nameFollowers are characters that often follow a name and seldom end one.
const nameFollowers = "在于对的等因系将把向为和与及是被收违私伙挪通以多利自先后曾"

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// commonWords begin with a surname character but name no one (the words a case puts before
// 同志 or a biography's comma).
var commonWords = map[string]bool{
	"老同志": true, "女同志": true, "男同志": true, "全体": true, "各位": true, "广大": true,
	"有关": true, "相关": true, "上述": true, "以上": true, "其他": true, "同时": true,
	"党员": true, "干部": true, "领导": true, "成员": true, "万元": true, "高级": true,
	"文明": true, "和平": true, "安全": true, "时间": true, "明确": true, "管理": true,
	"负责": true, "分管": true, "主管": true, "主要": true, "年轻": true, "党委": true,
}

func commonWord(w string) bool {
	if commonWords[w] {
		return true
	}
	if utf8.RuneCountInString(w) == 3 {
		return commonWords[string([]rune(w)[1:])] || commonWords[string([]rune(w)[:2])]
	}
	return false
}
