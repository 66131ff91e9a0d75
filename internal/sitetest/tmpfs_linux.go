package sitetest

import (
	"os"
	"syscall"
	"testing"
)

// Tmpfs mounts a tmpfs of the given size ("2m") on a new folder and returns the folder,
// unmounted when the test ends; it skips the test where mounting is not permitted (not
// root, or a container without the right). It is how tests get a full disk or a second
// file system.
func Tmpfs(t testing.TB, size string) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root; skipping")
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); skipping", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}
