//go:build !linux

package render

// exchange swaps tmp in for dest by renames where renameat2 is not available.
func exchange(tmp, dest string) (bool, error) { return swapByRename(tmp, dest) }

// lockDir is a no-op where flock is not wired up; concurrent builds are the user's care.
func lockDir(string) (func(), error) { return func() {}, nil }

func syncDir(string) error { return nil }
