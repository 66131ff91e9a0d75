package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// TestBrowserLiveReload opens a page of `serve --watch` in Chromium, edits its file and
// sees the page reload with the new text; breaks the file and sees the error overlay
// (path:line:col) over the last good page; fixes it and sees the overlay go.
func TestBrowserLiveReload(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := sitetest.Write(t, map[string]string{"content/a.md": "---\ntitle: 甲案\n---\n第一版正文。\n"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch")
	bctx := sitetest.Browser(t)

	until := waitFor(t, bctx)
	listening := `document.documentElement.getAttribute("data-live") === "connected"`
	file := filepath.Join(dir, "content", "a.md")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+addr+"/a/")); err != nil {
		t.Fatal(err)
	}
	until("first version", `document.body.innerText.includes("第一版正文")`)
	until("live reload connected", listening)

	write("---\ntitle: 甲案\n---\n第二版正文。\n")
	until("reload after an edit", `document.body.innerText.includes("第二版正文")`)
	until("live reload connected again", listening)

	write("---\ntitle: 甲案\ndraft: 也许\n---\n第三版正文。\n")
	until("error overlay", `(document.getElementById("jingjian-errors") || {}).textContent?.includes("content/a.md:3:1") === true`)
	if text, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("article").innerText`)); !strings.Contains(text, "第二版正文") {
		t.Errorf("the last good page is not shown under the overlay: %q", text)
	}

	write("---\ntitle: 甲案\n---\n第四版正文。\n")
	until("reload after the fix", `document.body.innerText.includes("第四版正文")`)
	until("overlay gone", `document.getElementById("jingjian-errors") === null`)

	cancel()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// waitFor returns a function that evaluates a JavaScript condition in the browser until
// it holds, for at most ten seconds, and fails the test with the page's text if it never does.
func waitFor(t *testing.T, bctx context.Context) func(what, cond string) {
	return func(what, cond string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](cond))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				text, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
				t.Fatalf("%s: %s never held (%v); page text:\n%.600s", what, cond, err, text)
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
}
