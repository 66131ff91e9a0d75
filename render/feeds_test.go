package render

import (
	"encoding/xml"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// hostile are titles and summaries written as text that look like markup or entities.
var hostile = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<b>加粗</b>与<i>斜体</i>`,
	`AT&T 与 A < B > C`,
	`&amp; 是实体，&lt;b&gt; 也是`,
	`"双引号" 与 '单引号'`,
	`]]><script>alert(2)</script>`,
	`</description><title>伪造</title>`,
}

// readerView is what a feed reader shows for an RSS element that it takes as HTML (every
// reader does for description, many for title): the XML text decoded, then the HTML
// decoded. It fails the test when the decoded HTML holds markup, which a reader would
// render (or run) instead of showing.
func readerView(t *testing.T, where, xmlText string) string {
	t.Helper()
	if strings.ContainsAny(xmlText, "<>") {
		t.Errorf("%s reaches a feed reader as live markup: %q", where, xmlText)
	}
	return html.UnescapeString(xmlText)
}

func TestFeedTextStaysText(t *testing.T) {
	files := map[string]string{
		"config.toml": "title = \"站点 <b>名</b> & 标题\"\nbaseURL = \"https://kb.example.gov.cn/\"\n" +
			"description = \"<script>alert('channel')</script> & 说明\"\n" +
			"[sections.cases]\ntitle = \"案例 <i>栏目</i>\"\n",
	}
	for i, s := range hostile {
		q := strings.ReplaceAll(s, `'`, `''`)
		files["content/cases/p"+string(rune('a'+i))+".md"] = "---\ntitle: '" + q + "'\nsummary: '摘要 " + q + "'\ndate: 2024-01-0" + string(rune('1'+i)) + "\n---\n正文。\n"
	}
	// A summary taken from the first paragraph: a code span is text, not markup.
	files["content/cases/z.md"] = "---\ntitle: 代码\ndate: 2023-01-01\n---\n用 `<img src=x onerror=alert(3)>` 测试。\n"
	dir := sitetest.Write(t, files)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}

	raw, err := os.ReadFile(filepath.Join(dest, "cases", "index.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var feed rss
	if err := xml.Unmarshal(raw, &feed); err != nil {
		t.Fatalf("the feed is not well-formed XML: %v\n%s", err, raw)
	}
	ch := feed.Channel
	if got, want := readerView(t, "channel title", ch.Title), "案例 <i>栏目</i> - 站点 <b>名</b> & 标题"; got != want {
		t.Errorf("channel title shows %q, want %q", got, want)
	}
	if got, want := readerView(t, "channel description", ch.Description), "<script>alert('channel')</script> & 说明"; got != want {
		t.Errorf("channel description shows %q, want %q", got, want)
	}

	shown := map[string]string{} // title → description, as a reader shows them
	for _, it := range ch.Items {
		shown[readerView(t, "item title", it.Title)] = readerView(t, "item description", it.Description)
		if u, err := url.Parse(it.Link); err != nil || u.Scheme != "https" || it.GUID != it.Link {
			t.Errorf("item link %q (guid %q) is not an absolute URL", it.Link, it.GUID)
		}
	}
	for _, s := range hostile {
		desc, ok := shown[s]
		if !ok {
			t.Errorf("no item shows the title %q; shown: %q", s, shown)
			continue
		}
		if desc != "摘要 "+s {
			t.Errorf("item %q shows the description %q, want %q", s, desc, "摘要 "+s)
		}
	}
	if desc := shown["代码"]; desc != "用 <img src=x onerror=alert(3)> 测试。" {
		t.Errorf("a code span in the first paragraph shows as %q", desc)
	}
}

func TestSitemapURLsStayText(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":            "title = \"站点\"\nbaseURL = \"https://kb.example.gov.cn/lz/\"\n",
		"content/a&b.md":         "---\ntitle: 甲\ndate: 2024-01-01\n---\n",
		"content/it's.md":        "---\ntitle: 乙\n---\n",
		"content/x/\"引\"号.md":    "---\ntitle: 丙\n---\n",
		"content/x/a<b>c.md":     "---\ntitle: 丁\n---\n",
		"content/x/q?r=1#f.md":   "---\ntitle: 戊\n---\n",
		"content/x/空 格 名.md":     "---\ntitle: 己\n---\n",
		"content/x/100%真.md":     "---\ntitle: 庚\n---\n",
		"content/x/semi;co=l.md": "---\ntitle: 辛\n---\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dest, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var sm urlset
	if err := xml.Unmarshal(raw, &sm); err != nil {
		t.Fatalf("sitemap.xml is not well-formed XML: %v\n%s", err, raw)
	}
	if len(sm.URLs) == 0 {
		t.Fatal("empty sitemap")
	}
	for _, u := range sm.URLs {
		// Every location is one absolute URL whose path names an output folder.
		if strings.ContainsAny(u.Loc, "<>\"' #?") {
			t.Errorf("sitemap location %q holds a character that must be percent-encoded", u.Loc)
		}
		parsed, err := url.Parse(u.Loc)
		if err != nil || parsed.Scheme != "https" || parsed.Host != "kb.example.gov.cn" {
			t.Errorf("sitemap location %q is not an absolute URL on the site: %v", u.Loc, err)
			continue
		}
		rel := strings.TrimPrefix(parsed.Path, "/lz/")
		if info, err := os.Stat(filepath.Join(dest, filepath.FromSlash(rel))); err != nil || !info.IsDir() {
			t.Errorf("sitemap location %q names no output folder (%s): %v", u.Loc, rel, err)
		}
	}
}

// TestRobots: a public site lets crawlers in and names its sitemap; an internal one
// ([robots] allow = false) shuts them out in robots.txt and in every page's head. Every
// page links its icon, so browsers do not ask for a missing /favicon.ico.
func TestRobots(t *testing.T) {
	for _, tt := range []struct {
		name, config, robots string
		noindex              bool
	}{
		{"public", "baseURL = \"https://kb.example.gov.cn/\"\n", "User-agent: *\nAllow: /\nSitemap: https://kb.example.gov.cn/sitemap.xml\n", false},
		{"relative base", "", "User-agent: *\nAllow: /\n", false},
		{"internal", "[robots]\nallow = false\n", "User-agent: *\nDisallow: /\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := sitetest.Write(t, map[string]string{"config.toml": "title = \"站点\"\n" + tt.config, "content/a.md": "正文\n"})
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := buildSite(t, dir, dest); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(dest, "robots.txt")); string(b) != tt.robots {
				t.Errorf("robots.txt = %q; want %q", b, tt.robots)
			}
			for _, page := range []string{"index.html", "a/index.html"} {
				b, err := os.ReadFile(filepath.Join(dest, page))
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Contains(string(b), `<meta name="robots" content="noindex, nofollow">`); got != tt.noindex {
					t.Errorf("%s: noindex %t; want %t", page, got, tt.noindex)
				}
				if !strings.Contains(string(b), `<link rel="icon" href="/favicon.svg"`) {
					t.Errorf("%s links no icon", page)
				}
			}
			if _, err := os.Stat(filepath.Join(dest, "favicon.svg")); err != nil {
				t.Errorf("the icon the pages link is not in the output: %v", err)
			}
		})
	}
}
