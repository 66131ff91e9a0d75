package main

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// TestLawsCorpus builds the shared laws corpus as a site whose config.toml holds only a
// title, and checks one page per document (drafts aside) and one section page per folder.
func TestLawsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 3,500 documents")
	}
	corpus := sitetest.LawsCorpus(t)
	dir := sitetest.LawsSite(t)

	// Expected counts, straight from the file system.
	var docs []string
	folders := map[string]bool{"": true}
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpus, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() || !strings.HasSuffix(rel, ".md") {
			return nil
		}
		for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
			folders[dir] = true
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		head, _, _ := strings.Cut(string(b), "\n---\n")
		draft := strings.HasPrefix(head, "---\n") && strings.Contains(head, "draft: true")
		if path.Base(rel) != "_index.md" && !draft {
			docs = append(docs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCLI(t, "build", "-s", dir, "-q")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	t.Log(strings.TrimSpace(stdout))
	// The corpus's only warnings are citations of articles its own files lack (本条例第五十一条
	// in a regulation with fifty articles): true findings, a handful.
	var warnings []string
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(line, "content/") {
			warnings = append(warnings, line)
			if !strings.Contains(line, "中没有第") {
				t.Errorf("unexpected warning on the corpus: %s", line)
			}
		}
	}
	if len(warnings) > 20 {
		t.Errorf("%d citation warnings on the corpus, want a handful:\n%s", len(warnings), strings.Join(warnings, "\n"))
	}
	want := "构建完成：" + strconv.Itoa(len(docs)) + " 页，" + strconv.Itoa(len(folders)) + " 个栏目"
	if !strings.Contains(stdout, want) {
		t.Errorf("summary %q lacks %q", stdout, want)
	}
	public := filepath.Join(dir, "public")
	for _, doc := range docs {
		segs := strings.Split(strings.TrimSuffix(doc, ".md"), "/")
		for i, seg := range segs {
			segs[i] = site.URLSegment(seg)
		}
		out := filepath.Join(public, filepath.Join(segs...), "index.html")
		if _, err := os.Stat(out); err != nil {
			t.Errorf("no page for %s", doc)
		}
	}
	for folder := range folders {
		if _, err := os.Stat(filepath.Join(public, filepath.FromSlash(folder), "index.html")); err != nil {
			t.Errorf("no section page for folder %q", folder)
		}
	}
	// A known law: its title comes from the "# " line, its date from the file name, and
	// its articles have anchors.
	b, err := os.ReadFile(filepath.Join(public, "宪法相关法", "监察法(2018-03-20)", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<h1>中华人民共和国监察法</h1>", `datetime="2018-03-20"`, `<p id="第二十二条" class="article">`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("监察法 page lacks %s", s)
		}
	}

	// Citations both ways: the three court cases citing 《中华人民共和国劳动法》第四十四条 link
	// to that article of the 2018 version, and that page lists them under the article.
	law, err := os.ReadFile(filepath.Join(public, "社会法", "劳动法(2018-12-29)", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []string{"劳动者与用人单位订立放弃加班费协议，能否主张加班费", "加班费的仲裁时效应当如何认定", "用人单位未按规章制度履行加班审批手续，能否认定劳动者加班事实"}
	article := string(law)[strings.Index(string(law), `<p id="第四十四条"`):]
	article = article[:strings.Index(article, `<p id="第四十五条"`)]
	for _, c := range cases {
		page, err := os.ReadFile(filepath.Join(public, "案例", "劳动人事", site.URLSegment(c), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), `href="/%E7%A4%BE%E4%BC%9A%E6%B3%95/%E5%8A%B3%E5%8A%A8%E6%B3%95%282018-12-29%29/#%E7%AC%AC%E5%9B%9B%E5%8D%81%E5%9B%9B%E6%9D%A1"`) {
			t.Errorf("%s does not link to 劳动法(2018-12-29)#第四十四条", c)
		}
		if !strings.Contains(article, ">"+c+"</a>") {
			t.Errorf("劳动法 第四十四条 does not list %s", c)
		}
	}
	// The superseded 监察法 says so and links to the current version.
	if !strings.Contains(string(b), `class="version-banner"`) || !strings.Contains(string(b), site.EscapePath("/宪法相关法/监察法(2024-12-25)/")) {
		t.Error("监察法(2018-03-20) has no banner leading to the 2024 version")
	}
}
