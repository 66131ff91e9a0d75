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
	if strings.Contains(stderr, "content/") {
		t.Errorf("warnings on the corpus:\n%s", stderr)
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
}
