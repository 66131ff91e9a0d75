package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"jingjian/internal/sitetest"
)

func TestCacheReusesUnchangedPages(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":       "title = \"测试\"\n",
		"content/a/甲.md":    "# 甲\n\n第一条 低保审核。\n",
		"content/a/乙.md":    "# 乙\n\n养老补贴。\n",
		"content/b/丙.md":    "---\ndraft: true\n---\n# 丙\n\n草稿。\n",
		"content/_index.md": "# 首页\n",
	})
	cache := NewCache()
	load := func(opts Options) *Site {
		t.Helper()
		opts.Cache = cache
		s, err := Load(context.Background(), dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	byPath := func(s *Site, p string) *Page {
		for _, pg := range s.Pages {
			if pg.Path == p {
				return pg
			}
		}
		return nil
	}
	content := func(p *Page) *byte { return unsafe.StringData(string(p.Content)) }

	first := load(Options{})
	second := load(Options{})
	a1, a2 := byPath(first, "a/甲.md"), byPath(second, "a/甲.md")
	if a1 == a2 || content(a1) != content(a2) {
		t.Error("an unchanged page was converted again, or shared between sites")
	}
	// Each load links its own copies: the first site is not changed by the second.
	if a1.Section == a2.Section || a1.Section.Pages[0] != byPath(first, a1.Section.Pages[0].Path) {
		t.Error("the second load changed the first site's links")
	}

	// An edit is read again; a deleted file leaves the cache.
	file := filepath.Join(dir, "content", "a", "甲.md")
	if err := os.WriteFile(file, []byte("# 甲\n\n第一条 低保审核，严禁优亲厚友。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second)
	_ = os.Chtimes(file, later, later) // a coarse clock must not hide the edit
	_ = os.Remove(filepath.Join(dir, "content", "a", "乙.md"))
	third := load(Options{})
	if a3 := byPath(third, "a/甲.md"); !strings.Contains(string(a3.Content), "优亲厚友") {
		t.Errorf("the edit is missing: %s", a3.Content)
	}
	if byPath(third, "a/乙.md") != nil || cache.Len() != 3 {
		t.Errorf("deleted page still there (cache holds %d)", cache.Len())
	}

	// Another drafts option reads everything again, drafts included.
	withDrafts := load(Options{Drafts: true})
	if c := byPath(withDrafts, "b/丙.md"); c == nil || !strings.Contains(string(c.Content), "草稿") {
		t.Error("the draft was not read for a drafts build")
	}

	// A broken file reports its error on every load, not only the first.
	_ = os.WriteFile(filepath.Join(dir, "content", "a", "坏.md"), []byte("---\ntitle: [\n---\n正文"), 0o644)
	for range 2 {
		_, err := Load(context.Background(), dir, Options{Cache: cache})
		if err == nil || !strings.Contains(err.Error(), "坏.md") {
			t.Errorf("broken file not reported: %v", err)
		}
	}
}
