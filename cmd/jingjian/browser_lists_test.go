package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// TestBrowserDutyListOnPhone: a five-column duty list, on the plain static site, stays
// within a 390 px phone screen (each row a card of "header: value" lines) and is a table
// on a desktop.
func TestBrowserDutyListOnPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	row := "| 1 | 受理审查 | 审查乡镇（街道）报送的审核材料是否齐全、程序是否完整、签字是否齐备 | 收到材料后3个工作日内 | 系统录入审查意见；材料不全的一次性书面告知申请人 |\n"
	dir := sitetest.Write(t, map[string]string{
		"config.toml":              "title = \"t\"\n[sections.lists]\ntitle = \"职责清单\"\n",
		"content/lists/审核员履职清单.md": "# 审核员履职清单\n\n| 序号 | 环节 | 履职事项 | 时限要求 | 留痕要求 |\n|---|---|---|---|---|\n" + strings.Repeat(row, 6),
	})
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(dir, "public"))))
	defer srv.Close()
	bctx := sitetest.Browser(t)
	until := waitFor(t, bctx)
	for _, tt := range []struct {
		width   int64
		display string // of a cell: a card's line, or a table cell
	}{{390, "block"}, {1200, "table-cell"}} {
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(tt.width, 800)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/lists/%E5%AE%A1%E6%A0%B8%E5%91%98%E5%B1%A5%E8%81%8C%E6%B8%85%E5%8D%95/")); err != nil {
			t.Fatal(err)
		}
		until("the list", `document.querySelector(".content table") !== null`)
		display, err := chromedp.Run(bctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".content td")).display`))
		if err != nil || display != tt.display {
			t.Errorf("%d px: cell display %q (%v), want %q", tt.width, display, err, tt.display)
		}
		over, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if err != nil || over > 0 {
			t.Errorf("%d px: the page overflows sideways by %d px (%v)", tt.width, over, err)
		}
		if tt.width == 390 {
			label, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".content td"), "::before").content`))
			if !strings.Contains(label, "序号") {
				t.Errorf("390 px: a cell does not show its column's header: %q", label)
			}
		}
	}
}
