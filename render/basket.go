package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	goqr "github.com/piglig/go-qr"

	"jingjian/site"
)

// basketURL is the site-relative folder of the lecture basket (素材篮) page.
const basketURL = "/素材篮/"

// qrURL returns the site-relative URL of the QR code leading to the page at u; single.html
// builds the same path with print "/qr" u "index.svg".
func qrURL(u string) string { return "/qr" + u + "index.svg" }

// basketOutputs plans the basket page, when the theme has layouts/_default/basket.html,
// and QR codes so that a printed handout leads back to the site. A QR code must hold a
// full address, so there are none unless the base URL is absolute. They cost about 1 ms
// and 15 KB each (a laws corpus of 3,500 pages builds 5 s longer), so by default only
// pages of sections with a schema ([sections.x] in config.toml: cases, practices, the
// sections people collect from) get one; params.qr = true gives every page one,
// params.qr = false none.
func basketOutputs(s *site.Site, t *templates) []*output {
	var outs []*output
	if tmpl := t.lookup("", "basket"); tmpl != nil {
		outs = append(outs, &output{path: indexFile(basketURL), tmpl: tmpl, data: &data{Site: s, Kind: "basket",
			Page: &site.Page{Title: "素材篮", URL: basketURL}, Crumbs: crumbs(s, nil, "素材篮"), URL: basketURL}})
	}
	_, abs := basePaths(s.Config.BaseURL)
	all, set := s.Config.Params["qr"].(bool)
	if set && !all || !strings.Contains(abs, "://") {
		return outs
	}
	for _, p := range s.Pages {
		if !all && (p.Section == nil || p.Section.Schema == nil) {
			continue
		}
		link := abs + site.EscapePath(p.URL)
		outs = append(outs, &output{path: strings.TrimPrefix(qrURL(p.URL), "/"), make: func() ([]byte, error) { return qrSVG(link) }})
	}
	return outs
}

// qrBorder is the quiet zone around a QR code, in modules, as the standard asks.
const qrBorder = 4

// qrSVG draws the QR code of text as an SVG: one path of unit squares inside a quiet
// zone, scaled by its viewer (crispEdges keeps the modules sharp when printed).
func qrSVG(text string) ([]byte, error) {
	q, err := goqr.EncodeText(text, goqr.Medium)
	if err != nil {
		return nil, fmt.Errorf("二维码 %q: %w", text, err)
	}
	size := q.Size()
	n := size + 2*qrBorder
	var b strings.Builder
	b.Grow(size * size * 2)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img">`, n, n, n*4, n*4)
	fmt.Fprintf(&b, "<title>%s</title>", template.HTMLEscapeString(text))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := range size {
		for x := 0; x < size; x++ {
			if !q.Module(x, y) {
				continue
			}
			run := 1 // a horizontal run of dark modules is one rectangle
			for x+run < size && q.Module(x+run, y) {
				run++
			}
			r := strconv.Itoa(run)
			b.WriteString("M" + strconv.Itoa(x+qrBorder) + " " + strconv.Itoa(y+qrBorder) + "h" + r + "v1h-" + r + "z")
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>` + "\n")
	return []byte(b.String()), nil
}
