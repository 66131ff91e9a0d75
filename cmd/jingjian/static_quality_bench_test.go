package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// builtLawsSite builds the laws corpus's site (with its static index) and loads it: the
// site's folder, its output and the site.
func builtLawsSite(b *testing.B) (dir, out string, s *site.Site) {
	dir = sitetest.LawsSite(b)
	out = filepath.Join(b.TempDir(), "public")
	if code, _, stderr := runCLI(b, "build", "-s", dir, "-d", out, "-q"); code != 0 {
		b.Fatalf("build: %s", stderr)
	}
	s, err := site.Load(context.Background(), dir, site.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return dir, out, s
}

// BenchmarkStaticQualityLaws builds the laws corpus's site with its static index, serves
// public/ as plain files (python3 -m http.server), and asks every judged query of both
// splits through window.jingjianSearch in headless Chromium, on one page, a fresh one
// every tenth query (meta.js is loaded again). It reports MRR@10 per split (and per kind
// in the log), the first query's time (公务员 兼职 on a fresh browser, the median of
// seven), the median and p90 time, the median bytes fetched per query (the Resource
// Timing sizes of the index files it loaded), and what a query waits for: the medians of
// when its last shard came, when its first block was asked for and when its last came,
// and of its shards and blocks — to set beside BenchmarkScriptLoadFloor's cost of a file.
// Run with:
//
//	go test ./cmd/jingjian -run XXX -bench StaticQualityLaws -benchtime 1x
func BenchmarkStaticQualityLaws(b *testing.B) {
	_, out, s := builtLawsSite(b)
	pathOf := map[string]string{}
	for _, p := range s.Pages {
		pathOf[p.URL] = p.Path
	}
	root := servePlainFiles(b, out)
	bctx := sitetest.Browser(b)
	type answer struct {
		Hits []struct {
			URL     string `json:"url"`
			PageURL string `json:"page_url"`
		} `json:"hits"`
		MS    float64 `json:"ms"`
		Bytes float64 `json:"bytes"`
		// What it waited for, from Resource Timing: when the last shard came, when the
		// first block was asked for (the shards decoded and the hits scored in between),
		// when the last block came; how many shards and blocks it loaded.
		ShardsEnd   float64 `json:"shardsEnd"`
		BlocksStart float64 `json:"blocksStart"`
		BlocksEnd   float64 `json:"blocksEnd"`
		Shards      float64 `json:"shards"`
		Blocks      float64 `json:"blocks"`
	}
	ask := func(bctx context.Context, q string, fresh bool) answer {
		if fresh {
			if err := chromedp.Do(bctx, chromedp.Navigate(root+"index.html"), chromedp.WaitReady("body")); err != nil {
				b.Fatal(err)
			}
		}
		qj, _ := json.Marshal(q)
		js := fmt.Sprintf(`(async () => {
			performance.clearResourceTimings();
			const t = performance.now();
			const r = await window.jingjianSearch(%s, {limit: 10});
			const ms = performance.now() - t;
			const a = {hits: r.hits.map(h => ({url: h.url, page_url: h.page_url})), ms, bytes: 0, shardsEnd: 0, blocksStart: 0, blocksEnd: 0, shards: 0, blocks: 0};
			for (const e of performance.getEntriesByType("resource")) {
				if (!e.name.includes("/_search/")) { continue; }
				a.bytes += e.encodedBodySize || e.transferSize || 0;
				if (e.name.includes("/_search/t/")) { a.shards++; a.shardsEnd = Math.max(a.shardsEnd, e.responseEnd - t); }
				if (e.name.includes("/_search/c/")) {
					a.blocksStart = a.blocks ? Math.min(a.blocksStart, e.startTime - t) : e.startTime - t;
					a.blocks++; a.blocksEnd = Math.max(a.blocksEnd, e.responseEnd - t);
				}
			}
			return a;
		})()`, qj)
		a, err := chromedp.Run(bctx, chromedp.Evaluate[answer](js, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatalf("%s: %v", q, err)
		}
		return a
	}
	for b.Loop() {
		// The first query on a fresh page of a fresh browser (nothing cached), seven times:
		// one alone varies by a third on this machine.
		var firsts []float64
		for range 7 {
			fresh := sitetest.Browser(b)
			firsts = append(firsts, ask(fresh, "公务员 兼职", true).MS)
			if err := chromedp.Cancel(fresh); err != nil {
				b.Fatal(err)
			}
		}
		slices.Sort(firsts)
		var times, sizes []float64
		var answers []answer
		for _, split := range []struct {
			name    string
			queries []sitetest.Judged
		}{{"dev", sitetest.JudgedQueries(b)}, {"held-out", sitetest.HeldoutQueries(b)}} {
			sum, byKind, n := 0.0, map[string][2]float64{}, 0
			var misses []string          // of the dev split only: the held-out split's are never read
			anchored := map[string]int{} // first hits on the judged article, for article and nav
			for i, q := range split.queries {
				a := ask(bctx, q.Query, i%10 == 0) // a fresh page now and then: meta.js again
				times, sizes, answers = append(times, a.MS), append(sizes, a.Bytes), append(answers, a)
				rr := 0.0
				for rank, h := range a.Hits {
					if slices.Contains(q.Relevant, pathOf[strings.TrimSuffix(h.PageURL, "index.html")]) {
						rr = 1 / float64(rank+1)
						break
					}
				}
				if rr < 1 && split.name == "dev" && os.Getenv("JJ_MISSES") != "" {
					top := ""
					if len(a.Hits) > 0 {
						top = a.Hits[0].URL
					}
					misses = append(misses, fmt.Sprintf("%s %s rr %.2f %q → %s (want %s)", q.ID, q.Kind, rr, q.Query, top, strings.Join(q.Relevant, " | ")))
				}
				if rr == 1 && len(q.Anchors) > 0 {
					h := a.Hits[0]
					_, frag, _ := strings.Cut(h.URL, "#")
					if frag != "" && frag == q.Anchors[pathOf[strings.TrimSuffix(h.PageURL, "index.html")]] {
						anchored[q.Kind]++
					}
				}
				sum += rr
				n++
				k := byKind[q.Kind]
				byKind[q.Kind] = [2]float64{k[0] + rr, k[1] + 1}
			}
			b.ReportMetric(sum/float64(n), split.name+"-MRR@10")
			var kinds []string
			for k, v := range byKind {
				on := ""
				if k == "article" || k == "nav" {
					on = fmt.Sprintf(", on the article %.3f", float64(anchored[k])/v[1])
				}
				kinds = append(kinds, fmt.Sprintf("%s %.3f (%d%s)", k, v[0]/v[1], int(v[1]), on))
			}
			slices.Sort(kinds)
			b.Logf("%s: MRR@10 %.3f over %d queries; %s", split.name, sum/float64(n), n, strings.Join(kinds, ", "))
			if path := os.Getenv("JJ_MISSES"); path != "" && split.name == "dev" {
				if err := os.WriteFile(path, []byte(strings.Join(misses, "\n")+"\n"), 0o644); err != nil {
					b.Fatal(err)
				}
			}
		}
		slices.Sort(times)
		slices.Sort(sizes)
		b.ReportMetric(firsts[len(firsts)/2], "first-ms")
		b.ReportMetric(times[len(times)/2], "p50-ms")
		b.ReportMetric(times[len(times)*9/10], "p90-ms")
		b.ReportMetric(sizes[len(sizes)/2]/1e3, "p50-KB")
		b.ReportMetric(sizes[len(sizes)*9/10]/1e3, "p90-KB")
		for _, m := range []struct {
			unit string
			of   func(answer) float64
		}{
			{"shards-end-ms", func(a answer) float64 { return a.ShardsEnd }},
			{"blocks-start-ms", func(a answer) float64 { return a.BlocksStart }},
			{"blocks-end-ms", func(a answer) float64 { return a.BlocksEnd }},
			{"shards/query", func(a answer) float64 { return a.Shards }},
			{"blocks/query", func(a answer) float64 { return a.Blocks }},
		} {
			var x []float64
			for _, a := range answers {
				x = append(x, m.of(a))
			}
			slices.Sort(x)
			b.ReportMetric(x[len(x)/2], m.unit)
		}
	}
}
