package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"jingjian/site"
)

// A Memo lets a long-running process (serve --watch) skip the outputs an edit cannot
// have changed: the page of every unchanged source file, while no title, date, order,
// URL, taxonomy term or alias changed anywhere (those show on other pages: 上一篇/下一篇,
// breadcrumbs, link fields), and static files whose size and time are unchanged. Lists,
// feeds and the home page are always rendered. The bytes are copied from the output
// being replaced. On the laws corpus a one-file edit then renders about 50 outputs
// instead of 3,700.
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
	for _, o := range outs {
		switch {
		case o.page != nil:
			o.key = "page\x00" + o.page.Hash + "\x00" + structure
		case o.src != "":
			if info, err := os.Stat(o.src); err == nil {
				o.key = "file\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + info.ModTime().Format(time.RFC3339Nano)
			}
		}
	}
}

// structureOf fingerprints what a page's output may show of other pages: every page's
// place, title, date, URL, terms and aliases, in section order.
func structureOf(s *site.Site) string {
	h := sha256.New()
	page := func(h hash.Hash, p *site.Page) {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00%t\x00%q\x00", p.Path, p.URL, p.Title, p.Date.Format(time.RFC3339), p.Weight, p.Draft, p.Aliases)
		for key, terms := range p.Terms {
			io.WriteString(h, key)
			for _, t := range terms {
				fmt.Fprintf(h, "\x00%s\x00%s", t.Name, t.URL)
			}
		}
		io.WriteString(h, "\n")
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

// copyOutput copies one output file from the served folder into the one being built.
func copyOutput(dest, tmp, p string) error {
	b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(tmp, filepath.FromSlash(p)), b, 0o644)
}
