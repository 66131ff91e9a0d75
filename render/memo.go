package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"jingjian/site"
)

// A Memo lets a long-running process (serve --watch) skip the outputs an edit cannot
// have changed: the page of every unchanged source file, while no title, date, order,
// URL, taxonomy term or alias changed anywhere (those show on other pages: 上一篇/下一篇,
// breadcrumbs, link fields) and nothing the page shows of other pages changed (cited
// articles, citing pages, related pages, versions: site.Page.LinkKey); lists, the home page and taxonomies while in addition no
// summary changed, and so are feeds and the sitemap; static files whose size and time are
// unchanged. Their bytes are taken from the served output (as hard links, see
// copyOutput). On the laws corpus an edit of a page's text below its first paragraph then
// renders one page instead of 3,700.
//
// It relies on what the layouts show of other pages: their titles, dates, URLs, terms
// and summaries, as the default theme does. A custom layout that shows, say, the word
// counts of the pages in a list would see them refreshed by the next full build (every
// `jingjian build`, and serve after a change of layouts or config).
//
// A Memo assumes that layouts, assets and config.toml are unchanged since the last Build
// that used it: call Reset when any of them changes. Pass the same Memo to each Build of
// one destination; Builds must not run at once.
type Memo struct {
	mu      sync.Mutex
	dest    string
	outputs map[string]memoOutput // what dest holds, by output path
}

type memoOutput struct {
	key  string // what the bytes were made from; "" if unknown
	sum  digest
	size int64
}

// NewMemo returns an empty memo: the first Build using it renders everything.
func NewMemo() *Memo { return &Memo{} }

// Reset forgets everything: the next Build renders every output.
func (m *Memo) Reset() {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.outputs = nil
	m.mu.Unlock()
}

// Empty reports whether the memo knows nothing yet (or was Reset).
func (m *Memo) Empty() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.outputs) == 0
}

// reusable returns what dest holds for o, if o's inputs are the same as then.
func (m *Memo) reusable(dest string, o *output) (memoOutput, bool) {
	if m == nil || o.key == "" {
		return memoOutput{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	prev, ok := m.outputs[o.path]
	return prev, ok && m.dest == dest && prev.key == o.key
}

// record remembers what a successful Build wrote to dest.
func (m *Memo) record(dest string, outs []*output, sums []digest, sizes []int64) {
	if m == nil {
		return
	}
	now := make(map[string]memoOutput, len(outs))
	for i, o := range outs {
		now[o.path] = memoOutput{key: o.key, sum: sums[i], size: sizes[i]}
	}
	m.mu.Lock()
	m.dest, m.outputs = dest, now
	m.mu.Unlock()
}

// keyOutputs gives the outputs a memo can skip the key that identifies their inputs.
func keyOutputs(s *site.Site, outs []*output) {
	structure := structureOf(s)
	summaries := summariesOf(s)
	for _, o := range outs {
		switch {
		case o.page != nil:
			o.key = "page\x00" + o.page.Hash + "\x00" + structure + "\x00" + o.page.LinkKey()
		case o.make != nil:
			// Feeds and the sitemap: titles, dates, URLs and summaries of many pages.
			o.key = "feed\x00" + structure + "\x00" + summaries
		case o.tmpl != nil:
			// Lists, the home page, taxonomies, aliases, 404: they show the site's
			// structure, the summaries of the pages they list, and their own page.
			d, _ := o.data.(*data)
			own := ""
			if d != nil && d.Page != nil {
				own = d.Page.Hash
			}
			o.key = "list\x00" + own + "\x00" + structure + "\x00" + summaries
		case o.src != "":
			if info, err := os.Stat(o.src); err == nil {
				o.key = "file\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + info.ModTime().Format(time.RFC3339Nano)
			}
		}
		if len(o.shows) > 0 {
			// A version comparison: both versions' text and status, and the structure.
			k := "shows\x00" + structure
			for _, p := range o.shows {
				k += "\x00" + p.Hash + "\x00" + p.Status()
			}
			o.key = k
		}
	}
}

// structureOf fingerprints what a page's output may show of other pages: every page's
// place, title, date, URL, terms and aliases, in section order.
func structureOf(s *site.Site) string {
	h := sha256.New()
	var b []byte // one page's fields, written at once (Fprintf per page was a third of it)
	page := func(h hash.Hash, p *site.Page) {
		b = b[:0]
		for _, f := range []string{p.Path, p.URL, p.Title} {
			b = append(append(b, f...), 0)
		}
		b = p.Date.AppendFormat(b, time.RFC3339)
		b = strconv.AppendInt(append(b, 0), int64(p.Weight), 10)
		b = strconv.AppendBool(append(b, 0), p.Draft)
		for _, a := range p.Aliases {
			b = append(append(append(b, 0), 'a'), a...)
		}
		for _, key := range slices.Sorted(maps.Keys(p.Terms)) {
			b = append(append(b, 0), key...)
			for _, t := range p.Terms[key] {
				b = append(append(append(append(b, 0), t.Name...), 0), t.URL...)
			}
		}
		h.Write(append(b, '\n'))
	}
	for _, sec := range s.Sections {
		page(h, sec.Page)
		for _, p := range sec.Pages {
			page(h, p)
		}
	}
	fmt.Fprintf(h, "%d pages", len(s.Pages))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// summariesOf fingerprints the summaries of every page, which lists show: an edit below
// a page's first paragraph leaves every list as it was.
func summariesOf(s *site.Site) string {
	h := sha256.New()
	for _, p := range s.Pages {
		io.WriteString(h, p.Summary)
		io.WriteString(h, "\x00")
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// copyOutput puts the served output's file p into the folder being built: as a hard
// link, which costs no copying (writeOutput never writes into a file in place, so the
// two folders never change each other's files), or as a copy where links fail.
func copyOutput(dest, tmp, p string) error {
	from := filepath.Join(dest, filepath.FromSlash(p))
	to := filepath.Join(tmp, filepath.FromSlash(p))
	if err := os.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if os.Link(from, to) == nil {
		return nil
	}
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// writeOutput writes an output file as a new file: the old one may be a hard link to the
// file being served (see copyOutput), which must not change.
func writeOutput(path string, b []byte) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Prime fills m from the output in dest, which the caller knows was built from s (see
// Current): the first edit under serve --watch is then incremental too.
func Prime(m *Memo, s *site.Site, dest string) error {
	t, a, err := loadTheme(s, nil)
	if err != nil {
		return err
	}
	outs, err := plan(s, t, a)
	if err != nil {
		return err
	}
	keyOutputs(s, outs)
	have, err := readManifest(filepath.Join(dest, manifestName))
	if err != nil {
		return err
	}
	sums := make([]digest, len(outs))
	sizes := make([]int64, len(outs))
	for i, o := range outs {
		d, ok := have[o.path]
		info, err := os.Stat(filepath.Join(dest, filepath.FromSlash(o.path)))
		if !ok || err != nil {
			return fmt.Errorf("%s 不是这个站点的完整输出（缺少 %s）", dest, o.path)
		}
		sums[i], sizes[i] = d, info.Size()
	}
	m.record(dest, outs, sums, sizes)
	return nil
}
