package server

import (
	"context"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// browser starts headless Chromium (Debian's chromium, which .ci/run installs), or skips.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium); skipping browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// TestBrowserSearchAsYouType types into the header search box and sees results appear;
// arrows and Enter open one.
func TestBrowserSearchAsYouType(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ts, _ := newTestServer(t, true)
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("site-search")),
		chromedp.KeyEvent("/"), // focuses the box
		chromedp.KeyEvent("养老"),
		chromedp.WaitVisible(chromedp.CSS(".live-results li[role=option]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".live-results")))
	if err != nil || !strings.Contains(text, "养老补贴案") {
		t.Fatalf("live results %q, %v", text, err)
	}
	err = chromedp.Do(ctx,
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("article.single")),
	)
	if err != nil {
		t.Fatal(err)
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
	ctx := browser(t)
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
