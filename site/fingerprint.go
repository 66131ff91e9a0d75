package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
)

// Fingerprint summarises every input of a build of the site in dir: config.toml's bytes,
// the name, size, time and mode of every file under content/, layouts/, static/ and
// assets/, the options, and extra (the program's own identity). Equal fingerprints mean a
// rebuild would write the same output. It reads file metadata only, so it is fast.
func Fingerprint(dir string, opts Options, extra string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "jingjian build v1\x00%s\x00drafts=%t\x00base=%s\x00", extra, opts.Drafts, opts.BaseURL)
	cfg, err := os.ReadFile(filepath.Join(dir, "config.toml"))
	if err != nil {
		return "", err
	}
	h.Write(cfg)
	files, errs := walkContent(filepath.Join(dir, "content"), "content")
	if len(errs) > 0 {
		return "", errs
	}
	for _, f := range files {
		info, err := os.Stat(f.abs)
		if err != nil {
			return "", err
		}
		stamp(h, "content/"+f.rel, info)
	}
	for _, sub := range []string{"layouts", "static", "assets"} {
		root := filepath.Join(dir, sub)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root && os.IsNotExist(err) {
					return nil
				}
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			stamp(h, filepath.ToSlash(rel), info)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func stamp(h hash.Hash, name string, info fs.FileInfo) {
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%o\x00", name, info.Size(), info.ModTime().UnixNano(), info.Mode())
}
