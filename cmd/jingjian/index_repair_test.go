package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestBuildRepairsDamagedIndex: a build that would find its output current checks the
// index too, and rebuilds a damaged one instead of saying "输出已是最新".
func TestBuildRepairsDamagedIndex(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n\n低保审核中优亲厚友。\n"})
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	bolt := filepath.Join(dir, ".jingjian", "index", "bleve", "shard-0", "store", "root.bolt")
	if err := os.WriteFile(bolt, []byte(strings.Repeat("garbage!", 1024)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "search", "-s", dir, "低保")
	if code != exitFailure || !strings.Contains(stderr, "搜索索引已损坏") || !strings.Contains(stderr, "jingjian build") {
		t.Errorf("search on a damaged index: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr = runCLI(t, "build", "-s", dir, "-q")
	if code != exitOK || strings.Contains(stdout, "输出已是最新") || !strings.Contains(stdout, "全量重建") {
		t.Fatalf("build after damage: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr = runCLI(t, "search", "-s", dir, "低保"); code != exitOK || !strings.Contains(stdout, "甲") {
		t.Errorf("search after the repair: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestBuildWithTmpdirOnAnotherFileSystem: bleve's builder once wrote its segments under
// $TMPDIR and renamed them into the index, which fails across file systems ("invalid
// cross-device link") with a tmpfs /tmp or a site on its own partition.
func TestBuildWithTmpdirOnAnotherFileSystem(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n\n低保审核中优亲厚友。\n"})
	tmp := sitetest.Tmpfs(t, "64m")
	t.Setenv("TMPDIR", tmp)
	if code, stdout, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the build left %d entries in $TMPDIR, e.g. %s", len(left), left[0].Name())
	}
	if code, stdout, stderr := runCLI(t, "search", "-s", dir, "低保"); code != exitOK || !strings.Contains(stdout, "甲") {
		t.Errorf("search: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestKilledIndexBuildCleanedUp: kill -9 while bleve writes a new index leaves a
// temporary index with scratch segments beside the real one; the next build (the lock
// gone with the killed process) deletes it and succeeds.
func TestKilledIndexBuildCleanedUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of a thousand pages")
	}
	files := map[string]string{}
	para := strings.Repeat("领导干部违规收受礼品礼金，在低保审核中优亲厚友，套取养老服务补贴。\n\n", 40)
	for i := range 1000 {
		files[fmt.Sprintf("content/s%02d/%04d.md", i%10, i)] = fmt.Sprintf("# 案例%d\n\n%s", i, para)
	}
	dir := sitetest.Write(t, files)
	killBuildWhen(t, dir, filepath.Join(dir, ".jingjian", ".index.tmp-*", "scratch", "*", "*.zap"))
	if left, _ := filepath.Glob(filepath.Join(dir, ".jingjian", ".index.tmp-*")); len(left) == 0 {
		t.Fatal("the killed build left nothing to clean up: the test proves nothing")
	}
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".jingjian", ".index.tmp-*")); len(left) > 0 {
		t.Errorf("stale temporaries not removed: %v", left)
	}
	if code, stdout, _ := runCLI(t, "search", "-s", dir, "--json", "优亲厚友"); code != exitOK || !strings.Contains(stdout, `"total": 1000,`) {
		t.Errorf("search after the clean-up: exit %d, %.200s", code, stdout)
	}
}
