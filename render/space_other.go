//go:build !linux

package render

// freeSpace returns -1: the free space is not looked up on this system.
func freeSpace(string) int64 { return -1 }
