package indexer

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

// TestWarm: Warm decodes every document into the cache, waits while a search runs, stops
// once the cache is nine-tenths full, and Close stops it.
func TestWarm(t *testing.T) {
	files := map[string]string{"config.toml": smallSite["config.toml"]}
	for i := range 40 {
		files[fmt.Sprintf("content/cases/p%02d.md", i)] = fmt.Sprintf("---\ntitle: 第%d号通报\ndate: 2020-01-01\n---\n第一条 低保审核。\n\n第二条 养老补贴%d。\n", i, i)
	}
	dir := idxDir(t, files)
	open := func() *Index {
		ix, err := Open(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	decoded := func(ix *Index) int {
		ix.docs.mu.Lock()
		defer ix.docs.mu.Unlock()
		return len(ix.docs.byKey)
	}

	ix := open()
	ix.searching.Add(1) // a search in progress
	ix.Warm()
	time.Sleep(50 * time.Millisecond)
	if n := decoded(ix); n != 0 {
		t.Errorf("decoded %d documents while a search ran", n)
	}
	ix.searching.Add(-1)
	ix.warming.Wait()
	if n, want := decoded(ix), len(ix.st.Docs); n != want || want != 40 {
		t.Errorf("decoded %d documents of %d", n, want)
	}
	ix.Warm() // once only
	ix.warming.Wait()
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix = open()
	d, err := ix.docInfo("cases/p00.md")
	if err != nil {
		t.Fatal(err)
	}
	ix.docs.limit = 3 * d.bytes()
	ix.Warm()
	ix.warming.Wait()
	if n := decoded(ix); n == 0 || n >= len(ix.st.Docs) || ix.docs.bytes() < ix.docs.limit/10*9 {
		t.Errorf("a cache of %d bytes: decoded %d documents (%d bytes) of %d", ix.docs.limit, n, ix.docs.bytes(), len(ix.st.Docs))
	}
	ix.Close()

	ix = open()
	ix.Warm()
	done := make(chan error)
	go func() { done <- ix.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop Warm")
	}
}

// idxDir builds the index of a site of files and returns its folder.
func idxDir(t *testing.T, files map[string]string) string {
	idx := filepath.Join(t.TempDir(), "index")
	ix, err := indexSite(sitetest.Write(t, files), idx, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	return idx
}
