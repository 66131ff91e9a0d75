package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// Fingerprint summarises every input of a build of the site in dir: config.toml's bytes,
// the name, size, time and mode of every file under content/, layouts/, static/ and
// assets/ and of the [search] word and synonym files, the options, and extra (the program's own identity). Equal fingerprints mean a
// rebuild would write the same output. It reads file metadata only, so it is fast.
func Fingerprint(dir string, opts Options, extra string) (string, error) {
	full, _, err := Fingerprints(dir, opts, extra)
	return full, err
}

// Fingerprints returns Fingerprint(dir, opts, extra) and Fingerprint(dir, Options{}, ""),
// the sources alone, from one walk of the site.
func Fingerprints(dir string, opts Options, extra string) (full, sources string, err error) {
	var files bytes.Buffer
	if err := stampFiles(&files, dir); err != nil {
		return "", "", err
	}
	sum := func(opts Options, extra string) string {
		h := sha256.New()
		fmt.Fprintf(h, "jingjian build v1\x00%s\x00drafts=%t\x00base=%s\x00", extra, opts.Drafts, opts.BaseURL)
		h.Write(files.Bytes())
		return hex.EncodeToString(h.Sum(nil))
	}
	return sum(opts, extra), sum(Options{}, ""), nil
}

// stampFiles writes what Fingerprint covers of the files of the site in dir to h.
func stampFiles(h io.Writer, dir string) error {
	cfg, err := os.ReadFile(filepath.Join(dir, "config.toml"))
	if err != nil {
		return err
	}
	h.Write(cfg)
	// The site's dictionary, synonym and privacy allow-list files are inputs too: editing
	// one changes the index or what a build accepts (and a bad line must be reported). A config.toml that does not parse stamps none;
	// the build that follows reports it.
	extra := DefaultConfig()
	if text, _, err := decodeText(cfg); err == nil {
		if _, err := toml.Decode(string(text), extra); err == nil {
			for _, p := range extra.ownFiles() {
				info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)))
				if err != nil {
					fmt.Fprintf(h, "%s\x00missing\x00", p)
					continue
				}
				stamp(h, "search:"+p, info)
			}
		}
	}
	for _, name := range inputDirs {
		files, errs := walkInput(dir, name, nil, name == "content")
		if err := errs.Err(); err != nil {
			return err
		}
		for _, f := range files {
			info, err := os.Stat(f.abs)
			if err != nil {
				return err
			}
			stamp(h, name+"/"+f.rel, info)
		}
	}
	return nil
}

func stamp(h io.Writer, name string, info fs.FileInfo) {
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%o\x00", name, info.Size(), info.ModTime().UnixNano(), info.Mode())
}
