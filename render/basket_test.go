package render

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	goqr "github.com/piglig/go-qr"

	"jingjian/internal/sitetest"
)

// svgModules reads back the dark modules of an SVG made by qrSVG: its viewBox size and
// the unit-high runs of its one path.
func svgModules(t *testing.T, b []byte) [][]bool {
	t.Helper()
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Title   string   `xml:"title"`
		Rect    []struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
		Path []struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not XML: %v\n%.300s", err, b)
	}
	var n int
	if _, err := fmt.Sscanf(doc.ViewBox, "0 0 %d %d", &n, &n); err != nil || n < 21 {
		t.Fatalf("viewBox %q", doc.ViewBox)
	}
	if len(doc.Path) != 1 || len(doc.Rect) != 1 || doc.Rect[0].Fill != "#fff" {
		t.Fatalf("want one white background and one path, got %d rects, %d paths", len(doc.Rect), len(doc.Path))
	}
	bits := make([][]bool, n)
	for i := range bits {
		bits[i] = make([]bool, n)
	}
	for _, seg := range strings.Split(doc.Path[0].D, "z") {
		if seg == "" {
			continue
		}
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil || w != w2 || w < 1 || x+w > n || y >= n {
			t.Fatalf("path segment %q: %v", seg, err)
		}
		for i := x; i < x+w; i++ {
			if bits[y][i] {
				t.Fatalf("module %d,%d drawn twice", i, y)
			}
			bits[y][i] = true
		}
	}
	return bits
}

// TestQRSVG: the SVG is valid XML whose modules are exactly the library's QR matrix for
// the address, quiet zone included, and names the address for screen readers.
func TestQRSVG(t *testing.T) {
	for _, u := range []string{
		"https://lzjy.example.gov.cn/cases/%E7%94%B2%E6%A1%88/",
		"http://10.0.0.8/lz/regulations/" + strings.Repeat("%E5%8A%9E", 40) + "/",
	} {
		b, err := qrSVG(u)
		if err != nil {
			t.Fatal(err)
		}
		q, err := goqr.EncodeText(u, goqr.Medium)
		if err != nil {
			t.Fatal(err)
		}
		want := make([][]bool, q.Size()+2*qrBorder)
		for y := range want {
			want[y] = make([]bool, len(want))
			for x := range want[y] {
				want[y][x] = q.Module(x-qrBorder, y-qrBorder)
			}
		}
		got := svgModules(t, b)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the SVG's modules differ from the QR matrix (%d×%d vs %d×%d)", u, len(got), len(got), len(want), len(want))
		}
		for _, corner := range [][2]int{{4, 4}, {len(want) - 5, 4}, {4, len(want) - 5}} {
			if !got[corner[1]][corner[0]] {
				t.Errorf("%s: no finder pattern at %v", u, corner)
			}
		}
		if !strings.Contains(string(b), "<title>"+u+"</title>") {
			t.Errorf("%s: no title naming the address", u)
		}
	}
}

// TestBasketOutputs: the basket page is always built; QR codes only with an absolute base
// URL, for pages of sections with a schema unless params.qr says otherwise, named as
// single.html says.
func TestBasketOutputs(t *testing.T) {
	files := map[string]string{
		"content/cases/甲案.md":     "---\ntitle: 甲案\ndate: 2025-01-02\n---\n正文。\n",
		"content/cases/_index.md": "---\ntitle: 典型案例\n---\n",
	}
	const schema = "[sections.cases]\ntitle = \"典型案例\"\n"
	for _, tc := range []struct {
		name   string
		config string
		qr     bool
	}{
		{"relative base", "title = \"站\"\nbaseURL = \"/lz/\"\n" + schema, false},
		{"section without schema", "title = \"站\"\nbaseURL = \"https://lzjy.example.gov.cn/lz/\"\n", false},
		{"section with schema", "title = \"站\"\nbaseURL = \"https://lzjy.example.gov.cn/lz/\"\n" + schema, true},
		{"every page", "title = \"站\"\nbaseURL = \"https://lzjy.example.gov.cn/lz/\"\n[params]\nqr = true\n", true},
		{"turned off", "title = \"站\"\nbaseURL = \"https://lzjy.example.gov.cn/lz/\"\n[params]\nqr = false\n" + schema, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := map[string]string{"config.toml": tc.config}
			for k, v := range files {
				all[k] = v
			}
			dir := sitetest.Write(t, all)
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := buildSite(t, dir, dest); err != nil {
				t.Fatal(err)
			}
			page := read(t, dest, "素材篮/index.html")
			for _, want := range []string{"<title>素材篮 - 站</title>", "data-basket-page", "<noscript>", "需要启用 JavaScript"} {
				if !strings.Contains(page, want) {
					t.Errorf("basket page lacks %q", want)
				}
			}
			single := read(t, dest, "cases/甲案/index.html")
			if !strings.Contains(single, `data-qr="/lz/qr/cases/%E7%94%B2%E6%A1%88/index.svg"`) {
				t.Errorf("page names no QR code:\n%.400s", single)
			}
			b, err := os.ReadFile(filepath.Join(dest, "qr", "cases", "甲案", "index.svg"))
			if tc.qr != (err == nil) {
				t.Fatalf("QR code written = %v, want %v", err == nil, tc.qr)
			}
			if tc.qr && !strings.Contains(string(b), "<title>https://lzjy.example.gov.cn/lz/cases/%E7%94%B2%E6%A1%88/</title>") {
				t.Errorf("QR code of the wrong address:\n%.300s", b)
			}
		})
	}
}

func BenchmarkQRSVG(b *testing.B) {
	u := "https://lzjy.example.gov.cn/regulations/" + strings.Repeat("%E5%8A%9E", 20) + "/"
	for b.Loop() {
		if _, err := qrSVG(u); err != nil {
			b.Fatal(err)
		}
	}
}
