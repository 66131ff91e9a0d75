package indexer

import (
	"context"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestCitesFilter: 引用:文件#第X条 finds the pages citing that article, by link field or in
// their text, under the full title, the title without 中华人民共和国, or the file's path.
func TestCitesFilter(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml": "title = \"t\"\n[sections.cases]\ntitle = \"典型案例\"\n  [sections.cases.fields.regulations]\n  label = \"违反的规定\"\n  type = \"link\"\n",
		"content/法律/监察法(2018-03-20).md": "# 中华人民共和国监察法\n\n第二十二条 旧的留置规定。\n",
		"content/法律/监察法(2024-12-25).md": "# 中华人民共和国监察法\n\n第二十二条 无关。\n\n第二十四条 留置。\n",
		"content/cases/甲案.md":           "---\ntitle: 甲案\ndate: 2020-05-01\nregulations: [\"法律/监察法(2018-03-20)#第二十二条\"]\n---\n正文。\n",
		"content/cases/乙案.md":           "---\ntitle: 乙案\ndate: 2025-03-01\n---\n违反《监察法》第二十四条。\n",
		"content/cases/丙案.md":           "---\ntitle: 丙案\ndate: 2025-03-01\n---\n没有引用。\n",
	})
	ix := openSite(t, dir)
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"引用:监察法#第二十二条", []string{"cases/甲案.md"}},
		{"引用:中华人民共和国监察法#第二十四条", []string{"cases/乙案.md"}},
		{"引用:法律/监察法(2024-12-25)#第二十四条", []string{"cases/乙案.md"}},
		{"引用:监察法 sort:date", []string{"cases/乙案.md", "cases/甲案.md"}},
		{"引用:监察法#第九十九条", nil},
		{"引用:人民共和国监察法#第二十四条", []string{"cases/乙案.md"}}, // a title written shorter
	} {
		r, err := ix.Search(context.Background(), Request{Query: tt.q, Limit: 10})
		if err != nil {
			t.Fatalf("%s: %v", tt.q, err)
		}
		got := paths(r)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v (notes %v)", tt.q, got, tt.want, r.Notes)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: %v, want %v", tt.q, got, tt.want)
			}
		}
	}
	// Versions out of force say so, and come after the one in force.
	r, err := ix.Search(context.Background(), Request{Query: "监察法 留置", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, h := range r.Hits {
		if strings.HasPrefix(h.Path, "法律/") {
			order = append(order, h.Path+"="+h.Status)
		}
	}
	if strings.Join(order, " ") != "法律/监察法(2024-12-25).md=现行有效 法律/监察法(2018-03-20).md=已修订" {
		t.Errorf("versions %v", order)
	}
}
