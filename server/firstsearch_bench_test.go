package server

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"jingjian/indexer"
	"jingjian/internal/sitetest"
)

// firstClients is how many people search at once in the concurrent phases of
// BenchmarkFirstSearch.
const firstClients = 20

// BenchmarkFirstSearch measures first-time searches: questions the server has never
// been asked, so its answer cache cannot help, through a real server on 127.0.0.1
// serving the laws corpus's index (GET /api/search?q=…, default limit). The questions
// are the judged query set followed by generated ones drawn with a fixed seed from the
// corpus (word pairs and triples, 6–12 character passages, phrases, exclusions, and
// some with 栏目:/年份: filters or sort:date); every request asks a question not asked
// before in the process. Phases:
//
//   - one at a time: 1,000 new questions in a row (after one uncounted warm-up);
//   - 20 clients: firstClients clients asking new questions for about 10 s;
//   - repeated: 200 questions asked once, then asked again and again by firstClients
//     clients for about 5 s (answered from memory).
//
// The server decodes the index's documents in the background from the start, as serve
// does (indexer.Warm); that takes about half a second, done before the questions are.
// It reports latency percentiles and searches/s and fails on any answer other than
// 200. JJ_INDEX keeps the laws index between runs; JJ_CPUPROFILE=file writes a CPU
// profile of the first two phases (client and server: both run in this process). Run
// with:
//
//	JJ_INDEX=/tmp/idx go test ./server -run XXX -bench FirstSearch -benchtime 1x
func BenchmarkFirstSearch(b *testing.B) {
	ls := startLawsServer(b)
	base, index, docs := ls.addr+"/api/search?q=", ls.index, ls.docs
	queries := firstQueries(b, index, docs, 30000)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: firstClients}, Timeout: 30 * time.Second}
	var failed atomic.Int64
	var firstFailure atomic.Value
	ask := func(q string) time.Duration {
		start := time.Now()
		res, err := client.Get(base + url.QueryEscape(q))
		if err != nil {
			failed.Add(1)
			firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s: %v", q, err))
			return time.Since(start)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"hits":`)) {
			failed.Add(1)
			firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s: %d %v %.200s", q, res.StatusCode, err, body))
		}
		return time.Since(start)
	}
	// next deals out the questions in order, each once.
	var dealt atomic.Int64
	next := func() (string, bool) {
		i := int(dealt.Add(1)) - 1
		if i >= len(queries) {
			return "", false
		}
		return queries[i], true
	}
	// clients has firstClients clients ask pick's questions until the time is up.
	clients := func(d time.Duration, pick func(rand *rand.Rand) (string, bool)) ([]time.Duration, time.Duration) {
		var mu sync.Mutex
		var all []time.Duration
		var wg sync.WaitGroup
		start := time.Now()
		deadline := start.Add(d)
		for c := range firstClients {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(c), 7))
				var mine []time.Duration
				for time.Now().Before(deadline) {
					q, ok := pick(r)
					if !ok {
						b.Error("out of new questions")
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
		return all, time.Since(start)
	}

	var report []string
	phase := func(name, unit string, lat []time.Duration, took time.Duration) {
		slices.Sort(lat)
		p := func(q float64) float64 { return ms(lat[int(q*float64(len(lat)-1))]) }
		rate := float64(len(lat)) / took.Seconds()
		report = append(report, fmt.Sprintf("| %s | %d | %.0f/s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |",
			name, len(lat), rate, p(0.5), p(0.9), p(0.99), ms(lat[len(lat)-1])))
		b.ReportMetric(p(0.5), unit+"-p50-ms")
		b.ReportMetric(p(0.99), unit+"-p99-ms")
		if unit == "seq" {
			b.ReportMetric(p(0.9), unit+"-p90-ms")
			b.ReportMetric(ms(lat[len(lat)-1]), unit+"-max-ms")
		} else {
			b.ReportMetric(rate, unit+"-searches/s")
		}
	}

	b.ResetTimer()
	if path := os.Getenv("JJ_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile() // if a phase fails early
	}
	q, _ := next()
	warm := ask(q) // the process's first search: loads the dictionary and index files

	// One at a time.
	var lat []time.Duration
	start := time.Now()
	for range 1000 {
		q, ok := next()
		if !ok {
			b.Fatal("out of new questions")
		}
		lat = append(lat, ask(q))
	}
	phase("one at a time", "seq", lat, time.Since(start))

	// 20 clients, every question new.
	lat, took := clients(10*time.Second, func(*rand.Rand) (string, bool) { return next() })
	phase(fmt.Sprint(firstClients, " clients, new"), "par", lat, took)
	pprof.StopCPUProfile()
	asked := int(dealt.Load())

	// Repeated: 200 new questions asked once, then over and over.
	var set []string
	for range 200 {
		q, ok := next()
		if !ok {
			b.Fatal("out of new questions")
		}
		ask(q)
		set = append(set, q)
	}
	lat, took = clients(5*time.Second, func(r *rand.Rand) (string, bool) { return set[r.IntN(len(set))], true })
	phase(fmt.Sprint(firstClients, " clients, repeated"), "rep", lat, took)
	b.StopTimer()

	b.Logf("\nfirst request of the process (warm-up, not counted): %.1f ms; %d distinct questions asked before the repeated phase; some of the generated ones: %q\n\n"+
		"| phase | searches | searches/s | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|\n%s",
		ms(warm), asked, []string{queries[200], queries[300], queries[400], queries[500], queries[600], queries[700], queries[800], queries[900]}, joinLines(report))
	if n := failed.Load(); n > 0 {
		b.Errorf("%d requests failed; the first: %v", n, firstFailure.Load())
	}
}

// firstQueries makes n distinct questions: the judged query set, then ones drawn with a
// fixed seed from the documents' titles and text, shaped like people's questions.
func firstQueries(tb testing.TB, index string, docs []*indexer.Doc, n int) []string {
	seen := map[string]bool{}
	var out []string
	add := func(q string) {
		if q = strings.TrimSpace(q); q != "" && !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	for _, j := range sitetest.JudgedQueries(tb) {
		add(j.Query)
	}
	dict, err := indexer.ReadDictionary(filepath.Join(index, "dictionary.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	seg, err := dict.Full()
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 12))
	// window returns about 40 characters from a random place of a random document's
	// text (or, one time in five, its title), and the document.
	window := func() (string, *indexer.Doc) {
		d := docs[r.IntN(len(docs))]
		text := d.Body
		if r.IntN(5) == 0 || len(text) < 64 {
			text = d.Title
		}
		i := r.IntN(len(text))
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		return strings.ToValidUTF8(text[i:min(len(text), i+3*40)], ""), d
	}
	han := func(s string) bool {
		for _, c := range s {
			if !unicode.Is(unicode.Han, c) {
				return false
			}
		}
		return true
	}
	// passage returns k Chinese characters in a row from a random document.
	passage := func(k int) string {
		for {
			text, _ := window()
			var run []rune
			for _, c := range text {
				if !unicode.Is(unicode.Han, c) {
					if len(run) >= k {
						break
					}
					run = run[:0]
					continue
				}
				run = append(run, c)
			}
			if len(run) >= k {
				j := r.IntN(len(run) - k + 1)
				return string(run[j : j+k])
			}
		}
	}
	// words lists the words of two to six Chinese characters of a text, as the index's
	// dictionary segments it, leaving out numbering (第三, 十条) and the commonest words.
	common := map[string]int{}
	words := func(text string) []string {
		var out []string
		for _, t := range indexer.Analyze(seg, []byte(text)) {
			if n := utf8.RuneCountInString(t.Term); n >= 2 && n <= 6 && han(t.Term) && common[t.Term] >= 0 &&
				!strings.HasPrefix(t.Term, "第") && strings.Trim(t.Term, "一二三四五六七八九十百千零条款项章节编") != "" {
				out = append(out, t.Term)
			}
		}
		return out
	}
	for range 3000 {
		text, _ := window()
		for _, w := range words(text) {
			common[w]++
		}
	}
	byCount := slices.SortedFunc(maps.Keys(common), func(a, b string) int {
		return cmp.Or(cmp.Compare(common[b], common[a]), strings.Compare(a, b))
	})
	clear(common)
	for _, w := range byCount[:min(len(byCount), 150)] {
		common[w] = -1
	}
	// word returns a word of a random document, and the document.
	word := func() (string, *indexer.Doc) {
		for {
			text, d := window()
			if ws := words(text); len(ws) > 0 {
				return ws[r.IntN(len(ws))], d
			}
		}
	}
	more := func() string { w, _ := word(); return w }
	for len(out) < n {
		w, d := word()
		switch k := r.IntN(100); {
		case k < 28:
			add(w + " " + more())
		case k < 42:
			add(w + " " + more() + " " + more())
		case k < 64:
			add(passage(6 + r.IntN(7)))
		case k < 72:
			add(`"` + passage(4+r.IntN(5)) + `"`)
		case k < 84 && d.Section != "":
			sec := d.SectionTitle
			if sec == "" || strings.ContainsAny(sec, " \t\"") {
				sec = d.Section
			}
			add(w + " " + more() + " 栏目:" + sec)
		case k < 92:
			add(w + " " + more() + " sort:date")
		case k < 97 && !d.Date.IsZero():
			add(fmt.Sprintf("%s 年份:%d", w, d.Date.Year()))
		default:
			add(w + " " + more() + " -" + more())
		}
	}
	return out
}

// BenchmarkPostingsCache measures what the postings cache gives first-time searches: the
// benchmark's first 6,000 questions, each asked once of two indexes open in this process
// on the laws index (the server's own is not used), one without the cache, in chunks of
// 100 taking turns at going first, so that both see the machine alike. It reports the
// time per question of each and their ratio, over all and over the first 1,000 (while the
// cache fills). Run with:
//
//	JJ_INDEX=/tmp/idx go test ./server -run XXX -bench PostingsCache -benchtime 1x
func BenchmarkPostingsCache(b *testing.B) {
	ls := startLawsServer(b)
	queries := firstQueries(b, ls.index, ls.docs, 6000)
	for b.Loop() {
		var ixs [2]*indexer.Index // without, with the cache
		for i := range ixs {
			ix, err := indexer.Open(ls.index, nil)
			if err != nil {
				b.Fatal(err)
			}
			ixs[i] = ix
		}
		ixs[0].SetPostingsCacheBytes(0)
		var took, first [2]time.Duration
		const chunk = 100
		for from := 0; from < len(queries); from += chunk {
			for k := range 2 {
				i := (from/chunk + k) % 2
				start := time.Now()
				for _, q := range queries[from:min(from+chunk, len(queries))] {
					if _, err := ixs[i].Search(context.Background(), indexer.Request{Query: q, Limit: 10}); err != nil {
						b.Fatal(err)
					}
				}
				took[i] += time.Since(start)
				if from < 1000 {
					first[i] = took[i]
				}
			}
		}
		for _, ix := range ixs {
			ix.Close()
		}
		b.ReportMetric(ms(took[0])/float64(len(queries)), "off-ms/q")
		b.ReportMetric(ms(took[1])/float64(len(queries)), "on-ms/q")
		b.ReportMetric(float64(took[0])/float64(took[1]), "ratio")
		b.ReportMetric(float64(first[0])/float64(first[1]), "first-1000-ratio")
	}
}
