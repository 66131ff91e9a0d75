package render

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"jingjian/internal/sitetest"
)

func usedBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Blocks-st.Bfree) * st.Bsize
}

// TestRealDiskFull fills a real 2 MB file system: the build fails with one message giving
// the figures, the output on it stays as it was and the disk is as full as before.
func TestRealDiskFull(t *testing.T) {
	disk := sitetest.Tmpfs(t, "2m")
	dest := filepath.Join(disk, "public")
	dir := sitetest.Write(t, map[string]string{})
	manyPages(t, dir, 10, 300, "一")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	before, used := tree(t, dest), usedBytes(t, disk)

	manyPages(t, dir, 600, 3000, "二") // several MB of pages
	_, err := buildSite(t, dir, dest)
	var full *DiskFullError
	if !errors.As(err, &full) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v (%T), want a DiskFullError", err, err)
	}
	t.Log(err)
	if full.Free < 0 || full.Free > 2<<20 || full.Need < 2<<20 {
		t.Errorf("free %d, need %d: want what the 2 MB disk has and more than it", full.Free, full.Need)
	}
	if msg := err.Error(); strings.Count(msg, "\n") > 0 || !strings.Contains(msg, "可用 ") {
		t.Errorf("want one line with the figures: %s", msg)
	}
	sameTree(t, "the output after a full disk", before, tree(t, dest))
	noTemporaries(t, dest)
	if now := usedBytes(t, disk); now > used {
		t.Errorf("the failed build left %d bytes on the disk", now-used)
	}
}
