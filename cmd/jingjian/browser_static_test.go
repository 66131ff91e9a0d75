package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"jingjian/internal/sitetest"
)

// staticResult is what window.jingjianSearch answers, the shape of /api/search.
type staticResult struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	Hits  []struct {
		URL      string `json:"url"`
		PageURL  string `json:"page_url"`
		Title    string `json:"title"`
		Section  string `json:"section"`
		Date     string `json:"date"`
		Status   string `json:"status"`
		Snippet  string `json:"snippet"`
		Passages []struct {
			Anchor  string `json:"anchor"`
			Label   string `json:"label"`
			Snippet string `json:"snippet"`
		} `json:"passages"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string
		Count int
	} `json:"facets"`
	Terms    []string `json:"terms"`
	Expanded []struct {
		Term string   `json:"term"`
		Also []string `json:"also"`
	} `json:"expanded"`
	Notes []string `json:"notes"`
}

// TestBrowserStaticSearch builds the example site and searches it with no jingjian serve:
// served as plain files under a sub-path (python3 -m http.server, as nginx would), and
// opened from disk (file://, built with a file: base URL). In both, window.jingjianSearch
// answers words, synonyms, phrases, exclusions, filters and sort:date from _search/, its
// links open the pages, and the header's box shows results as you type, Enter all of them.
func TestBrowserStaticSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := t.TempDir()
	copyExampleSite(t, filepath.Join(dir, "site"))
	// A long regulation, several blocks of the static index: its 第八十条 is found in
	// the block that holds it.
	if err := os.WriteFile(filepath.Join(dir, "site", "content", "regulations", "青川市民政局档案管理细则.md"), []byte(longRegulation()), 0o644); err != nil {
		t.Fatal(err)
	}
	// A title a short form stands for: 信保审办法 (its pairs are in no text).
	secrecy := "+++\ntitle = \"政府信息公开保密审查办法\"\nissuer = \"青川市民政局\"\nissued = 2023-01-01\nstatus = \"现行有效\"\nlevel = \"内部制度\"\nweight = 91\n+++\n\n第一条　公开政府信息前，应当依照本办法进行保密审查。\n"
	if err := os.WriteFile(filepath.Join(dir, "site", "content", "regulations", "政府信息公开保密审查办法.md"), []byte(secrecy), 0o644); err != nil {
		t.Fatal(err)
	}
	// A document named after an article: its name is no navigational query.
	note := "+++\ntitle = \"关于《青川市民政局公务接待管理办法》第五条的说明\"\nissuer = \"青川市民政局\"\nissued = 2024-05-01\nstatus = \"现行有效\"\nlevel = \"内部制度\"\n+++\n\n本说明解释该条的适用范围。\n"
	if err := os.WriteFile(filepath.Join(dir, "site", "content", "regulations", "第五条的说明.md"), []byte(note), 0o644); err != nil {
		t.Fatal(err)
	}
	// A short title, and a text naming it in its own and repeating it: the title typed
	// finds the title.
	front := "+++\ntitle = \"%s\"\nissuer = \"青川市民政局\"\nissued = 2024-06-01\nstatus = \"现行有效\"\nlevel = \"内部制度\"\n+++\n\n"
	for name, text := range map[string]string{
		"救助法.md":   fmt.Sprintf(front, "社会救助法") + "第一条　为了规范社会救助，制定本法。\n",
		"救助法解释.md": fmt.Sprintf(front, "关于适用《社会救助法》若干问题的解释") + strings.Repeat("适用社会救助法时，社会救助法未尽事项，按社会救助法办理。\n\n", 8),
		// Found only by a synonym inside a long question (打包价 → 包薪制).
		"包薪制说明.md": fmt.Sprintf(front, "关于包薪制的说明") + "第一条　实行包薪制的，不得以此规避支付加班工资。\n",
		// A title with brackets, typed without them, and a text repeating its words.
		"规程二.md":   fmt.Sprintf(front, "救助工作规程（二）") + "第一条　本规程适用于社会救助工作。\n",
		"规程一说明.md": fmt.Sprintf(front, "关于《救助工作规程（一）》的说明") + strings.Repeat("救助工作规程（一）第二条所称救助工作规程，二者一并适用。\n\n", 6),
		// A question asking how long: the article stating a time limit, not the one
		// sharing more of its words.
		"信访事项办理规定.md": fmt.Sprintf(front, "青川市民政局信访事项办理规定") + "第三条　信访事项应当在规定时间内受理，受理时间、地点应当公布。\n\n第九条　信访事项应当自受理之日起六十日内办结。\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, "site", "content", "regulations", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Two provinces' rules on one matter, each filed with a city's: a query naming the
	// city is after its province's, though the other's text holds its words more often.
	for name, text := range map[string]string{
		"蜀南/蜀南省供热条例.md":   fmt.Sprintf(front, "蜀南省供热条例") + "第一条　供热单位不得因用户拖欠供热费停止供热。\n",
		"蜀南/青石市市容管理条例.md": fmt.Sprintf(front, "青石市市容管理条例") + "第一条　本市市容管理适用本条例。\n",
		"江东/江东省供热条例.md":   fmt.Sprintf(front, "江东省供热条例") + "第一条　供热单位不得因用户拖欠供热费停止供热；供热单位停止供热的，用户可以投诉，拖欠的供热费另行结算。\n",
		"江东/白沙市市容管理条例.md": fmt.Sprintf(front, "白沙市市容管理条例") + "第一条　本市市容管理适用本条例。\n",
	} {
		p := filepath.Join(dir, "site", "content", "regulations", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func(out, base string) {
		t.Helper()
		start := time.Now()
		if code, _, stderr := runCLI(t, "build", "-s", filepath.Join(dir, "site"), "-d", out, "-q", "--base-url", base); code != 0 {
			t.Fatalf("build --base-url %s: exit %d\n%s", base, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(out, "_search", "meta.js")); err != nil {
			t.Fatalf("build wrote no static index: %v", err)
		}
		t.Logf("build --base-url %s: %v", base, time.Since(start).Round(time.Millisecond))
	}
	www := filepath.Join(dir, "www")
	build(filepath.Join(www, "lz"), "/lz/")
	disk := filepath.Join(dir, "disk")
	diskURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(disk) + "/"}).String()
	build(disk, diskURL)

	httpRoot := servePlainFiles(t, www) + "lz/"

	bctx := sitetest.Browser(t)
	for _, tc := range []struct{ name, root string }{{"http", httpRoot}, {"file", diskURL}} {
		t.Run(tc.name, func(t *testing.T) { staticSearchChecks(t, bctx, tc.root, tc.name == "file") })
	}
}

// servePlainFiles serves dir as plain files with python3 -m http.server on a free loopback
// port, as nginx or IIS would serve a built site with no jingjian serve, until the test
// ends; it returns the root URL (ending in /). It skips the test without python3.
func servePlainFiles(t testing.TB, dir string) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to serve the built site as plain files")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	srv := exec.Command(python, "-m", "http.server", fmt.Sprint(port), "--bind", "127.0.0.1", "--directory", dir)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	root := fmt.Sprintf("http://127.0.0.1:%d/", port)
	for i := 0; ; i++ {
		r, err := http.Get(root)
		if err == nil {
			r.Body.Close()
			return root
		}
		if i == 100 {
			t.Fatalf("python3 http.server does not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func staticSearchChecks(t *testing.T, bctx context.Context, root string, disk bool) {
	until := waitFor(t, bctx)
	if err := chromedp.Do(bctx, chromedp.Navigate(root+"index.html"), chromedp.WaitVisible(chromedp.ID("site-search"))); err != nil {
		t.Fatal(err)
	}
	until("static search loaded", `typeof window.jingjianSearch === "function"`)
	search := func(q string, opts string) staticResult {
		t.Helper()
		if opts == "" {
			opts = "{}"
		}
		qj, _ := json.Marshal(q)
		res, err := chromedp.Run(bctx, chromedp.Evaluate[staticResult](fmt.Sprintf(`window.jingjianSearch(%s, %s)`, qj, opts), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("jingjianSearch(%s): %v", q, err)
		}
		return res
	}
	timed := func(q string) float64 {
		qj, _ := json.Marshal(q)
		ms, err := chromedp.Run(bctx, chromedp.Evaluate[float64](fmt.Sprintf(`(async () => { const t = performance.now(); await window.jingjianSearch(%s); return performance.now() - t; })()`, qj), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	first := timed("优亲厚友")

	// A word, with its synonym searched as well.
	r := search("低保", `{limit: 50}`)
	if r.Total < 3 || len(r.Hits) == 0 {
		t.Fatalf("低保: %d hits; want several", r.Total)
	}
	if !strings.Contains(r.Hits[0].Snippet, "<mark>低保</mark>") {
		t.Errorf("低保: first snippet %q marks no 低保", r.Hits[0].Snippet)
	}
	if len(r.Expanded) == 0 || r.Expanded[0].Term != "低保" || !slices.Contains(r.Expanded[0].Also, "最低生活保障") {
		t.Errorf("低保: expanded %+v; want 低保 → 最低生活保障", r.Expanded)
	}
	synonym := false
	for _, h := range r.Hits {
		if !strings.HasPrefix(h.PageURL, "/") || strings.HasPrefix(h.PageURL, "/lz/") || !strings.HasPrefix(h.URL, h.PageURL) {
			t.Errorf("低保: url %q, page_url %q; want site-relative, the base path left out", h.URL, h.PageURL)
		}
		if disk != strings.HasSuffix(h.PageURL, "/index.html") {
			t.Errorf("低保: page_url %q (from disk: %v)", h.PageURL, disk)
		}
		synonym = synonym || strings.Contains(h.Snippet, "<mark>最低生活保障</mark>") && !strings.Contains(h.Snippet, "<mark>低保</mark>")
	}
	if !synonym {
		t.Error("低保: no hit found by its synonym 最低生活保障 alone")
	}
	if r.Facets["栏目"] == nil || r.Facets["年份"] == nil {
		t.Errorf("低保: facets %v; want 栏目 and 年份", r.Facets)
	}
	all := r.Total

	// A phrase: every hit holds it whole.
	r = search(`"集体研究决定"`, "")
	if r.Total == 0 {
		t.Fatalf(`"集体研究决定": no hits`)
	}
	for _, h := range r.Hits {
		if !strings.Contains(h.Snippet, "<mark>集体研究决定</mark>") {
			t.Errorf(`"集体研究决定": snippet %q of %s lacks the phrase`, h.Snippet, h.Title)
		}
	}
	if loose := search("集体 研究 决定", ""); loose.Total <= r.Total {
		t.Errorf("集体 研究 决定: %d hits, the phrase %d; want more without quotes", loose.Total, r.Total)
	}

	// An exclusion.
	r = search("低保 -优亲厚友", "")
	if r.Total == 0 || r.Total >= all {
		t.Errorf("低保 -优亲厚友: %d hits of 低保's %d", r.Total, all)
	}
	for _, h := range r.Hits {
		if strings.Contains(h.Title, "优亲厚友") || strings.Contains(h.Snippet, "优亲厚友") {
			t.Errorf("低保 -优亲厚友: hit %s", h.Title)
		}
	}

	// A filter, in the query and as an option.
	r = search("栏目:典型案例 低保", "")
	if r.Total == 0 || r.Total >= all {
		t.Errorf("栏目:典型案例 低保: %d hits of 低保's %d", r.Total, all)
	}
	for _, h := range r.Hits {
		if h.Section != "典型案例" {
			t.Errorf("栏目:典型案例 低保: hit %s in %s", h.Title, h.Section)
		}
	}
	if got := r.Facets["栏目"]; len(got) != 1 || got[0].Value != "典型案例" || got[0].Count != r.Total {
		t.Errorf("栏目:典型案例 低保: 栏目 facet %+v", got)
	}
	if o := search("低保", `{filters: {"栏目": "典型案例"}}`); o.Total != r.Total {
		t.Errorf("低保 with filters {栏目: 典型案例}: %d hits; in the query %d", o.Total, r.Total)
	}
	r = search("领域:养老服务", `{limit: 100}`)
	if r.Total == 0 || len(r.Facets["领域"]) == 0 || r.Facets["领域"][0].Value != "养老服务" {
		t.Errorf("领域:养老服务: %d hits, 领域 facet %+v", r.Total, r.Facets["领域"])
	}

	// Newest first.
	r = search("sort:date 年份:2024", `{limit: 100}`)
	if r.Total == 0 {
		t.Error("sort:date 年份:2024: no hits")
	}
	for i, h := range r.Hits {
		if !strings.HasPrefix(h.Date, "2024-") || i > 0 && h.Date > r.Hits[i-1].Date {
			t.Errorf("sort:date 年份:2024: hit %d dated %s after %s", i, h.Date, r.Hits[max(i-1, 0)].Date)
		}
	}

	// An article by its number: the hit links to it.
	r = search("公务接待管理办法 第五条", "")
	if len(r.Hits) == 0 || !strings.HasSuffix(r.Hits[0].URL, "#第五条") || r.Hits[0].Status != "现行有效" {
		t.Errorf("公务接待管理办法 第五条: first hit %+v; want the rules in force, at 第五条", r.Hits[:min(1, len(r.Hits))])
	}

	// Navigation in digits and without the issuer (接待管理办法 for 青川市民政局公务接待管理办法),
	// and a short form of a title.
	// Also with words after the article or the article first, with a paragraph, or with a
	// bare number.
	for _, q := range []string{"接待管理办法5条", "接待管理办法第五条是怎么规定的", "第五条 公务接待管理办法", "公务接待管理办法第五条第一款", "接待管理办法 5"} {
		r = search(q, "")
		if len(r.Hits) == 0 || !strings.HasSuffix(r.Hits[0].URL, "#第五条") || r.Hits[0].Status != "现行有效" {
			t.Errorf("%s: first hit %+v; want the rules in force, at 第五条", q, r.Hits[:min(1, len(r.Hits))])
		}
	}
	// A version named by its year: that version first, at its article or alone.
	for _, q := range []string{"2019年青川市民政局公务接待管理办法 第五条", "2019年版接待管理办法第五条", "青川市民政局公务接待管理办法（2019）"} {
		r = search(q, "")
		if len(r.Hits) == 0 || r.Hits[0].Date != "2019-05-10" || strings.Contains(q, "第五条") && !strings.HasSuffix(r.Hits[0].URL, "#第五条") {
			t.Errorf("%s: first hit %+v; want the 2019 version", q, r.Hits[:min(1, len(r.Hits))])
		}
	}
	// A title typed: that title, before a text naming it in its own.
	if r = search("社会救助法", ""); len(r.Hits) == 0 || r.Hits[0].Title != "社会救助法" {
		t.Errorf("社会救助法: first hit %+v; want that title", r.Hits[:min(1, len(r.Hits))])
	}
	// A document matching only a synonym found inside the question is found, as the
	// server finds it.
	if r = search("老板说月薪是打包价还能另外要钱吗", ""); len(r.Hits) == 0 || r.Hits[0].Title != "关于包薪制的说明" {
		t.Errorf("老板说月薪是打包价…: first hit %+v; want 关于包薪制的说明", r.Hits[:min(1, len(r.Hits))])
	}
	// A title typed without its brackets.
	if r = search("救助工作规程二", ""); len(r.Hits) == 0 || r.Hits[0].Title != "救助工作规程（二）" {
		t.Errorf("救助工作规程二: first hit %+v; want 救助工作规程（二）", r.Hits[:min(1, len(r.Hits))])
	}
	// A question asking how long: at the article stating a time limit.
	if r = search("信访事项受理后多长时间办完", ""); len(r.Hits) == 0 || r.Hits[0].Title != "青川市民政局信访事项办理规定" || !strings.HasSuffix(r.Hits[0].URL, "#第九条") {
		t.Errorf("信访事项受理后多长时间办完: first hit %+v; want 青川市民政局信访事项办理规定 at 第九条", r.Hits[:min(1, len(r.Hits))])
	} else if !strings.Contains(r.Hits[0].Snippet, "<mark>六十日</mark>") {
		t.Errorf("信访事项受理后多长时间办完: snippet %q; want the time limit marked", r.Hits[0].Snippet)
	}
	// A city named: its province's rules, not another province's.
	if r = search("在青石，拖欠供热费能不能停止供热", ""); len(r.Hits) == 0 || r.Hits[0].Title != "蜀南省供热条例" {
		t.Errorf("在青石…: first hit %+v; want 蜀南省供热条例", r.Hits[:min(1, len(r.Hits))])
	}
	// A place typed apart from the rest of the title: both versions, each at its 第五条.
	r = search("青川 民政局公务接待管理办法 第五条", "")
	if len(r.Hits) < 2 || !strings.HasSuffix(r.Hits[0].URL, "#第五条") || r.Hits[0].Status != "现行有效" || !strings.HasSuffix(r.Hits[1].URL, "#第五条") {
		t.Errorf("青川 民政局公务接待管理办法 第五条: hits %+v; want both versions at 第五条, the one in force first", r.Hits[:min(2, len(r.Hits))])
	}
	if r = search("公务接待管理办法第五条的说明", ""); len(r.Hits) == 0 || !strings.HasSuffix(r.Hits[0].Title, "第五条的说明") {
		t.Errorf("公务接待管理办法第五条的说明: first hit %+v; want the document of that name", r.Hits[:min(1, len(r.Hits))])
	}
	r = search("信保审办法", "")
	if len(r.Hits) == 0 || r.Hits[0].Title != "政府信息公开保密审查办法" {
		t.Errorf("信保审办法: first hit %+v; want 政府信息公开保密审查办法, the title it shortens", r.Hits[:min(1, len(r.Hits))])
	}

	// An article deep in a long page: the block that holds it gives the anchor and the
	// snippet; as a phrase, it is found in that block.
	for _, q := range []string{"档案数字化外包", `"档案数字化外包服务"`} {
		r = search(q, "")
		if len(r.Hits) == 0 || r.Hits[0].Title != "青川市民政局档案管理细则" || !strings.HasSuffix(r.Hits[0].URL, "#第八十条") || !strings.Contains(r.Hits[0].Snippet, "外包") {
			t.Errorf("%s: first hit %+v; want the 档案管理细则 at 第八十条", q, r.Hits[:min(1, len(r.Hits))])
		}
	}

	// Timings: a dozen queries, each new.
	var times []float64
	for _, q := range []string{"公款吃喝", "养老机构", "虚报冒领", "政府采购", "殡葬", "婚姻登记", "三重一大", "工程建设 回扣", "临时救助", "慈善", "残疾人", "购物卡"} {
		times = append(times, timed(q))
	}
	slices.Sort(times)
	t.Logf("first query %.1f ms (with meta.js); then median %.1f ms, slowest %.1f ms over %d new queries", first, times[len(times)/2], times[len(times)-1], len(times))

	// The header's box: results as you type, their links open the pages.
	if err := chromedp.Do(bctx,
		chromedp.Navigate(root+"index.html"),
		chromedp.WaitVisible(chromedp.ID("site-search")),
		chromedp.Focus(chromedp.ID("site-search")),
		chromedp.KeyEvent("低保"),
	); err != nil {
		t.Fatal(err)
	}
	until("results as you type", `document.querySelector('.live-results[data-query="低保"] li[role=option] a') !== null`)
	marked, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.querySelector('.live-results li[role=option] mark') !== null`))
	if err != nil || !marked {
		t.Errorf("results as you type mark no words (%v)", err)
	}
	// Enter shows all results in the list: there is no results page without a server.
	if err := chromedp.Do(bctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	until("all results on Enter", fmt.Sprintf(`(document.querySelector('.live-results.live-all .live-summary') || {}).textContent === "共 %d 条结果；已同时搜索：低保 → 最低生活保障"`, all))
	// The 搜索 button too, the list staying open though the box lost the focus.
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS("form.search-form button")), chromedp.Sleep(400*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	until("all results after 搜索 is clicked", `!document.querySelector('.live-results.live-all').hidden && location.href.indexOf("search?") < 0`)
	href, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('.live-results li[role=option] a').href`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(href, root) {
		t.Errorf("first result links to %s, outside %s", href, root)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(href)); err != nil {
		t.Fatal(err)
	}
	until("the hit's page opens", `document.querySelector("main h1") !== null && document.title.indexOf("页面不存在") < 0`)
	at, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`decodeURIComponent(location.pathname)`))
	if disk != strings.HasSuffix(at, "/index.html") {
		t.Errorf("the hit opened %s", at)
	}
}

// longRegulation is a regulation of ninety articles, about 40 KB: blocks of the static
// index are 16 KB. Only 第八十条 speaks of 档案数字化外包服务.
func longRegulation() string {
	var b strings.Builder
	b.WriteString("+++\ntitle = \"青川市民政局档案管理细则\"\nissuer = \"青川市民政局\"\nissued = 2023-06-01\nstatus = \"现行有效\"\nlevel = \"内部制度\"\nweight = 90\n+++\n\n")
	topics := []string{"文书档案的收集与整理", "会计档案的保管期限", "婚姻登记档案的查阅", "社会组织登记档案的移交", "救助对象档案的建立", "养老机构备案材料的归档", "殡葬服务档案的利用", "电子文件的归档与备份", "档案库房的温湿度管理"}
	for n := 1; n <= 90; n++ {
		fmt.Fprintf(&b, "%s　", articleNumber(n))
		if n == 80 {
			b.WriteString("档案数字化外包服务应当签订保密协议，外包服务人员不得擅自复制、留存档案信息。")
		}
		topic := topics[n%len(topics)]
		fmt.Fprintf(&b, "关于%s，各科室、各直属单位应当明确专人负责，按照规定的范围、时间和要求办理，做到手续完备、记录清楚；发现问题的，及时报告办公室并采取补救措施。%s的具体要求，由办公室会同有关科室另行制定，报局党组审定后执行。\n\n", topic, topic)
	}
	return b.String()
}

// articleNumber writes n (1–99) as an article number in Chinese: 第八十条.
func articleNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	s := ""
	if n >= 10 {
		if n >= 20 {
			s = digits[n/10]
		}
		s += "十"
	}
	return "第" + s + digits[n%10] + "条"
}
