package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jingjian/indexer"
	"jingjian/internal/sitetest"
	"jingjian/render"
	"jingjian/site"
)

// TestAnswerCacheBudget: the cache keeps answers within its budget of bytes, forgetting the
// least recently used first, and does not keep an answer that alone takes a large share.
func TestAnswerCacheBudget(t *testing.T) {
	const budget = 16_000 // an answer may take up to 1,000
	// run takes steps "key:size" (remember an answer of that size) or "key" (ask for it).
	run := func(steps ...string) *answerCache {
		c := newAnswerCache(budget)
		for _, s := range steps {
			key, size, ok := strings.Cut(s, ":")
			if !ok {
				c.get(key)
				continue
			}
			n, _ := strconv.Atoi(size)
			c.add(key, &answer{size: int64(n)})
		}
		return c
	}
	many := func(prefix string, n, size int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s%d:%d", prefix, i, size))
		}
		return out
	}
	names := func(prefix string, from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, fmt.Sprint(prefix, i))
		}
		return out
	}
	for _, c := range []struct {
		name  string
		steps []string
		held  []string // oldest first
	}{
		{"within budget", []string{"a:1000", "b:1000", "c:1000"}, []string{"a", "b", "c"}},
		{"over budget forgets the oldest", many("k", 17, 1000), names("k", 1, 17)},
		{"one asked again stays", append(many("k", 16, 1000), "k0", "x:1000"), append(names("k", 2, 16), "k0", "x")},
		{"a big one pushes out several small", append(many("s", 40, 400), "big:1000"), append(names("s", 3, 40), "big")},
		{"too big alone is not kept", []string{"a:1000", "big:1001"}, []string{"a"}},
		{"the same question again replaces the answer", []string{"a:1000", "b:1000", "a:500"}, []string{"b", "a"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cache := run(c.steps...)
			if got := cache.lru.Keys(); !slices.Equal(got, c.held) {
				t.Errorf("held %v, want %v", got, c.held)
			}
			var sum int64
			for _, a := range cache.lru.Values() {
				sum += a.size
			}
			if n, bytes := cache.used(); n != len(c.held) || bytes != sum || bytes > budget {
				t.Errorf("%d answers of %d bytes (%d counted), budget %d", n, sum, bytes, budget)
			}
		})
	}
}

// bigResult is a result of a hundred hits like the laws corpus gives, its strings its own.
func bigResult(r *rand.Rand) *indexer.Result {
	words := []rune("国家机关工作人员应当依法履行职责接受监督违反规定的由有关部门责令改正")
	text := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = words[r.IntN(len(words))]
		}
		return string(b)
	}
	res := &indexer.Result{Query: text(8), Total: 3000, Terms: []string{text(2), text(2)}, Facets: map[string][]indexer.Facet{}}
	for range 100 {
		title := text(20)
		res.Hits = append(res.Hits, indexer.Hit{URL: "/行政法规/" + title + "/", Path: "行政法规/" + title + ".md", Title: title,
			Section: "行政法规", Score: r.Float64(), Snippet: "〔第十条〕…" + text(50) + "<mark>" + text(2) + "</mark>" + text(58) + "…", Date: "2020-01-02"})
	}
	for _, name := range []string{"栏目", "年份"} {
		for range 12 {
			res.Facets[name] = append(res.Facets[name], indexer.Facet{Value: text(4), Count: r.IntN(1000)})
		}
	}
	return res
}

// An answer's size is about the memory it takes.
func TestAnswerSizeEstimate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	answers := make([]*answer, 100)
	var estimate int64
	for i := range answers {
		answers[i] = newAnswer(fmt.Sprint("key", i), bigResult(r))
		estimate += answers[i].size
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	measured := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(answers)
	t.Logf("%d answers: estimated %d KB, measured %d KB", len(answers), estimate>>10, measured>>10)
	if ratio := float64(estimate) / float64(measured); ratio < 0.8 || ratio > 1.25 {
		t.Errorf("estimated %d bytes for %d measured", estimate, measured)
	}
}

// fixedSearcher answers every query with the same hundred hits.
type fixedSearcher struct {
	res   *indexer.Result
	calls atomic.Int64
}

func (f *fixedSearcher) Search(_ context.Context, req indexer.Request) (*indexer.Result, error) {
	f.calls.Add(1)
	res := *f.res
	res.Query = req.Query
	return &res, nil
}

// Through the server: many big answers stay within the budget, the latest are remembered.
func TestAnswerCacheBudgetServer(t *testing.T) {
	srv := New(t.TempDir(), func() (*render.Pages, error) { return nil, errors.New("unused") }, log.New(io.Discard, "", 0))
	srv.cacheBytes = 4 << 20
	fake := &fixedSearcher{res: bigResult(rand.New(rand.NewPCG(3, 4)))}
	srv.SetIndex(fake, nil)
	h := srv.Handler()
	ask := func(q string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/search?limit=100&q="+url.QueryEscape(q), nil))
		if w.Code != 200 {
			t.Fatalf("%s: %d", q, w.Code)
		}
	}
	for i := range 100 {
		ask(fmt.Sprint("问", i))
	}
	n, bytes := srv.index.cache.used()
	t.Logf("%d answers of %d KB remembered", n, bytes>>10)
	if bytes > srv.cacheBytes || n < 10 || n == 100 {
		t.Errorf("%d answers of %d bytes remembered, budget %d", n, bytes, srv.cacheBytes)
	}
	calls := fake.calls.Load()
	ask("问99")
	if fake.calls.Load() != calls {
		t.Error("the latest answer was not remembered")
	}
	ask("问0")
	if fake.calls.Load() != calls+1 {
		t.Error("the first answer was still remembered")
	}
}

// cacheQueries makes n distinct queries of two pieces of titles of the laws corpus.
func cacheQueries(tb testing.TB, n int) []string {
	var titles [][]rune
	dated := regexp.MustCompile(`\(\d{4}-\d{2}-\d{2}\)$`)
	filepath.WalkDir(sitetest.LawsCorpus(tb), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			if t := []rune(dated.ReplaceAllString(strings.TrimSuffix(d.Name(), ".md"), "")); len(t) >= 4 {
				titles = append(titles, t)
			}
		}
		return nil
	})
	r := rand.New(rand.NewPCG(5, 6))
	piece := func() string {
		t := titles[r.IntN(len(titles))]
		k := 2 + r.IntN(3)
		i := r.IntN(len(t) - k + 1)
		return string(t[i : i+k])
	}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		if q := piece() + " " + piece(); !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// BenchmarkCacheMemory asks 5,000 distinct questions of the laws corpus with limit=100
// (eight clients) and reports the resident memory after, with what the cache holds. By
// default it serves the laws index itself (JJ_INDEX keeps the index between runs); with
// JJ_SERVE=http://127.0.0.1:1313 JJ_SERVE_PID=… it asks a running `jingjian serve` and
// reads that process's memory. Run with:
//
//	go test ./server -run XXX -bench CacheMemory -benchtime 1x
func BenchmarkCacheMemory(b *testing.B) {
	queries := cacheQueries(b, 5000)
	base, pid := os.Getenv("JJ_SERVE"), os.Getenv("JJ_SERVE_PID")
	var srv *Server
	if base == "" {
		dir := sitetest.LawsSite(b)
		s, err := site.Load(context.Background(), dir, site.Options{})
		if err != nil {
			b.Fatal(err)
		}
		index := os.Getenv("JJ_INDEX")
		if index == "" {
			index = filepath.Join(dir, "index")
		}
		if _, err := indexer.Build(context.Background(), index, indexer.Docs(s), indexer.Options{Facets: indexer.Facets(s), Sections: indexer.SectionTitles(s)}); err != nil {
			b.Fatal(err)
		}
		ix, err := indexer.Open(index, nil)
		if err != nil {
			b.Fatal(err)
		}
		srv = New(b.TempDir(), func() (*render.Pages, error) { return nil, errors.New("no pages") }, log.New(io.Discard, "", 0))
		srv.SetIndex(ix, ix)
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		base, pid = ts.URL, "self"
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 30 * time.Second}
	var next, failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(queries) {
					return
				}
				res, err := client.Get(base + "/api/search?limit=100&q=" + url.QueryEscape(queries[i]))
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	runtime.GC()
	rss := residentMB(b, pid)
	b.ReportMetric(rss, "rss-MB")
	msg := fmt.Sprintf("%d queries in %v, %d failed; resident memory %.0f MB", len(queries), time.Since(start).Round(time.Second), failed.Load(), rss)
	if srv != nil {
		n, bytes := srv.index.cache.used()
		b.ReportMetric(float64(bytes)/(1<<20), "cache-MB")
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MB")
		msg += fmt.Sprintf("; the cache holds %d answers, %.1f MB; live heap %.0f MB", n, float64(bytes)/(1<<20), float64(m.HeapAlloc)/(1<<20))
	}
	b.Log(msg)
}

// residentMB reads VmRSS of a process (pid "self" for this one) from /proc.
func residentMB(tb testing.TB, pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		tb.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	tb.Fatalf("no VmRSS in /proc/%s/status", pid)
	return 0
}

// TestResultBytesCountsPassages: an answer's passages count toward the cache's bound.
func TestResultBytesCountsPassages(t *testing.T) {
	hit := indexer.Hit{URL: "/a/#第一条", PageURL: "/a/", Title: "标题", Snippet: "摘要"}
	bare := &indexer.Result{Hits: []indexer.Hit{hit}}
	hit.Passages = []indexer.Passage{{Anchor: "第一条", Label: "第一条", Heading: "第一章 总则", Snippet: strings.Repeat("长摘要", 100)}}
	with := &indexer.Result{Hits: []indexer.Hit{hit}}
	if a, b := resultBytes(bare), resultBytes(with); b < a+600 {
		t.Errorf("with a 900-byte passage %d bytes, without %d", b, a)
	}
}
