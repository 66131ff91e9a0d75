package render

import "golang.org/x/sys/unix"

// freeSpace returns the bytes an unprivileged user may still write on dir's file
// system, or -1 when that is not known.
func freeSpace(dir string) int64 {
	var st unix.Statfs_t
	if unix.Statfs(dir, &st) != nil {
		return -1
	}
	return int64(st.Bavail) * st.Bsize
}
