package render

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// exchange atomically swaps tmp and dest with renameat2(RENAME_EXCHANGE): readers see the
// old site or the new one, never neither. File systems without it fall back to renames.
// It reports whether dest existed (and so tmp now holds the old output).
func exchange(tmp, dest string) (existed bool, err error) {
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		return false, os.Rename(tmp, dest)
	}
	err = unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dest, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return swapByRename(tmp, dest)
	}
	return true, err
}

// lockDir takes an exclusive lock so two builds never write one destination at once.
func lockDir(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("无法创建构建锁 %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("另一个构建正在写同一个输出目录（锁文件 %s）；请等它结束再试", path)
	}
	return func() { _ = unix.Flock(int(f.Fd()), unix.LOCK_UN); f.Close() }, nil
}

// syncDir flushes a folder's entries so the swap does not publish files still in cache.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
