package render

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"jingjian/internal/sitetest"
)

// manyPages writes a site of n pages, each about size bytes of text, version v.
func manyPages(t *testing.T, dir string, n, size int, v string) {
	t.Helper()
	para := strings.Repeat("廉政警示教育。", max(1, size/21)) + "\n"
	for i := range n {
		writeFile(t, filepath.Join(dir, "content", "cases", fmt.Sprintf("案%04d.md", i)),
			fmt.Sprintf("---\ntitle: 案例 %d（%s）\n---\n%s", i, v, para))
	}
}

// failWrites makes every output write after the first ok fail with errno, and counts
// the writes tried.
func failWrites(t *testing.T, ok int64, errno syscall.Errno) *atomic.Int64 {
	t.Helper()
	var calls atomic.Int64
	t.Cleanup(func() { writeOut = writeOutput })
	writeOut = func(path string, b []byte) error {
		if calls.Add(1) > ok {
			return &fs.PathError{Op: "open", Path: path, Err: errno}
		}
		return writeOutput(path, b)
	}
	return &calls
}

func noTemporaries(t *testing.T, dest string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-*")); len(left) > 0 {
		t.Errorf("temporary folders left behind: %v", left)
	}
}

// TestDiskFullStopsAtOnce: a full disk during the write is one error, said once; the
// writers stop, the unfinished output is removed and the served one is untouched.
func TestDiskFullStopsAtOnce(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT} {
		t.Run(errno.Error(), func(t *testing.T) {
			dir := sitetest.Write(t, map[string]string{})
			manyPages(t, dir, 400, 300, "一")
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := buildSite(t, dir, dest); err != nil {
				t.Fatal(err)
			}
			before := tree(t, dest)

			manyPages(t, dir, 400, 300, "二") // every page changes
			calls := failWrites(t, 20, errno)
			_, err := buildSite(t, dir, dest)
			var full *DiskFullError
			if !errors.As(err, &full) || !errors.Is(err, errno) || !DiskFull(err) {
				t.Fatalf("err = %v (%T), want a DiskFullError wrapping %v", err, err, errno)
			}
			msg := err.Error()
			want := "磁盘空间不足"
			if errno == syscall.EDQUOT {
				want = "磁盘配额已满"
			}
			for _, w := range []string{want, dest, "本次需写入约", "原有输出未改动"} {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q: %s", w, msg)
				}
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, ".tmp-") {
				t.Errorf("want one line naming no temporary folder: %s", msg)
			}
			if full.Need < 400*300 {
				t.Errorf("need %d bytes, want at least the pages' text", full.Need)
			}
			// Writers already under way may finish their file; no new one starts.
			if n := calls.Load(); n > 20+int64(runtime.GOMAXPROCS(0))+1 {
				t.Errorf("%d writes tried after the disk was full at write 21", n-21)
			}
			sameTree(t, "the output after a full disk", before, tree(t, dest))
			noTemporaries(t, dest)

			writeOut = writeOutput // room again: the next build succeeds
			if _, err := buildSite(t, dir, dest); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(read(t, dest, "cases/案0399/index.html"), "案例 399（二）") {
				t.Error("the build after the disk was cleared did not write the new pages")
			}
		})
	}
}

// TestRepeatedWriteErrorSaidOnce: another write error that every file meets is reported
// at the first few files with a count, not once per file.
func TestRepeatedWriteErrorSaidOnce(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{})
	manyPages(t, dir, 300, 50, "一")
	dest := filepath.Join(t.TempDir(), "public")
	failWrites(t, 0, syscall.EACCES)
	_, err := buildSite(t, dir, dest)
	if err == nil {
		t.Fatal("the build succeeded although no file could be written")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != writeShown {
		t.Fatalf("%d lines, want %d:\n%v", len(lines), writeShown, err)
	}
	for _, l := range lines {
		if !strings.Contains(l, writeFailed+"（permission denied）") || strings.Contains(l, ".tmp-") {
			t.Errorf("line %q does not say which file failed and why", l)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "另有 ") || !strings.Contains(lines[len(lines)-1], " 个输出文件出现同一错误") {
		t.Errorf("the last line lacks the count of the others: %s", lines[len(lines)-1])
	}
	noTemporaries(t, dest)
}
