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
