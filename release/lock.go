package release

import (
	"errors"
	"path/filepath"

	"jingjian/internal/buildlock"
)

// lockName is the file in DEST that a deploy or rollback holds locked.
const lockName = ".deploy.lock"

// ErrLocked means another deploy or rollback to the same DEST is running.
var ErrLocked = errors.New("另一个部署正在进行")

// lock takes DEST's deploy lock without waiting: a second deploy says so at once rather
// than interleaving its switch and pruning with the first. The lock also ends with the
// process, however it ends.
func lock(dest string) (release func(), err error) {
	return buildlock.AcquireFile(filepath.Join(dest, lockName), "jingjian deploy", "部署锁", ErrLocked)
}
