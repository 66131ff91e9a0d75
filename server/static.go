package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
)

// fingerprinted matches asset names carrying a content hash (style.516dab7ff4.css):
// their bytes never change under that name, so browsers may keep them for a year.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{10}\.[a-z0-9]+$`)

// staticFiles serves the built site read-only. Names starting with a dot (the build's
// marker and manifest) are never served; paths are cleaned and confined to dest, and so
// are symbolic links: files are opened through an os.Root of dest, which refuses a link
// that leads outside it. The root is opened per request, by name: a build swaps a new
// folder in under the same name (or a deploy switches the link dest is), and the next
// request sees it.
func staticFiles(dest string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := cleanPath(r.URL.Path)
		if !ok {
			http.Error(w, "400 无效的路径", http.StatusBadRequest)
			return
		}
		dir, err := os.OpenRoot(dest)
		if err != nil {
			http.Error(w, "503 网站尚未构建", http.StatusServiceUnavailable)
			return
		}
		defer dir.Close()
		root := dir.FS()
		name := strings.TrimPrefix(p, "/")
		if name == "" {
			name = "."
		}
		f, info, err := open(root, name)
		if err == nil && info.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				// Folder URLs end in a slash, so relative links inside them resolve.
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				f.Close()
				return
			}
			f.Close()
			f, info, err = open(root, path.Join(name, "index.html"))
		}
		if err != nil {
			notFound(w, r, root)
			return
		}
		defer f.Close()
		h := w.Header()
		h.Set("ETag", fmt.Sprintf(`"%x-%x"`, info.Size(), info.ModTime().UnixNano()))
		if fingerprinted.MatchString(info.Name()) {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache") // revalidate: the ETag makes that cheap
		}
		rs, ok := f.(io.ReadSeeker)
		if !ok {
			http.Error(w, "500 文件无法读取", http.StatusInternalServerError)
			return
		}
		http.ServeContent(w, r, info.Name(), info.ModTime(), rs)
	})
}

// cleanPath rejects what no built site contains (NUL bytes, backslashes, dot files) and
// returns the cleaned path, which cannot climb above the root.
func cleanPath(p string) (string, bool) {
	if strings.ContainsAny(p, "\x00\\") {
		return "", false
	}
	c := path.Clean("/" + p)
	if slices.ContainsFunc(strings.Split(c, "/"), func(seg string) bool { return strings.HasPrefix(seg, ".") }) {
		return "", false
	}
	return c, true
}

func open(root fs.FS, name string) (fs.File, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, nil, fs.ErrInvalid
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.IsDir() && !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fs.ErrNotExist
	}
	return f, info, nil
}

// notFound serves the site's own 404 page with status 404.
func notFound(w http.ResponseWriter, r *http.Request, root fs.FS) {
	b, err := fs.ReadFile(root, "404.html")
	if err != nil || errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusNotFound)
	w.Write(b)
}
