// Package sitetest helps tests: small sites written to disk, the shared laws corpus, and
// a headless browser.
package sitetest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Write creates files (slash-separated path → content) under a new temporary folder and
// returns the folder. A site without config.toml gets one with only a title.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := WriteIn(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// WriteIn creates files as Write does, under dir: for a fixture that outlives one test.
func WriteIn(dir string, files map[string]string) error {
	if _, ok := files["config.toml"]; !ok {
		files["config.toml"] = "title = \"测试站点\"\n"
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// LawsCorpus returns the shared laws corpus folder ($JINGJIAN_CORPUS, or ../shared/corpus/laws
// beside the repository), or skips the test if it is absent.
func LawsCorpus(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("JINGJIAN_CORPUS"); p != "" {
		return p
	}
	for _, p := range []string{"../shared/corpus/laws", "../../shared/corpus/laws", "../../../shared/corpus/laws"} {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			abs, _ := filepath.Abs(p)
			return abs
		}
	}
	t.Skip("../shared/corpus/laws is absent; skipping the test on the real corpus")
	return ""
}

// LawsSite returns a new site folder whose content/ is a link to the laws corpus (see
// LawsCorpus) and whose config.toml holds a title and allows that link.
func LawsSite(t testing.TB) string {
	t.Helper()
	corpus := LawsCorpus(t)
	dir := Write(t, map[string]string{"config.toml": fmt.Sprintf("title = \"法律法规库\"\n\n[build]\nallowLinksTo = [%q]\n", corpus)})
	if err := os.Symlink(corpus, filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// CopyTree copies the folder from to the folder to, byte for byte (no hard links: a test
// may damage the copy in place).
func CopyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
