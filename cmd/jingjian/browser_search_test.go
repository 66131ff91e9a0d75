package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"jingjian/internal/sitetest"
)

// TestBrowserSearchPassages serves the example site and searches it for 公函, which the
// articles of its reception rules answer: as you type, an article of a hit shows as an
// indented sub-result the arrow keys reach and Enter opens, at its anchor; the results
// page without JavaScript lists the articles under the hit as well.
func TestBrowserSearchPassages(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := t.TempDir()
	copyExampleSite(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, _ := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch=false")
	bctx := sitetest.Browser(t)
	until := waitFor(t, bctx)
	const article = `/regulations/青川市民政局公务接待管理办法(2024-03-01)/#第` // …十六条
	decoded := func(href string) string { u, _ := url.PathUnescape(href); return u }

	err := chromedp.Do(bctx,
		chromedp.Navigate("http://"+addr+"/"),
		chromedp.WaitVisible(chromedp.ID("site-search")),
		chromedp.Focus(chromedp.ID("site-search")),
		chromedp.KeyEvent("公函"),
	)
	if err != nil {
		t.Fatal(err)
	}
	until("sub-results as you type", `document.querySelector('.live-results[data-query="公函"] li.live-passage[role=option] a') !== null`)
	subs, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".live-results li.live-passage a"), a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, h := range subs {
		if strings.Contains(decoded(h), article) {
			want = decoded(h)
			break
		}
	}
	if want == "" {
		t.Fatalf("no sub-result links to an article of the reception rules: %q", subs)
	}
	// Down the list, hits and sub-results alike, to the first sub-result; Enter opens it.
	for i := 0; ; i++ {
		if err := chromedp.Do(bctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
			t.Fatal(err)
		}
		sel, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`(document.querySelector('.live-results li[aria-selected="true"].live-passage a') || {href: ""}).href`))
		if sel != "" {
			want = decoded(strings.TrimPrefix(sel, "http://"+addr))
			break
		}
		if i == 5 {
			t.Fatal("the arrow keys never reach a sub-result")
		}
	}
	if err := chromedp.Do(bctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	_, anchor, _ := strings.Cut(want, "#")
	until("the sub-result opens at its article", `document.querySelector("article.single") !== null && decodeURIComponent(location.hash) === "#`+anchor+`" && document.querySelector(":target") !== null`)

	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+addr+"/search?q="+url.QueryEscape("公函"))); err != nil {
		t.Fatal(err)
	}
	until("the results page", `document.querySelector(".search-summary") !== null`)
	subs, err = chromedp.Run(bctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".search-hits .search-passages a"), a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range subs {
		found = found || strings.Contains(decoded(h), article)
	}
	if !found {
		t.Errorf("the results page lists no article of the reception rules under its hits: %q", subs)
	}
}
