package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// TestBrowserCopyCitation: each article of a regulation gets a 复制引用 button that copies
// the citation (title, article, version) and the article's address; a case's inline
// citation is a link to the article, which lists the case.
func TestBrowserCopyCitation(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := sitetest.Write(t, map[string]string{
		"content/法规/接待办法(2024-03-01).md": "# 某局公务接待管理办法\n\n第一条 为规范接待，制定本办法。\n\n第二条 接待对象应当持公函。\n",
		"content/案例/甲案.md":               "---\ntitle: 甲案\ndate: 2025-01-02\n---\n违反《某局公务接待管理办法》第二条。\n",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch=false")
	bctx := sitetest.Browser(t)
	until := waitFor(t, bctx)

	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+addr+"/案例/甲案/")); err != nil {
		t.Fatal(err)
	}
	until("the inline citation is a link", `document.querySelector("a.cite") !== null`)
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(document.querySelector("a.cite").click(), true)`)); err != nil {
		t.Fatal(err)
	}
	until("the link leads to the article", `decodeURIComponent(location.hash) === "#第二条"`)
	until("the article lists the case", `document.querySelector(".cited-by") !== null && document.querySelector(".cited-by").textContent.includes("甲案")`)

	until("a button per article", `document.querySelectorAll("p.article button.cite-copy").length === 2`)
	// Catch what is copied, by either of the script's two ways.
	_, _ = chromedp.Run(bctx, chromedp.Evaluate[bool](`(window.__copied = "",
		navigator.clipboard && (navigator.clipboard.writeText = function (t) { window.__copied = t; return Promise.resolve(); }),
		document.addEventListener("copy", function () { window.__copied = document.activeElement.value || ""; }),
		document.querySelectorAll("button.cite-copy")[1].click(), true)`))
	until("copied", `document.querySelectorAll("button.cite-copy")[1].textContent === "已复制"`)
	copied, err := chromedp.Run(bctx, chromedp.Evaluate[string](`window.__copied`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(copied, "《某局公务接待管理办法》第二条（2024年3月1日版）\nhttp://"+addr+"/") || !strings.HasSuffix(copied, "#%E7%AC%AC%E4%BA%8C%E6%9D%A1") {
		t.Errorf("copied %q", copied)
	}
	cancel()
	<-done
}
