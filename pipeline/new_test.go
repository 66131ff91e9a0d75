package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// TestNewEverySection makes a page in every section of the example site: its front matter
// parses and holds every field of the section's schema, draft = true and today's date,
// its body is the section's skeleton, and the site still checks clean (drafts are not
// published).
func TestNewEverySection(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"config.toml", "content"} {
		sitetest.CopyTree(t, filepath.Join("..", p), filepath.Join(dir, p))
	}
	cfg, err := site.LoadConfig(filepath.Join(dir, "config.toml"), "config.toml")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)
	skeleton := map[string]string{site.KindCase: "## 警示启示", site.KindPractice: "## 主要做法", site.KindRegulation: "第一条 ", site.KindList: "| 职责事项 |"}
	for _, name := range cfg.SectionOrder {
		sc := cfg.Sections[name]
		t.Run(name, func(t *testing.T) {
			rel, err := New(Options{Site: dir}, sc.Title, "新建测试"+name, now)
			if err != nil {
				t.Fatal(err)
			}
			if want := "content/" + name + "/新建测试" + name + ".md"; rel != want {
				t.Errorf("wrote %s; want %s", rel, want)
			}
			text, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			fm, format, body, _, err := site.SplitFrontMatter(text)
			if err != nil {
				t.Fatal(err)
			}
			m, err := site.ParseFrontMatter(fm, format, 2)
			if err != nil {
				t.Fatalf("front matter does not parse: %v\n%s", err, fm)
			}
			for _, key := range append([]string{"title", "draft"}, sc.FieldOrder...) {
				if _, ok := m[key]; !ok {
					t.Errorf("front matter lacks %s:\n%s", key, fm)
				}
			}
			if m["draft"] != true {
				t.Errorf("draft = %v; want true", m["draft"])
			}
			if d, ok := m["date"].(time.Time); sc.Fields["date"] != nil && (!ok || d.Format("2006-01-02") != "2026-12-01") {
				t.Errorf("date = %v; want 2026-12-01", m["date"])
			}
			for key, f := range sc.Fields {
				if len(f.Allowed) > 0 && !strings.Contains(string(fm), f.Allowed[0]) {
					t.Errorf("no comment names the allowed values of %s", key)
				}
			}
			if !strings.Contains(string(body), skeleton[sc.Kind]) {
				t.Errorf("body lacks the %s skeleton %q:\n%s", sc.Kind, skeleton[sc.Kind], body)
			}
			if _, err := New(Options{Site: dir}, name, "新建测试"+name, now); err == nil || !strings.Contains(err.Error(), "已经存在") {
				t.Errorf("a second new of the same title: %v; want it refused", err)
			}
			if again, _ := os.ReadFile(filepath.Join(dir, rel)); string(again) != string(text) {
				t.Error("the refused new changed the file")
			}
		})
	}
	r, err := Check(t.Context(), Options{Site: dir})
	if err != nil || r.Errors() > 0 {
		t.Fatalf("the example with the new drafts does not check clean: %v %v", err, r.Problems)
	}
}

// TestNewArchetypes: a site's archetypes/SECTION.md replaces the built-in one; an unknown
// section is refused with the sections there are.
func TestNewArchetypes(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":         "title = \"t\"\n[sections.cases]\ntitle = \"典型案例\"\nkind = \"case\"\n",
		"archetypes/cases.md": "---\ntitle: {{.Title}}\ndate: {{.Date}}\ndraft: true\n---\n\n本单位格式：{{.Name}}\n",
	})
	rel, err := New(Options{Site: dir}, "cases", "某案", time.Date(2026, 1, 2, 0, 0, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(filepath.Join(dir, rel))
	if want := "---\ntitle: 某案\ndate: 2026-01-02\ndraft: true\n---\n\n本单位格式：某案\n"; string(text) != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
	}
	if _, err := New(Options{Site: dir}, "news", "某文", time.Now()); err == nil || !strings.Contains(err.Error(), "cases（典型案例）") {
		t.Errorf("unknown section: %v; want it refused naming cases（典型案例）", err)
	}
}
