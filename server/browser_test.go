package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"jingjian/internal/sitetest"
)

// TestBrowserSearchAsYouType types into the header search box and sees results appear;
// "/" focuses the box, the arrow keys select a result, which then opens.
func TestBrowserSearchAsYouType(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ts, _ := newTestServer(t, true)
	ctx := sitetest.Browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("site-search")),
		chromedp.KeyEvent("/"), // focuses the box
	)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "site-search" {
		t.Errorf(`"/" focused %q`, id)
	}
	err = chromedp.Do(ctx,
		// DevTools types the "/" into the box as well; a browser does not.
		chromedp.Evaluate[chromedp.Void](`document.getElementById("site-search").value = ""`),
		chromedp.KeyEvent("养老"),
		// The list for the whole word, not one for the first character still on its way.
		chromedp.WaitVisible(chromedp.CSS(`.live-results[data-query="养老"] li[role=option]`)),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.WaitVisible(chromedp.CSS(`.live-results li[aria-selected="true"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".live-results").textContent`))
	if err != nil || !strings.Contains(text, "养老补贴案") {
		t.Fatalf("live results %q, %v", text, err)
	}
	// Enter opens the selected result, not the results page the form would submit to.
	if err = chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	step, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.WaitVisible(chromedp.CSS("article.single"))); err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " | " + document.title`))
		t.Fatalf("the selected result did not open: %v (now at %s)", err, state)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if u, _ := url.PathUnescape(loc); !strings.Contains(u, "/cases/b/") {
		t.Errorf("Enter opened %s", loc)
	}
}

// TestBrowserWithoutJavaScript submits the header search form with scripts disabled and
// reads the server-rendered results.
func TestBrowserWithoutJavaScript(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ts, _ := newTestServer(t, true)
	ctx := sitetest.Browser(t)
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("site-search")),
		chromedp.SendKeys(chromedp.ID("site-search"), "低保"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".search-summary")),
	)
	if err != nil {
		t.Fatal(err)
	}
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".search-summary")))
	hits, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".search-hits")))
	if !strings.Contains(summary, "共 1 条结果") || !strings.Contains(hits, "标题<script>alert(1)</script>案") {
		t.Errorf("summary %q, hits %q", summary, hits)
	}
}
