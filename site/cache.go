package site

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A Cache keeps the pages earlier loads read, so that a load after an edit reads and
// converts only the files that changed: under serve --watch a one-file edit of the laws
// corpus then costs a walk of the folders instead of converting 3,500 Markdown files
// (about 2 s of work). A file counts as unchanged while its size and modification time
// are; editors and version control always change the latter when they write. Pass the
// same Cache to each Load of one site; Loads must not run at once.
type Cache struct {
	mu    sync.Mutex
	setup string // what else reading depends on (markup and draft options)
	files map[string]cachedPage
}

type cachedPage struct {
	size int64
	mod  time.Time
	page Page // as readPage made it, before assemble linked it into a site
}

// NewCache returns an empty page cache.
func NewCache() *Cache { return &Cache{files: map[string]cachedPage{}} }

// Len is the number of pages held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.files)
}

// begin starts a load: a change of the options reading depends on empties the cache.
func (c *Cache) begin(unsafe bool, opts Options) {
	setup := strconv.FormatBool(unsafe) + "/" + strconv.FormatBool(opts.Drafts) + "/" + strings.Join(opts.caseDirs, "/")
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.setup != setup {
		c.setup, c.files = setup, map[string]cachedPage{}
	}
}

// get returns a fresh copy of the page read from sf, if sf is unchanged since.
func (c *Cache) get(sf sourceFile, info os.FileInfo) (*Page, bool) {
	c.mu.Lock()
	e, ok := c.files[sf.rel]
	c.mu.Unlock()
	if !ok || e.size != info.Size() || !e.mod.Equal(info.ModTime()) {
		return nil, false
	}
	p := e.page // a copy: assemble fills in the links of this one
	return &p, true
}

// put remembers a page just read, unless reading failed: a broken file is read again
// next time, so its errors are reported again.
func (c *Cache) put(sf sourceFile, info os.FileInfo, p *Page) {
	if p.broken {
		return
	}
	c.mu.Lock()
	c.files[sf.rel] = cachedPage{size: info.Size(), mod: info.ModTime(), page: *p}
	c.mu.Unlock()
}

// keep drops the pages of files that are gone.
func (c *Cache) keep(seen []sourceFile) {
	live := make(map[string]bool, len(seen))
	for _, sf := range seen {
		live[sf.rel] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for rel := range c.files {
		if !live[rel] {
			delete(c.files, rel)
		}
	}
}
