package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// BenchmarkPagefindQualityLaws is BenchmarkStaticQualityLaws's anchor: it asks the same
// judged queries of both splits of Pagefind (extended 1.6.0, which segments Chinese) over
// Hugo's output of the laws corpus, in headless Chromium, and scores MRR@10 the same way.
// PAGEFIND_SITE names Hugo's output folder with Pagefind's index in pagefind/ (build it as
// scripts/bench-search does: hugo … -d DIR, then pagefind_extended --site DIR
// --force-language zh); without it the benchmark skips. Each query runs
// pagefind.search(q) and loads the data of its first 10 results; the time and the
// /pagefind/ bytes of that are measured, with a fresh page every tenth query. Run with:
//
//	PAGEFIND_SITE=/tmp/pf/public go test ./cmd/jingjian -run XXX -bench PagefindQualityLaws -benchtime 1x -timeout 40m
func BenchmarkPagefindQualityLaws(b *testing.B) {
	dir := os.Getenv("PAGEFIND_SITE")
	if dir == "" {
		b.Skip("PAGEFIND_SITE is unset: it names Hugo's output of the laws corpus with a Pagefind index in pagefind/")
	}
	if _, err := os.Stat(filepath.Join(dir, "pagefind", "pagefind.js")); err != nil {
		b.Skipf("PAGEFIND_SITE=%s holds no Pagefind index: %v", dir, err)
	}
	corpus := sitetest.LawsCorpus(b)
	pathOf, lists := hugoURLs(b, corpus, dir)
	blank := "pf-bench-blank.html"
	if _, err := os.Stat(filepath.Join(dir, "pf.html")); err == nil {
		blank = "pf.html"
	} else if err := os.WriteFile(filepath.Join(dir, blank), []byte(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>pf</title></head><body>pf</body></html>`), 0o644); err != nil {
		b.Fatal(err)
	}
	root := servePlainFiles(b, dir)
	bctx := sitetest.BrowserFor(b, 30*time.Minute) // Pagefind's queries take longer than Browser's two minutes
	type answer struct {
		URLs   []string `json:"urls"`
		Total  int      `json:"total"`
		MS     float64  `json:"ms"`
		Bytes  float64  `json:"bytes"`
		Worker bool     `json:"worker"` // pagefind-worker.js was fetched
	}
	// Pagefind searches in a web worker by default, and the worker's fetches of index chunks
	// are in the worker's Resource Timing, not the page's: so every query is asked twice,
	// once as shipped (worker) for the times and MRR, once with {noWorker: true} (on the
	// main thread, the same fetches and caches) for the bytes.
	ask := func(q string, fresh, noWorker bool) answer {
		if fresh {
			if err := chromedp.Do(bctx, chromedp.Navigate(root+blank), chromedp.WaitReady("body")); err != nil {
				b.Fatal(err)
			}
		}
		qj, _ := json.Marshal(q)
		js := fmt.Sprintf(`(async () => {
			performance.clearResourceTimings();
			const pf = await import("/pagefind/pagefind.js");
			if (%v) { await pf.options({noWorker: true}); }
			const t = performance.now();
			const r = await pf.search(%s);
			const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
			const ms = performance.now() - t;
			let bytes = 0, worker = false;
			for (const e of performance.getEntriesByType("resource")) {
				if (e.name.includes("/pagefind/")) { bytes += e.encodedBodySize || e.transferSize || 0; }
				if (e.name.includes("pagefind-worker.js")) { worker = true; }
			}
			return {urls: data.map(d => d.url), total: r.results.length, ms, bytes, worker};
		})()`, fresh && noWorker, qj)
		a, err := chromedp.Run(bctx, chromedp.Evaluate[answer](js, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatalf("%s: %v", q, err)
		}
		return a
	}
	norm := func(u string) string {
		u, _, _ = strings.Cut(u, "#")
		if p, err := url.PathUnescape(u); err == nil {
			u = p
		}
		u = strings.TrimSuffix(u, "index.html")
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		return u
	}
	splits := []struct {
		name    string
		queries []sitetest.Judged
	}{{"dev", sitetest.JudgedQueries(b)}, {"held-out", sitetest.HeldoutQueries(b)}}
	for b.Loop() {
		mrr := map[string]float64{}
		for _, mode := range []struct {
			name     string
			noWorker bool
		}{{"worker", false}, {"main-thread", true}} {
			first := ask("公务员 兼职", true, mode.noWorker)
			var times, sizes []float64
			unmapped, listHits, hits, workers, pages := 0, 0, 0, 0, 0
			for _, split := range splits {
				sum, byKind, n, empty := 0.0, map[string][2]float64{}, 0, 0
				var misses []string // of the dev split only: the held-out split's are never read
				for i, q := range split.queries {
					fresh := i%10 == 0 // a fresh page now and then: pagefind.js and its meta again
					a := ask(q.Query, fresh, mode.noWorker)
					times, sizes = append(times, a.MS), append(sizes, a.Bytes)
					if fresh {
						pages++
						if a.Worker {
							workers++
						}
					}
					if a.Total == 0 {
						empty++
					}
					rr := 0.0
					for rank, u := range a.URLs {
						p, ok := pathOf[norm(u)]
						hits++
						if !ok {
							if lists[norm(u)] {
								listHits++
							} else {
								unmapped++
							}
							continue
						}
						if slices.Contains(q.Relevant, p) {
							rr = 1 / float64(rank+1)
							break
						}
					}
					if rr < 1 && split.name == "dev" && mode.name == "worker" && os.Getenv("PF_MISSES") != "" {
						var got []string
						for _, u := range a.URLs {
							if p, ok := pathOf[norm(u)]; ok {
								got = append(got, p)
							} else {
								got = append(got, "LIST "+norm(u))
							}
						}
						misses = append(misses, fmt.Sprintf("%s %s rr %.2f %q (%d results)\n  got:  %s\n  want: %s", q.ID, q.Kind, rr, q.Query, a.Total, strings.Join(got, " | "), strings.Join(q.Relevant, " | ")))
					}
					sum += rr
					n++
					k := byKind[q.Kind]
					byKind[q.Kind] = [2]float64{k[0] + rr, k[1] + 1}
				}
				var kinds []string
				for k, v := range byKind {
					kinds = append(kinds, fmt.Sprintf("%s %.3f (%d)", k, v[0]/v[1], int(v[1])))
				}
				slices.Sort(kinds)
				b.Logf("%s, %s: MRR@10 %.3f over %d queries (%d with no result at all); %s", mode.name, split.name, sum/float64(n), n, empty, strings.Join(kinds, ", "))
				if mode.name == "worker" {
					mrr[split.name] = sum / float64(n)
					b.ReportMetric(sum/float64(n), split.name+"-MRR@10")
				} else if m := sum / float64(n); m != mrr[split.name] {
					b.Errorf("%s: MRR@10 %.3f on the main thread, %.3f in the worker", split.name, m, mrr[split.name])
				}
				if path := os.Getenv("PF_MISSES"); path != "" && split.name == "dev" && mode.name == "worker" {
					if err := os.WriteFile(path, []byte(strings.Join(misses, "\n")+"\n"), 0o644); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.Logf("%s: of %d results looked at, %d are section list pages, %d mapped to no corpus file; pagefind-worker.js fetched on %d of %d fresh pages", mode.name, hits, listHits, unmapped, workers, pages)
			if unmapped > 0 {
				b.Errorf("%d result URLs are neither a corpus file's page nor a list page: the URL mapping is wrong", unmapped)
			}
			slices.Sort(times)
			slices.Sort(sizes)
			b.Logf("%s: first query on a fresh page %.0f ms (%.0f KB); p50 %.0f ms, p90 %.0f ms; page-visible bytes p50 %.1f KB, p90 %.1f KB", mode.name, first.MS, first.Bytes/1e3, times[len(times)/2], times[len(times)*9/10], sizes[len(sizes)/2]/1e3, sizes[len(sizes)*9/10]/1e3)
			if mode.name == "worker" {
				b.ReportMetric(first.MS, "first-ms")
				b.ReportMetric(times[len(times)/2], "p50-ms")
				b.ReportMetric(times[len(times)*9/10], "p90-ms")
			} else {
				b.ReportMetric(first.Bytes/1e3, "first-KB")
				b.ReportMetric(sizes[len(sizes)/2]/1e3, "p50-KB")
				b.ReportMetric(sizes[len(sizes)*9/10]/1e3, "p90-KB")
			}
		}
	}
}

// hugoURLs maps the URL path Hugo gives each page of the corpus ("/dlc/…/名称2020-05-14/")
// back to the file's path under the corpus root, and returns as well the URL paths of the
// section list pages (_index.md and their /page/N/). Hugo's path is the file's path without
// .md, lowercased, with every character dropped but letters, digits, marks and
// ./_#+~-@, and each run of spaces before a kept character made one '-' (its
// UnicodeSanitize). Every page's folder is checked to exist in Hugo's output.
func hugoURLs(b *testing.B, corpus, out string) (map[string]string, map[string]bool) {
	b.Helper()
	sanitize := func(s string) string {
		var t []rune
		hyphen := false
		for _, r := range s {
			if strings.ContainsRune("./\\_#+~-@", r) || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
				if hyphen {
					t = append(t, '-')
					hyphen = false
				}
				t = append(t, r)
			} else if len(t) > 0 && unicode.IsSpace(r) {
				hyphen = true
			}
		}
		return strings.ToLower(string(t))
	}
	pathOf, lists := map[string]string{}, map[string]bool{"/": true}
	var missing []string
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(corpus, p)
		rel = filepath.ToSlash(rel)
		if path.Base(rel) == "_index.md" {
			lists["/"+sanitize(path.Dir(rel))+"/"] = true
			return nil
		}
		if strings.HasPrefix(rel, "_") { // e.g. _upstream_README.md: Hugo renders no page for it
			return nil
		}
		u := "/" + sanitize(strings.TrimSuffix(rel, ".md")) + "/"
		if prev, dup := pathOf[u]; dup {
			b.Fatalf("%s and %s have the same URL %s", prev, rel, u)
		}
		pathOf[u] = rel
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(u), "index.html")); err != nil {
			missing = append(missing, rel+" → "+u)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(missing) > 0 {
		b.Fatalf("%d corpus files have no page where their URL should be, e.g. %s", len(missing), missing[0])
	}
	// Every other page Hugo wrote is a list: a section (with or without _index.md), its
	// /page/N/, the home page, taxonomies.
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		rel, _ := filepath.Rel(out, filepath.Dir(p))
		u := "/" + filepath.ToSlash(rel) + "/"
		if rel == "." {
			u = "/"
		}
		if _, ok := pathOf[u]; !ok {
			lists[u] = true
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d corpus pages mapped to Hugo URLs (all found in %s); %d list pages", len(pathOf), out, len(lists))
	return pathOf, lists
}
