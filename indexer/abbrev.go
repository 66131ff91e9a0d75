package indexer

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese names of laws and rules are shortened by keeping some of their characters in
// order: 个人信息保护法 → 个保法, 民事诉讼法 → 民诉法, 机动车交通事故责任强制保险条例 →
// 交强险条例. abbreviations finds the titles a short query could stand for, so a form
// nobody listed in the synonym table still finds its document.

// titleKinds are the endings that say what kind of document a title names.
var titleKinds = []string{"法", "条例", "规定", "办法", "细则", "解释", "决定", "规则", "意见", "通知", "准则", "规范", "章程"}

// titleNoise is taken out of a title before matching: it is not part of the short form.
var titleNoise = strings.NewReplacer("中华人民共和国", "", "《", "", "》", "", "“", "", "”", "", "（试行）", "", "(试行)", "", "（草案）", "")

// abbrevStart is how far into a title the first character of a short form may stand
// (关于适用民事诉讼法的解释: 民 is the 5th).
const abbrevStart = 6

// maxAbbrevHits bounds how many titles one short form may stand for.
const maxAbbrevHits = 3

// titleEntry is one indexed title: its document, the title, its core (titleCore), the
// title without titleNoise, and the place it opens with (titlePlace's full name, or "").
type titleEntry struct {
	id, title, core, plain, place string
	bare                          string // the core without brackets: see unbracket
}

// unbracket takes the brackets out of a title, as people type it: 刑法修正案十一 for
// 刑法修正案（十一）.
var unbracket = strings.NewReplacer("（", "", "）", "", "(", "", ")", "")

// abbreviationOf reports whether abbr is a short form of a title core: its characters
// appear in order, with at least one gap, the first near the start, and both end with
// the same kind of document. It returns the core's length in characters, the ranking key
// (the shortest full form is the likeliest).
func abbreviationOf(abbr []rune, core string) (int, bool) {
	kind := ""
	for _, k := range titleKinds {
		if strings.HasSuffix(string(abbr), k) {
			kind = k
			break
		}
	}
	if kind == "" || !strings.HasSuffix(core, kind) || strings.Contains(core, string(abbr)) {
		return 0, false
	}
	c := []rune(core)
	i := 0
	for pos, r := range c {
		if i < len(abbr) && r == abbr[i] {
			if i == 0 && pos >= abbrevStart {
				return 0, false
			}
			i++
		}
	}
	return len(c), i == len(abbr)
}

// looksAbbreviated reports whether a query word could be a short title: 3 to 10 Chinese
// characters ending in a document kind.
func looksAbbreviated(w string) bool {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > 10 {
		return false
	}
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	for _, k := range titleKinds {
		if strings.HasSuffix(w, k) && n > utf8.RuneCountInString(k) {
			return true
		}
	}
	return false
}

// matchAbbreviation returns the documents whose titles abbr most likely shortens, as one
// ID list per distinct title (all its versions), likeliest first, at most maxAbbrevHits.
func matchAbbreviation(abbr string, titles []titleEntry) [][]string {
	a := []rune(abbr)
	return rankTitles(titles, func(t titleEntry) (int, bool) { return abbreviationOf(a, t.core) })
}

// rankTitles returns the documents of the titles match accepts, one ID list per distinct
// title, those with the smallest key first, at most maxAbbrevHits titles.
func rankTitles(titles []titleEntry, match func(titleEntry) (key int, ok bool)) [][]string {
	type cand struct {
		title string
		n     int
	}
	var cands []cand
	seen := map[string]bool{}
	for _, t := range titles {
		if seen[t.title] {
			continue
		}
		if n, ok := match(t); ok {
			seen[t.title] = true
			cands = append(cands, cand{t.title, n})
		}
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return x.n - y.n })
	rank := map[string]int{}
	for i := 0; i < len(cands) && i < maxAbbrevHits; i++ {
		rank[cands[i].title] = i + 1
	}
	out := make([][]string, min(len(cands), maxAbbrevHits))
	for _, t := range titles {
		if r := rank[t.title]; r > 0 {
			out[r-1] = append(out[r-1], t.id)
		}
	}
	return out
}

// matchFullForm returns the documents titled by the full form a synonym rule gives for a
// short title (婚姻法 → 民法典 + 婚姻家庭编, 反家暴法 → 反家庭暴力法): titles holding every
// part of the full form, shortest first, as one ID list per distinct title, at most
// maxAbbrevHits. The shortest is the document itself; longer ones are about it
// (最高人民法院关于适用《民法典》婚姻家庭编的解释).
func matchFullForm(full []string, titles []titleEntry) [][]string {
	if ids := exactFullForm(full, titles); len(ids) > 0 {
		return [][]string{ids}
	}
	var parts []string
	for _, f := range full {
		if c := titleCore(f); utf8.RuneCountInString(c) >= 2 && !slices.Contains(parts, c) {
			parts = append(parts, c)
		}
	}
	// 中华人民共和国反家庭暴力法 and 反家庭暴力法 are one part (titleCore); of 交通安全法 and
	// 道路交通安全法 a title must hold both, so 海上交通安全法 is not what 道交法 stands for.
	if len(parts) == 0 {
		return nil
	}
	return rankTitles(titles, func(t titleEntry) (int, bool) {
		for _, p := range parts {
			if !strings.Contains(t.core, p) {
				return 0, false
			}
		}
		return utf8.RuneCountInString(t.core), true
	})
}

// titlePrefixes open many titles and are left out of their short forms: the 买卖合同解释
// is the 最高人民法院关于审理买卖合同纠纷案件适用法律问题的解释.
var titlePrefixes = []string{"最高人民法院", "最高人民检察院", "、", "国务院", "关于", "审理", "办理", "适用", "执行"}

// exactFullForm returns the documents of the first of a short title's full forms (in the
// synonym table's order) that is a title itself: 消法's line also lists 消保法, which no
// title holds beside 消费者权益保护法; 国安法's lists 国家安全法 before the Hong Kong law
// that holds it.
func exactFullForm(full []string, titles []titleEntry) []string {
	for _, f := range full {
		c := titleCore(f)
		var ids []string
		for _, t := range titles {
			if t.core == c {
				ids = append(ids, t.id)
			}
		}
		if len(ids) > 0 {
			return ids
		}
	}
	return nil
}

// titleCore strips what abbreviations leave out.
func titleCore(title string) string {
	core := strings.TrimSpace(titleNoise.Replace(title))
	for trimmed := true; trimmed; {
		trimmed = false
		for _, p := range titlePrefixes {
			if rest, ok := strings.CutPrefix(core, p); ok && rest != "" {
				core, trimmed = rest, true
			}
		}
	}
	return core
}

// writeTitles saves the document titles beside the index for matchAbbreviation.
func writeTitles(path string, docs []*Doc) error {
	var b strings.Builder
	for _, d := range docs {
		b.WriteString(d.ID)
		b.WriteByte('\t')
		b.WriteString(strings.ReplaceAll(d.Title, "\n", " "))
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// readTitles loads what writeTitles saved.
func readTitles(path string) ([]titleEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []titleEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		id, title, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			place, _ := titlePlace(title)
			core := titleCore(title)
			out = append(out, titleEntry{id: id, title: title, core: core, plain: titleNoise.Replace(title), place: place, bare: unbracket.Replace(core)})
		}
	}
	return out, sc.Err()
}
