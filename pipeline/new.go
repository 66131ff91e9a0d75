package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"jingjian/site"
)

// New writes a new page titled title in section of the site of o, from the section's
// archetype (see site.Archetype), and returns its path relative to the site. It never
// overwrites: an existing file is an error and stays as it was.
func New(o Options, section, title string, now time.Time) (string, error) {
	o, err := o.withDefaults()
	if err != nil {
		return "", err
	}
	cfg, err := site.LoadConfig(filepath.Join(o.Site, "config.toml"), "config.toml")
	if err != nil {
		return "", err
	}
	page, err := site.Archetype(o.Site, cfg, section, title, now)
	if err != nil {
		return "", err
	}
	abs := filepath.Join(o.Site, filepath.FromSlash(page.Rel))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s 已经存在，没有改动它；请换一个标题，或直接编辑这个文件", page.Rel)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.Write(page.Text); err != nil {
		f.Close()
		os.Remove(abs)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(abs)
		return "", err
	}
	return page.Rel, nil
}
