package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// BenchmarkScriptLoadFloor measures what loading index files costs in itself, with no
// index at all: a page served by python3 -m http.server adds <script> elements as
// static-search.js does, in two waves the second of which waits for the first (a query's
// shards, then its hits' blocks), each script only calling back. It reports the median
// of 30 runs for waves of 15 then 10 files (a question of the laws corpus), 5 then 10,
// 3 then 3 and 1 then 1, in tiny files and in files of 9 KB (a shard's size). Run with:
//
//	go test ./cmd/jingjian -run XXX -bench ScriptLoadFloor -benchtime 1x
func BenchmarkScriptLoadFloor(b *testing.B) {
	dir := b.TempDir()
	for _, size := range []string{"tiny", "9k"} {
		if err := os.MkdirAll(filepath.Join(dir, size), 0o755); err != nil {
			b.Fatal(err)
		}
		for i := range 40 {
			body := "x"
			if size == "9k" {
				body = strings.Repeat("qo!e75WWyX", 900)
			}
			js := fmt.Sprintf("floorLoaded(%d,%q);\n", i, body)
			if err := os.WriteFile(filepath.Join(dir, size, fmt.Sprint(i, ".js")), []byte(js), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	page := `<!doctype html><meta charset="utf-8"><title>floor</title><script>
var waiting = {};
function floorLoaded(i) { var f = waiting[i]; delete waiting[i]; if (f) { f(); } }
function wave(dir, from, k) {
  var all = [];
  for (var i = from; i < from + k; i++) {
    all.push(new Promise(function (res) {
      waiting[i] = res;
      var s = document.createElement("script");
      s.src = dir + "/" + i + ".js?" + Math.random(); // never from the cache
      s.async = true;
      s.onload = function () { s.remove(); };
      document.head.appendChild(s);
    }));
  }
  return Promise.all(all);
}
async function floor(dir, a, b) {
  var t = performance.now();
  await wave(dir, 0, a);
  var t1 = performance.now();
  await wave(dir, 20, b);
  return [t1 - t, performance.now() - t];
}
</script>`
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		b.Fatal(err)
	}
	root := servePlainFiles(b, dir)
	bctx := sitetest.Browser(b)
	if err := chromedp.Do(bctx, chromedp.Navigate(root+"index.html"), chromedp.WaitReady("body")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, size := range []string{"tiny", "9k"} {
			for _, w := range [][2]int{{15, 10}, {5, 10}, {3, 3}, {1, 1}} {
				var first, both []float64
				for range 30 {
					r, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](fmt.Sprintf("floor(%q, %d, %d)", size, w[0], w[1]), chromedp.EvalAwaitPromise))
					if err != nil {
						b.Fatal(err)
					}
					first, both = append(first, r[0]), append(both, r[1])
				}
				slices.Sort(first)
				slices.Sort(both)
				b.Logf("%s files, %d then %d: first wave %.1f ms, both %.1f ms (%.1f ms a file; medians of 30)", size, w[0], w[1], first[15], both[15], both[15]/float64(w[0]+w[1]))
			}
		}
	}
}
