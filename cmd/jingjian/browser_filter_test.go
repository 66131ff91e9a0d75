package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jingjian/internal/sitetest"
)

// TestFilterBar: a section's list has a filter bar per taxonomy. Its links lead to term
// pages scoped to the section (practices do not mix into cases), and with JavaScript a
// click filters the list in place; on a plain static server.
func TestFilterBar(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":             "title = \"t\"\n[taxonomies.field]\ntitle = \"领域\"\n[sections.cases]\ntitle = \"典型案例\"\n[sections.practices]\ntitle = \"他山之石\"\n[sections.lists]\ntitle = \"职责清单\"\n  [sections.lists.fields.kind]\n  label = \"清单类型\"\n  filter = true\n",
		"content/cases/甲案.md":     "---\ntitle: 甲案\nfield: [养老服务]\n---\n正文。\n",
		"content/cases/乙案.md":     "---\ntitle: 乙案\nfield: [社会救助]\n---\n正文。\n",
		"content/cases/丙案.md":     "---\ntitle: 丙案\nfield: [养老服务, 社会救助]\n---\n正文。\n",
		"content/practices/做法.md": "---\ntitle: 某地做法\nfield: [养老服务]\n---\n正文。\n",
		"content/lists/甲清单.md":    "---\ntitle: 甲清单\nkind: 负面清单\n---\n正文。\n",
		"content/lists/乙清单.md":    "---\ntitle: 乙清单\nkind: 履职清单\n---\n正文。\n",
	})
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(dir, "public"))))
	defer srv.Close()
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %s", path, res.Status)
		}
		return string(b)
	}
	scoped := get("/cases/field/%E5%85%BB%E8%80%81%E6%9C%8D%E5%8A%A1/")
	for _, want := range []string{"典型案例 · 领域：养老服务", "共 2 篇", ">甲案<", ">丙案<"} {
		if !strings.Contains(scoped, want) {
			t.Errorf("scoped term page lacks %q", want)
		}
	}
	if strings.Contains(scoped, "某地做法") || strings.Contains(scoped, ">乙案<") {
		t.Error("the scoped term page lists pages of another section or term")
	}
	if idx := get("/cases/field/"); !strings.Contains(idx, "典型案例 · 领域") || !strings.Contains(idx, "养老服务</a> <span class=\"count\">2 篇") {
		t.Error("the section's own index of 领域 is missing or counts other sections")
	}
	if list := get("/cases/"); !strings.Contains(list, `class="filter-bar"`) || !strings.Contains(list, `href="/cases/field/%E5%85%BB%E8%80%81%E6%9C%8D%E5%8A%A1/"`) {
		t.Error("the list page has no filter bar linking to the scoped term page")
	}

	// A schema field marked filter: its values on the list, and in the filter bar.
	if lists := get("/lists/"); !strings.Contains(lists, `data-filter="kind=负面清单"`) || !strings.Contains(lists, `<span class="chip">负面清单</span>`) {
		t.Error("the duty lists' page does not show or filter by 清单类型")
	}

	if testing.Short() {
		return
	}
	bctx := sitetest.Browser(t)
	until := waitFor(t, bctx)
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/cases/")); err != nil {
		t.Fatal(err)
	}
	visible := `Array.from(document.querySelectorAll(".page-list li")).filter(li => !li.hidden).map(li => li.querySelector("a").textContent).sort().join(",")`
	until("the list", `document.querySelectorAll(".page-list li").length === 3`)
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(document.querySelector('a[data-filter="field=社会救助"]').click(), true)`)); err != nil {
		t.Fatal(err)
	}
	until("filtered in place", visible+` === "丙案,乙案"`)
	until("stays on the page", `location.pathname === "/cases/"`)
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(document.querySelector(".filter-clear").click(), true)`)); err != nil {
		t.Fatal(err)
	}
	until("all again", visible+` === "丙案,乙案,甲案"`)
}
