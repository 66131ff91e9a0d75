package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// BenchmarkStaticPhasesLaws splits a static query's time by what it waits for, from
// Resource Timing: when the last shard's bytes came, when the first block was asked for
// (the shards decoded and the hits scored in between), when the last block came, and
// how many shards and blocks a query loads — the dev split's queries on one page, a
// fresh one every tenth, as BenchmarkStaticQualityLaws asks them. Compare its files per
// query with BenchmarkScriptLoadFloor's cost of a file. Run with:
//
//	go test ./cmd/jingjian -run XXX -bench StaticPhasesLaws -benchtime 1x
func BenchmarkStaticPhasesLaws(b *testing.B) {
	_, out, _ := builtLawsSite(b)
	root := servePlainFiles(b, out)
	bctx := sitetest.Browser(b)
	type phases struct {
		MS, ShardsEnd, BlocksStart, BlocksEnd float64
		Shards, Blocks                        float64
	}
	for b.Loop() {
		var all []phases
		for i, q := range sitetest.JudgedQueries(b) {
			if i%10 == 0 {
				if err := chromedp.Do(bctx, chromedp.Navigate(root+"index.html"), chromedp.WaitReady("body")); err != nil {
					b.Fatal(err)
				}
			}
			qj, _ := json.Marshal(q.Query)
			p, err := chromedp.Run(bctx, chromedp.Evaluate[phases](fmt.Sprintf(`(async () => {
				performance.clearResourceTimings();
				const t = performance.now();
				await window.jingjianSearch(%s, {limit: 10});
				const p = {MS: performance.now() - t, ShardsEnd: 0, BlocksStart: 0, BlocksEnd: 0, Shards: 0, Blocks: 0};
				for (const e of performance.getEntriesByType("resource")) {
					if (e.name.includes("/_search/t/")) { p.Shards++; p.ShardsEnd = Math.max(p.ShardsEnd, e.responseEnd - t); }
					if (e.name.includes("/_search/c/")) {
						p.BlocksStart = p.Blocks ? Math.min(p.BlocksStart, e.startTime - t) : e.startTime - t;
						p.Blocks++; p.BlocksEnd = Math.max(p.BlocksEnd, e.responseEnd - t);
					}
				}
				return p;
			})()`, qj), chromedp.EvalAwaitPromise))
			if err != nil {
				b.Fatalf("%s: %v", q.Query, err)
			}
			all = append(all, p)
		}
		median := func(f func(phases) float64) float64 {
			var x []float64
			for _, p := range all {
				x = append(x, f(p))
			}
			slices.Sort(x)
			return x[len(x)/2]
		}
		b.ReportMetric(median(func(p phases) float64 { return p.MS }), "p50-ms")
		b.ReportMetric(median(func(p phases) float64 { return p.ShardsEnd }), "shards-end-ms")
		b.ReportMetric(median(func(p phases) float64 { return p.BlocksStart }), "blocks-start-ms")
		b.ReportMetric(median(func(p phases) float64 { return p.BlocksEnd }), "blocks-end-ms")
		b.ReportMetric(median(func(p phases) float64 { return p.Shards }), "shards/query")
		b.ReportMetric(median(func(p phases) float64 { return p.Blocks }), "blocks/query")
	}
}
