// Package site loads a content tree and its config.toml into a validated site model:
// pages with rendered bodies, nested sections, taxonomies and resolved links.
package site

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"jingjian/internal/textpos"
)

// Options are the build flags that change what is loaded.
type Options struct {
	Drafts   bool                  // include pages with draft = true
	BaseURL  string                // overrides config.toml's baseURL when set
	Progress func(done, total int) // called as pages are read; may be nil
	Cache    *Cache                // pages of earlier loads to reuse; may be nil
	// Config is the site's config.toml when the caller has read it already (LoadConfig);
	// Load reads it when nil. Load sets its BaseURL from the options.
	Config *Config

	caseDirs []string // the top-level folders of case sections, whose pages are linted
}

// A Site is a loaded, validated content tree.
type Site struct {
	Config     *Config
	Dir        string     // the site folder
	Home       *Section   // the root section; its page is the home page
	Sections   []*Section // every section, parents before children
	Pages      []*Page    // every regular page, by source path
	Taxonomies []*Taxonomy
	Files      []StaticFile    // non-Markdown files under content/, copied as they are
	Static     []StaticFile    // the files under static/, copied to the output's root
	Versions   []*VersionGroup // documents with several versions (or one out of force)

	titles *titleIndex // finds documents by the titles citations write, see ResolveMention
	// privacyAllow holds what the privacy lint accepts (Config.Privacy.AllowFile).
	privacyAllow map[string]bool
	Warnings     textpos.List
}

// A StaticFile is a file copied into the output unchanged.
type StaticFile struct {
	Abs string // path on disk
	Rel string // slash-separated output path
}

// A Section is a folder of content; its Page is its list page.
type Section struct {
	Page     *Page
	Parent   *Section
	Sections []*Section // subsections, by weight then title
	Pages    []*Page    // regular pages directly inside, in the section's sort order
	Schema   *SectionConfig
	Total    int // regular pages in this section and below
}

// Ancestors returns the section's parents from the home section down, excluding itself.
func (s *Section) Ancestors() []*Section {
	var out []*Section
	for p := s.Parent; p != nil; p = p.Parent {
		out = append(out, p)
	}
	slices.Reverse(out)
	return out
}

// Top returns the top-level section sec belongs to (sec itself at the top, home for home).
func (sec *Section) Top() *Section {
	for sec.Parent != nil && sec.Parent.Parent != nil {
		sec = sec.Parent
	}
	return sec
}

// A Taxonomy groups pages by the values of one front matter key (or their year).
type Taxonomy struct {
	Key   string
	Title string
	URL   string
	Terms []*Term // most pages first
}

// A Term is one value of a taxonomy and the pages that carry it.
type Term struct {
	Name     string
	URL      string
	Taxonomy *Taxonomy
	Pages    []*Page // newest first
}

// Load reads the site in dir. It reports every problem it finds, as a textpos.List;
// warnings alone do not make it fail and are kept in Site.Warnings.
func Load(ctx context.Context, dir string, opts Options) (*Site, error) {
	cfg := opts.Config
	if cfg == nil {
		var err error
		if cfg, err = LoadConfig(filepath.Join(dir, "config.toml"), "config.toml"); err != nil {
			return nil, err
		}
	}
	if opts.BaseURL != "" {
		cfg.BaseURL = opts.BaseURL
	}
	roots := linkRoots(dir, cfg.Build.AllowLinksTo)
	files, errs := walkInput(dir, "content", roots, true)
	errs = append(errs, cfg.Warnings...)
	s := &Site{Config: cfg, Dir: dir}
	for _, name := range inputDirs[1:] {
		found, ferrs := walkInput(dir, name, roots, false)
		errs = append(errs, ferrs...)
		if name == "static" {
			for _, f := range found {
				s.Static = append(s.Static, StaticFile{Abs: f.abs, Rel: f.rel})
			}
		}
	}

	var sources []sourceFile
	for _, f := range files {
		if isMarkdown(f.rel) {
			sources = append(sources, f)
		} else {
			s.Files = append(s.Files, StaticFile{Abs: f.abs, Rel: f.rel})
		}
	}
	opts.caseDirs = cfg.CaseSections()
	if opts.Cache != nil {
		opts.Cache.begin(cfg.Markup.Unsafe, opts)
	}
	pages, perr := readPages(ctx, sources, newMarkdown(cfg.Markup.Unsafe), cfg.Build.MaxFileSize, opts)
	if perr != nil {
		return nil, perr
	}
	if opts.Cache != nil {
		opts.Cache.keep(sources)
	}
	for _, p := range pages {
		errs = append(errs, p.problems...)
	}
	s.privacyAllow = readAllowList(dir, cfg.Privacy.AllowFile, &errs)
	s.assemble(pages, opts, &errs)
	errs.Sort()
	s.Warnings = errs.Warnings()
	if err := errs.Err(); err != nil {
		return s, err
	}
	return s, nil
}

// readPages reads, decodes and renders every Markdown file, in parallel; a file larger
// than limit is reported, not read.
func readPages(ctx context.Context, sources []sourceFile, md *markdown, limit ByteSize, opts Options) ([]*Page, error) {
	pages := make([]*Page, len(sources))
	var done atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, sf := range sources {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			pages[i] = readCached(sf, md, limit, opts)
			if opts.Progress != nil {
				opts.Progress(int(done.Add(1)), len(sources))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return pages, nil
}

// readCached is readPage through opts.Cache, when there is one. The file's size and time
// are taken before it is read: a write racing the read leaves a newer time on disk than
// the one remembered, and the next load reads the file again.
func readCached(sf sourceFile, md *markdown, limit ByteSize, opts Options) *Page {
	if opts.Cache == nil {
		return readPage(sf, md, limit, opts)
	}
	info, err := os.Stat(sf.abs)
	if err != nil || info.Size() > limit.Bytes {
		return readPage(sf, md, limit, opts) // it reports the error
	}
	if p, ok := opts.Cache.get(sf, info); ok {
		return p
	}
	p := readPage(sf, md, limit, opts)
	opts.Cache.put(sf, info, p)
	return p
}

// readPage turns one source file into a Page; problems land in the page's problems
// list (errors and warnings) so the caller can report them all together.
func readPage(sf sourceFile, md *markdown, limit ByteSize, opts Options) *Page {
	dir := path.Dir(sf.rel)
	if dir == "." {
		dir = ""
	}
	name := path.Base(sf.rel)
	p := &Page{Path: sf.rel, Dir: dir, IsSection: strings.TrimSuffix(name, path.Ext(name)) == "_index", fmLine: 2}
	raw, size, err := readSource(sf.abs, limit.Bytes)
	if err != nil {
		return p.fail(0, 0, "无法读取文件: %v", err)
	}
	if size > limit.Bytes {
		got, most := ByteSize{Bytes: size}.String(), limit.String()
		if got == most { // 20,000,001 bytes over a limit of 20 MB
			got, most = strconv.FormatInt(size, 10)+" 字节", strconv.FormatInt(limit.Bytes, 10)+" 字节"
		}
		return p.fail(0, 0, "文件大小 %s 超过上限 %s；请拆分文件，或在 config.toml 的 [build] 中调大 maxFileSize", got, most)
	}
	return p.parse(raw, md, opts)
}

// fail records an error that keeps the page out of the site model.
func (p *Page) fail(line, col int, format string, args ...any) *Page {
	p.problems.Add(textpos.Pos{Path: p.display(), Line: line, Col: col}, format, args...)
	p.broken = true
	return p
}

// parse fills in a page from the bytes of its file: decoding, front matter, Markdown.
func (p *Page) parse(raw []byte, md *markdown, opts Options) *Page {
	display, name := p.display(), path.Base(p.Path)
	errs := &p.problems
	sum := sha256.Sum256(raw)
	p.Hash = hex.EncodeToString(sum[:])
	text, note, err := decodeText(raw)
	if te, ok := errors.AsType[*textError](err); ok {
		return p.fail(te.line, te.col, "%s", te.msg)
	}
	if err != nil {
		return p.fail(0, 0, "%v", err)
	}
	if note != "" {
		errs.Warn(textpos.Pos{Path: display}, "%s", note)
	}
	if top, _, _ := strings.Cut(p.Dir, "/"); slices.Contains(opts.caseDirs, top) {
		p.privacy = scanPrivacy(text) // only case pages: the scan reads every byte
	}
	fm, format, body, bodyLine, err := SplitFrontMatter(text)
	var fe *FrontMatterError
	if errors.As(err, &fe) {
		return p.fail(fe.Line, fe.Col, "%s", fe.Msg)
	}
	m, err := ParseFrontMatter(fm, format, 2)
	if errors.As(err, &fe) {
		return p.fail(fe.Line, fe.Col, "%s", fe.Msg)
	}
	p.fm, p.fmFormat = bytes.Clone(fm), format // not a slice of raw, which would keep the whole file alive with the page
	// A bad value (a date that is no date) is reported, and the page is read on: the
	// checks of its schema, links and citations report the rest of its problems in the
	// same run (the build fails all the same).
	p.applyFrontMatter(m, display, errs)
	if p.Draft && !opts.Drafts {
		return p
	}
	if stripped, n, names, first := stripShortcodes(body); n > 0 {
		line, col := textpos.LineCol(body, first)
		errs.Warn(textpos.Pos{Path: display, Line: bodyLine + line - 1, Col: col}, "文件中有 %d 处 Hugo 短代码（%s）；镜鉴不执行短代码：成对的只保留其中的内容，单个的已删除，ref/relref 换成它指向的文件", n, strings.Join(names, "、"))
		body = stripped
	}
	r, err := md.convert(body, p.Title)
	if err != nil {
		return p.fail(0, 0, "Markdown 无法转换: %v", err)
	}
	p.Content, p.TOC, p.Articles, p.Text, p.Marks = r.HTML, r.TOC, r.Articles, r.Text, r.Marks
	p.links = r.Links
	for i := range p.links {
		p.links[i].line += bodyLine - 1
	}
	p.mentions = ParseMentions(p.Text) // here, in parallel and kept by the page cache
	p.Words = utf8.RuneCount(body)
	if p.Title == "" {
		p.Title = r.FirstTitle
	}
	if p.Title == "" && !p.IsSection {
		p.Title = TitleFromName(name)
	}
	if p.Date.IsZero() {
		p.Date = DateFromName(name)
	}
	if p.Summary == "" {
		p.Summary = r.Summary
	}
	return p
}

// readSource reads a file of at most limit bytes. For a larger one it returns only the
// size, found before reading, so a huge file costs no memory (and a file growing while it
// is read stops being read at limit+1 bytes).
func readSource(name string, limit int64) (raw []byte, size int64, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if info.Size() > limit {
		return nil, info.Size(), nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead))
	size, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, 0, err
	}
	if size > limit {
		return nil, size, nil
	}
	return buf.Bytes(), size, nil
}

// assemble builds sections, URLs, taxonomies and links from the loaded pages and checks
// them against the site's schemas.
func (s *Site) assemble(all []*Page, opts Options, errs *textpos.List) {
	byDir := map[string]*Section{}
	var section func(dir string) *Section
	section = func(dir string) *Section {
		if sec := byDir[dir]; sec != nil {
			return sec
		}
		sec := &Section{Page: &Page{Dir: dir, IsSection: true}}
		sec.Page.Section = sec
		byDir[dir] = sec
		if dir != "" {
			parent := path.Dir(dir)
			if parent == "." {
				parent = ""
			}
			sec.Parent = section(parent)
			sec.Parent.Sections = append(sec.Parent.Sections, sec)
		}
		return sec
	}
	s.Home = section("")
	for _, p := range all {
		if p.broken || p.Draft && !opts.Drafts {
			continue
		}
		sec := section(p.Dir)
		if p.IsSection {
			p.Section = sec
			sec.Page = p
			continue
		}
		p.Section = sec
		sec.Pages = append(sec.Pages, p)
		s.Pages = append(s.Pages, p)
	}

	// Section titles, schemas and URLs, parents first.
	var walk func(sec *Section, segs []string)
	walk = func(sec *Section, segs []string) {
		s.Sections = append(s.Sections, sec)
		dir := sec.Page.Dir
		top, _, _ := strings.Cut(dir, "/")
		sec.Schema = s.Config.Sections[top]
		if sec.Page.Title == "" {
			switch {
			case dir == "":
				sec.Page.Title = s.Config.Title
			case sec.Parent == s.Home && sec.Schema != nil:
				sec.Page.Title = sec.Schema.Title
			default:
				sec.Page.Title = path.Base(dir)
			}
		}
		sec.Page.URL = joinURL(segs...)
		for _, p := range sec.Pages {
			slug := p.Slug
			if slug == "" {
				slug = strings.TrimSuffix(path.Base(p.Path), path.Ext(p.Path))
			}
			p.URL = joinURL(append(segs[:len(segs):len(segs)], URLSegment(slug))...)
		}
		for _, sub := range sec.Sections {
			walk(sub, append(segs[:len(segs):len(segs)], URLSegment(path.Base(sub.Page.Dir))))
		}
	}
	walk(s.Home, nil)

	s.checkURLs(errs)
	s.groupVersions()
	s.validate(errs)
	s.checkPrivacy(errs)
	s.checkTitles(errs)
	s.buildTaxonomies(errs)
	s.checkLinks(errs)
	s.citeLinks()
	s.citeText(errs)
	s.linkCitations()
	s.sortAll()
}

// display is how a page's source is named in messages.
func (p *Page) display() string {
	if p.Path == "" {
		return "content/" + p.Dir
	}
	return "content/" + p.Path
}

// checkURLs reports two sources claiming one output URL, in both files, at the line
// that gives each its URL (slug, aliases; the file name when neither). A second alias of
// one URL is a warning and left out, as Hugo does: the first claim keeps it.
func (s *Site) checkURLs(errs *textpos.List) {
	type claimant struct {
		p   *Page
		key string // the front matter key that gives the URL
	}
	owner := map[string]claimant{}
	pos := func(c claimant) textpos.Pos {
		if c.p.Params[c.key] != nil {
			return c.p.keyPos(c.p.display(), c.key)
		}
		return textpos.Pos{Path: c.p.display()} // the file name gives it
	}
	claim := func(url string, c claimant, what string) bool {
		key := strings.ToLower(url) // case-insensitive file systems would merge them
		prev, ok := owner[key]
		if !ok || prev.p == c.p {
			owner[key] = c
			return true
		}
		if c.key == "aliases" {
			errs.Warn(pos(c), "别名 %s 与 %s 的网址相同，已忽略这个别名（先出现的保留）；请删除其中一个", url, pos(prev))
			return false
		}
		errs.Add(pos(c), "%s %s 与 %s 的网址相同；请修改其中一个的文件名或 slug", what, url, pos(prev))
		errs.Add(pos(prev), "%s %s 与 %s 的网址相同；请修改其中一个的文件名或 slug", what, url, pos(c))
		return true
	}
	for _, sec := range s.Sections {
		claim(sec.Page.URL, claimant{sec.Page, "slug"}, "栏目网址")
	}
	for _, p := range s.Pages {
		claim(p.URL, claimant{p, "slug"}, "网址")
	}
	for _, p := range slices.Concat(s.Pages, sectionPages(s.Sections)) {
		kept := p.Aliases[:0:0]
		for _, a := range p.Aliases {
			if claim(AliasURL(a), claimant{p, "aliases"}, "别名") {
				kept = append(kept, a)
			}
		}
		p.Aliases = kept
	}
	for _, key := range s.Config.TaxonomyOrder {
		if prev, ok := owner[strings.ToLower(joinURL(key))]; ok {
			errs.Add(pos(prev), "网址 /%s/ 与分类法 %s 的页面冲突；请改名栏目或分类法", key, key)
		}
	}
}

func sectionPages(secs []*Section) []*Page {
	out := make([]*Page, 0, len(secs))
	for _, sec := range secs {
		out = append(out, sec.Page)
	}
	return out
}

// sortAll orders every section's pages and subsections and links prev/next.
func (s *Site) sortAll() {
	// Pinyin sort keys, made once per title: comparing keys is much cheaper than
	// collating two titles at every comparison of the sorts below.
	coll := collate.New(language.SimplifiedChinese)
	var buf collate.Buffer
	keys := map[*Page][]byte{}
	key := func(p *Page) []byte {
		k, ok := keys[p]
		if !ok {
			k = coll.KeyFromString(&buf, p.Title)
			keys[p] = k
		}
		return k
	}
	byTitle := func(a, b *Page) int { return bytes.Compare(key(a), key(b)) }
	for _, sec := range s.Sections {
		order := "weight"
		if sec.Schema != nil {
			order = sec.Schema.Sort
		}
		slices.SortStableFunc(sec.Pages, func(a, b *Page) int {
			switch order {
			case "date":
				return cmp.Or(b.Date.Compare(a.Date), byTitle(a, b), cmp.Compare(a.Path, b.Path))
			case "title":
				return cmp.Or(byTitle(a, b), cmp.Compare(a.Path, b.Path))
			}
			return cmp.Or(compareWeight(a.Weight, b.Weight), byTitle(a, b), b.Date.Compare(a.Date), cmp.Compare(a.Path, b.Path))
		})
		for i, p := range sec.Pages {
			if i > 0 {
				p.Prev = sec.Pages[i-1]
			}
			if i+1 < len(sec.Pages) {
				p.Next = sec.Pages[i+1]
			}
		}
		slices.SortStableFunc(sec.Sections, func(a, b *Section) int {
			return cmp.Or(compareWeight(a.Page.Weight, b.Page.Weight), s.configRank(a)-s.configRank(b), byTitle(a.Page, b.Page))
		})
	}
	for i := len(s.Sections) - 1; i >= 0; i-- {
		sec := s.Sections[i]
		sec.Total += len(sec.Pages)
		if sec.Parent != nil {
			sec.Parent.Total += sec.Total
		}
	}
}

// configRank orders top-level sections as config.toml declares them.
func (s *Site) configRank(sec *Section) int {
	if sec.Parent != s.Home {
		return 0
	}
	if i := slices.Index(s.Config.SectionOrder, sec.Page.Dir); i >= 0 {
		return i
	}
	return len(s.Config.SectionOrder)
}

// compareWeight sorts weighted pages first, by weight; weight 0 means unweighted (as in Hugo).
func compareWeight(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	}
	return cmp.Compare(a, b)
}

// Summary is the one-line report of a loaded site.
func (s *Site) Summary() string {
	terms := 0
	for _, t := range s.Taxonomies {
		terms += len(t.Terms)
	}
	return fmt.Sprintf("%d 页，%d 个栏目，%d 个分类词", len(s.Pages), len(s.Sections), terms)
}
