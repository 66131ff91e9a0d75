// Package render writes a loaded site as static files into a temporary folder beside the
// destination and swaps it in only when every file is written, so a failed or killed
// build never leaves a half-written site.
package render

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"golang.org/x/sync/errgroup"

	"jingjian/internal/textpos"
	"jingjian/site"
	"jingjian/themes"
)

// Options say where and how to write.
type Options struct {
	Dest        string                // the output folder, replaced as a whole
	Theme       fs.FS                 // nil means the embedded default theme
	Fingerprint string                // recorded in the output so an unchanged rebuild can be skipped
	Progress    func(done, total int) // called as files are written; may be nil
	Memo        *Memo                 // lets repeated builds skip unchanged pages; may be nil
	// Extra are more files of the output, by slash-separated path: the static search
	// index (indexer.StaticFiles).
	Extra map[string][]byte
}

// Result counts what a build produced.
type Result struct {
	Files   int   // files in the output
	Bytes   int64 // their total size
	Written int   // files whose bytes changed and were written
	Removed int   // files of the previous output no longer produced
	Reused  int   // outputs a Memo showed unchanged, not rendered again
}

// An output is one file to write: from a template, from bytes, or copied from disk.
type output struct {
	path  string // slash-separated, relative to the destination
	tmpl  *template.Template
	data  any
	bytes []byte
	src   string
	make  func() ([]byte, error) // makes the bytes (feeds, sitemap)
	page  *site.Page             // the regular page this output shows, if it is one
	shows []*site.Page           // other pages whose text it shows (a version comparison's two versions)
	key   string                 // identifies the inputs, for a Memo; "" when it cannot be skipped
}

// Build renders s into opts.Dest.
func Build(ctx context.Context, s *site.Site, opts Options) (Result, error) {
	t, a, err := loadTheme(s, opts.Theme)
	if err != nil {
		return Result{}, err
	}
	outs, err := plan(s, t, a)
	if err != nil {
		return Result{}, err
	}
	for _, p := range slices.Sorted(maps.Keys(opts.Extra)) {
		outs = append(outs, &output{path: p, bytes: opts.Extra[p]})
	}
	if opts.Memo != nil {
		keyOutputs(s, outs)
	}

	var res Result
	var need int64 // bytes this build writes, estimated if it stopped early
	sums := make([]digest, len(outs))
	sizes := make([]int64, len(outs))
	err = replaceDir(opts.Dest, opts.Fingerprint, func(tmp string, old manifest) (manifest, error) {
		if err := makeDirs(tmp, outs, old); err != nil {
			return nil, err
		}
		var (
			done    atomic.Int64
			reused  atomic.Int64
			written atomic.Int64
			size    atomic.Int64
			known   atomic.Int64 // outputs whose bytes are known
			toWrite atomic.Int64 // bytes of those that had to be written
			errs    = make([]*textpos.Error, len(outs))
		)
		g, ctx := errgroup.WithContext(ctx)
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, o := range outs {
			if ctx.Err() != nil {
				break // a full disk, or the caller gave up: start no more
			}
			g.Go(func() error {
				if err := ctx.Err(); err != nil {
					return err
				}
				if reuse(opts, tmp, old, o, &sums[i], &sizes[i]) {
					reused.Add(1)
					known.Add(1)
					size.Add(sizes[i])
					if opts.Progress != nil {
						opts.Progress(int(done.Add(1)), len(outs))
					}
					return nil
				}
				b, err := o.produce()
				if err == nil {
					sums[i], sizes[i] = sum(b), int64(len(b))
					size.Add(sizes[i])
					known.Add(1)
					if prev, ok := old[o.path]; !ok || prev != sums[i] {
						written.Add(1)
						toWrite.Add(sizes[i])
						if err := writeOut(filepath.Join(tmp, filepath.FromSlash(o.path)), b); err != nil {
							if DiskFull(err) {
								return err // stops every writer: one message, not one per file
							}
							errs[i] = &textpos.Error{Pos: textpos.Pos{Path: o.path}, Msg: writeFailed + "（" + osReason(err) + "）"}
						}
					}
				} else {
					errs[i] = &textpos.Error{Pos: textpos.Pos{Path: o.path}, Msg: err.Error()}
				}
				if opts.Progress != nil {
					opts.Progress(int(done.Add(1)), len(outs))
				}
				return nil
			})
		}
		err := g.Wait()
		if n := known.Load(); n > 0 {
			need = toWrite.Load() * int64(len(outs)) / n
		}
		if err != nil {
			return nil, err
		}
		if err := dedupe(errs).Err(); err != nil {
			return nil, err
		}
		m := make(manifest, len(outs))
		for i, o := range outs {
			m[o.path] = sums[i]
		}
		removed := removeGone(tmp, old, m)
		res = Result{Files: len(outs), Bytes: size.Load(), Written: int(written.Load()), Removed: removed, Reused: int(reused.Load())}
		return m, nil
	})
	if err != nil {
		opts.Memo.Reset() // dest may or may not have been swapped: trust nothing
		if DiskFull(err) {
			// replaceDir has removed the unfinished output, so this is what is free now.
			err = &DiskFullError{Dest: opts.Dest, Need: need, Free: freeSpace(filepath.Dir(opts.Dest)), Err: err}
		}
		return res, err
	}
	opts.Memo.record(opts.Dest, outs, sums, sizes)
	return res, nil
}

// writeOut writes one output file (writeOutput); tests replace it to make writes fail.
var writeOut = writeOutput

// writeFailed begins the message of an output file that could not be written.
const writeFailed = "无法写入输出文件"

// writeShown is how many outputs a write error that many share is reported at.
const writeShown = 3

// dedupe reports an error that many outputs share once, naming the first output (the
// first few for a write error) and, after the last named, how many others failed the same
// way, so one broken template or one unwritable folder does not print 3,000 lines.
func dedupe(errs []*textpos.Error) textpos.List {
	all := textpos.List(slices.DeleteFunc(slices.Clone(errs), func(e *textpos.Error) bool { return e == nil }))
	all.Sort() // the ones shown are the first in the order printed
	var list textpos.List
	shown := map[string][]*textpos.Error{}
	count := map[string]int{}
	for _, e := range all {
		limit := 1
		if strings.HasPrefix(e.Msg, writeFailed) {
			limit = writeShown
		}
		if len(shown[e.Msg]) < limit {
			shown[e.Msg] = append(shown[e.Msg], e)
			list = append(list, e)
			continue
		}
		count[e.Msg]++
	}
	for msg, n := range count {
		last := shown[msg][len(shown[msg])-1]
		last.Msg += fmt.Sprintf("（另有 %d 个输出文件出现同一错误）", n)
	}
	return list
}

// osReason is the operating system's reason for a failed file operation, without the
// path (a temporary folder's, which means nothing to the reader).
func osReason(err error) string {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// DiskFull reports whether err comes from a file system out of space or out of quota.
func DiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// A DiskFullError says that the output's file system ran out of space (or the user's
// quota) while a build wrote it. The build stopped at the first such failure, removed
// what it had written and left the previous output as it was.
type DiskFullError struct {
	Dest string // the output folder
	Need int64  // bytes the build writes, estimated; 0 when unknown
	Free int64  // bytes free there once the build gave up; negative when unknown
	Err  error  // the first failure
}

func (e *DiskFullError) Error() string {
	what, fix := "磁盘空间不足", "请清理磁盘"
	if errors.Is(e.Err, syscall.EDQUOT) {
		what, fix = "磁盘配额已满", "请清理该用户的文件或提高配额"
	}
	var figures []string
	if e.Need > 0 {
		figures = append(figures, "本次需写入约 "+megabytes(e.Need))
	}
	if e.Free >= 0 {
		figures = append(figures, "可用 "+megabytes(e.Free))
	}
	msg := what + "：写入 " + e.Dest + " 时失败"
	if len(figures) > 0 {
		msg += "（" + strings.Join(figures, "，") + "）"
	}
	return msg + "；" + fix + "后重新构建（jingjian build）。原有输出未改动。"
}

func (e *DiskFullError) Unwrap() error { return e.Err }

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// loadTheme parses a site's layouts (its own over the theme's) and fingerprints its assets.
func loadTheme(s *site.Site, theme fs.FS) (*templates, *assets, error) {
	if theme == nil {
		theme = themes.Default()
	}
	l := layers{site: s.Dir, theme: theme}
	a, err := newAssets(l)
	if err != nil {
		return nil, nil, err
	}
	t := &templates{layers: l, funcs: funcMap(s, a)}
	t.load()
	if err := t.errs.Err(); err != nil {
		return nil, nil, err
	}
	return t, a, nil
}

// Pages renders pages on request (the search results page of the server) with the same
// layouts, navigation and assets as the built site.
type Pages struct {
	site *site.Site
	t    *templates
}

// NewPages prepares on-request rendering for s; theme nil means the default theme.
func NewPages(s *site.Site, theme fs.FS) (*Pages, error) {
	t, _, err := loadTheme(s, theme)
	if err != nil {
		return nil, err
	}
	return &Pages{site: s, t: t}, nil
}

// Search writes the results page: layouts/_default/search.html with the result as .Search.
func (p *Pages) Search(w io.Writer, title string, result any) error {
	tmpl := p.t.lookup("", "search")
	if tmpl == nil {
		return fmt.Errorf("主题缺少 layouts/_default/search.html")
	}
	return tmpl.Execute(w, &data{Site: p.site, Kind: "search", SearchTitle: title, Search: result,
		Crumbs: crumbs(p.site, nil, title), URL: "/search/"})
}

// produce returns an output's bytes.
// reuse takes an output from the memo when its inputs are unchanged: the file being
// rebuilt already holds its bytes, or they are copied from the served output.
func reuse(opts Options, tmp string, old manifest, o *output, sum *digest, size *int64) bool {
	prev, ok := opts.Memo.reusable(opts.Dest, o)
	if !ok {
		return false
	}
	if have, ok := old[o.path]; !ok || have != prev.sum {
		if copyOutput(opts.Dest, tmp, o.path) != nil {
			return false // render it after all
		}
	}
	*sum, *size = prev.sum, prev.size
	return true
}

func (o *output) produce() ([]byte, error) {
	switch {
	case o.tmpl != nil:
		b, err := execute(o.tmpl, o.data)
		if err != nil {
			return nil, fmt.Errorf("模板执行失败: %v", err)
		}
		return b, nil
	case o.src != "":
		return os.ReadFile(o.src)
	case o.make != nil:
		return o.make()
	}
	return o.bytes, nil
}

func sum(b []byte) digest {
	full := sha256.Sum256(b)
	var d digest
	copy(d[:], full[:])
	return d
}

// makeDirs creates every folder the outputs need, once each, before the parallel writes.
// Folders holding files of the reused output (old) exist already.
func makeDirs(root string, outs []*output, old manifest) error {
	seen := map[string]bool{}
	for p := range old {
		seen[path.Dir(p)] = true
	}
	for _, o := range outs {
		dir := path.Dir(o.path)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(dir)), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// removeGone deletes files of the reused output that this build no longer produces, and
// the folders they leave empty. It returns how many files it removed.
func removeGone(root string, old, now manifest) int {
	n := 0
	dirs := map[string]bool{}
	for p := range old {
		if _, ok := now[p]; ok {
			continue
		}
		if os.Remove(filepath.Join(root, filepath.FromSlash(p))) == nil {
			n++
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	ordered := make([]string, 0, len(dirs))
	for d := range dirs {
		ordered = append(ordered, d)
	}
	// Deepest first, so a parent is tried after its children; non-empty ones stay.
	slices.SortFunc(ordered, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range ordered {
		_ = os.Remove(filepath.Join(root, filepath.FromSlash(d)))
	}
	return n
}

// A Crumb is one step of a breadcrumb trail; the last has no URL.
type Crumb struct {
	Title string
	URL   string
}

// A Pager is one page of a paginated list.
type Pager struct {
	Number  int // starting at 1
	Total   int
	Pages   []*site.Page
	PrevURL string
	NextURL string
}

// data is what every layout receives.
type data struct {
	Site     *site.Site
	Kind     string // home, section, page, taxonomy, term, 404, alias
	Page     *site.Page
	Section  *site.Section
	Taxonomy *site.Taxonomy
	Term     *site.Term
	Pager    *Pager
	Crumbs   []Crumb
	URL      string // this output's own site-relative URL

	Search      any    // the search results page's result
	SearchTitle string // and its title

	Compare *comparison // a version comparison page's alignment

	Stats any // the statistics page's counts (*statsPage); on the home page too, for its link
}

// IsHome reports whether the output is the home page.
func (d *data) IsHome() bool { return d.Kind == "home" }

// Title is the page title for <title>.
func (d *data) Title() string {
	switch {
	case d.Term != nil:
		return d.Term.Taxonomy.Title + "：" + d.Term.Name
	case d.Taxonomy != nil:
		return d.Taxonomy.Title
	case d.Kind == "404":
		return "页面不存在"
	case d.Kind == "search":
		return d.SearchTitle
	case d.Compare != nil:
		return d.Compare.Title
	case d.Kind == "stats":
		return d.Stats.(*statsPage).Title
	case d.Page != nil:
		if d.Pager != nil && d.Pager.Number > 1 {
			return d.Page.Title + "（第 " + strconv.Itoa(d.Pager.Number) + " 页）"
		}
		return d.Page.Title
	}
	return d.Site.Config.Title
}

// Description is the page's meta description.
func (d *data) Description() string {
	if d.Compare != nil {
		return d.Compare.Summary()
	}
	if d.Page != nil && d.Page.Summary != "" {
		return d.Page.Summary
	}
	return d.Site.Config.Description
}

// InSection reports whether this output lies under the section URL u (for navigation).
func (d *data) InSection(u string) bool { return u != "/" && strings.HasPrefix(d.URL, u) }

// crumbs builds the trail from the home page to sec, ending with a title without link.
func crumbs(s *site.Site, sec *site.Section, last string) []Crumb {
	var out []Crumb
	if sec != nil {
		for _, a := range append(sec.Ancestors(), sec) {
			out = append(out, Crumb{Title: a.Page.Title, URL: a.Page.URL})
		}
	} else {
		out = []Crumb{{Title: s.Home.Page.Title, URL: "/"}}
	}
	if len(out) > 0 {
		out[0].Title = "首页"
	}
	return append(out, Crumb{Title: last})
}

// paginate splits pages into pagers whose first page lives at base and the rest at
// base/page/N/.
func paginate(pages []*site.Page, per int, base string) []*Pager {
	total := max(1, (len(pages)+per-1)/per)
	url := func(n int) string {
		if n == 1 {
			return base
		}
		return base + "page/" + strconv.Itoa(n) + "/"
	}
	out := make([]*Pager, total)
	for i := range out {
		p := &Pager{Number: i + 1, Total: total, Pages: pages[i*per : min(len(pages), (i+1)*per)]}
		if i > 0 {
			p.PrevURL = url(i)
		}
		if i+1 < total {
			p.NextURL = url(i + 2)
		}
		out[i] = p
	}
	return out
}

// pagerPath is the output file of pager n under base.
func pagerPath(base string, n int) string {
	if n == 1 {
		return indexFile(base)
	}
	return indexFile(base + "page/" + strconv.Itoa(n) + "/")
}

// indexFile turns a folder URL into its index.html path relative to the output root.
func indexFile(u string) string { return strings.TrimPrefix(u, "/") + "index.html" }

// plan lists every file of the site.
func plan(s *site.Site, t *templates, a *assets) ([]*output, error) {
	var outs []*output
	var missing textpos.List
	need := func(section, kind string) *template.Template {
		tmpl := t.lookup(section, kind)
		if tmpl == nil {
			missing.Add(textpos.Pos{Path: "layouts/_default/" + kind + ".html"}, "缺少模板；主题须提供它")
		}
		return tmpl
	}
	add := func(p string, tmpl *template.Template, d *data) {
		if tmpl != nil {
			outs = append(outs, &output{path: p, tmpl: tmpl, data: d})
		}
	}
	per := s.Config.Paginate

	home := &data{Site: s, Kind: "home", Page: s.Home.Page, Section: s.Home, URL: "/"}
	// Optional, so that a theme of its own needs no stats layout; no layout, no link.
	if st, tmpl := countStats(s), t.lookup("", "stats"); st != nil && tmpl != nil {
		home.Stats = st
		outs = append(outs, statsOutputs(s, st, tmpl)...)
	}
	add("index.html", need("", "home"), home)
	for _, sec := range s.Sections[1:] {
		top := sectionTop(sec)
		tmpl := need(top, "list")
		for _, pg := range paginate(sec.Pages, per, sec.Page.URL) {
			add(pagerPath(sec.Page.URL, pg.Number), tmpl, &data{Site: s, Kind: "section", Page: sec.Page, Section: sec, Pager: pg,
				Crumbs: crumbs(s, sec.Parent, sec.Page.Title), URL: sec.Page.URL})
		}
	}
	outs = append(outs, basketOutputs(s, t)...)
	// Before the pages: a page of the same path, however unlikely, wins.
	outs = append(outs, comparisonOutputs(s, func(section string) *template.Template { return need(section, "compare") })...)
	for _, p := range s.Pages {
		if tmpl := need(sectionTop(p.Section), "single"); tmpl != nil {
			outs = append(outs, &output{path: indexFile(p.URL), tmpl: tmpl, page: p, data: &data{Site: s, Kind: "page", Page: p, Section: p.Section,
				Crumbs: crumbs(s, p.Section, p.Title), URL: p.URL}})
		}
	}
	alias := t.lookup("", "alias")
	for _, p := range slices.Concat(s.Pages, sectionPages(s)) {
		for _, al := range p.Aliases {
			u := site.AliasURL(al)
			add(indexFile(u), alias, &data{Site: s, Kind: "alias", Page: p, URL: u})
		}
	}
	for _, tax := range s.Taxonomies {
		add(indexFile(tax.URL), need("", "taxonomy"), &data{Site: s, Kind: "taxonomy", Taxonomy: tax,
			Crumbs: crumbs(s, nil, tax.Title), URL: tax.URL})
		termTmpl := need("", "term")
		for _, term := range tax.Terms {
			for _, pg := range paginate(term.Pages, per, term.URL) {
				add(pagerPath(term.URL, pg.Number), termTmpl, &data{Site: s, Kind: "term", Taxonomy: tax, Term: term, Pager: pg,
					Crumbs: append(crumbs(s, nil, tax.Title)[:1], Crumb{Title: tax.Title, URL: tax.URL}, Crumb{Title: term.Name}), URL: term.URL})
			}
		}
	}
	termTmpl := need("", "term")
	filters := sectionFilters(s)
	for _, top := range slices.Sorted(maps.Keys(filters)) {
		sec := topSectionNamed(s, top)
		for _, f := range filters[top] {
			if f.Taxonomy == nil {
				continue // a field's values have no pages of their own
			}
			// The section's own index of the taxonomy: its terms among the section's pages.
			scoped := &site.Taxonomy{Key: f.Taxonomy.Key, Title: f.Taxonomy.Title, URL: sec.Page.URL + site.URLSegment(f.Taxonomy.Key) + "/", Terms: f.Terms}
			if !slices.ContainsFunc(s.Pages, func(p *site.Page) bool { return p.URL == scoped.URL }) {
				add(indexFile(scoped.URL), need("", "taxonomy"), &data{Site: s, Kind: "taxonomy", Section: sec, Taxonomy: scoped,
					Crumbs: append(crumbs(s, sec, scoped.Title)[:2], Crumb{Title: scoped.Title}), URL: scoped.URL})
			}
			for _, term := range f.Terms {
				for _, pg := range paginate(term.Pages, per, term.URL) {
					add(pagerPath(term.URL, pg.Number), termTmpl, &data{Site: s, Kind: "term", Section: sec, Taxonomy: f.Taxonomy, Term: term, Pager: pg,
						Crumbs: append(crumbs(s, sec, f.Taxonomy.Title)[:2], Crumb{Title: f.Taxonomy.Title, URL: scoped.URL}, Crumb{Title: term.Name}), URL: term.URL})
				}
			}
		}
	}
	add("404.html", need("", "404"), &data{Site: s, Kind: "404", URL: "/404.html"})
	if err := missing.Err(); err != nil {
		return nil, err
	}

	outs = append(outs, feedsAndMaps(s)...)
	for name, b := range a.files {
		outs = append(outs, &output{path: strings.TrimPrefix(name, "/"), bytes: b})
	}
	outs = append(outs, staticFiles(s, t.layers)...)
	return lastWins(outs), nil
}

// lastWins keeps one output per path, the last listed: a site's static/robots.txt
// replaces the generated one, and no two workers ever write the same file.
func lastWins(outs []*output) []*output {
	last := make(map[string]int, len(outs))
	for i, o := range outs {
		last[o.path] = i
	}
	kept := outs[:0]
	for i, o := range outs {
		if last[o.path] == i {
			kept = append(kept, o)
		}
	}
	return kept
}

// sectionTop returns the top-level folder name a section belongs to, for layout lookup.
func sectionTop(sec *site.Section) string {
	top, _, _ := strings.Cut(sec.Page.Dir, "/")
	return top
}

func sectionPages(s *site.Site) []*site.Page {
	out := make([]*site.Page, 0, len(s.Sections))
	for _, sec := range s.Sections {
		out = append(out, sec.Page)
	}
	return out
}

// staticFiles lists the theme's and the site's static/ files and the non-Markdown files
// under content/, later ones overriding earlier ones of the same output path.
func staticFiles(s *site.Site, l layers) []*output {
	byPath := map[string]*output{}
	var order []string
	put := func(o *output) {
		if _, ok := byPath[o.path]; !ok {
			order = append(order, o.path)
		}
		byPath[o.path] = o
	}
	_ = fs.WalkDir(l.theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, rerr := fs.ReadFile(l.theme, p)
			if rerr == nil {
				put(&output{path: strings.TrimPrefix(p, "static/"), bytes: b})
			}
		}
		return nil
	})
	for _, f := range s.Static {
		put(&output{path: f.Rel, src: f.Abs})
	}
	for _, f := range s.Files {
		segs := strings.Split(f.Rel, "/")
		for i, seg := range segs {
			segs[i] = site.URLSegment(seg)
		}
		put(&output{path: strings.Join(segs, "/"), src: f.Abs})
	}
	out := make([]*output, len(order))
	for i, p := range order {
		out[i] = byPath[p]
	}
	return out
}
