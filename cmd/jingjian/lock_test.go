package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jingjian/internal/buildlock"
	"jingjian/internal/sitetest"
)

// TestConcurrentBuildRefused: while one build (or serve --watch) of a site runs, a second
// one says so at once and touches nothing, index included.
func TestConcurrentBuildRefused(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n\n低保审核。\n"})
	release, err := buildlock.Acquire(dir, "jingjian serve --watch")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, _, stderr := runCLI(t, "build", "-s", dir, "-q")
	if code != exitFailure || !strings.Contains(stderr, "另一个构建正在进行") || !strings.Contains(stderr, "jingjian serve --watch") {
		t.Fatalf("exit %d, stderr %q; want the holder named", code, stderr)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the refused build took %v, want at once", d)
	}
	for _, p := range []string{"public", ".jingjian/index"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("the refused build wrote %s", p)
		}
	}
	release()
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatalf("after the lock is released: exit %d: %s", code, stderr)
	}
}

// TestSearchFilesAreInputs: editing the site's synonym file is a change: the next build
// is not "up to date" and reports the file's bad line.
func TestSearchFilesAreInputs(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":  "title = \"t\"\n[search]\nsynonyms = [\"dict/syn.txt\"]\n",
		"content/a.md": "# 甲\n\n低保审核。\n",
		"dict/syn.txt": "纪委, 纪律检查委员会\n",
	})
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	p := filepath.Join(dir, "dict", "syn.txt")
	if err := os.WriteFile(p, []byte("纪委, 纪律检查委员会\n只有一个词\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	_ = os.Chtimes(p, later, later)
	code, stdout, stderr := runCLI(t, "build", "-s", dir, "-q")
	if code != exitFailure || strings.Contains(stdout, "输出已是最新") || !strings.Contains(stderr, "dict/syn.txt:2") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}
