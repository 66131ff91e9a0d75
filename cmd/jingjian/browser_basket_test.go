package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// TestBrowserBasket: on the plain static site, a page and an article of a regulation go
// into the 素材篮; the header counts them; on the basket page they are reordered by
// keyboard-reachable buttons, annotated, one is removed; all of it survives a reload and
// follows another tab; the page prints as a handout.
func TestBrowserBasket(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := sitetest.Write(t, map[string]string{
		"config.toml": "title = \"廉政教育\"\nbaseURL = \"http://lzjy.example.invalid/\"\n[sections.cases]\ntitle = \"典型案例\"\n[sections.\"法规\"]\ntitle = \"法规制度\"\n" +
			"[params]\nprintNotice = \"内部学习资料，请勿外传\"\n",
		"content/法规/接待办法(2024-03-01).md": "# 某局公务接待管理办法\n\n第一条 为规范接待，制定本办法。\n\n第二条 接待对象应当持公函。\n",
		"content/cases/甲案.md":            "---\ntitle: 甲案\ndate: 2025-01-02\n---\n违反《某局公务接待管理办法》第二条。\n",
	})
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(dir, "public"))))
	defer srv.Close()
	bctx := sitetest.Browser(t)
	until := waitFor(t, bctx)
	run := func(js string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool]("("+js+", true)")); err != nil {
			t.Fatalf("%s: %v", js, err)
		}
	}
	navigate := func(u string) {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.Navigate(u)); err != nil {
			t.Fatal(err)
		}
	}

	navigate(srv.URL + "/cases/%E7%94%B2%E6%A1%88/")
	until("the page's button", `document.querySelector("article.single .single-header button.basket-add") !== null`)
	until("an empty basket", `document.querySelector("a.basket-link").textContent === "素材篮（0）"`)
	run(`document.querySelector(".single-header button.basket-add").click()`)
	until("one item", `document.querySelector("a.basket-link").textContent === "素材篮（1）"`)
	until("the button turns", `document.querySelector(".single-header button.basket-add").getAttribute("aria-pressed") === "true"`)
	law, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("a.cite").href`))
	if err != nil {
		t.Fatal(err)
	}

	navigate(law)
	until("a button per article", `document.querySelectorAll("p.article button.basket-add").length === 2`)
	run(`document.querySelectorAll("p.article button.basket-add")[1].click()`)
	until("two items", `document.querySelector("a.basket-link").textContent === "素材篮（2）"`)

	run(`document.querySelector("a.basket-link").click()`)
	until("the basket page lists both", `document.querySelectorAll(".basket-items li").length === 2`)
	titles := `Array.from(document.querySelectorAll(".basket-item-title")).map(function (h) { return h.textContent; }).join("|")`
	until("in the order added", titles+` === "甲案|《某局公务接待管理办法》第二条"`)
	until("the article's citation and text", `document.querySelector(".basket-item-article .basket-cite").textContent === "引用：《某局公务接待管理办法》第二条（2024年3月1日版）" &&
		document.querySelector(".basket-item-article .basket-text").textContent.includes("接待对象应当持公函")`)
	until("the QR codes load", `Array.from(document.querySelectorAll("img.basket-qr")).filter(function (i) { return i.complete && i.naturalWidth > 0; }).length === 2`)
	until("an article's QR code is said to lead to its page", `!document.querySelector(".basket-qr-note").hidden`)

	// Annotate, name the talk, then move the case down by keyboard-reachable buttons.
	run(`(function () {
		var set = function (el, v) { el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })); };
		set(document.getElementById("basket-title"), "以案为鉴专题讲座");
		set(document.getElementById("basket-speaker"), "王某");
		set(document.querySelector(".basket-item-article textarea.basket-note"), "重点讲公函");
	})()`)
	run(`document.querySelector(".basket-item-page button.basket-down").focus()`)
	run(`document.activeElement.click()`)
	until("reordered", titles+` === "《某局公务接待管理办法》第二条|甲案"`)
	until("the focus stays with the moved item", `document.activeElement.closest("li").querySelector(".basket-item-title").textContent === "甲案"`)
	run(`document.querySelector(".basket-item-page button.basket-remove").click()`)
	until("one left", `document.querySelectorAll(".basket-items li").length === 1 && document.querySelector("a.basket-link").textContent === "素材篮（1）"`)

	navigate(srv.URL + "/%E7%B4%A0%E6%9D%90%E7%AF%AE/")
	until("still there after a reload", titles+` === "《某局公务接待管理办法》第二条"`)
	until("the note and the talk too", `document.querySelector("textarea.basket-note").value === "重点讲公函" && document.getElementById("basket-title").value === "以案为鉴专题讲座"`)
	md, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(function () {
		var got = "";
		navigator.clipboard && (navigator.clipboard.writeText = function (t) { got = t; return Promise.resolve(); });
		document.addEventListener("copy", function () { got = got || document.activeElement.value; });
		document.querySelector('[data-basket-action="copy-md"]').click();
		return got;
	})()`))
	if err != nil || !strings.HasPrefix(md, "# 以案为鉴专题讲座\n\n主讲人：王某") || !strings.Contains(md, "引用：《某局公务接待管理办法》第二条（2024年3月1日版）") || !strings.Contains(md, "**批注**：重点讲公函") {
		t.Errorf("Markdown export %q (%v)", md, err)
	}

	// Another tab empties the basket: this one follows.
	run(`(function () {
		var key = Object.keys(localStorage).filter(function (k) { return k.indexOf("jingjian-basket:") === 0; })[0];
		var s = JSON.parse(localStorage.getItem(key)); s.items.push({ id: "page:x", kind: "page", title: "乙案", url: location.origin + "/x/" });
		localStorage.setItem(key, JSON.stringify(s));
		window.dispatchEvent(new StorageEvent("storage", { key: key }));
	})()`)
	until("in step with another tab", `document.querySelectorAll(".basket-items li").length === 2 && document.querySelector("a.basket-link").textContent === "素材篮（2）"`)

	// Dragging 乙案 by its handle onto the first item puts it first.
	run(`(function () {
		var items = document.querySelectorAll(".basket-items li"), dt = new DataTransfer();
		items[1].querySelector(".basket-handle").dispatchEvent(new DragEvent("dragstart", { bubbles: true, dataTransfer: dt }));
		items[0].dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: dt }));
		items[0].dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: dt }));
	})()`)
	until("dragged first", titles+` === "乙案|《某局公务接待管理办法》第二条"`)

	// The handout: the title block shows and the screen tools do not, in print.
	if err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	until("a handout in print", `getComputedStyle(document.querySelector(".basket-handout-head")).display === "block" &&
		getComputedStyle(document.querySelector(".basket-tools")).display === "none" &&
		getComputedStyle(document.querySelector("textarea.basket-note")).display === "none" &&
		document.querySelector(".basket-handout-title").textContent === "以案为鉴专题讲座" &&
		getComputedStyle(document.querySelector(".basket-item-article .basket-note-print")).display === "block" &&
		document.querySelector(".print-meta").textContent.includes("内部学习资料，请勿外传")`)
	var pdf []byte
	if err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{})
		pdf = res.Data
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if len(pdf) < 1000 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("print preview: %d bytes, %.8q", len(pdf), pdf)
	}
	// What the handout says, read back from the PDF (poppler's pdftotext, which .ci/run
	// installs; skipped where it is missing). pdftotext may drop the first character of a
	// centred line, hence 案为鉴…. Line breaks and spaces are left out: where a line wraps
	// depends on the fonts installed (with a CJK font the footer wraps inside 请勿外传).
	text, err := pdfText(t, pdf)
	if err != nil {
		t.Log("not reading the PDF back:", err)
		return
	}
	// Addresses on paper read as typed: 中文, not %E4%B8%AD….
	if strings.Contains(text, "%E") {
		t.Errorf("the printed handout shows percent-encoded addresses:\n%s", text)
	}
	for _, want := range []string{"案为鉴专题讲座", "乙案", "《某局公务接待管理办法》第二条", "接待对象应当持公函", "重点讲公函", "内部学习资料，请勿外传", "1/1"} {
		if !strings.Contains(strings.Join(strings.Fields(text), ""), want) {
			t.Errorf("the printed handout lacks %q:\n%s", want, text)
		}
	}
}

// pdfText extracts the text of a PDF with pdftotext.
func pdfText(t *testing.T, pdf []byte) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", err
	}
	p := filepath.Join(t.TempDir(), "handout.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		return "", err
	}
	out, err := exec.Command(bin, "-layout", p, "-").Output()
	return string(out), err
}

// TestBrowserBasketSearch: a search result goes into the 素材篮 as its page, so the page
// itself then shows it as collected.
func TestBrowserBasketSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := sitetest.Write(t, map[string]string{
		"content/cases/甲案.md": "---\ntitle: 甲案\ndate: 2025-01-02\n---\n违规接受宴请。\n",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch=false")
	bctx := sitetest.Browser(t)
	until := waitFor(t, bctx)
	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+addr+"/search/?q=宴请")); err != nil {
		t.Fatal(err)
	}
	until("a button per hit", `document.querySelectorAll(".search-hits > li button.basket-add").length === 1`)
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(document.querySelector(".search-hits button.basket-add").click(), true)`)); err != nil {
		t.Fatal(err)
	}
	until("counted", `document.querySelector("a.basket-link").textContent === "素材篮（1）"`)
	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+addr+"/cases/%E7%94%B2%E6%A1%88/")); err != nil {
		t.Fatal(err)
	}
	until("the page knows it is collected", `document.querySelector(".single-header button.basket-add").getAttribute("aria-pressed") === "true"`)
	cancel()
	<-done
}
