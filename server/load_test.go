package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jingjian/indexer"
	"jingjian/internal/sitetest"
	"jingjian/render"
	"jingjian/site"
)

// loadClients is how many people search at once in BenchmarkServeLoad.
const loadClients = 50

// BenchmarkServeLoad runs loadClients concurrent clients against a real server on
// 127.0.0.1 serving the laws corpus's index, with the judged query set of
// testdata/search, in three phases:
//
//   - first asks: every request new to the server (the query set times four pages), so
//     each one is a search;
//   - steady: every client asks every query once, in its own order (the first asker of a
//     query searches, the others are answered from memory or join the running search);
//   - swaps: as steady, looping, while the index is rebuilt from scratch and swapped in
//     three times (each swap starts with an empty cache).
//
// It reports p50 and p99 latency per phase and fails on any failed request. Set JJ_INDEX
// to a folder to keep the laws index between runs. Run with:
//
//	go test ./server -run XXX -bench ServeLoad -benchtime 1x
func BenchmarkServeLoad(b *testing.B) {
	ls := startLawsServer(b)
	srv, docs, opts := ls.srv, ls.docs, ls.opts
	base := ls.addr + "/api/search?limit=10&q="
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}, Timeout: 30 * time.Second}

	var queries []string
	for _, q := range sitetest.JudgedQueries(b) {
		queries = append(queries, q.Query)
	}
	var failed atomic.Int64
	ask := func(q string) time.Duration {
		start := time.Now()
		res, err := client.Get(base + q)
		if err != nil {
			failed.Add(1)
			return time.Since(start)
		}
		// The clients share the server's two cores: check the answer cheaply rather
		// than decode it.
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"hits":[`)) {
			failed.Add(1)
		}
		return time.Since(start)
	}
	// run has every client take requests from next until it says stop.
	run := func(next func(client, i int) (string, bool)) []time.Duration {
		var mu sync.Mutex
		var all []time.Duration
		var wg sync.WaitGroup
		for c := range loadClients {
			wg.Go(func() {
				var mine []time.Duration
				for i := 0; ; i++ {
					q, ok := next(c, i)
					if !ok {
						break
					}
					mine = append(mine, ask(q))
				}
				mu.Lock()
				all = append(all, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
		return all
	}

	b.ResetTimer()
	var report []string
	phase := func(name, unit string, lat []time.Duration, took time.Duration) {
		slices.Sort(lat)
		p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
		report = append(report, fmt.Sprintf("| %s | %d | %.2f ms | %.2f ms | %.2f ms | %.0f/s | %d |",
			name, len(lat), ms(p(0.5)), ms(p(0.99)), ms(lat[len(lat)-1]), float64(len(lat))/took.Seconds(), failed.Load()))
		b.ReportMetric(ms(p(0.5)), unit+"-p50-ms")
		b.ReportMetric(ms(p(0.99)), unit+"-p99-ms")
	}

	// First asks: the unique requests dealt out to the clients.
	var unique []string
	for page := 1; page <= 4; page++ {
		for _, q := range queries {
			unique = append(unique, url.QueryEscape(q)+fmt.Sprintf("&page=%d", page))
		}
	}
	var dealt atomic.Int64
	start := time.Now()
	lat := run(func(_, _ int) (string, bool) {
		i := int(dealt.Add(1)) - 1
		if i >= len(unique) {
			return "", false
		}
		return unique[i], true
	})
	phase("first asks", "first", lat, time.Since(start))

	// Steady: every client asks every query, each in its own order.
	orders := make([][]string, loadClients)
	for c := range orders {
		orders[c] = make([]string, len(queries))
		for i, j := range rand.New(rand.NewPCG(uint64(c), 1)).Perm(len(queries)) {
			orders[c][i] = url.QueryEscape(queries[j])
		}
	}
	start = time.Now()
	lat = run(func(c, i int) (string, bool) {
		if i >= len(queries) {
			return "", false
		}
		return orders[c][i], true
	})
	phase("steady", "steady", lat, time.Since(start))

	// Swaps: clients loop over their queries while the index is rebuilt three times.
	var swapped atomic.Bool
	go func() {
		for k := range 3 {
			dir := filepath.Join(b.TempDir(), fmt.Sprint("index", k))
			if _, err := indexer.Build(context.Background(), dir, docs, opts); err != nil {
				b.Error(err)
				break
			}
			ix, err := indexer.Open(dir, nil)
			if err != nil {
				b.Error(err)
				break
			}
			srv.SetIndex(ix, ix)
		}
		swapped.Store(true)
	}()
	start = time.Now()
	lat = run(func(c, i int) (string, bool) {
		if swapped.Load() && i >= len(queries) {
			return "", false
		}
		return orders[c][i%len(queries)], true
	})
	phase("3 swaps", "swaps", lat, time.Since(start))
	b.StopTimer()

	b.Logf("\n| phase | requests | p50 | p99 | max | throughput | failed (cumulative) |\n|---|---|---|---|---|---|---|\n%s",
		joinLines(report))
	if n := failed.Load(); n > 0 {
		b.Errorf("%d requests failed", n)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func joinLines(lines []string) string {
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}

// A lawsServer is a real server on 127.0.0.1 over the laws corpus's index.
type lawsServer struct {
	addr  string // http://127.0.0.1:port
	srv   *Server
	index string
	docs  []*indexer.Doc
	opts  indexer.Options
}

// startLawsServer builds the laws corpus's index (in $JJ_INDEX if set, to keep it between
// runs) and serves it on 127.0.0.1 until the benchmark ends, its documents decoded in the
// background as serve does.
func startLawsServer(b *testing.B) *lawsServer {
	dir := sitetest.LawsSite(b)
	s, err := site.Load(context.Background(), dir, site.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ls := &lawsServer{docs: indexer.Docs(s), opts: indexer.Options{Facets: indexer.Facets(s), Sections: indexer.SectionTitles(s)}}
	ls.index = os.Getenv("JJ_INDEX")
	if ls.index == "" {
		ls.index = filepath.Join(dir, "index")
	}
	if _, err := indexer.Build(context.Background(), ls.index, ls.docs, ls.opts); err != nil {
		b.Fatal(err)
	}
	ix, err := indexer.Open(ls.index, nil)
	if err != nil {
		b.Fatal(err)
	}
	ls.srv = New(b.TempDir(), func() (*render.Pages, error) { return nil, fmt.Errorf("no pages") }, log.New(io.Discard, "", 0))
	ls.srv.SetIndex(ix, ix)
	ix.Warm() // as serve does
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: ls.srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	b.Cleanup(func() { hs.Close() })
	ls.addr = "http://" + ln.Addr().String()
	return ls
}
