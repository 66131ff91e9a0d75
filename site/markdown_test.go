package site

import (
	"strings"
	"testing"
)

func TestMarkdownChinese(t *testing.T) {
	md := newMarkdown(false)
	tests := []struct {
		name, in, want string
	}{
		{"bold before a letter after 。", "**浏览典型案例。**“典型案例”栏目", "<strong>浏览典型案例。</strong>“典型案例”栏目"},
		{"bold ending in a quote", "**准备“每人一讲”。**各党支部每月", "<strong>准备“每人一讲”。</strong>各党支部每月"},
		{"bold opening on a quote", "请阅读**“三重一大”**制度", "请阅读<strong>“三重一大”</strong>制度"},
		{"plain CommonMark still works", "a **b** c *d*", "a <strong>b</strong> c <em>d</em>"},
		{"a lone star stays", "5 * 3 = 15", "5 * 3 = 15"},
		{"line break inside Chinese is no space", "第一行\n第二行", "第一行第二行"},
		{"raw html is dropped", "甲<script>x</script>乙", "甲<!-- raw HTML omitted -->x<!-- raw HTML omitted -->乙"},
		{"article anchor", "第十二条　内容", `<p id="第十二条" class="article"><a href="#%E7%AC%AC%E5%8D%81%E4%BA%8C%E6%9D%A1" class="article-no">第十二条</a>　内容</p>`},
		{"article with 之一", "第十二条之一 内容", `id="第十二条之一"`},
		{"not an article mid-sentence", "依照第十二条处理", `<p>依照第十二条处理</p>`},
		{"heading ids keep Chinese", "## 第一章 总则\n\n## 第一章 总则", `<h2 id="第一章-总则">第一章 总则</h2>
<h2 id="第一章-总则-1">第一章 总则</h2>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := md.convert([]byte(tt.in), "")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(r.HTML), tt.want) {
				t.Errorf("got %s\nwant it to contain %s", r.HTML, tt.want)
			}
		})
	}
}

func TestMarkdownTitleHeading(t *testing.T) {
	md := newMarkdown(false)
	tests := []struct {
		name, in, title, title2 string // title2: the front matter title passed in
		h2                      string // a heading the body keeps as h2, if any
	}{
		{name: "leading heading", in: "# 监察法 <!-- 注释 -->\n\n正文第一段。\n", title: "监察法"},
		{name: "part name after the title", in: "# 中华人民共和国民法典\n\n# 婚姻家庭编\n\n正文第一段。\n", title: "中华人民共和国民法典 婚姻家庭编"},
		{name: "a chapter is content", in: "# 监察法\n\n# 第一章 总则\n\n正文第一段。\n", title: "监察法", h2: `<h2 id="第一章-总则">第一章 总则</h2>`},
		{name: "later level-1 heading demoted", in: "# 监察法\n\n正文第一段。\n\n# 附录\n", title: "监察法", h2: `<h2 id="附录">附录</h2>`},
		{name: "front matter title differs", in: "# 背景\n\n正文第一段。", title2: "某案", h2: `<h2 id="背景">背景</h2>`},
		{name: "front matter title equal", in: "# 某案\n\n# 背景\n\n正文第一段。", title2: "某案", title: "某案", h2: `<h2 id="背景">背景</h2>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := md.convert([]byte(tt.in), tt.title2)
			if err != nil {
				t.Fatal(err)
			}
			if r.FirstTitle != tt.title {
				t.Errorf("title %q, want %q", r.FirstTitle, tt.title)
			}
			if tt.h2 != "" && !strings.Contains(string(r.HTML), tt.h2) {
				t.Errorf("want %s in %s", tt.h2, r.HTML)
			}
			if strings.Contains(string(r.HTML), "<h1") {
				t.Errorf("a level-1 heading stayed: %s", r.HTML)
			}
			if r.Summary != "正文第一段。" {
				t.Errorf("summary %q", r.Summary)
			}
		})
	}
}

func TestMarkdownUnsafeSwitch(t *testing.T) {
	r, err := newMarkdown(true).convert([]byte("甲<b>乙</b>"), "")
	if err != nil || !strings.Contains(string(r.HTML), "<b>乙</b>") {
		t.Errorf("markup.unsafe = true drops raw HTML: %s %v", r.HTML, err)
	}
}

func TestArticleLen(t *testing.T) {
	for in, want := range map[string]string{
		"第一条 总则":    "第一条",
		"第十二条　内容":   "第十二条",
		"第十二条之一 内容": "第十二条之一",
		"第3条 内容":    "第3条",
		"第一百零五条":    "第一百零五条",
		"第一条内容":     "",
		"第条 内容":     "",
		"第一章 总则":    "",
		"依照第十二条处理":  "",
		"第十二条之 内容":  "",
	} {
		if got := string([]byte(in)[:articleLen([]byte(in))]); got != want {
			t.Errorf("articleLen(%q) = %q, want %q", in, got, want)
		}
	}
}
