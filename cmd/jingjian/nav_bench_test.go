package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jingjian/indexer"
	"jingjian/internal/sitetest"
	"jingjian/site"
)

// navLabel is an article's label: 第二十二条.
var navLabel = regexp.MustCompile(`^第([一二三四五六七八九十百千零两]+)条$`)

// navVersion is a version's date in a URL: any version of the title holding the article
// counts (the one in force comes first, which the judged sets check), not one without it.
var navVersion = regexp.MustCompile(`\(\d{4}-\d{2}-\d{2}\)`)

// bothEngines builds the laws corpus's site and opens both engines on it: the server's
// index in process, and the static index in headless Chromium on a page of the site
// served by python3 -m http.server; it also gives the site.
func bothEngines(b *testing.B) (*indexer.Index, context.Context, *site.Site) {
	dir, out, s := builtLawsSite(b)
	ix, err := indexer.Open(filepath.Join(dir, ".jingjian", "index"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	root := servePlainFiles(b, out)
	bctx := sitetest.BrowserFor(b, 20*time.Minute)
	if err := chromedp.Do(bctx, chromedp.Navigate(root+"index.html"), chromedp.WaitReady("body")); err != nil {
		b.Fatal(err)
	}
	return ix, bctx, s
}

// A firstHit is an engine's first hit for a query ("" for none).
type firstHit struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// firstHits asks a query of both engines of bothEngines and gives each one's first hit.
func firstHits(b *testing.B, ix *indexer.Index, bctx context.Context, text string) (server, static firstHit) {
	res, err := ix.Search(context.Background(), indexer.Request{Query: text, Limit: 10})
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Hits) > 0 {
		server = firstHit{res.Hits[0].URL, res.Hits[0].Title}
	}
	qj, _ := json.Marshal(text)
	static, err = chromedp.Run(bctx, chromedp.Evaluate[firstHit](fmt.Sprintf(`(async () => { const r = await window.jingjianSearch(%s, {limit: 10}); return r.hits.length ? {url: r.hits[0].url, title: r.hits[0].title} : {url: "", title: ""}; })()`, qj), chromedp.EvalAwaitPromise))
	if err != nil {
		b.Fatalf("%s: %v", text, err)
	}
	return server, static
}

// drawArticle draws one of a page's articles and its number, if it has three or more.
func drawArticle(rng *rand.Rand, p *site.Page) (site.Mark, int, bool) {
	arts := navArticles(p)
	if len(arts) < 3 {
		return site.Mark{}, 0, false
	}
	m := arts[rng.IntN(len(arts))]
	n, _ := site.ParseChineseNumber(navLabel.FindStringSubmatch(m.Label)[1])
	return m, n, true
}

// navArticles gives the marks of a page's articles (第二十二条), not its headings.
func navArticles(p *site.Page) []site.Mark {
	var arts []site.Mark
	for _, m := range p.Marks {
		if !m.Heading && m.ID != "" && navLabel.MatchString(m.Label) {
			arts = append(arts, m)
		}
	}
	return arts
}

// BenchmarkNavGeneratedLaws asks navigational queries made from the laws corpus itself —
// 300 articles drawn with a fixed seed, each in one of eight forms people type (《监察法》第二十二条,
// 监察法第22条, 监察法 22条, 第二十二条 监察法, 监察法第二十二条是怎么规定的, 监察法 第二十二条 内容,
// a short form 个保法第十条, 民法典第1077条) — of the server's search (in process) and of the
// static index (window.jingjianSearch in headless Chromium over python3 -m http.server), and
// reports how many first hits land on the article, of each; apart from these, the synonym
// table's short forms with an article, 400 more in six further forms (a paragraph, a
// bare number, a place typed apart before or after, a title short of a word), and 100
// older versions named by their year, which must find that version. Made by rule, not judged by
// reading: queries to compare the two engines on, beside the judged sets. Run with:
//
//	go test ./cmd/jingjian -run XXX -bench NavGeneratedLaws -benchtime 1x
func BenchmarkNavGeneratedLaws(b *testing.B) {
	ix, bctx, s := bothEngines(b)

	type query struct{ text, form, want string }
	var qs []query
	var civil []*site.Page // the parts of 民法典, numbered across its files
	for _, p := range s.Pages {
		if strings.Contains(p.Path, "民法典/") {
			civil = append(civil, p)
		}
	}
	rng := rand.New(rand.NewPCG(42, 7))
	for len(qs) < 300 {
		form, pool := rng.IntN(8), s.Pages
		if form == 7 && len(civil) > 0 {
			pool = civil
		}
		p := pool[rng.IntN(len(pool))]
		m, n, ok := drawArticle(rng, p)
		if !ok {
			continue
		}
		core := strings.TrimPrefix(p.Title, "中华人民共和国")
		q := query{want: navVersion.ReplaceAllString(p.URL, "") + "#" + m.ID}
		switch form {
		case 0:
			q.form, q.text = "《title》第X条", "《"+core+"》"+m.Label
		case 1:
			q.form, q.text = "title第N条", fmt.Sprintf("%s第%d条", core, n)
		case 2:
			q.form, q.text = "title N条", fmt.Sprintf("%s %d条", core, n)
		case 3:
			q.form, q.text = "第X条 title", m.Label+" "+core
		case 4:
			q.form, q.text = "title第X条是怎么规定的", core+m.Label+"是怎么规定的"
		case 5:
			q.form, q.text = "title 第X条 内容", core+" "+m.Label+" 内容"
		case 6: // a short form: first character, the last word's first, and 法
			r := []rune(core)
			if len(r) < 5 || r[len(r)-1] != '法' || strings.ContainsAny(core, "（(《") {
				continue
			}
			q.form, q.text = "short form第X条", string([]rune{r[0], r[len(r)-3], '法'})+m.Label
		default:
			if len(civil) == 0 {
				continue
			}
			q.form, q.text = "民法典第N条", fmt.Sprintf("民法典第%d条", n)
		}
		qs = append(qs, q)
	}
	// Then, apart from those 300, the short forms of the synonym table whose full name is
	// a title (村组法 for 中华人民共和国村民委员会组织法), each with an article of that title.
	drawn := len(qs)
	table, err := os.ReadFile(filepath.Join("..", "..", "indexer", "dict", "synonyms.txt"))
	if err != nil {
		b.Fatal(err)
	}
	byTitle := map[string]*site.Page{}
	for _, p := range s.Pages {
		if p.IsCurrent() {
			byTitle[p.Title] = p
		}
	}
	for _, line := range strings.Split(string(table), "\n") {
		if strings.HasPrefix(line, "#") || strings.Contains(line, "=>") {
			continue
		}
		terms := strings.Split(line, ",")
		short := strings.TrimSpace(terms[0])
		for _, t := range terms[1:] {
			p := byTitle[strings.TrimSpace(t)]
			if p == nil || strings.TrimPrefix(p.Title, "中华人民共和国") == short {
				continue
			}
			arts := navArticles(p)
			if len(arts) > 0 {
				m := arts[rng.IntN(len(arts))]
				qs = append(qs, query{text: short + m.Label, form: "synonym short form第X条", want: navVersion.ReplaceAllString(p.URL, "") + "#" + m.ID})
			}
			break
		}
	}

	// And 400 more forms, reported apart as well: with a paragraph (刑法第二十条第一款), with a
	// bare number (民法典1077), a local title's place typed apart (北京 学前教育条例 第十六条,
	// 学前教育条例第16条 北京), and titles shortened by a word as people type them (企业破产法
	// → 破产法, 市场主体登记管理条例 → 市场主体登记条例): the core without its first two
	// characters, or without a 管理 or 实施 inside it, with an article number in figures.
	for more := len(qs) + 400; len(qs) < more; {
		p := s.Pages[rng.IntN(len(s.Pages))]
		core := []rune(strings.TrimPrefix(p.Title, "中华人民共和国"))
		if len(core) < 6 || len(core) > 16 || strings.ContainsAny(string(core), "（(《〈 ") {
			continue
		}
		m, n, ok := drawArticle(rng, p)
		if !ok {
			continue
		}
		q := query{want: navVersion.ReplaceAllString(p.URL, "") + "#" + m.ID}
		inner := strings.NewReplacer("管理", "", "实施", "").Replace(string(core[2 : len(core)-1]))
		short := string(core[:2]) + inner + string(core[len(core)-1:])
		place, rest := "", "" // 北京 and 学前教育条例 of 北京市学前教育条例
		if len(core) > 5 && (core[2] == '市' || core[2] == '省') && !strings.HasPrefix(string(core), "城市") {
			place, rest = string(core[:2]), string(core[3:])
		}
		switch form := rng.IntN(6); {
		case form == 0:
			q.form, q.text = "title第X条第一款", string(core)+m.Label+"第一款"
		case form == 1:
			q.form, q.text = "title N", fmt.Sprintf("%s%d", string(core), n)
		case form == 2 && place != "":
			q.form, q.text = "place title 第X条", place+" "+rest+" "+m.Label
		case form == 3 && place != "":
			q.form, q.text = "title第N条 place", fmt.Sprintf("%s第%d条 %s", rest, n, place)
		case short != string(core):
			q.form, q.text = "title without 管理/实施第N条", fmt.Sprintf("%s第%d条", short, n)
		default:
			// Only where no other title holds what is left: 破产法 names one law, 市绿化条例 none.
			rest, holders := string(core[2:]), 0
			for _, o := range byTitle {
				if strings.Contains(o.Title, rest) {
					holders++
				}
			}
			if holders != 1 || strings.Contains(rest, "关于") { // (院关于…: 国务院 cut in two)
				continue
			}
			q.form, q.text = "title without its first two characters第N条", fmt.Sprintf("%s第%d条", rest, n)
		}
		qs = append(qs, q)
	}
	// And 100 older versions named by their year (2017年行政复议法第21条): that version's
	// article, not the one in force (want holds the version's own URL, exact).
	versions := map[string]int{} // title → its versions
	for _, p := range s.Pages {
		versions[p.Title]++
	}
	for dated := len(qs) + 100; len(qs) < dated; {
		p := s.Pages[rng.IntN(len(s.Pages))]
		if p.IsCurrent() || versions[p.Title] < 2 || p.Date.IsZero() || strings.Contains(p.Title, " ") {
			continue
		}
		m, n, ok := drawArticle(rng, p)
		if !ok {
			continue
		}
		core := strings.TrimPrefix(p.Title, "中华人民共和国")
		var of []string // the title's versions of that year (two may share it)
		for _, o := range s.Pages {
			if o.Title == p.Title && o.Date.Year() == p.Date.Year() {
				of = append(of, o.URL+"#"+m.ID)
			}
		}
		qs = append(qs, query{text: fmt.Sprintf("%d年%s第%d条", p.Date.Year(), core, n), form: "YYYY年title第N条 (that version)", want: "=" + strings.Join(of, "|")})
	}

	// A first hit is on the article when it links the article of a version of the title
	// that has it: not a version that lacks it (an older one may have more articles).
	hasArticle := map[string]bool{} // page URL + "#" + anchor
	for _, p := range s.Pages {
		for _, m := range p.Marks {
			if m.ID != "" {
				hasArticle[p.URL+"#"+m.ID] = true
			}
		}
	}
	onArticle := func(url, want string) bool {
		if exact, ok := strings.CutPrefix(want, "="); ok { // a version of that year
			return slices.Contains(strings.Split(exact, "|"), strings.TrimSuffix(url, "index.html"))
		}
		return navVersion.ReplaceAllString(url, "") == want && hasArticle[strings.TrimSuffix(url, "index.html")]
	}

	for b.Loop() {
		type count struct{ n, server, static, same int }
		forms := map[string]*count{}
		all := &count{}
		var differ []string // queries either engine misses, or where they differ
		for i, q := range qs {
			sh, th := firstHits(b, ix, bctx, q.text)
			server, static := sh.URL, th.URL
			serverOK, staticOK := onArticle(server, q.want), onArticle(static, q.want)
			if !serverOK || !staticOK || server != static {
				differ = append(differ, fmt.Sprintf("%s (want %s): server %s, static %s", q.text, q.want, server, static))
			}
			c := forms[q.form]
			if c == nil {
				c = &count{}
				forms[q.form] = c
			}
			counts := []*count{c, all}
			if i >= drawn {
				counts = counts[:1] // the synonyms' forms are reported apart
			}
			for _, c := range counts {
				c.n++
				if serverOK {
					c.server++
				}
				if staticOK {
					c.static++
				}
				if static == server {
					c.same++
				}
			}
		}
		// (A benchmark's log is cut after a few lines: the counts first.)
		for form, c := range forms {
			b.Logf("%s: first hit on the article, server %d, static %d of %d", form, c.server, c.static, c.n)
		}
		for _, d := range differ {
			b.Log(d)
		}
		// (Over the 300 drawn queries.)
		b.ReportMetric(float64(all.server)/float64(all.n), "server-on-article")
		b.ReportMetric(float64(all.static)/float64(all.n), "static-on-article")
		b.ReportMetric(float64(all.same)/float64(all.n), "same-first-hit")
	}
}
