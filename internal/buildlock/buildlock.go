// Package buildlock keeps two builds of one site from running at once: the whole build,
// loading, index and output, holds one lock, and a second build says so at once instead of
// re-indexing beside it or failing after minutes of wasted work.
package buildlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrHeld means another build of the site holds the lock.
var ErrHeld = errors.New("另一个构建正在进行")

// Path is the lock file of the site in dir, beside its index.
func Path(dir string) string { return filepath.Join(dir, ".jingjian", "build.lock") }

// Acquire takes the build lock of the site in dir without waiting; who describes the
// holder (a command line) for the message a second build prints. release gives it back;
// the lock also ends with the process, however it ends.
func Acquire(dir, who string) (release func(), err error) {
	p := Path(dir)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, fmt.Errorf("无法创建构建锁 %s: %w", p, err)
	}
	return AcquireFile(p, who, "构建锁", ErrHeld)
}

// AcquireFile takes an exclusive lock on the file at path (created if need be) without
// waiting. what names the lock in messages (构建锁, 部署锁); held is the error wrapped
// when another process holds it, whose description (who) the message quotes.
func AcquireFile(path, who, what string, held error) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("无法创建%s %s: %w", what, path, err)
	}
	ok, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("无法获得%s %s: %w", what, path, err)
	}
	if !ok {
		holder, _ := os.ReadFile(path)
		f.Close()
		h := strings.TrimSpace(string(holder))
		if h == "" {
			h = "未知进程"
		}
		return nil, fmt.Errorf("%w：%s（锁文件 %s）；请等它结束再试，或停止它", held, h, path)
	}
	// Say who holds it: the file's text is only for that message.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("进程 %d（%s）自 %s 起\n", os.Getpid(), who, time.Now().Format("2006-01-02 15:04:05"))), 0)
	return func() {
		_ = f.Truncate(0)
		unlock(f)
		f.Close()
	}, nil
}
