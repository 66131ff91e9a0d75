package site

import (
	"context"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestCitations: one citation model from link fields and text: versions by the citing
// page's date, short titles, split codes, 本法, and warnings for articles a known
// document lacks.
func TestCitations(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml": "title = \"t\"\n[sections.cases]\ntitle = \"典型案例\"\n  [sections.cases.fields.regulations]\n  label = \"违反的规定\"\n  type = \"link\"\n[taxonomies.violations]\ntitle = \"问题类型\"\n",
		"content/法律/监察法(2018-03-20).md":     "# 中华人民共和国监察法\n\n第二十二条 旧的留置规定。\n",
		"content/法律/监察法(2024-12-25).md":     "# 中华人民共和国监察法\n\n第二十二条 无关。\n\n第二十四条 留置。本法第二十二条另有规定。\n",
		"content/法律/民法典/总则编.md":             "# 中华人民共和国民法典\n\n# 总则编\n\n第一条 总则。\n",
		"content/法律/民法典/婚姻家庭编.md":           "# 中华人民共和国民法典\n\n# 婚姻家庭编\n\n第一千零七十七条 离婚冷静期。依照本法第一条。\n",
		"content/法律/个人信息保护法(2021-08-20).md": "# 中华人民共和国个人信息保护法\n\n第十条 不得非法收集。\n",
		"content/cases/甲案.md": "---\ntitle: 甲案\ndate: 2020-05-01\nregulations: [\"法律/监察法(2018-03-20)#第二十二条\"]\nviolations: [滥用职权]\n---\n" +
			"依照《监察法》第二十二条、《民法典》第1077条和《个保法》第十条，以及《人民日报》第3版。\n",
		"content/cases/乙案.md": "---\ntitle: 乙案\ndate: 2025-03-01\nviolations: [滥用职权]\n---\n违反《中华人民共和国监察法》第二十四条第二款，又见《监察法》第九十九条。\n",
		"content/cases/丙案.md": "---\ntitle: 丙案\ndate: 2025-03-01\nregulations: [\"法律/监察法(2018-03-20)#第二十二条\"]\n---\n《不存在的法》第一条。\n",
	})
	s, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*Page{}
	for _, p := range s.Pages {
		byPath[p.Path] = p
	}
	labels := func(p *Page) []string {
		var out []string
		for _, c := range p.Cites() {
			out = append(out, strings.TrimSuffix(c.To.Path, ".md")+"#"+c.Article)
		}
		return out
	}
	for path, want := range map[string][]string{
		// The link field first; 《监察法》 in a 2020 case is the 2018 version.
		"cases/甲案.md":           {"法律/监察法(2018-03-20)#第二十二条", "法律/民法典/婚姻家庭编#第一千零七十七条", "法律/个人信息保护法(2021-08-20)#第十条"},
		"cases/乙案.md":           {"法律/监察法(2024-12-25)#第二十四条"},
		"法律/监察法(2024-12-25).md": {"法律/监察法(2024-12-25)#第二十二条"}, // 本法
		"法律/民法典/婚姻家庭编.md":       {"法律/民法典/总则编#第一条"},           // 本法 in one part of a split code
	} {
		if got := labels(byPath[path]); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s cites %v, want %v", path, got, want)
		}
	}
	old := byPath["法律/监察法(2018-03-20).md"]
	if n := len(old.CitedAt("第二十二条")); n != 2 {
		t.Errorf("第二十二条 (2018) cited %d times, want 2 (甲案's link and text count once, 丙案)", n)
	}
	if got := old.CitingPages(); len(got) != 2 || got[0].Path != "cases/丙案.md" {
		t.Errorf("citing pages %v, want 丙案 (newest) then 甲案", got)
	}
	if c := byPath["cases/乙案.md"].Cites()[0]; c.Clause != 2 || c.Label() != "《中华人民共和国监察法》第二十四条第二款" || c.ArticleText() != "第二十四条 留置。本法第二十二条另有规定。" {
		t.Errorf("citation %q, text %q", c.Label(), c.ArticleText())
	}
	var warned []string
	for _, w := range s.Warnings {
		warned = append(warned, w.Error())
	}
	all := strings.Join(warned, "\n")
	if !strings.Contains(all, "content/cases/乙案.md:6:26:") || !strings.Contains(all, "第九十九条") {
		t.Errorf("no positioned warning for the missing article:\n%s", all)
	}
	if strings.Contains(all, "不存在的法") || strings.Contains(all, "人民日报") {
		t.Errorf("a document the site lacks is warned about:\n%s", all)
	}
	rel := byPath["cases/甲案.md"].Related()
	if len(rel) == 0 || rel[0].Page.Path != "cases/丙案.md" || !strings.Contains(rel[0].Reason, "同样违反《中华人民共和国监察法》第二十二条") {
		t.Errorf("related %+v, want 丙案 first for the shared article", rel)
	}
}
