package site

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"jingjian/internal/textpos"
)

// titleIndex finds the documents a title written in 《》 names: the exact title, the title
// of a code split into parts (中华人民共和国民法典 婚姻家庭编 answers to 中华人民共和国民法典),
// the title without 中华人民共和国, the title without its issuer (公务接待管理办法 →
// 青川市民政局公务接待管理办法) and a short title whose characters the full one holds in
// order (劳动法 → 中华人民共和国劳动法, 个保法 → 个人信息保护法), when only one document
// answers.
type titleIndex struct {
	exact map[string][]*Page // title → every page of it (versions)
	base  map[string][]*Page // the title before a part name → every page of every part
	cores []titleCore        // distinct titles without 中华人民共和国, for short titles

	mu   sync.Mutex
	memo map[string][]*Page // written title → what it resolved to
}

type titleCore struct {
	core  []rune // the title without 中华人民共和国 (and without the part name)
	title string // the key in base
}

const statePrefix = "中华人民共和国"

func newTitleIndex(pages []*Page) *titleIndex {
	ti := &titleIndex{exact: map[string][]*Page{}, base: map[string][]*Page{}, memo: map[string][]*Page{}}
	for _, p := range pages {
		if p.Title == "" {
			continue
		}
		t := titleKey(p.Title)
		ti.exact[t] = append(ti.exact[t], p)
		b, _, _ := strings.Cut(p.Title, " ")
		b = titleKey(b)
		if _, ok := ti.base[b]; !ok {
			ti.cores = append(ti.cores, titleCore{core: []rune(strings.TrimPrefix(b, statePrefix)), title: b})
		}
		ti.base[b] = append(ti.base[b], p)
	}
	return ti
}

// lookup returns every page (all versions, all parts) of the document title names, or nil.
func (ti *titleIndex) lookup(title string) []*Page {
	title = titleKey(title)
	ti.mu.Lock()
	defer ti.mu.Unlock()
	if ps, ok := ti.memo[title]; ok {
		return ps
	}
	ps := ti.find(title)
	ti.memo[title] = ps
	return ps
}

func (ti *titleIndex) find(title string) []*Page {
	for _, t := range []string{title, statePrefix + strings.TrimPrefix(title, statePrefix)} {
		if ps := ti.exact[t]; ps != nil {
			return ps
		}
		if ps := ti.base[t]; ps != nil {
			return ps
		}
	}
	short := []rune(strings.TrimPrefix(title, statePrefix))
	if len(short) < 3 { // 刑法 is a title; two characters name too many things
		return nil
	}
	var found string
	for _, c := range ti.cores {
		if !inOrder(short, c.core) && !hasSuffix(c.core, short) {
			continue
		}
		if found != "" && found != c.title {
			return nil // ambiguous: leave it as text
		}
		found = c.title
	}
	return ti.base[found]
}

// titleKey is how titles are compared: without spaces, and with the inner title marks a
// title inside 《》 must use (〈〉, ＜＞) read as the 《》 a page title writes.
func titleKey(t string) string {
	return titleMarks.Replace(strings.Join(strings.Fields(t), ""))
}

var titleMarks = strings.NewReplacer("〈", "《", "〉", "》", "＜", "《", "＞", "》", "<", "《", ">", "》")

// hasSuffix reports whether full ends with short: 公务接待管理办法 names
// 青川市民政局公务接待管理办法 on that bureau's own site.
func hasSuffix(full, short []rune) bool {
	return len(full) > len(short) && string(full[len(full)-len(short):]) == string(short)
}

// inOrder reports whether full holds the characters of short in order, starting with
// short's first and ending with its last: 个保法 in 个人信息保护法.
func inOrder(short, full []rune) bool {
	if len(full) < len(short) || full[0] != short[0] || full[len(full)-1] != short[len(short)-1] {
		return false
	}
	i := 0
	for _, r := range full {
		if i < len(short) && r == short[i] {
			i++
		}
	}
	return i == len(short)
}

// ResolveMention turns a mention in the text of page from into citations, one per article
// reference of m (cites[i] is m.Refs[i]'s), each of the version in force on from's date
// (else the current one) and of the part of a split code that holds the article. known is
// false for a document the site lacks (cites is then nil); cites[i] is nil for an article
// a known document lacks.
func (s *Site) ResolveMention(from *Page, m Mention) (cites []*Citation, known bool) {
	var cands []*Page
	if m.Self && !selfNamed(from.Title, m.SelfNoun) {
		// 本法 in a 修正案 or a 决定 amending a law means the law amended: not this page,
		// and which law it is the text does not say here.
		return nil, false
	}
	if m.Self {
		// 本法 in one part of a split code (民法典 合同编) is the whole code: its other
		// parts hold the other articles.
		cands = []*Page{from}
		if b, _, ok := strings.Cut(from.Title, " "); ok && s.titles != nil {
			cands = append(cands, s.titles.base[b]...)
		}
	} else if s.titles != nil {
		cands = s.titles.lookup(m.Title)
	}
	if len(cands) == 0 {
		return nil, false
	}
	// One version per document (and per part), the one in force then.
	var pages []*Page
	for _, p := range cands {
		v := p
		if p != from && p.versions != nil {
			if v = p.versions.At(from.Date); v == nil {
				v = p.versions.Pages[0]
			}
		}
		if !slices.Contains(pages, v) {
			pages = append(pages, v)
		}
	}
	cites = make([]*Citation, len(m.Refs))
	for i, r := range m.Refs {
		if c := articleCitation(from, pages, r); c != nil {
			c.Inline = true
			cites[i] = c
		}
	}
	return cites, true
}

// articleCitation finds the page of pages holding the article r names. A document whose
// text has no numbered articles at all (an amendment numbered 一、二、) is cited whole.
func articleCitation(from *Page, pages []*Page, r ArticleRef) *Citation {
	ids := []string{ArticleID(r.Article, r.Sub), arabicArticleID(r.Article, r.Sub)}
	for _, p := range pages {
		for _, id := range ids {
			if p.HasArticle(id) {
				return &Citation{From: from, To: p, Article: id, Clause: r.Clause, Item: r.Item}
			}
		}
	}
	if len(pages) == 1 && len(pages[0].Articles) == 0 && pages[0] != from {
		return &Citation{From: from, To: pages[0]}
	}
	return nil
}

// selfNamed reports whether 本+noun (本法, 本条例, 本解释) names a document titled title:
// its title, without a part name or a closing parenthesis, ends with the noun (a 法典 is a
// 法 too).
func selfNamed(title, noun string) bool {
	if noun == "" {
		return true
	}
	t, _, _ := strings.Cut(title, " ")
	for strings.HasSuffix(t, "）") || strings.HasSuffix(t, ")") {
		i := strings.LastIndexAny(t, "（(")
		if i <= 0 {
			break
		}
		t = t[:i]
	}
	return strings.HasSuffix(t, noun) || noun == "法" && strings.HasSuffix(t, "法典")
}

// arabicArticleID is the anchor of an article a regulation numbers in digits: 第44条.
func arabicArticleID(article, sub int) string {
	id := "第" + strconv.Itoa(article) + "条"
	if sub > 0 {
		id += "之" + strconv.Itoa(sub)
	}
	return id
}

// citeText finds the mentions in the text of every page and records what they cite; a
// mention of an article a known document lacks is a warning at its place in the file.
func (s *Site) citeText(errs *textpos.List) {
	s.titles = newTitleIndex(s.Pages)
	for _, p := range s.Pages {
		var missing []Mention
		for _, m := range p.mentions {
			cites, known := s.ResolveMention(p, m)
			lacks := false
			for _, c := range cites {
				if c == nil {
					lacks = true
					continue
				}
				p.addCitation(c)
			}
			if known && lacks {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			s.warnMissing(p, missing, errs)
		}
	}
}

// warnMissing reports mentions of articles a known document lacks, found again in the
// source file for their line and column.
func (s *Site) warnMissing(p *Page, ms []Mention, errs *textpos.List) {
	var src []byte
	if raw, err := os.ReadFile(filepath.Join(s.Dir, "content", filepath.FromSlash(p.Path))); err == nil {
		src, _, _ = decodeText(raw)
	}
	from := 0
	for _, m := range ms {
		written := p.Text[m.Start:m.End]
		pos := textpos.Pos{Path: p.display()}
		if i := strings.Index(string(src[min(from, len(src)):]), written); i >= 0 {
			off := from + i
			pos.Line, pos.Col = textpos.LineCol(src, off)
			from = off + len(written)
		}
		cites, _ := s.ResolveMention(p, m)
		var miss []string
		for i, c := range cites {
			if id := ArticleID(m.Refs[i].Article, m.Refs[i].Sub); c == nil && !slices.Contains(miss, id) {
				miss = append(miss, id)
			}
		}
		name := "本文件"
		if !m.Self {
			name = "《" + m.Title + "》"
		}
		errs.Warn(pos, "“%s”：%s中没有%s；请核对条号（这处引用保持为普通文字）", truncateRunes(written, 40), name, strings.Join(miss, "、"))
	}
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
