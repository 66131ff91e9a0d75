//go:build unix

package release

import "os"

// syncDir flushes a folder's entries, so a rename or new link survives a power cut.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
