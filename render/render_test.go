package render

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

var update = flag.Bool("update", false, "update golden files")

func buildSite(t *testing.T, dir, dest string) (Result, error) {
	t.Helper()
	s, err := site.Load(context.Background(), dir, site.Options{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return Build(context.Background(), s, Options{Dest: dest, Fingerprint: "test"})
}

// TestGolden renders the testdata site and compares chosen pages with golden files.
func TestGolden(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, "testdata/site", dest); err != nil {
		t.Fatal(err)
	}
	golden := map[string]string{
		"index.html":                  "home.html",
		"cases/index.html":            "section.html",
		"cases/page/2/index.html":     "section-page2.html",
		"cases/甲案/index.html":         "case.html",
		"regulations/财务制度/index.html": "regulation.html",
		"field/社会救助/index.html":       "term.html",
		"year/index.html":             "taxonomy.html",
		"404.html":                    "404.html",
		"cases/index.xml":             "cases-rss.xml",
		"sitemap.xml":                 "sitemap.xml",
		"robots.txt":                  "robots.txt",
	}
	for out, name := range golden {
		got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(out)))
		if err != nil {
			t.Errorf("%s: %v", out, err)
			continue
		}
		path := filepath.Join("testdata", "golden", name+".golden")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./render -update to create golden files)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test ./render -update\n--- got ---\n%s", out, path, got)
		}
	}
}

func TestEscapingAndLinks(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, "testdata/site", dest); err != nil {
		t.Fatal(err)
	}
	page := read(t, dest, "cases/乙案/index.html")
	if strings.Contains(page, "<b>加粗</b>") || !strings.Contains(page, "&lt;b&gt;加粗&lt;/b&gt;") {
		t.Error("HTML in a title is not escaped")
	}
	body := read(t, dest, "cases/甲案/index.html")
	if strings.Contains(body, "<script>alert(1)</script>") {
		t.Error("raw HTML in Markdown reaches the page while markup.unsafe is off")
	}
	for _, want := range []string{
		`href="/lz/regulations/%E8%B4%A2%E5%8A%A1%E5%88%B6%E5%BA%A6/#%E7%AC%AC%E4%BA%8C%E6%9D%A1">《某局财务管理制度》第二条</a>`,
		`href="/lz/field/%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9/">社会救助</a>`,
		`<table>`, `class="footnotes"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("case page lacks %s", want)
		}
	}
	reg := read(t, dest, "regulations/财务制度/index.html")
	if !strings.Contains(reg, `<p id="第二条" class="article">`) {
		t.Error("an article after a full-width space gets no anchor")
	}
}

func read(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFailedBuildKeepsPreviousOutput(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 第一版\n"})
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	before := read(t, dest, "a/index.html")

	// A layout that fails while executing makes the second build fail after writing began.
	writeFile(t, filepath.Join(dir, "content", "a.md"), "# 第二版\n")
	writeFile(t, filepath.Join(dir, "layouts", "_default", "single.html"), `{{ define "main" }}{{ index .Page.Params "x" "y" }}{{ end }}`)
	_, err := buildSite(t, dir, dest)
	if err == nil {
		t.Fatal("the broken layout did not fail the build")
	}
	if strings.Count(err.Error(), "\n") > 0 {
		t.Errorf("one broken layout should be reported once:\n%v", err)
	}
	if after := read(t, dest, "a/index.html"); after != before {
		t.Error("a failed build changed the previous output")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.tmp-*")); len(leftovers) > 0 {
		t.Errorf("temporary folders left behind: %v", leftovers)
	}
}

func TestLayoutOverride(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"content/cases/a.md":           "# 甲\n",
		"content/b.md":                 "# 乙\n",
		"layouts/cases/single.html":    `{{ define "main" }}<p class="own">案例：{{ .Page.Title }}</p>{{ end }}`,
		"layouts/partials/footer.html": `<footer>自定义页脚</footer>`,
		"static/robots.txt":            "User-agent: *\nDisallow: /\n",
		"assets/css/style.css":         "body{color:red}",
	})
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	if a := read(t, dest, "cases/a/index.html"); !strings.Contains(a, `<p class="own">案例：甲</p>`) || !strings.Contains(a, "自定义页脚") {
		t.Errorf("section layout or partial override not used:\n%s", a)
	}
	if b := read(t, dest, "b/index.html"); strings.Contains(b, "案例：") {
		t.Error("a section layout leaked into another section")
	}
	if r := read(t, dest, "robots.txt"); !strings.Contains(r, "Disallow: /") {
		t.Error("static/ does not override generated files")
	}
	css, _ := filepath.Glob(filepath.Join(dest, "css", "style.*.css"))
	if len(css) != 1 || read(t, dest, "css/"+filepath.Base(css[0])) != "body{color:red}" {
		t.Errorf("assets override: %v", css)
	}
}

func TestAliasRedirects(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/新/页.md": "---\ntitle: 新页\naliases: [/旧/页面, old]\n---\n"})
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"旧/页面/index.html", "old/index.html"} {
		if b := read(t, dest, p); !strings.Contains(b, `url=/%E6%96%B0/%E9%A1%B5/`) {
			t.Errorf("%s does not redirect to the page:\n%s", p, b)
		}
	}
}

func TestLayoutSyntaxErrorIsPositioned(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"content/a.md":               "a",
		"layouts/_default/list.html": "{{ define \"main\" }}\n{{ if }}\n{{ end }}",
	})
	_, err := buildSite(t, dir, filepath.Join(t.TempDir(), "public"))
	if err == nil || !strings.Contains(err.Error(), "layouts/_default/list.html:2:") {
		t.Fatalf("err = %v, want a position in the layout", err)
	}
}

func TestRefusesForeignFolder(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "a"})
	dest := t.TempDir()
	writeFile(t, filepath.Join(dest, "我的文档.docx"), "重要")
	_, err := buildSite(t, dir, dest)
	if err == nil || !strings.Contains(err.Error(), "不是 jingjian 生成的") {
		t.Fatalf("err = %v", err)
	}
	if read(t, dest, "我的文档.docx") != "重要" {
		t.Error("a foreign file was touched")
	}
}

func TestCurrent(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "a"})
	dest := filepath.Join(t.TempDir(), "public")
	if Current(dest, "test") {
		t.Error("a missing output is current")
	}
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	if !Current(dest, "test") || Current(dest, "other") || Current(dest, "") {
		t.Error("Current does not follow the recorded fingerprint")
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
