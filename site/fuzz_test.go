package site

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// pageSeeds are the shapes of page a site meets: regulations with and without front
// matter, cases with schema fields, and what breaks parsers (fences holding headings,
// HTML blocks across blank lines, references defined after use, other encodings).
var pageSeeds = []string{
	"",
	"# 中华人民共和国监察法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条　为了深化国家监察体制改革，制定本法。\n\n第二条 坚持中国共产党对国家监察工作的领导。\n\n第二条 重复的条号。\n",
	"# 中华人民共和国民法典\n\n# 婚姻家庭编\n\n第一千零四十条 本编调整因婚姻家庭产生的民事关系。\n",
	"+++\ntitle = \"某局原局长张某某严重违纪违法案\"\ndate = 2024-03-15\ntags = [\"违反中央八项规定精神\"]\n+++\n\n## 基本案情\n\n张某某，**违规收受礼金。**依法给予处分。\n\n- （一）收受礼品；\n- （二）违规吃喝。\n\n1. 第一项\n2. 第二项\n",
	"---\ntitle: 示例\ndraft: true\n---\n正文\n",
	"---\ntitle: [未闭合\n---\n正文\n",
	"第一条 甲\n\n```\n# 代码中的标题\n\n第二条 不是条文\n```\n\n第三条 乙\n\n~~~~\n~~~\n\n# 仍在代码中\n~~~~\n\n第四条 丙\n",
	"第一条 甲\n\n<pre>\n\n# 不是标题\n\n</pre>\n\n第二条 乙\n\n<div>\n\n第三条 丙\n",
	"见[监察法][1]和脚注[^1]。\n\n第一条 甲\n\n[1]: https://example.gov.cn/\n[^1]: 脚注内容\n",
	"| 条 | 内容 |\n|---|---|\n| 一 | 甲 |\n\n第二条 乙\n\n> 引用\n>\n> 第三条 引用中的条\n\n第四条 丙\n",
	"## 说明\n\n## 说明\n\n## 说明-1\n\n## 说明\n\n# \n\n#\n",
	"- 一\n\n- 二\n\n  第一条 列表中\n\n第二条 外面\n\n    缩进代码\n\n第三条 丁\n",
	"标题\n===\n\n第一条 甲\n第二条 同一段\n\n副标题\n---\n\n***\n",
	"\xef\xbb\xbf# 带 BOM\n\n第一条 甲\r\n\r\n第二条 乙\r",
	"\xff\xfe" + "#\x00 \x00\x32\x6c\x00\x00", // UTF-16LE with BOM
	"\xb5\xda\xd2\xbb\xcc\xf5 \xbc\xd7\n",     // GBK: 第一条 甲
	"第一条 甲\x00乙\n",
	"**第一条** *依法*。\n*未闭合强调\n`代码\n<span>行内</span>\n",
	"第十二条之一　内容\n\n第3条 数字\n\n第一百零五条\n",
}

// FuzzReadPage drives a file's bytes through the whole page path — decoding, front
// matter, goldmark, articles, anchors, plain text and marks — and checks what the rest
// of the build relies on. It also converts every body a second time cut at every place
// splitBody may cut, which must change nothing.
func FuzzReadPage(f *testing.F) {
	for _, s := range pageSeeds {
		f.Add([]byte(s))
	}
	whole, pieces := newMarkdown(false), newMarkdown(false)
	whole.chunk, pieces.chunk = 0, 1
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := newTestPage().parse(raw, whole, Options{Drafts: true})
		for _, e := range p.problems {
			if e.Pos.Path != "content/案例/测试.md" || e.Pos.Line < 0 || e.Pos.Col < 0 || e.Msg == "" {
				t.Fatalf("bad problem %#v", e)
			}
		}
		if p.broken {
			if len(p.problems.Errors()) == 0 {
				t.Fatal("a broken page has no error")
			}
			return
		}
		checkPage(t, p)
		q := newTestPage().parse(raw, pieces, Options{Drafts: true})
		if got, want := converted(q), converted(p); got != want {
			t.Fatalf("converted in pieces:\n%s\nwhole:\n%s", got, want)
		}
	})
}

func newTestPage() *Page { return &Page{Path: "案例/测试.md", Dir: "案例", fmLine: 2} }

// converted is what a page got from its body, for comparing two conversions.
func converted(p *Page) string {
	return fmt.Sprintf("%q\n%q\n%q\n%q\n%+v\n%+v\n%+v\n%d", p.Title, p.Summary, p.Content, p.Text, p.TOC, p.Articles, p.Marks, p.Words)
}

func checkPage(t *testing.T, p *Page) {
	t.Helper()
	for name, s := range map[string]string{"Content": string(p.Content), "Text": p.Text, "Summary": p.Summary, "Title": p.Title} {
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not UTF-8: %q", name, s)
		}
	}
	if n := utf8.RuneCountInString(p.Summary); n > 121 {
		t.Fatalf("summary of %d characters", n)
	}
	last := 0
	for _, m := range p.Marks {
		if m.Offset < last || m.Offset > len(p.Text) {
			t.Fatalf("mark %+v out of order or outside text of %d bytes", m, len(p.Text))
		}
		if m.Offset < len(p.Text) && !utf8.RuneStart(p.Text[m.Offset]) {
			t.Fatalf("mark %+v inside a character", m)
		}
		if !utf8.ValidString(m.Label) {
			t.Fatalf("mark label %q", m.Label)
		}
		last = m.Offset
	}
	// Anchors are unique among articles and among headings. (A heading 第一条 and an
	// article 第一条 do share one; links to it reach the first.)
	unique := func(what string, ids []string) {
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("%s anchor %q given twice", what, id)
			}
			seen[id] = true
		}
	}
	var ids []string
	for _, a := range p.Articles {
		ids = append(ids, a.ID)
		if !strings.Contains(string(p.Content), `id="`+a.ID+`"`) {
			t.Fatalf("article %s has no anchor in %s", a.ID, p.Content)
		}
	}
	unique("article", ids)
	ids = ids[:0]
	for _, h := range p.TOC {
		ids = append(ids, h.ID)
		if h.Level < 2 || h.Level > 6 || !utf8.ValidString(h.Text) {
			t.Fatalf("heading %+v", h)
		}
	}
	unique("heading", ids)
}

// oldShorten is shorten as it was before it learned to stop reading early: the oracle
// for FuzzShorten.
func oldShorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

func FuzzShorten(f *testing.F) {
	for _, s := range []string{"", " ", "第一条 甲", "  a  b  ", strings.Repeat("甲 ", 200), "\u3000全角\u3000空格\u3000", "a\u0085b\u00a0c"} {
		f.Add(s, 3)
		f.Add(s, 120)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if !utf8.ValidString(s) || n < 1 || n > 1000 {
			return // bodies are UTF-8 by the time they are shortened
		}
		if got, want := shorten(s, n), oldShorten(s, n); got != want {
			t.Fatalf("shorten(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}
