package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/andybalholm/brotli"

	"jingjian/indexer"
	"jingjian/internal/sitetest"
	"jingjian/render"
	"jingjian/site"
)

// testSite is built once: a few pages, one with markup in its title.
var (
	once  sync.Once
	built struct {
		dest, index string
		pages       *render.Pages
	}
	buildErr error
	builtDir string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

func buildTestSite(t *testing.T) {
	t.Helper()
	once.Do(func() {
		dir, err := os.MkdirTemp("", "jj-server-")
		if err != nil {
			buildErr = err
			return
		}
		builtDir = dir
		files := map[string]string{
			"config.toml":        "title = \"测试站\"\n",
			"content/cases/a.md": "---\ntitle: 标题<script>alert(1)</script>案\ndate: 2024-01-02\n---\n正文提到低保审核和<b>粗体</b>。\n",
			"content/cases/b.md": "# 养老补贴案\n\n养老机构运营补贴被套取。\n",
		}
		for name, body := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			_ = os.WriteFile(p, []byte(body), 0o644)
		}
		s, err := site.Load(context.Background(), dir, site.Options{})
		if err != nil {
			buildErr = err
			return
		}
		built.dest = filepath.Join(dir, "public")
		if _, err = render.Build(context.Background(), s, render.Options{Dest: built.dest}); err != nil {
			buildErr = err
			return
		}
		built.index = filepath.Join(dir, "index")
		if _, err = indexer.Build(context.Background(), built.index, indexer.Docs(s), indexer.Options{Sections: indexer.SectionTitles(s)}); err != nil {
			buildErr = err
			return
		}
		built.pages, buildErr = render.NewPages(s, nil)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

// newTestServer serves the test site on loopback.
func newTestServer(t *testing.T, withIndex bool) (*httptest.Server, *Server) {
	t.Helper()
	buildTestSite(t)
	srv := New(built.dest, func() (*render.Pages, error) { return built.pages, nil }, log.New(io.Discard, "", 0))
	if withIndex {
		ix, err := indexer.Open(built.index, nil)
		if err != nil {
			t.Fatal(err)
		}
		srv.SetIndex(ix, ix)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, srv
}

func get(t *testing.T, ts *httptest.Server, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, _, _ := strings.Cut(path, "?")
	req.URL.Opaque = p                            // send the path exactly as written, ../ and %2e included
	req.Header.Set("Accept-Encoding", "identity") // Go's transport would ask for gzip itself
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestStaticFiles(t *testing.T) {
	ts, _ := newTestServer(t, true)
	tests := []struct {
		path   string
		status int
		ctype  string
	}{
		{"/", 200, "text/html; charset=utf-8"},
		{"/cases/a/", 200, "text/html; charset=utf-8"},
		{"/index.xml", 200, "text/xml; charset=utf-8"},
		{"/sitemap.xml", 200, "text/xml; charset=utf-8"},
		{"/robots.txt", 200, "text/plain; charset=utf-8"},
		{"/cases/a", 301, ""},
		{"/nope/", 404, "text/html; charset=utf-8"},
		{"/.jingjian-output", 400, ""},
		{"/.jingjian-manifest", 400, ""},
		{"/../../etc/passwd", 307, ""}, // net/http redirects to the cleaned path, inside the site
		{"/%2e%2e/%2e%2e/etc/passwd", 404, ""},
		{"/cases/..%2f..%2f..%2fetc/passwd", 404, ""},
		{"/cases/%00", 400, ""},
		{"/a%5c..%5cetc", 400, ""},
		{"//etc/passwd", 404, ""},
	}
	for _, tt := range tests {
		res, body := get(t, ts, tt.path)
		if res.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, res.StatusCode, tt.status)
		}
		if tt.ctype != "" && res.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tt.path, res.Header.Get("Content-Type"), tt.ctype)
		}
		if strings.Contains(body, "root:") {
			t.Errorf("%s: served a file outside the site", tt.path)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
			if res.Header.Get(h) == "" {
				t.Errorf("%s: no %s header", tt.path, h)
			}
		}
	}
	if csp := get2(t, ts, "/").Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %s", csp)
	}
}

func get2(t *testing.T, ts *httptest.Server, path string) *http.Response {
	res, _ := get(t, ts, path)
	return res
}

func TestCachingAndCompression(t *testing.T) {
	ts, _ := newTestServer(t, true)
	res, body := get(t, ts, "/")
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Last-Modified") == "" || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("validators missing: %v", res.Header)
	}
	if res, _ := get(t, ts, "/", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d", res.StatusCode)
	}
	css := cssPath(body)
	if res, _ := get(t, ts, css); !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("%s: Cache-Control %q", css, res.Header.Get("Cache-Control"))
	}
	for _, enc := range []string{"br", "gzip"} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/", nil)
		req.Header.Set("Accept-Encoding", enc)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = res.Body
		switch res.Header.Get("Content-Encoding") {
		case "br":
			r = brotli.NewReader(res.Body)
		case "gzip":
			r, _ = gzip.NewReader(res.Body)
		default:
			t.Errorf("Accept-Encoding %s: not compressed", enc)
		}
		got, _ := io.ReadAll(r)
		res.Body.Close()
		if string(got) != body {
			t.Errorf("%s body differs after decompression", enc)
		}
		if res.Header.Get("ETag") == etag {
			t.Errorf("%s: the compressed response reuses the plain ETag", enc)
		}
		if again, _ := get(t, ts, "/", "Accept-Encoding", enc, "If-None-Match", res.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
			t.Errorf("%s: revalidating the compressed copy gives %d", enc, again.StatusCode)
		}
	}
}

// cssPath finds the fingerprinted stylesheet a page links to.
func cssPath(s string) string {
	i := strings.Index(s, "/css/style.")
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], ".css")
	return s[i : i+j+4]
}

func TestReadOnly(t *testing.T) {
	ts, _ := newTestServer(t, true)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req, _ := http.NewRequest(m, ts.URL+"/cases/a/index.html", strings.NewReader("x"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d", m, res.StatusCode)
		}
	}
	if res, body := get(t, ts, "/healthz"); res.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", res.StatusCode, body)
	}
}

func TestAPISearch(t *testing.T) {
	ts, _ := newTestServer(t, true)
	res, body := get(t, ts, "/api/search?q="+url.QueryEscape("低保")+"&limit=5")
	var r indexer.Result
	if err := json.Unmarshal([]byte(body), &r); err != nil || res.StatusCode != 200 {
		t.Fatalf("%d %v: %s", res.StatusCode, err, body)
	}
	if r.Total != 1 || len(r.Hits) != 1 || r.Hits[0].Path != "cases/a.md" || !strings.Contains(r.Hits[0].Snippet, "<mark>低保</mark>") {
		t.Errorf("result %+v", r)
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type %s", res.Header.Get("Content-Type"))
	}
	if len(r.Facets) == 0 {
		t.Errorf("no facets by default: %s", body)
	}
	// Search-as-you-type asks for hits alone; the same query with facets is another answer.
	_, body = get(t, ts, "/api/search?q="+url.QueryEscape("低保")+"&limit=5&facets=0")
	var bare indexer.Result
	if err := json.Unmarshal([]byte(body), &bare); err != nil || len(bare.Facets) != 0 || bare.Total != 1 {
		t.Errorf("facets=0: %v %s", err, body)
	}
	if _, again := get(t, ts, "/api/search?q="+url.QueryEscape("低保")+"&limit=5"); !strings.Contains(again, `"facets":{"`) {
		t.Errorf("facets=0 answered a request with facets: %s", again)
	}
	for _, q := range []string{"limit=abc", "limit=-1", "page=0", "sort=title", "filter=novalue", "facets=maybe"} {
		if res, _ := get(t, ts, "/api/search?q=x&"+q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, res.StatusCode)
		}
	}
	res, body = get(t, ts, "/api/search?q="+url.QueryEscape(strings.Repeat("低保", 5000))+"&limit=100000&page=99999")
	if res.StatusCode != 200 || !strings.Contains(body, "查询过长") {
		t.Errorf("oversized request: %d %.200s", res.StatusCode, body)
	}
	ts2, _ := newTestServer(t, false)
	if res, _ := get(t, ts2, "/api/search?q=x"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("no index: %d", res.StatusCode)
	}
}

func TestHTMLSearchWithoutJavaScript(t *testing.T) {
	ts, _ := newTestServer(t, true)
	res, body := get(t, ts, "/search?q="+url.QueryEscape("低保"))
	if res.StatusCode != 200 || !strings.Contains(body, "<mark>低保</mark>") || !strings.Contains(body, "共 1 条结果") {
		t.Fatalf("%d:\n%s", res.StatusCode, body)
	}
	if strings.Contains(body, "<script>alert(1)</script>") || !strings.Contains(body, "标题&lt;script&gt;alert(1)&lt;/script&gt;案") {
		t.Error("a title with <script> is not escaped on the results page")
	}
	if strings.Contains(body, "<b>粗体</b>") {
		t.Error("markup from a body reaches the snippet")
	}
	if !strings.Contains(body, `<form class="search-form search-form-page" action="/search" method="get"`) {
		t.Error("the results page has no plain search form")
	}
	_, body = get(t, ts, "/search?q="+url.QueryEscape("不存在的词语组合"))
	if !strings.Contains(body, "没有找到相关内容") {
		t.Error("no-results page lacks suggestions")
	}
	if res, _ := get(t, ts, "/search"); res.StatusCode != 200 {
		t.Errorf("empty search form: %d", res.StatusCode)
	}
}

// TestIndexSwapUnderLoad swaps the index three times while clients search: no request
// may fail.
func TestIndexSwapUnderLoad(t *testing.T) {
	ts, srv := newTestServer(t, true)
	var failed, done atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := http.Get(ts.URL + "/api/search?q=" + url.QueryEscape("养老"))
				if err != nil || res.StatusCode != 200 {
					failed.Add(1)
				} else {
					var buf bytes.Buffer
					buf.ReadFrom(res.Body)
					if !strings.Contains(buf.String(), "养老补贴案") {
						failed.Add(1)
					}
				}
				if res != nil {
					res.Body.Close()
				}
				done.Add(1)
			}
		}()
	}
	for i := range 3 {
		for done.Load() < int64(50*(i+1)) {
			runtime.Gosched()
		}
		ix, err := indexer.Open(built.index, nil)
		if err != nil {
			t.Fatal(err)
		}
		srv.SetIndex(ix, ix)
	}
	for done.Load() < 200 {
		runtime.Gosched()
	}
	close(stop)
	wg.Wait()
	if failed.Load() > 0 {
		t.Errorf("%d of %d requests failed during index swaps", failed.Load(), done.Load())
	}
}

// TestHTMLSearchPassages: a hit's passages are sub-results linking to their articles, all
// but the one its title links to; a hit whose title links to an article also links to
// the whole page. Headings and labels are escaped, snippets kept as built.
func TestHTMLSearchPassages(t *testing.T) {
	buildTestSite(t)
	const law, cases = "/法规/接待办法/", "/cases/甲案/"
	srv := New(built.dest, func() (*render.Pages, error) { return built.pages, nil }, log.New(io.Discard, "", 0))
	srv.SetIndex(&fixedSearcher{res: &indexer.Result{Total: 2, Hits: []indexer.Hit{
		{URL: law + "#第五条", PageURL: law, Title: "接待办法", Snippet: "〔第五条〕无<mark>公函</mark>不予接待", Passages: []indexer.Passage{
			{Anchor: "第五条", Label: "第五条", Heading: "第二章 接待审批", Snippet: "无<mark>公函</mark>不予接待"},
			{Anchor: "第十六条", Label: "第十六条", Heading: "第四章 费用<管理>", Snippet: "报销时<mark>公函</mark>、审批单&amp;清单"},
		}},
		{URL: cases, PageURL: cases, Title: "甲案", Snippet: "<mark>公函</mark>", Passages: []indexer.Passage{
			{Anchor: "案件剖析", Label: "案件剖析<b>", Snippet: "伪造<mark>公函</mark>"},
		}},
	}}}, nil)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	res, body := get(t, ts, "/search?q="+url.QueryEscape("公函"))
	if res.StatusCode != 200 {
		t.Fatalf("%d:\n%s", res.StatusCode, body)
	}
	href := func(u string) string { return `href="` + site.EscapePath(u) + `"` }
	for _, want := range []string{
		`<h2 class="search-hit-title"><a ` + href(law+"#第五条") + `>接待办法</a> <a class="search-hit-whole" ` + href(law) + `>整篇</a></h2>`,
		`<li><a ` + href(law+"#第十六条") + `><span class="passage-heading">第四章 费用&lt;管理&gt;</span> › 第十六条</a> <span class="passage-snippet">报销时<mark>公函</mark>、审批单&amp;清单</span></li>`,
		`<h2 class="search-hit-title"><a ` + href(cases) + `>甲案</a></h2>`,
		`<li><a ` + href(cases+"#案件剖析") + `>案件剖析&lt;b&gt;</a> <span class="passage-snippet">伪造<mark>公函</mark></span></li>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the results page lacks\n%s\nin\n%s", want, body)
		}
	}
	if n := strings.Count(body, href(law+"#第五条")); n != 1 {
		t.Errorf("the article the title links to is linked %d times, want once", n)
	}
	if n := strings.Count(body, `class="search-hit-whole"`); n != 1 {
		t.Errorf("%d links to a whole page, want 1 (only the hit whose title goes to an article)", n)
	}
	if n := strings.Count(body, `<ul class="search-passages"`); n != 2 {
		t.Errorf("%d lists of passages, want 2", n)
	}
}

// TestSymlinkConfined: a symbolic link in the output that leads outside it is not
// followed (a link inside it is); and the folder is found again by name per request, so
// a new build swapped in under the same name is served at once.
func TestSymlinkConfined(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("root:secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if err := sitetest.WriteIn(dest, map[string]string{"index.html": "<p>首页</p>", "a/page.txt": "内页"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dest, "leak.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("a", "page.txt"), filepath.Join(dest, "inside.txt")); err != nil {
		t.Fatal(err)
	}
	srv := New(dest, func() (*render.Pages, error) { return nil, errors.New("no pages") }, log.New(io.Discard, "", 0))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	if res, body := get(t, ts, "/leak.txt"); res.StatusCode != 404 || strings.Contains(body, "secret") {
		t.Errorf("/leak.txt: %d %q; want 404, the file outside not served", res.StatusCode, body)
	}
	if res, body := get(t, ts, "/inside.txt"); res.StatusCode != 200 || body != "内页" {
		t.Errorf("/inside.txt: %d %q; want the file the link names inside the output", res.StatusCode, body)
	}
	// A build swaps a new folder in under the same name.
	next := dest + ".new"
	if err := sitetest.WriteIn(next, map[string]string{"index.html": "<p>新首页</p>"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dest, dest+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, dest); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, ts, "/"); !strings.Contains(body, "新首页") {
		t.Errorf("after the swap / is %q; want the new build", body)
	}
}
