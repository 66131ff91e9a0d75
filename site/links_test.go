package site

import (
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestBodyLinks: links and images written relative to the Markdown file are pointed at
// their pages and files; those leading nowhere are warnings at their line and column.
func TestBodyLinks(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":              "title = \"t\"\n",
		"content/cases/img/x.png":  "png",
		"content/regulations/b.md": "+++\ntitle = \"乙规定\"\n+++\n\n第一条 总则。\n\n第二条 细则。\n",
		"content/cases/a.md": "+++\ntitle = \"甲案\"\n+++\n\n第一条 见[乙](../regulations/b.md)和[第二条](../regulations/b.md#第二条)。\n" +
			"[缺](missing.md) [错条](../regulations/b.md#第九条)\n" +
			"![图](img/x.png) ![缺图](img/y.png)\n" +
			"[站内](/regulations/) [坏站内](/nowhere/) [外](https://example.com/) [本页](#第一条) [无此处](#第八条)\n",
	})
	s, err := Load(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"content/cases/a.md:6:1: 警告: 链接 missing.md 指向的页面 content/cases/missing.md 不存在",
		"content/cases/a.md:6:17: 警告: 链接 ../regulations/b.md#第九条：content/regulations/b.md 中没有 \"第九条\"",
		"content/cases/a.md:7:17: 警告: 图片 img/y.png 在站内找不到（/cases/a/img/y.png）",
		"content/cases/a.md:8:21: 警告: 链接 /nowhere/ 在站内找不到",
		"content/cases/a.md:8:75: 警告: 链接 #第八条 指向本页不存在的位置",
	}
	if len(got) != len(want) {
		t.Fatalf("warnings:\n%s\nwant %d", strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d:\n%s\nwant it to begin\n%s", i, got[i], want[i])
		}
	}
	var a *Page
	for _, p := range s.Pages {
		if p.Path == "cases/a.md" {
			a = p
		}
	}
	html := string(a.Content)
	for _, w := range []string{`href="/regulations/b/"`, `href="/regulations/b/#%E7%AC%AC%E4%BA%8C%E6%9D%A1"`, `src="/cases/img/x.png"`, `href="https://example.com/"`} {
		if !strings.Contains(html, w) {
			t.Errorf("page HTML lacks %s:\n%s", w, html)
		}
	}
}

// TestDuplicateTitles: two cases with one title are a warning at the second's title
// line, as are two versions of one date; versions of a regulation share their title.
func TestDuplicateTitles(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":                          "title = \"t\"\n",
		"content/cases/a.md":                   "+++\ntitle = \"某案\"\n+++\n正文甲\n",
		"content/cases/b.md":                   "+++\ndate = 2024-01-02\ntitle = \"某案\"\n+++\n正文乙\n",
		"content/practices/c.md":               "+++\ntitle = \"某案\"\n+++\n正文丙\n",
		"content/regulations/d(2019-01-01).md": "+++\ntitle = \"某办法\"\n+++\n旧\n",
		"content/regulations/d(2024-01-01).md": "+++\ntitle = \"某办法\"\n+++\n新\n",
		"content/regulations/e.md":             "+++\ntitle = \"某规定\"\n+++\n一\n",
		"content/regulations/e2.md":            "+++\ntitle = \"某规定\"\n+++\n二\n",
	})
	s, err := Load(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 2 || !strings.HasPrefix(s.Warnings[0].Error(), "content/cases/b.md:3:1: 警告: 标题“某案”与同栏目的 content/cases/a.md 相同") ||
		!strings.HasPrefix(s.Warnings[1].Error(), "content/regulations/e2.md:2:1: 警告: 标题“某规定”与同栏目的 content/regulations/e.md 相同") {
		t.Errorf("warnings %v; want b.md:3:1 and e2.md:2:1", s.Warnings)
	}
}
