// Package server serves a built site and its search: static files with caching and
// compression, GET /api/search (JSON), GET /search (an HTML results page that needs no
// JavaScript) and /healthz; read-only, with bounded inputs and security headers.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"maps"
	"math"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/singleflight"

	"jingjian/indexer"
	"jingjian/render"
)

// Bounds on requests.
const (
	maxQueryBytes = 1024
	maxPage       = 100
	// searchDeadline is how long a search request may take, from its arrival to its
	// answer: waiting for the same search someone else started, bleve's search, the
	// snippets and the rest.
	searchDeadline = 2 * time.Second
	// cacheBudget is about how much memory the remembered answers of one index may take:
	// results with their snippets, JSON and gzipped JSON. A typical answer of ten hits
	// takes some 30 KB, one of a hundred up to about 600 KB.
	cacheBudget = 64 << 20
	// An answer bigger than cacheBudget/maxAnswerShare is given but not remembered.
	maxAnswerShare = 16
)

// searcher answers queries; *indexer.Index is one, tests pass fakes.
type searcher interface {
	Search(ctx context.Context, req indexer.Request) (*indexer.Result, error)
}

// A Server serves one built site.
type Server struct {
	dest  string // the built site's folder
	log   *log.Logger
	pages func() (*render.Pages, error) // the results page renderer, possibly still loading

	mu    sync.RWMutex
	index *generation // the index in use; swapped whole by SetIndex

	live     hub         // live reload
	watching atomic.Bool // pages get the live-reload script

	damageLogged atomic.Bool // a damaged index was logged; reset by SetIndex

	deadline   time.Duration // searchDeadline; shorter in tests
	cacheBytes int64         // cacheBudget; smaller in tests
}

// generation is one opened index, the requests still using it and the results it gave.
type generation struct {
	s       searcher
	closer  io.Closer
	pending sync.WaitGroup
	cache   *answerCache       // recent results, by request
	flight  singleflight.Group // one search per request running at a time
}

// answerCache remembers answers by request within a budget of bytes, forgetting the
// least recently used first. An intranet asks the same questions over and over (this
// month's warning-education topic, the case everyone was told about), so the popular ones
// are answered from memory; and fifty people asking the same thing at once cause one
// search (generation.flight). A new index starts with an empty cache.
type answerCache struct {
	mu     sync.Mutex
	lru    *simplelru.LRU[string, *answer]
	bytes  int64 // the sizes of the answers held
	budget int64
}

func newAnswerCache(budget int64) *answerCache {
	l, _ := simplelru.NewLRU[string, *answer](math.MaxInt32, nil) // the budget bounds it, not a count
	return &answerCache{lru: l, budget: budget}
}

func (c *answerCache) get(key string) (*answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Get(key)
}

// add remembers a under key, forgetting the oldest answers while over budget. An answer
// taking more than a share of the budget is not kept: it would push out many others.
func (c *answerCache) add(key string, a *answer) {
	if a.size > c.budget/maxAnswerShare {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.lru.Peek(key); ok {
		c.bytes -= old.size
	}
	c.lru.Add(key, a)
	c.bytes += a.size
	for c.bytes > c.budget {
		_, old, ok := c.lru.RemoveOldest()
		if !ok {
			break
		}
		c.bytes -= old.size
	}
}

// used returns how many answers the cache holds and their size.
func (c *answerCache) used() (n int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// New returns a server for the site built in dest. pages returns the renderer of the
// results page, waiting for it if it is still loading; logs go to logger, one line per
// request.
func New(dest string, pages func() (*render.Pages, error), logger *log.Logger) *Server {
	return &Server{dest: dest, pages: pages, log: logger, deadline: searchDeadline, cacheBytes: cacheBudget}
}

// SetIndex swaps in a new index (nil: none). Queries already running finish on the old
// one, which is closed once they are done; none fails.
func (s *Server) SetIndex(ix searcher, closer io.Closer) {
	s.mu.Lock()
	old := s.index
	s.index = nil
	s.damageLogged.Store(false)
	if ix != nil {
		s.index = &generation{s: ix, closer: closer, cache: newAnswerCache(s.cacheBytes)}
	}
	s.mu.Unlock()
	if old != nil {
		go func() {
			old.pending.Wait()
			if old.closer != nil {
				_ = old.closer.Close()
			}
		}()
	}
}

// acquire returns the current index, counted as in use until release.
func (s *Server) acquire() (*generation, func()) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.index
	if g == nil {
		return nil, func() {}
	}
	g.pending.Add(1)
	return g, g.pending.Done
}

// Handler returns the HTTP handler with every route and the common middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/api/search", s.apiSearch)
	mux.HandleFunc("/search", s.htmlSearch)
	mux.HandleFunc("/search/", s.htmlSearch)
	mux.HandleFunc("/_jingjian/events", s.events)
	mux.HandleFunc("/_jingjian/live.js", liveScript)
	mux.Handle("/", s.injectLive(staticFiles(s.dest)))
	return s.logged(secure(compress(mux)))
}

// request turns query parameters into a search request, within bounds.
func request(q url.Values) (indexer.Request, []string, error) {
	var notes []string
	query := q.Get("q")
	if len(query) > maxQueryBytes {
		query = strings.ToValidUTF8(query[:maxQueryBytes], "")
		notes = append(notes, "查询过长，已截断")
	}
	limit := indexer.DefaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return indexer.Request{}, nil, fmt.Errorf("limit 应为 0 到 %d 的整数", indexer.MaxLimit)
		}
		limit = min(n, indexer.MaxLimit)
	}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return indexer.Request{}, nil, fmt.Errorf("page 应为 1 到 %d 的整数", maxPage)
		}
		page = min(n, maxPage)
	}
	var filters []indexer.Filter
	for _, f := range q["filter"] {
		if len(filters) == indexer.MaxFilters {
			notes = append(notes, "筛选条件过多，只使用了前几个")
			break
		}
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			k, v, ok = strings.Cut(f, ":")
		}
		if !ok || k == "" || v == "" {
			return indexer.Request{}, nil, fmt.Errorf("filter 应写作 字段=取值")
		}
		if len(f) > maxQueryBytes {
			return indexer.Request{}, nil, fmt.Errorf("filter 过长（最多 %d 字节）", maxQueryBytes)
		}
		filters = append(filters, indexer.Filter{Key: k, Value: v})
	}
	sort := q.Get("sort")
	if sort != "" && sort != "date" {
		return indexer.Request{}, nil, fmt.Errorf("sort 只能是 date")
	}
	noFacets := false
	switch q.Get("facets") {
	case "", "1", "true":
	case "0", "false":
		noFacets = true
	default:
		return indexer.Request{}, nil, fmt.Errorf("facets 只能是 0 或 1")
	}
	return indexer.Request{Query: query, Filters: filters, Limit: limit, Offset: (page - 1) * limit, Sort: sort, NoFacets: noFacets}, notes, nil
}

// An answer is a search result with its JSON encoding, made once for everyone who asks.
type answer struct {
	res  *indexer.Result // shared: never changed
	json []byte          // as /api/search sends it
	gzip []byte          // the same, compressed
	size int64           // about how much memory all this takes, key included
}

// answerGzip holds compressors for answers. A new gzip.Writer allocates about a megabyte
// of state, and level 9 took about 1.4 ms on a 27 KB answer against 0.2 ms for a reused
// writer at BestSpeed, whose output is some 15 % larger: every first-time search pays it.
// klauspost/compress's gzip at BestSpeed takes 0.1 ms where the standard library's takes
// 0.24 (answers of 20–30 KB), and its output is a little smaller.
var answerGzip = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

func newAnswer(key string, res *indexer.Result) *answer {
	a := &answer{res: res, json: encodeJSON(res)}
	var buf bytes.Buffer
	buf.Grow(len(a.json) / 3)
	zw := answerGzip.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(a.json)
	zw.Close()
	answerGzip.Put(zw)
	a.gzip = buf.Bytes()
	a.size = int64(len(key)+cap(a.json)+cap(a.gzip)+resultBytes(res)) + entryOverhead
	return a
}

// entryOverhead is about what an answer costs besides its contents: the answer and
// result structs, the LRU's list element and map slot.
const entryOverhead = 512

// resultBytes estimates the memory a result's contents take: its strings and slices.
func resultBytes(res *indexer.Result) int {
	const str, slice = int(unsafe.Sizeof("")), int(unsafe.Sizeof([]string{}))
	n := len(res.Query)
	for _, h := range res.Hits {
		n += int(unsafe.Sizeof(h)) + len(h.URL) + len(h.PageURL) + len(h.Path) + len(h.Title) + len(h.Section) + len(h.Snippet) + len(h.Date) + len(h.Status)
		for _, p := range h.Passages {
			n += int(unsafe.Sizeof(p)) + len(p.Anchor) + len(p.Label) + len(p.Heading) + len(p.Snippet)
		}
	}
	for name, fs := range res.Facets {
		n += 48 + str + len(name) + slice // a map slot
		for _, f := range fs {
			n += int(unsafe.Sizeof(f)) + len(f.Value)
		}
	}
	for _, t := range res.Terms {
		n += str + len(t)
	}
	for _, e := range res.Expanded {
		n += int(unsafe.Sizeof(e)) + len(e.Term)
		for _, a := range e.Also {
			n += str + len(a)
		}
	}
	for _, t := range res.Notes {
		n += str + len(t)
	}
	return n
}

// lookup answers a request from the current index: from memory when it was asked
// recently, else by one search however many ask at once. It gives up when ctx ends, at
// the request's deadline.
func (s *Server) lookup(ctx context.Context, req indexer.Request) (*answer, error) {
	g, release := s.acquire()
	defer release()
	if g == nil {
		return nil, errNoIndex
	}
	key := cacheKey(req)
	if a, ok := g.cache.get(key); ok {
		return a, nil
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(s.deadline)
	}
	ch := g.flight.DoChan(key, func() (v any, err error) {
		// DoChan would panic again where no one recovers: the whole server would stop.
		defer func() {
			if p := recover(); p != nil {
				s.log.Printf("search %q: panic: %v\n%s", req.Query, p, debug.Stack())
				v, err = nil, fmt.Errorf("搜索出错：%v", p)
			}
		}()
		// Not the first caller's context: its client leaving must not fail the others
		// waiting for the same search. Its deadline holds for them too: they came later.
		ctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
		defer cancel()
		res, err := g.s.Search(ctx, req)
		if err != nil {
			return nil, err // nothing half done is remembered
		}
		a := newAnswer(key, res)
		g.cache.add(key, a)
		return a, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*answer), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// search is lookup for callers that change the result: they get their own copy.
func (s *Server) search(ctx context.Context, req indexer.Request) (*indexer.Result, error) {
	a, err := s.lookup(ctx, req)
	if err != nil {
		return nil, err
	}
	out := *a.res
	return &out, nil
}

// cacheKey identifies a request; parts are quoted, so no two requests share a key.
func cacheKey(req indexer.Request) string {
	return fmt.Sprintf("%q %q %d %d %q %t", req.Query, req.Filters, req.Limit, req.Offset, req.Sort, req.NoFacets)
}

var errNoIndex = errors.New("搜索索引尚未就绪")

// statusClientClosed is nginx's status for a request whose client left before the answer.
const statusClientClosed = 499

// failed says how a search that failed is answered: the status and the message.
func (s *Server) failed(err error) (int, string) {
	switch {
	case errors.Is(err, errNoIndex):
		return http.StatusServiceUnavailable, "搜索暂时不可用：" + err.Error()
	case errors.Is(err, indexer.ErrDamaged):
		// The index on disk was damaged under the server: this query cannot be answered,
		// the others go on, and the next build's index is taken in (see Follow).
		s.logDamage(err)
		return http.StatusServiceUnavailable, "搜索暂时不可用：搜索索引已损坏，需要管理员重新运行 jingjian build（详情见服务器日志）"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, fmt.Sprintf("搜索超时（%s 秒）；请缩短查询或减少每页条数", strconv.FormatFloat(s.deadline.Seconds(), 'f', -1, 64))
	case errors.Is(err, context.Canceled):
		return statusClientClosed, "请求已取消"
	}
	return http.StatusInternalServerError, "搜索出错：" + err.Error()
}

// logDamage logs a damaged index once per generation of errors, with where it was found:
// every query touching the bad bytes fails the same way.
func (s *Server) logDamage(err error) {
	if s.damageLogged.Swap(true) {
		return
	}
	var st interface{ Stack() []byte }
	if errors.As(err, &st) {
		s.log.Printf("搜索索引已损坏，涉及损坏部分的查询将返回 503，直到下一次构建：%v\n%s", err, st.Stack())
		return
	}
	s.log.Printf("搜索索引已损坏，涉及损坏部分的查询将返回 503，直到下一次构建：%v", err)
}

// withDeadline returns the context of a search request: it ends searchDeadline after the
// request came.
func (s *Server) withDeadline(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.deadline)
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.withDeadline(r)
	defer cancel()
	req, notes, err := request(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	a, err := s.lookup(ctx, req)
	if err != nil {
		status, msg := s.failed(err)
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if len(notes) > 0 {
		res := *a.res
		res.Notes = append(notes, res.Notes...)
		writeJSON(w, http.StatusOK, &res)
		return
	}
	// The same bytes for everyone who asks this: encoded and compressed once. took_ms
	// stays the time the search took.
	plain, gz := a.json, a.gzip
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	body := plain
	if accepts(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(encodeJSON(v))
}

func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true) // JSON may end up in HTML; keep <, >, & escaped
	if err := enc.Encode(v); err != nil {
		return []byte(`{"error":"encoding failed"}` + "\n")
	}
	return buf.Bytes()
}

// resultsPage is what layouts/_default/search.html receives as .Search.
type resultsPage struct {
	Query     string
	Total     uint64
	Terms     []string
	Expanded  []indexer.Expansion
	Notes     []string
	Hits      []pageHit
	Facets    []facetGroup
	Page      int
	Start     int
	PrevQuery template.URL
	NextQuery template.URL
}

type pageHit struct {
	indexer.Hit
	SnippetHTML template.HTML // built by indexer.Snippet: escaped text and <mark> only
	WholeURL    string        // the page, when the title links to one of its articles
	Passages    []pagePassage // the other places in the page the words were found
}

// A pagePassage is a sub-result of a hit: an article or section of its page.
type pagePassage struct {
	URL, Heading, Label string
	SnippetHTML         template.HTML // as pageHit's
}

// newPageHit adds to a hit the links below its title: the whole page when the title goes
// to an article, and each passage but the one the title already goes to.
func newPageHit(h indexer.Hit) pageHit {
	ph := pageHit{Hit: h, SnippetHTML: template.HTML(h.Snippet)}
	page, anchor, deep := strings.Cut(h.URL, "#")
	if h.PageURL != "" {
		page = h.PageURL
	}
	if deep {
		ph.WholeURL = page
	}
	for _, p := range h.Passages {
		if p.Anchor == "" || deep && p.Anchor == anchor {
			continue
		}
		ph.Passages = append(ph.Passages, pagePassage{URL: page + "#" + p.Anchor, Heading: p.Heading, Label: p.Label, SnippetHTML: template.HTML(p.Snippet)})
	}
	return ph
}

type facetGroup struct {
	Name   string
	Values []facetLink
}

type facetLink struct {
	Value string
	Count int
	Query template.URL // the query string adding this filter
}

func (s *Server) htmlSearch(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.withDeadline(r)
	defer cancel()
	q := r.URL.Query()
	req, notes, err := request(q)
	page := &resultsPage{Query: req.Query, Page: 1}
	status := http.StatusOK
	switch {
	case err != nil:
		page.Notes = []string{err.Error()}
		status = http.StatusBadRequest
	case strings.TrimSpace(req.Query) == "" && len(req.Filters) == 0:
		// The empty form.
	default:
		res, err := s.search(ctx, req)
		if err != nil {
			var msg string
			status, msg = s.failed(err)
			if status == http.StatusInternalServerError {
				status, msg = http.StatusServiceUnavailable, "搜索暂时不可用："+err.Error()
			}
			page.Notes = []string{msg}
			break
		}
		s.fill(page, req, res, notes)
	}
	title := "搜索"
	if page.Query != "" {
		title = "搜索：" + page.Query
	}
	var buf bytes.Buffer
	pages, err := s.pages()
	if err == nil {
		err = pages.Search(&buf, title, page)
	}
	if err != nil {
		s.log.Printf("search page: %v", err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fill copies a result into the page model, with links for paging and facets.
func (s *Server) fill(page *resultsPage, req indexer.Request, res *indexer.Result, notes []string) {
	page.Total, page.Terms, page.Expanded = res.Total, res.Terms, res.Expanded
	page.Notes = append(notes, res.Notes...)
	if req.Limit > 0 {
		page.Page = req.Offset/req.Limit + 1
	}
	page.Start = req.Offset + 1
	for _, h := range res.Hits {
		page.Hits = append(page.Hits, newPageHit(h))
	}
	link := func(query string, p int) template.URL {
		v := url.Values{"q": {query}}
		for _, f := range req.Filters {
			v.Add("filter", f.Key+"="+f.Value)
		}
		if req.Sort != "" {
			v.Set("sort", req.Sort)
		}
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		return template.URL(v.Encode())
	}
	if page.Page > 1 {
		page.PrevQuery = link(req.Query, page.Page-1)
	}
	if uint64(req.Offset+len(res.Hits)) < res.Total && page.Page < maxPage {
		page.NextQuery = link(req.Query, page.Page+1)
	}
	names := res.FacetOrder // 栏目, 年份, then the site's facets in config.toml's order
	if len(names) != len(res.Facets) {
		names = sortedKeys(res.Facets)
	}
	for _, name := range names {
		g := facetGroup{Name: name}
		for _, f := range res.Facets[name] {
			g.Values = append(g.Values, facetLink{Value: f.Value, Count: f.Count, Query: link(strings.TrimSpace(req.Query+" "+name+":"+f.Value), 1)})
		}
		page.Facets = append(page.Facets, g)
	}
}

// sortedKeys returns a map's keys in order, for stable pages.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
