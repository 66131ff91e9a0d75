package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"jingjian/internal/textpos"
	"jingjian/site"
)

// layers finds theme files: the site's own folder first, then the theme, so a site
// overrides any layout, partial, asset or static file by giving one of the same name.
type layers struct {
	site  string // the site folder on disk
	theme fs.FS
}

// read returns a file's bytes and where it came from, for messages.
func (l layers) read(name string) ([]byte, string, error) {
	own := filepath.Join(l.site, filepath.FromSlash(name))
	if b, err := os.ReadFile(own); err == nil {
		return b, name, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, name, err
	}
	b, err := fs.ReadFile(l.theme, name)
	return b, "theme:" + name, err
}

// list returns the union of the file names (or, with dirs, folder names) directly in dir.
func (l layers) list(dir string, dirs bool) []string {
	var names []string
	add := func(entries []fs.DirEntry) {
		for _, e := range entries {
			if e.IsDir() == dirs && !slices.Contains(names, e.Name()) {
				names = append(names, e.Name())
			}
		}
	}
	own, _ := os.ReadDir(filepath.Join(l.site, filepath.FromSlash(dir)))
	add(own)
	theirs, _ := fs.ReadDir(l.theme, dir)
	add(theirs)
	slices.Sort(names)
	return names
}

// templates holds the parsed layouts, each a clone of baseof with its partials.
type templates struct {
	layers layers
	byName map[string]*template.Template // layout path → template, or nil if absent
	funcs  template.FuncMap
	errs   textpos.List
}

var tmplLineRE = regexp.MustCompile(`^template: [^:]+:(\d+):(?:(\d+):)? ?`)

// layoutError turns a html/template error into path:line: message.
func layoutError(source string, err error) *textpos.Error {
	msg := err.Error()
	pos := textpos.Pos{Path: source}
	if m := tmplLineRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			pos.Col, _ = strconv.Atoi(m[2])
		}
		msg = msg[len(m[0]):]
	}
	return &textpos.Error{Pos: pos, Msg: "模板错误: " + msg}
}

// base parses baseof.html and every partial into one template set.
func (t *templates) base() *template.Template {
	root := template.New("").Funcs(t.funcs)
	for _, name := range t.layers.list("layouts/partials", false) {
		b, src, err := t.layers.read("layouts/partials/" + name)
		if err == nil {
			_, err = root.New(name).Parse(string(b))
		}
		if err != nil {
			t.errs = append(t.errs, layoutError(src, err))
		}
	}
	b, src, err := t.layers.read("layouts/_default/baseof.html")
	if err == nil {
		_, err = root.New("baseof.html").Parse(string(b))
	}
	if err != nil {
		t.errs = append(t.errs, layoutError(src, err))
	}
	return root
}

// load parses every layout the site can use. withBase layouts define "main" for baseof.
func (t *templates) load() {
	base := t.base()
	t.byName = map[string]*template.Template{}
	dirs := []string{"_default"}
	for _, name := range t.layers.list("layouts", true) {
		if name != "_default" && name != "partials" {
			dirs = append(dirs, name)
		}
	}
	for _, dir := range dirs {
		for _, name := range t.layers.list("layouts/"+dir, false) {
			if name == "baseof.html" || path.Ext(name) != ".html" {
				continue
			}
			key := dir + "/" + name
			b, src, err := t.layers.read("layouts/" + key)
			if err != nil {
				t.errs = append(t.errs, layoutError(src, err))
				continue
			}
			var tmpl *template.Template
			if name == "alias.html" {
				tmpl, err = template.New(key).Funcs(t.funcs).Parse(string(b))
			} else {
				tmpl, err = template.Must(base.Clone()).New(key).Parse(string(b))
				if err == nil {
					tmpl = tmpl.Lookup("baseof.html")
				}
			}
			if err != nil {
				t.errs = append(t.errs, layoutError(src, err))
				continue
			}
			t.byName[key] = tmpl
		}
	}
}

// lookup finds the layout for a kind in a top-level section, Hugo style:
// layouts/SECTION/KIND.html, then layouts/_default/KIND.html.
func (t *templates) lookup(section, kind string) *template.Template {
	if section != "" {
		if tmpl := t.byName[section+"/"+kind+".html"]; tmpl != nil {
			return tmpl
		}
	}
	return t.byName["_default/"+kind+".html"]
}

// assets fingerprints files under assets/ so they can be cached for a long time.
type assets struct {
	layers layers
	urls   map[string]string // asset name → fingerprinted output path
	files  map[string][]byte // fingerprinted output path → bytes
}

// newAssets fingerprints every file under assets/ (site first, then theme) up front, so
// layouts running in parallel only read the result.
func newAssets(l layers) (*assets, error) {
	a := &assets{layers: l, urls: map[string]string{}, files: map[string][]byte{}}
	for _, name := range l.walk("assets") {
		b, _, err := l.read("assets/" + name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		out := "/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		a.urls[name] = out
		a.files[out] = b
	}
	return a, nil
}

func (a *assets) url(name string) (string, error) {
	if u, ok := a.urls[name]; ok {
		return u, nil
	}
	return "", fmt.Errorf("找不到资源文件 assets/%s", name)
}

// walk returns the union of file paths under dir in both layers, relative to dir.
func (l layers) walk(dir string) []string {
	var names []string
	add := func(fsys fs.FS) {
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel := strings.TrimPrefix(p, dir+"/")
			if !slices.Contains(names, rel) {
				names = append(names, rel)
			}
			return nil
		})
	}
	add(os.DirFS(l.site))
	add(l.theme)
	slices.Sort(names)
	return names
}

// funcMap is the functions layouts may call.
func funcMap(s *site.Site, a *assets) template.FuncMap {
	prefix, absPrefix := basePaths(s.Config.BaseURL)
	rel := func(u string) string { return prefix + site.EscapePath(u) }
	filters := sectionFilters(s)
	return template.FuncMap{
		// filters lists, for a section's list page, the terms of its pages by taxonomy,
		// each linking to its page scoped to the top-level section.
		"filters":    func(sec *site.Section) []Filter { return filters[sectionTop(sec)] },
		"filterKeys": filterKeys,
		// filterFields lists a page's values of the fields its section filters by.
		"filterFields": filterFields,
		"rel":          rel,
		"abs":          func(u string) string { return absPrefix + site.EscapePath(u) },
		// absText is the same address for reading (on paper): its Chinese not escaped.
		"absText": func(u string) string { return absPrefix + u },
		"asset": func(name string) (string, error) {
			u, err := a.url(name)
			return rel(u), err
		},
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006年1月2日")
		},
		"isodate": func(t time.Time) string { return t.Format(time.DateOnly) },
		"join":    strings.Join,
		"term": func(p *site.Page, key, value string) *site.Term {
			for _, t := range p.Terms[key] {
				if t.Name == value {
					return t
				}
			}
			return nil
		},
		"latest": latest,
		// sectionTop names the top-level folder of a section (a class for per-section styles).
		"sectionTop": sectionTop,
		// content is a page's body with its citations linked and, after each article
		// other pages cite, the list of them (see citedContent).
		"content": func(p *site.Page) template.HTML { return citedContent(s, p, rel) },
		"listing": func(pages []*site.Page, showSection bool) listing {
			return listing{Pages: pages, ShowSection: showSection}
		},
		"first": func(n int, terms []*site.Term) []*site.Term {
			return terms[:min(n, len(terms))]
		},
		// compareURL is the address of the version comparison of two consecutive versions.
		"compareURL": compareURL,
	}
}

// listing is what the pagelist partial shows: pages, and whether to name their section.
type listing struct {
	Pages       []*site.Page
	ShowSection bool
}

// latest returns the n newest pages in a section and below.
func latest(sec *site.Section, n int) []*site.Page {
	var all []*site.Page
	var walk func(*site.Section)
	walk = func(s *site.Section) {
		all = append(all, s.Pages...)
		for _, sub := range s.Sections {
			walk(sub)
		}
	}
	walk(sec)
	slices.SortStableFunc(all, func(a, b *site.Page) int { return b.Date.Compare(a.Date) })
	return all[:min(n, len(all))]
}

// basePaths splits baseURL into the path prefix for site-relative links and the prefix
// for absolute links (RSS, sitemap). With baseURL "/" both are "".
func basePaths(baseURL string) (prefix, abs string) {
	abs = strings.TrimSuffix(baseURL, "/")
	prefix = abs
	if i := strings.Index(abs, "://"); i >= 0 {
		rest := abs[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			prefix = rest[j:]
		} else {
			prefix = ""
		}
	}
	return site.EscapePath(prefix), abs
}

// execute runs a template into a buffer.
func execute(t *template.Template, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
