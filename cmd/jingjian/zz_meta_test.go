package main

import (
	"testing"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

func TestZZMeta(t *testing.T) {
	root := servePlainFiles(t, "/tmp/st/site/public")
	bctx := sitetest.Browser(t)
	for i := 0; i < 4; i++ {
		if err := chromedp.Do(bctx, chromedp.Navigate(root+"index.html"), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		js := `(async () => {
			const t0 = performance.now();
			await window.jingjianSearch.preload();
			const t1 = performance.now();
			await window.jingjianSearch("公务员 兼职");
			const t2 = performance.now();
			let e = performance.getEntriesByType("resource").filter(e => e.name.includes("meta.js"))[0];
			return [t1 - t0, t2 - t1, e ? e.responseEnd - e.startTime : -1, e ? e.startTime - t0 : -1];
		})()`
		r, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("meta %.1f ms (load %.1f, started %.1f), then query %.1f ms", r[0], r[2], r[3], r[1])
	}
}
