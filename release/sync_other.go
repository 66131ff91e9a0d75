//go:build !unix

package release

func syncDir(string) error { return nil }
