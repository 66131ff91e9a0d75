package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jingjian/internal/sitetest"
	"jingjian/internal/textpos"
)

// schemaConfig declares one section with a schema and a closed taxonomy.
const schemaConfig = `title = "测试"
[taxonomies.field]
title = "领域"
values = ["养老服务", "社会救助"]
[taxonomies.year]
title = "年份"
from = "date"
[sections.cases]
title = "典型案例"
sort = "date"
  [sections.cases.fields.date]
  label = "日期"
  type = "date"
  required = true
  [sections.cases.fields.field]
  label = "领域"
  type = "list"
  required = true
  [sections.cases.fields.status]
  label = "状态"
  type = "string"
  allowed = ["现行有效", "已废止"]
  [sections.cases.fields.regulations]
  label = "依据"
  type = "link"
`

func load(t *testing.T, files map[string]string) (*Site, error) {
	t.Helper()
	return Load(context.Background(), sitetest.Write(t, files), Options{})
}

func TestLoadReportsEveryError(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each must appear in the error text, in order of the sorted list
	}{
		{
			name: "broken toml front matter",
			files: map[string]string{
				"content/a.md": "+++\ntitle = \"甲\"\ndate = 2024-01-01\nsummary = 没有引号\n+++\n正文\n",
			},
			want: []string{"content/a.md:4:"},
		},
		{
			name: "broken yaml front matter",
			files: map[string]string{
				"content/b.md": "---\ntitle: 乙\ntags: [a, b\n---\n",
			},
			want: []string{"content/b.md:", "YAML"},
		},
		{
			name: "unclosed front matter",
			files: map[string]string{
				"content/c.md": "---\ntitle: 丙\n\n正文\n",
			},
			want: []string{"content/c.md:1:1: 错误: ", "找不到结束的 ---"},
		},
		{
			name:  "bad draft type",
			files: map[string]string{"content/d.md": "---\ntitle: 丁\ndraft: 是\n---\n"},
			want:  []string{"content/d.md:3:1: 错误: draft 应为 true 或 false"},
		},
		{
			name: "schema: missing required, bad type, disallowed value, unknown taxonomy value, broken link",
			files: map[string]string{
				"config.toml":        schemaConfig,
				"content/cases/a.md": "---\ntitle: 甲案\nfield: [养老服务]\n---\n",
				"content/cases/b.md": "---\ntitle: 乙案\ndate: 2024-02-30x\nfield: [社会救助]\n---\n",
				"content/cases/c.md": "---\ntitle: 丙案\ndate: 2024-01-01\nfield: [殡葬管理]\nstatus: 作废\n---\n",
				"content/cases/d.md": "---\ntitle: 丁案\ndate: 2024-01-01\nfield: 养老服务\nstatus: [现行有效]\nregulations: [rules/不存在, cases/a#第九条]\n---\n",
				"content/cases/e.md": "---\ntitle: 戊案\ndate: 2024-01-01\nfield: []\n---\n",
			},
			want: []string{
				"content/cases/a.md:1:1: 错误: 缺少必填字段 date（日期）",
				"content/cases/b.md:3:1: 错误: date: 日期 \"2024-02-30x\" 无法识别",
				"content/cases/c.md:4:1: 错误: field（领域）的取值 \"殡葬管理\" 不在 config.toml 声明的范围内",
				"content/cases/c.md:5:1: 错误: 字段 status（状态）的取值 \"作废\" 不在允许范围内",
				"content/cases/d.md:5:1: 错误: 字段 status（状态）应为一段文字",
				"content/cases/d.md:6:1: 错误: 字段 regulations（依据）: 找不到 \"rules/不存在\"",
				"content/cases/d.md:6:1: 错误: 字段 regulations（依据）: content/cases/a.md 中没有 \"第九条\"",
				"content/cases/e.md:4:1: 错误: 必填字段 field（领域）不能为空",
			},
		},
		{
			name: "duplicate url names both files",
			files: map[string]string{
				"content/news/a.md": "---\ntitle: 甲\nslug: same\n---\n",
				"content/news/b.md": "---\ntitle: 乙\nslug: same\n---\n",
			},
			want: []string{"content/news/b.md:3:1: 错误: 网址 /news/same/ 与 content/news/a.md:3:1 的网址相同", "content/news/a.md:3:1: 错误: 网址 /news/same/ 与 content/news/b.md:3:1 的网址相同"},
		},
		{
			name: "not utf-8 and not gbk",
			files: map[string]string{
				"content/bin.md": "# 标题\n\xff\xfe\xfd\x80\x80",
			},
			want: []string{"content/bin.md:2:1: 错误: 不是有效的 UTF-8 文本"},
		},
		{
			name:  "config error in its own table",
			files: map[string]string{"config.toml": "title = \"x\"\n[sections.a]\nsort = \"date\"\n[sections.b]\nsort = \"日期\"\n", "content/a.md": "a"},
			want:  []string{"config.toml:5:1: 错误: 栏目 b 的 sort 只能是"},
		},
		{
			name:  "config syntax",
			files: map[string]string{"config.toml": "title = \"x\"\n[sections.cases\n", "content/a.md": "a"},
			want:  []string{"config.toml:", "TOML 语法错误"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.files)
			if err == nil {
				t.Fatal("no error")
			}
			var list textpos.List
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want textpos.List: %v", err, err)
			}
			text := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("error text lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// TestMisspeltKeys: a key no one reads is a warning at its line, in its own table,
// naming the key meant when one is close.
func TestMisspeltKeys(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"config top level", map[string]string{"config.toml": "title = \"x\"\npaginat = 10\n"},
			`config.toml:2:1: 警告: 未知配置项 "paginat"，已忽略；是否想写 paginate？`},
		{"config section", map[string]string{"config.toml": "title = \"x\"\n[sections.a]\ntitle = \"甲\"\n[sections.b]\nsrot = \"date\"\n"},
			`config.toml:5:1: 警告: 未知配置项 "sections.b.srot"，已忽略；是否想写 sort？`},
		{"config far off", map[string]string{"config.toml": "title = \"x\"\n[build]\nspeed = 3\n"},
			`config.toml:3:1: 警告: 未知配置项 "build.speed"，已忽略；请检查拼写（可用项：allowLinksTo、maxFileSize）`},
		{"front matter", map[string]string{
			"config.toml":        "title = \"x\"\n[taxonomies.region]\ntitle = \"地区\"\n[sections.cases]\ntitle = \"案例\"\n",
			"content/cases/a.md": "+++\ntitle = \"甲\"\nregon = \"东湖区\"\n+++\n正文\n"},
			`content/cases/a.md:3:1: 警告: 字段 regon 不在栏目 案例 的字段表中；是否想写 region？`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.files["content/a.md"] == "" && tt.files["content/cases/a.md"] == "" {
				tt.files["content/a.md"] = "正文"
			}
			s, err := load(t, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Warnings) != 1 || s.Warnings[0].Error() != tt.want {
				t.Errorf("warnings %v; want\n%s", s.Warnings, tt.want)
			}
		})
	}
}

func TestLoadContentModel(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("# 某局财务制度\n\n第一条 为加强财务管理，制定本制度。\n")
	if err != nil {
		t.Fatal(err)
	}
	s, err := load(t, map[string]string{
		"content/_index.md":             "+++\ntitle = \"首页标题\"\n+++\n欢迎",
		"content/法律/_index.md":          "---\nbookCollapseSection: true\n---\n",
		"content/法律/监察法(2018-03-20).md": "# 中华人民共和国监察法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了深化国家监察体制改革，制定本法。\n\n第二条 坚持中国共产党对国家监察工作的领导。\n",
		"content/法律/宪法相关法/选举法.md":       "没有标题的正文。\n",
		"content/法律/草稿.md":              "---\ntitle: 草稿\ndraft: true\n---\n",
		"content/gbk.md":                gbk,
		"content/bom.md":                "\ufeff---\ntitle: 带BOM\n---\n正文\n",
		"content/crlf.md":               "---\r\ntitle: Windows 文件\r\ndate: 2023-05-06\r\n---\r\n第一行\r\n",
		"content/2019-07-01-会议纪要.md":    "正文",
		"content/img/logo.png":          "PNG",
		"content/法律/宪法相关法/.~lock.x.md#": "ignored",
	})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*Page{}
	for _, p := range s.Pages {
		byPath[p.Path] = p
	}
	check := func(path, title, date, url string) {
		t.Helper()
		p := byPath[path]
		if p == nil {
			t.Fatalf("no page %s", path)
		}
		d := ""
		if !p.Date.IsZero() {
			d = p.Date.Format("2006-01-02")
		}
		if p.Title != title || d != date || p.URL != url {
			t.Errorf("%s: got (%q, %q, %q), want (%q, %q, %q)", path, p.Title, d, p.URL, title, date, url)
		}
	}
	check("法律/监察法(2018-03-20).md", "中华人民共和国监察法", "2018-03-20", "/法律/监察法(2018-03-20)/")
	check("法律/宪法相关法/选举法.md", "选举法", "", "/法律/宪法相关法/选举法/")
	check("gbk.md", "某局财务制度", "", "/gbk/")
	check("bom.md", "带BOM", "", "/bom/")
	check("crlf.md", "Windows 文件", "2023-05-06", "/crlf/")
	check("2019-07-01-会议纪要.md", "会议纪要", "2019-07-01", "/2019-07-01-会议纪要/")
	if _, ok := byPath["法律/草稿.md"]; ok {
		t.Error("a draft is built without --drafts")
	}
	if len(s.Pages) != 6 {
		t.Errorf("%d pages, want 6", len(s.Pages))
	}
	if got := len(s.Sections); got != 3 {
		t.Errorf("%d sections, want 3 (home, 法律, 法律/宪法相关法)", got)
	}
	if s.Home.Page.Title != "首页标题" || s.Home.Total != 6 {
		t.Errorf("home = %q with %d pages", s.Home.Page.Title, s.Home.Total)
	}
	law := byPath["法律/监察法(2018-03-20).md"]
	if len(law.Articles) != 2 || law.Articles[1].ID != "第二条" || law.Articles[1].Heading != "第一章 总则" {
		t.Errorf("articles = %+v", law.Articles)
	}
	if strings.Contains(string(law.Content), "<h1") {
		t.Error("the title heading stays in the body")
	}
	if !strings.Contains(string(law.Content), `<h2 id="第一章-总则">`) {
		t.Errorf("heading id for Chinese heading missing:\n%s", law.Content)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Error(), "content/gbk.md: 警告: 文件为 GBK/GB18030 编码") {
		t.Errorf("warnings = %v, want one about GBK", s.Warnings)
	}
	if len(s.Files) != 1 || s.Files[0].Rel != "img/logo.png" {
		t.Errorf("static files = %+v", s.Files)
	}
}

func TestLoadDraftsOption(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "---\ntitle: 草稿\ndraft: true\n---\n", "content/b.md": "正文"})
	s, err := Load(context.Background(), dir, Options{Drafts: true})
	if err != nil || len(s.Pages) != 2 {
		t.Fatalf("with drafts: %v pages, %v", len(s.Pages), err)
	}
}

func TestSymlinkLoop(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a/page.md": "正文"})
	if err := os.Symlink("..", filepath.Join(dir, "content", "a", "loop")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	if err := os.Symlink("missing.md", filepath.Join(dir, "content", "dangling.md")); err != nil {
		t.Fatal(err)
	}
	_, err := Load(context.Background(), dir, Options{})
	if err == nil {
		t.Fatal("no error for a symlink loop")
	}
	for _, want := range []string{"content/a/loop: 错误: 符号链接循环", "content/dangling.md: 错误: 符号链接指向不存在的"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
