package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// A memo skips the pages an edit cannot have changed, and renders every page again
// when something other pages show (a title) changed. Each result matches a build
// without a memo, byte for byte.
func TestMemoRendersOnlyWhatChanged(t *testing.T) {
	files := map[string]string{
		"config.toml":      "title = \"测试\"\n",
		"content/a/甲.md":   "---\ndate: 2024-01-01\n---\n# 甲\n\n第一条 低保审核。\n",
		"content/a/乙.md":   "---\ndate: 2024-02-01\n---\n# 乙\n\n养老补贴。\n",
		"content/a/丙.md":   "---\ndate: 2024-03-01\n---\n# 丙\n\n殡葬改革。\n",
		"content/b/丁.md":   "# 丁\n\n婚姻登记。\n",
		"content/b/附件.txt": "附件内容",
	}
	dir := sitetest.Write(t, files)
	dest := filepath.Join(t.TempDir(), "public")
	memo, cache := NewMemo(), site.NewCache()
	build := func() Result {
		t.Helper()
		s, err := site.Load(context.Background(), dir, site.Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Build(context.Background(), s, Options{Dest: dest, Fingerprint: "memo", Memo: memo})
		if err != nil {
			t.Fatal(err)
		}
		// The same site rendered from scratch elsewhere gives the same files.
		fresh := filepath.Join(t.TempDir(), "fresh")
		if _, err := Build(context.Background(), s, Options{Dest: fresh, Fingerprint: "memo"}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"a/甲/index.html", "a/乙/index.html", "a/丙/index.html", "b/丁/index.html", "b/附件.txt", "a/index.html", "index.html"} {
			got, _ := os.ReadFile(filepath.Join(dest, p))
			want, _ := os.ReadFile(filepath.Join(fresh, p))
			if string(got) != string(want) {
				t.Errorf("%s differs from a fresh build:\n%s\nwant\n%s", p, got, want)
			}
		}
		return res
	}
	edit := func(name, body string) {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Duration(len(body)) * time.Second)
		_ = os.Chtimes(p, later, later)
	}

	if res := build(); res.Reused != 0 {
		t.Errorf("first build reused %d outputs", res.Reused)
	}
	all := build().Reused // every page, list and file: only feeds and assets are made again
	if all < 5+3 {
		t.Fatalf("unchanged build reused %d outputs", all)
	}
	// Text below the first paragraph: that page alone.
	edit("a/乙.md", "---\ndate: 2024-02-01\n---\n# 乙\n\n养老补贴。\n\n严禁虚报冒领。\n")
	if res := build(); res.Reused != all-1 {
		t.Errorf("after a body edit %d reused, want %d", res.Reused, all-1)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a/乙/index.html")); !strings.Contains(string(b), "虚报冒领") {
		t.Error("the edited page is stale")
	}
	// The first paragraph is the summary lists show: the lists too.
	edit("a/乙.md", "---\ndate: 2024-02-01\n---\n# 乙\n\n养老服务补贴。\n\n严禁虚报冒领。\n")
	if res := build(); res.Reused != 4 {
		t.Errorf("after a summary edit %d reused, want 4 (three pages and the attachment)", res.Reused)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a/index.html")); !strings.Contains(string(b), "养老服务补贴") {
		t.Error("the list shows the old summary")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.xml")); !strings.Contains(string(b), "养老服务补贴") {
		t.Error("the feed shows the old summary")
	}
	// A new title shows on its neighbours (上一篇/下一篇): every page is rendered again.
	edit("a/乙.md", "---\ndate: 2024-02-01\n---\n# 乙案\n\n养老服务补贴。\n\n严禁虚报冒领。\n")
	if res := build(); res.Reused != 1 {
		t.Errorf("after a title edit %d reused, want 1 (the attachment)", res.Reused)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a/甲/index.html")); !strings.Contains(string(b), "乙案") {
		t.Error("a neighbour still shows the old title")
	}
	// The previous output keeps its own bytes: files shared between the two folders as
	// hard links are replaced, never written in place.
	before, _ := os.ReadFile(filepath.Join(dest, "b/丁/index.html"))
	edit("b/丁.md", "# 丁\n\n婚姻登记。\n\n第二段：离婚冷静期。\n")
	build()
	if b, _ := os.ReadFile(filepath.Join(filepath.Dir(dest), ".public.prev", "b", "丁", "index.html")); string(b) != string(before) {
		t.Errorf("the previous output's page changed with the new one:\n%s", b)
	}
	// Reset renders everything.
	memo.Reset()
	if res := build(); res.Reused != 0 {
		t.Errorf("after Reset %d reused", res.Reused)
	}
}

// The second build of a site starts from links to the first one's files: it writes
// only what changed, and never changes the files of the output it replaces.
func TestSecondBuildWritesOnlyChanges(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"content/a.md": "# 甲\n\n第一版。\n",
		"content/b.md": "# 乙\n\n不变。\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	build := func() Result {
		t.Helper()
		s, err := site.Load(context.Background(), dir, site.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Build(context.Background(), s, Options{Dest: dest, Fingerprint: "x"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := build()
	if res := build(); res.Written != 0 || res.Files != first.Files {
		t.Errorf("an unchanged second build wrote %d of %d files", res.Written, res.Files)
	}
	served, _ := os.ReadFile(filepath.Join(dest, "a", "index.html"))
	if err := os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("# 甲\n\n第二版。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := build(); res.Written == 0 || res.Written > 5 {
		t.Errorf("one edit wrote %d files", res.Written)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a", "index.html")); !strings.Contains(string(b), "第二版") {
		t.Error("the edit is missing")
	}
	if b, _ := os.ReadFile(filepath.Join(filepath.Dir(dest), ".public.prev", "a", "index.html")); string(b) != string(served) {
		t.Error("the replaced output's file changed")
	}
}

// Pages added and deleted between builds with a memo: the new page and its neighbours'
// links appear, the deleted page and links to it go.
func TestMemoAddAndDelete(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"content/a/甲.md": "---\ndate: 2024-01-01\n---\n# 甲\n\n正文。\n",
		"content/a/丙.md": "---\ndate: 2024-03-01\n---\n# 丙\n\n正文。\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	memo, cache := NewMemo(), site.NewCache()
	build := func() {
		t.Helper()
		s, err := site.Load(context.Background(), dir, site.Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Build(context.Background(), s, Options{Dest: dest, Fingerprint: "memo", Memo: memo}); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) string {
		b, _ := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
		return string(b)
	}
	build()
	_ = os.WriteFile(filepath.Join(dir, "content", "a", "乙.md"), []byte("---\ndate: 2024-02-01\n---\n# 乙\n\n新增。\n"), 0o644)
	build()
	if !strings.Contains(read("a/乙/index.html"), "新增") || !strings.Contains(read("a/甲/index.html"), "乙</a>") {
		t.Errorf("the added page or its neighbour's link is missing:\n%s", read("a/甲/index.html"))
	}
	if !strings.Contains(read("a/index.html"), "乙") {
		t.Error("the list lacks the added page")
	}
	_ = os.Remove(filepath.Join(dir, "content", "a", "乙.md"))
	build()
	if _, err := os.Stat(filepath.Join(dest, "a", "乙", "index.html")); err == nil {
		t.Error("the deleted page is still served")
	}
	for _, p := range []string{"a/甲/index.html", "a/丙/index.html", "a/index.html"} {
		if strings.Contains(read(p), "乙") {
			t.Errorf("%s still links the deleted page", p)
		}
	}
}
