package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestBuildOnFullDiskSaysItOnce builds onto a real 2 MB tmpfs (where this machine lets a
// test mount one): a site too big for it fails with one line and leaves public/ as it was.
func TestBuildOnFullDiskSaysItOnce(t *testing.T) {
	disk := sitetest.Tmpfs(t, "2m")
	dest := filepath.Join(disk, "public")

	// (A full baseURL: the warning of a relative one would be a second line.)
	dir := sitetest.Write(t, map[string]string{"config.toml": "baseURL = \"https://kb.example.gov.cn/\"\n", "content/a.md": "# 第一版\n"})
	if code, _, stderr := runCLI(t, "build", "-q", "-s", dir, "-d", dest); code != exitOK {
		t.Fatalf("first build: exit %d\n%s", code, stderr)
	}
	before, err := os.ReadFile(filepath.Join(dest, "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("违规发放津补贴。", 400)
	for i := range 500 {
		p := filepath.Join(dir, "content", "cases", fmt.Sprintf("%03d.md", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fmt.Sprintf("# 案例 %d\n\n%s\n", i, body)), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	code, stdout, stderr := runCLI(t, "build", "-q", "-s", dir, "-d", dest)
	if code != exitFailure {
		t.Fatalf("exit %d on a full disk, want 1\n%s%s", code, stdout, stderr)
	}
	t.Log(stderr)
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "磁盘空间不足：写入 "+dest) ||
		!strings.Contains(stderr, "原有输出未改动") || strings.Contains(stderr, "逐一修改") {
		t.Errorf("want one line saying the disk is full, got:\n%s", stderr)
	}
	if after, err := os.ReadFile(filepath.Join(dest, "a", "index.html")); err != nil || string(after) != string(before) {
		t.Errorf("public/ changed: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(disk, ".public.tmp-*")); len(left) > 0 {
		t.Errorf("temporary folders left on the full disk: %v", left)
	}
}
