package indexer

import (
	"context"
	"maps"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"jingjian/site"
)

// A candidate is one bleve hit on its way to becoming a Hit.
type candidate struct {
	*docInfo
	h     *search.DocumentMatch
	ev    evidence
	score float64
	deep  *scoredSpan // the passage the hit links to, if any
}

// addWords adds the words of a typed piece to the passage terms: the longest token at
// each position, not single characters, which are everywhere.
func (pl *plan) addWords(toks []Token, weight float64) {
	byPos := map[int]string{}
	var order []int
	for _, t := range toks {
		old, ok := byPos[t.Position]
		if !ok {
			order = append(order, t.Position)
		}
		if len(t.Term) > len(old) {
			byPos[t.Position] = t.Term
		}
	}
	for _, p := range order {
		w := byPos[p]
		if utf8.RuneCountInString(w) < 2 && isMostlyHan(w) || stopWords[w] {
			continue
		}
		pl.addTerm(w, weight)
	}
}

func (pl *plan) addTerm(t string, weight float64) {
	t = asciiLower(strings.TrimSpace(t))
	if t == "" {
		return
	}
	for i := range pl.terms {
		if pl.terms[i].text == t {
			pl.terms[i].weight = max(pl.terms[i].weight, weight)
			return
		}
	}
	pl.terms = append(pl.terms, qterm{text: t, weight: weight})
}

// weighted returns the plan's passage terms weighted by their rarity, and their total.
func (ix *Index) weighted(ctx context.Context, pl *plan) ([]qterm, float64) {
	terms := make([]qterm, len(pl.terms), len(pl.terms)+len(pl.asked))
	var total float64
	for i, t := range pl.terms {
		terms[i] = qterm{text: t.text, weight: t.weight * ix.idf(ctx, t.text)}
		total += terms[i].weight
	}
	// An answer type asked for weighs ranking.answer times the query's average word, and is
	// left out of the total: a passage stating no number is not held short of the query.
	mean := total / float64(max(len(pl.terms), 1))
	for _, k := range pl.asked {
		terms = append(terms, qterm{weight: ix.rank.answer * mean, answer: k + 1})
	}
	return terms, total
}

// locate finds the passages of hits left in their order (sorted by date, or past the
// reranked first hits), for their sub-results and links.
func (ix *Index) locate(ctx context.Context, cands []*candidate, pl *plan) error {
	terms, _ := ix.weighted(ctx, pl)
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.ev = passageEvidence(ctx, c.docInfo, terms, pl.runs)
		c.deep = ix.deepLink(c, pl)
	}
	return nil
}

// rerank orders the candidates by their bleve score combined with the evidence of their
// best passage and of the query's verbatim presence, puts the pinned documents first and
// every version in force ahead of its older versions (unless the query names a version).
//
// Both parts are relative: the bleve score to the best candidate's, the passage score to
// what a passage holding each word once would score. A text marked 已废止 counts for less,
// and so does a local regulation of another place than the one the query names.
func (ix *Index) rerank(ctx context.Context, cands []*candidate, pl *plan) error {
	if len(cands) == 0 {
		return nil
	}
	terms, total := ix.weighted(ctx, pl)
	top := 0.0
	for _, c := range cands {
		top = max(top, c.h.Score)
	}
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.ev = passageEvidence(ctx, c.docInfo, terms, pl.runs)
		c.score = c.h.Score / top
		if total > 0 {
			best := c.ev.title
			if len(c.ev.best) > 0 {
				best = max(best, c.ev.best[0].score)
			}
			c.score += ix.rank.passage * ix.passageShare(pl) * math.Min(best/total, 1.5)
		}
		c.score += ix.rank.contig * c.ev.contig
		if c.status == "已废止" || c.status == "已失效" {
			c.score *= ix.rank.repealed
		}
		if c.place != "" && len(pl.places) > 0 && !slices.Contains(pl.places, c.place) {
			c.score *= ix.rank.otherPlace
		}
		c.deep = ix.deepLink(c, pl)
	}
	slices.SortStableFunc(cands, func(a, b *candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	pinned := pl.pinned
	if pl.nav != "" {
		// Of a code split in files (民法典 总则, 合同编 …) the part holding the article.
		var holding []string
		for _, c := range cands {
			if c.deep != nil && c.marks[c.deep.mark].ID == pl.nav && slices.Contains(pl.pinned, c.id) {
				holding = append(holding, c.id)
			}
		}
		if len(holding) > 0 {
			pinned = holding
		}
	}
	pinFirst(cands, pinned)
	if !pl.versioned {
		currentFirst(cands)
	}
	return ctx.Err()
}

// deepLink picks the passage a hit links to: the article a navigational query names, or
// the best passage when it holds at least deepCoverage of the query's words the title
// lacks. A query the title answers alone links to the page: 监察法 is the law itself,
// 监察法 留置 its article on 留置.
func (ix *Index) deepLink(c *candidate, pl *plan) *scoredSpan {
	if pl.nav != "" && slices.Contains(pl.pinned, c.id) {
		for _, sp := range c.spans {
			if sp.mark >= 0 && c.marks[sp.mark].ID == pl.nav {
				s := &scoredSpan{sp, 0}
				c.ev.best = append([]scoredSpan{*s}, slices.DeleteFunc(c.ev.best, func(b scoredSpan) bool { return b.mark == sp.mark })...)
				return s
			}
		}
	}
	if len(c.ev.best) == 0 || c.ev.coverage < deepCoverage {
		return nil
	}
	b := c.ev.best[0]
	if b.mark < 0 || c.marks[b.mark].ID == "" {
		return nil
	}
	return &b
}

// pinFirst moves the pinned documents to the front, keeping their order.
func pinFirst(cands []*candidate, pinned []string) {
	if len(pinned) == 0 {
		return
	}
	slices.SortStableFunc(cands, func(a, b *candidate) int {
		pa, pb := slices.Contains(pinned, a.id), slices.Contains(pinned, b.id)
		switch {
		case pa && !pb:
			return -1
		case pb && !pa:
			return 1
		}
		return 0
	})
}

// currentFirst moves the version of a document in force ahead of its older versions when
// both are among the hits: it takes the place of the best-ranked version.
func currentFirst(cands []*candidate) {
	first := map[string]int{} // title → index of its best-ranked version
	for i := range cands {
		j, ok := first[cands[i].title]
		if !ok {
			first[cands[i].title] = i
			continue
		}
		if cands[i].current && !cands[j].current {
			cur := cands[i]
			copy(cands[j+1:i+1], cands[j:i])
			cands[j] = cur
		}
	}
}

// hit turns a candidate into a result, with a snippet and the passages it links to.
func (ix *Index) hit(ctx context.Context, c *candidate, highlight []string, asked []int) (Hit, error) {
	out := Hit{URL: c.url, PageURL: c.url, Path: c.id, Title: c.title, Section: c.section, Score: round3(c.score), Status: c.status, Date: c.date}
	var err error
	if c.deep != nil {
		label, anchor, _ := markLabel(c.marks, c.deep.span)
		out.URL += "#" + anchor
		text, lower := passageText(c, c.deep.span)
		out.Snippet, err = snippet(ctx, text, lower, c.docInfo, []site.Mark{{Label: label}}, highlight, asked, snippetRunes)
	} else {
		out.Snippet, err = snippet(ctx, c.text, c.lower, c.docInfo, c.marks, highlight, asked, snippetRunes)
	}
	if err != nil {
		return out, err
	}
	for _, b := range c.ev.best {
		label, anchor, heading := markLabel(c.marks, b.span)
		if anchor == "" {
			continue
		}
		text, lower := passageText(c, b.span)
		snip, err := snippet(ctx, text, lower, c.docInfo, nil, highlight, asked, passageSnippetRunes)
		if err != nil {
			return out, err
		}
		out.Passages = append(out.Passages, Passage{Anchor: anchor, Label: label, Heading: heading, Snippet: snip, Score: round3(b.score)})
	}
	return out, nil
}

// passageText is a passage's text without the label it opens with (第五条, a heading):
// the snippet or the sub-result names it already; and the same text lower-cased.
func passageText(c *candidate, s span) (text, lower string) {
	t := c.text[s.start:s.end]
	if s.mark >= 0 {
		t = strings.TrimLeftFunc(strings.TrimPrefix(t, c.marks[s.mark].Label), unicode.IsSpace)
	}
	return t, c.lower[s.end-len(t) : s.end]
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// navPattern is a title followed by an article number: 监察法 第二十二条, 民法典第1077条,
// 监察法22条, 刑法第三百八十五条之一, with a paragraph or item if given (刑法第二十条第一款:
// the article is what can be opened), and what people add after it (是怎么规定的, 内容);
// navFirstPattern the article first: 第十七条 北京市发展中医条例; navBarePattern a title
// and a bare number (民法典1077, 劳动法 44). Either names an article only if its title is
// one of the index's (navigation).
var (
	navPattern      = regexp.MustCompile(`^(.*?[^\s第])\s*第?\s*([0-9０-９]+|[零〇一二三四五六七八九十百千两]+)\s*条(?:之([一二三四五六七八九十]+))?(?:\s*第?\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*款)?(?:\s*第?\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*项)?(\s*[^\s\d０-９第款项].{0,19})?$`)
	navFirstPattern = regexp.MustCompile(`^第\s*([0-9０-９]+|[零〇一二三四五六七八九十百千两]+)\s*条(?:之([一二三四五六七八九十]+))?\s*(\S.*)$`)
	navBarePattern  = regexp.MustCompile(`^(.*?[^\s\d０-９第])\s*第?\s*([0-9０-９]{1,4})$`)
)

// maxBareArticle is the largest bare number read as an article (民法典 has 1,260); a
// larger one is a year: 公司法2023 asks for that version.
const maxBareArticle = 1299

// navigation recognises a query naming one article of a regulation. It returns the
// documents of that title (every version, and every part of a code split in files: 民法典
// 婚姻家庭编) and the article's anchor; nil when the query is something else.
func (ix *Index) navigation(q Query) ([]string, string, bool) {
	if len(q.Phrases) > 0 || len(q.Words) == 0 || len(q.Words) > 3 {
		return nil, "", false
	}
	// The article first, else last (navPattern would read 第十 as the title of 第十七条 某某条例).
	text := strings.Join(q.Words, " ")
	bare := false
	m := navFirstPattern.FindStringSubmatch(text)
	if m != nil {
		m = []string{m[0], m[3], m[1], m[2], ""} // as navPattern's: title, number, sub-article, tail
	} else if m = navPattern.FindStringSubmatch(text); m == nil {
		if m = navBarePattern.FindStringSubmatch(text); m == nil {
			return nil, "", false
		}
		m, bare = []string{m[0], m[1], m[2], "", ""}, true
	}
	if m[4] != "" && ix.titleHolds(strings.ReplaceAll(text, " ", "")) {
		// 刑法第九十三条第二款的解释 is the name of a document, not words about an article.
		return nil, "", false
	}
	num := strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, m[2])
	n, err := strconv.Atoi(num)
	if err != nil {
		var ok bool
		if n, ok = site.ParseChineseNumber(num); !ok {
			return nil, "", false
		}
	}
	sub := 0
	if m[3] != "" {
		sub, _ = site.ParseChineseNumber(m[3])
	}
	if n < 1 || n > 9999 || bare && n > maxBareArticle {
		return nil, "", false
	}
	core := titleCore(strings.TrimSpace(m[1]))
	ids := ix.titleIDs(core)
	if len(ids) == 0 && strings.Contains(core, " ") {
		// A place typed apart: 北京 学前教育条例 第十六条.
		ids = ix.titleIDs(strings.ReplaceAll(core, " ", ""))
	}
	versioned := false
	if len(ids) == 0 {
		// A version named by its year: 2017年行政复议法 第21条.
		if rest, year := splitVersion(strings.TrimSpace(m[1])); year != "" {
			core = titleCore(rest)
			ids, versioned = ix.ofYear(ix.titleIDs(core), year)
		}
	}
	if len(ids) == 0 {
		return nil, "", false
	}
	// A place named asks for its own regulation of that name: of several places' titles
	// (学前教育条例第16条 北京) that place's, and its own before a national one of the same
	// name (艾滋病防治条例第42条 广东).
	if places := ix.queryPlaces(q); len(places) > 0 {
		var here []string
		elsewhere := false // some of ids are not of a place named
		for _, t := range ix.titleList() {
			in := t.place != "" && slices.Contains(places, t.place)
			if slices.Contains(ids, t.id) && !in {
				elsewhere = true
			}
			if head, _, _ := strings.Cut(t.core, " "); in && (slices.Contains(ids, t.id) || strings.HasSuffix(head, core)) {
				here = append(here, t.id)
			}
		}
		if elsewhere && len(here) > 0 {
			ids = here
		}
	}
	return ids, site.ArticleID(n, sub), versioned
}

// versionPattern is a title with the year of one of its versions: 2017年行政复议法,
// 2017年版行政复议法, 行政复议法（2017）, 行政复议法2017年修订版, 公司法 2018.
var versionPattern = regexp.MustCompile(`^(?:((?:19|20)\d\d)\s*年?\s*(?:版|修订版|修正版|修订|修正)?\s*(\S.*?)|(.*?[^\s\d０-９])\s*(?:[（(]\s*((?:19|20)\d\d)\s*年?\s*(?:版|修订|修正)?\s*[)）]|((?:19|20)\d\d)\s*年?\s*(?:版|修订版|修正版|修订|修正)?))$`)

// splitVersion takes the year of a version off a title as typed: the rest and the year,
// or the name and "".
func splitVersion(name string) (string, string) {
	m := versionPattern.FindStringSubmatch(name)
	switch {
	case m == nil:
		return name, ""
	case m[1] != "":
		return m[2], m[1]
	case m[4] != "":
		return m[3], m[4]
	}
	return m[3], m[5]
}

// ofYear keeps of a title's documents the versions of a year (their date's), and says
// whether it did; all of them when none is of that year.
func (ix *Index) ofYear(ids []string, year string) ([]string, bool) {
	var of []string
	for _, id := range ids {
		if d, err := ix.docInfo(id); err == nil && strings.HasPrefix(d.date, year) {
			of = append(of, id)
		}
	}
	if len(of) == 0 {
		return ids, false
	}
	return of, true
}

// titleIDs finds the documents of a title as a navigational query names it: the title
// itself or a part of it in a file of its own (民法典 婚姻家庭编); else the titles it ends (监察工作条例
// for 青川市监察工作条例, without its place or issuer); else a title the synonym table names
// for it; else the titles it shortens, or that hold the table's full forms.
func (ix *Index) titleIDs(core string) []string {
	var ids []string
	for _, t := range ix.titleList() {
		if t.core == core || strings.HasPrefix(t.core, core+" ") {
			ids = append(ids, t.id)
		}
	}
	if len(ids) == 0 && utf8.RuneCountInString(core) >= 3 {
		for _, t := range ix.titleList() {
			if c, _, _ := strings.Cut(t.core, " "); strings.HasSuffix(c, core) {
				ids = append(ids, t.id)
			}
		}
	}
	if len(ids) > 0 {
		return ids
	}
	var full []string // the synonym table's full forms of core
	for _, e := range ix.syn.Find(core) {
		if e.Term == core {
			full = e.Also
		}
	}
	// A full form the table names outright before one worked out: 消法 is the
	// 消费者权益保护法, not the 消防法 its characters would also shorten.
	if ids := exactFullForm(full, ix.titleList()); len(ids) > 0 {
		return ids
	}
	if groups := matchAbbreviation(core, ix.titleList()); len(groups) > 0 {
		return groups[0]
	}
	if groups := matchFullForm(full, ix.titleList()); len(groups) > 0 {
		return groups[0]
	}
	return nil
}

// titleHolds reports whether a title of the index holds text as it is typed (without
// 中华人民共和国, 《》 and spaces).
func (ix *Index) titleHolds(text string) bool {
	text = titleNoise.Replace(text)
	for _, t := range ix.titleList() {
		if strings.Contains(t.plain, text) {
			return true
		}
	}
	return false
}

// placePattern is the place a local regulation's title opens with: 重庆市, 浙江省, 汕头经济特区,
// 延边朝鲜族自治州. (市场 is no place: 农产品市场管理办法.)
var placePattern = regexp.MustCompile(`^(\p{Han}{2,8}?(?:省|市|自治区|自治州|自治县|特别行政区|经济特区|县))([^场]|$)`)

// titlePlace returns the place a title opens with and its short name (重庆市, 重庆), or "".
func titlePlace(title string) (full, short string) {
	m := placePattern.FindStringSubmatch(titleNoise.Replace(title))
	if m == nil {
		return "", ""
	}
	full = m[1]
	short = full
	for _, suffix := range []string{"特别行政区", "经济特区", "自治区", "自治州", "自治县", "省", "市", "县"} {
		if s, ok := strings.CutSuffix(full, suffix); ok && utf8.RuneCountInString(s) >= 2 {
			short = s
			break
		}
	}
	return full, short
}

// queryPlaces returns the places of the index's titles that a query names (在重庆, 杭州市),
// and the provinces they are in (广州 → 广州市, 广东省): a local regulation of another
// place is then not what the query is after, but the province's own rules apply there.
func (ix *Index) queryPlaces(q Query) []string {
	ix.placesOnce.Do(func() {
		ix.places = map[string]string{}
		for _, t := range ix.titleList() {
			if full, short := titlePlace(t.title); full != "" {
				ix.places[short] = full
			}
		}
		ix.regions = placeRegions(ix.titleList())
	})
	text := strings.Join(append(slices.Clone(q.Words), q.Phrases...), " ")
	var out []string
	for short, full := range ix.places {
		if strings.Contains(text, short) {
			out = append(out, full)
		}
	}
	for _, p := range slices.Clone(out) {
		if r, ok := ix.regions[p]; ok && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// provincial reports whether a place is a province or an autonomous region.
func provincial(place string) bool {
	return strings.HasSuffix(place, "省") || strings.HasSuffix(place, "自治区")
}

// placeRegions maps each place below a province (广州市, 汕头经济特区) to the province whose
// documents are filed in the folder holding most of its own (DLC/广东地方法规/…/广东), read
// from where the site files them rather than from a gazetteer. A folder holding the
// documents of more than one province says nothing: a site may file every local
// regulation together.
func placeRegions(titles []titleEntry) map[string]string {
	perDir := map[string]map[string]int{} // folder → place → documents
	for _, t := range titles {
		if t.place == "" {
			continue
		}
		dir := path.Dir(t.id)
		if perDir[dir] == nil {
			perDir[dir] = map[string]int{}
		}
		perDir[dir][t.place]++
	}
	home := map[string]string{} // place → the folder holding most of its documents
	most := map[string]int{}
	for _, dir := range slices.Sorted(maps.Keys(perDir)) {
		for p, n := range perDir[dir] {
			if n > most[p] {
				home[p], most[p] = dir, n
			}
		}
	}
	out := map[string]string{}
	for p, dir := range home {
		if provincial(p) {
			continue
		}
		var provinces []string
		for q := range perDir[dir] {
			if provincial(q) && home[q] == dir {
				provinces = append(provinces, q)
			}
		}
		if len(provinces) == 1 {
			out[p] = provinces[0]
		}
	}
	return out
}

// passageShare scales passage evidence by how long the typed query is: a question or a
// description (12 characters and more) is answered by an article, two or three words name
// what a document as a whole is about (ranking.shortQuery for the shortest).
func (ix *Index) passageShare(pl *plan) float64 {
	n := 0
	for _, r := range pl.runs {
		n = max(n, utf8.RuneCountInString(r))
	}
	return min(1, max(ix.rank.shortQuery, float64(n)/12))
}
