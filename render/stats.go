package render

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"html"
	"html/template"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"jingjian/site"
)

// statsPage is what layouts/_default/stats.html receives as .Stats: the regular pages of
// the counted sections, counted along each charted dimension.
type statsPage struct {
	URL      string          // the page's site-relative folder
	Title    string          // 案例统计
	Sections []*site.Section // the counted top-level sections
	Total    int             // pages counted
	Dims     []*statsDim
}

// A statsDim is one dimension of the counts: the years, or one taxonomy's terms.
type statsDim struct {
	Key    string // taxonomy key; the CSV is KEY.csv
	Title  string // 年份, 领域, …
	ID     string // HTML id of its section
	Years  bool   // every year from the first to the last, in order, zeros included
	Rows   []statsRow
	CSV    string        // site-relative URL of the CSV download
	Chart  template.HTML // the inline SVG bar chart
	Tagged int           // pages carrying at least one value
}

// A statsRow is one value of a dimension and how many counted pages carry it.
type statsRow struct {
	Value string
	Count int
	URL   string // the term's page, "" when there is none (a year without pages)
	Share string // percent of the pages counted, e.g. "12.5%"
}

// statsSections returns the top-level sections whose pages are counted: those whose
// config sets stats = true, or else the section "cases".
func statsSections(s *site.Site) []*site.Section {
	var marked, cases []*site.Section
	for _, sec := range s.Sections {
		if sec.Parent != s.Home {
			continue
		}
		if sec.Schema != nil && sec.Schema.Stats {
			marked = append(marked, sec)
		}
		if sec.Page.Dir == "cases" {
			cases = append(cases, sec)
		}
	}
	if len(marked) > 0 {
		return marked
	}
	return cases
}

// countStats counts the regular pages of the statistics sections (and their
// subsections); it returns nil when there is nothing to count.
func countStats(s *site.Site) *statsPage {
	secs := statsSections(s)
	if len(secs) == 0 {
		return nil
	}
	var pages []*site.Page
	for _, p := range s.Pages {
		if slices.ContainsFunc(secs, func(sec *site.Section) bool { return sectionTop(p.Section) == sectionTop(sec) }) {
			pages = append(pages, p)
		}
	}
	if len(pages) == 0 {
		return nil
	}
	st := &statsPage{URL: s.Config.Stats.URL, Title: "案例统计", Sections: secs, Total: len(pages)}
	for _, key := range statsKeys(s, pages) {
		d := &statsDim{Key: key, Title: key, ID: "stats-" + key, CSV: st.URL + key + ".csv"}
		var tax *site.Taxonomy
		for _, t := range s.Taxonomies {
			if t.Key == key {
				tax = t
				d.Title = t.Title
			}
		}
		if tc := s.Config.Taxonomies[key]; tc != nil && tc.From == "date" || tc == nil && key == "year" {
			d.Years = true
			if tax == nil {
				d.Title = "年份"
			}
		}
		d.Rows, d.Tagged = countDim(pages, key, d.Years)
		for i := range d.Rows {
			r := &d.Rows[i]
			r.Share = share(r.Count, len(pages))
			if tax != nil {
				for _, t := range tax.Terms {
					if t.Name == r.Value && r.Count > 0 {
						r.URL = t.URL
					}
				}
			}
		}
		d.Chart = barChart(d, st.Title)
		st.Dims = append(st.Dims, d)
	}
	return st
}

// statsKeys lists the charted dimensions: config.toml's [stats] taxonomies, or the year
// and every taxonomy but tags that the pages carry, in config order.
func statsKeys(s *site.Site, pages []*site.Page) []string {
	if len(s.Config.Stats.Taxonomies) > 0 {
		return s.Config.Stats.Taxonomies
	}
	year := "year"
	for _, key := range s.Config.TaxonomyOrder {
		if s.Config.Taxonomies[key].From == "date" {
			year = key
			break
		}
	}
	keys := []string{year}
	for _, key := range s.Config.TaxonomyOrder {
		if key == year || key == "tags" || s.Config.Taxonomies[key].From == "date" {
			continue
		}
		if slices.ContainsFunc(pages, func(p *site.Page) bool { return len(p.Terms[key]) > 0 }) {
			keys = append(keys, key)
		}
	}
	return keys
}

// countDim counts pages by the values of one dimension. Years run from the first to the
// last with zeros between; terms come most pages first, then by name. A page with several
// values counts once for each; tagged is how many pages have any.
func countDim(pages []*site.Page, key string, years bool) (rows []statsRow, tagged int) {
	counts := map[string]int{}
	if years {
		first, last := 0, 0
		for _, p := range pages {
			if p.Date.IsZero() {
				continue
			}
			y := p.Date.Year()
			if tagged == 0 || y < first {
				first = y
			}
			if tagged == 0 || y > last {
				last = y
			}
			counts[strconv.Itoa(y)]++
			tagged++
		}
		if tagged == 0 {
			return nil, 0
		}
		for y := first; y <= last; y++ {
			v := strconv.Itoa(y)
			rows = append(rows, statsRow{Value: v, Count: counts[v]})
		}
		return rows, tagged
	}
	for _, p := range pages {
		seen := map[string]bool{}
		for _, t := range p.Terms[key] {
			if !seen[t.Name] {
				seen[t.Name] = true
				counts[t.Name]++
			}
		}
		if len(seen) > 0 {
			tagged++
		}
	}
	for v, n := range counts {
		rows = append(rows, statsRow{Value: v, Count: n})
	}
	slices.SortFunc(rows, func(a, b statsRow) int {
		return cmp.Or(b.Count-a.Count, strings.Compare(a.Value, b.Value))
	})
	return rows, tagged
}

func share(n, total int) string {
	if total == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64) + "%"
}

// statsCSV is a dimension's counts for Excel and WPS: UTF-8 with a byte order mark (without
// it Excel reads the file as the local code page), a header, then one value,count row per
// value, CRLF line ends and quotes where RFC 4180 needs them.
func statsCSV(d *statsDim) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\xEF\xBB\xBF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write([]string{d.Title, "案例数"})
	for _, r := range d.Rows {
		_ = w.Write([]string{r.Value, strconv.Itoa(r.Count)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("生成 %s.csv 失败: %w", d.Key, err)
	}
	return buf.Bytes(), nil
}

// Chart geometry, in SVG user units (pixels at 100%): wide enough for a slide.
const (
	chartWidth  = 960
	chartRow    = 30 // height of one bar's row
	chartBar    = 20 // height of a bar
	chartTop    = 12
	chartFont   = 16
	chartPad    = 12 // between label, bar and count
	chartCount  = 60 // room for the count after the longest bar
	chartMargin = 8
)

// labelWidth estimates a label's width at chartFont: a CJK character is one em, other
// characters about half. No font is loaded, so this errs on the wide side.
func labelWidth(s string) int {
	w := 0.0
	for _, r := range s {
		if utf8.RuneLen(r) > 1 {
			w += 1
		} else {
			w += 0.6
		}
	}
	return int(w*chartFont + 0.999)
}

// barChart draws a dimension as horizontal bars, one row per value, labelled in the
// page's language; its <title> and <desc> give screen readers the same numbers.
func barChart(d *statsDim, what string) template.HTML {
	name := func(r statsRow) string {
		if d.Years {
			return r.Value + " 年"
		}
		return r.Value
	}
	label := 0
	most := 0
	for _, r := range d.Rows {
		label = max(label, labelWidth(name(r)))
		most = max(most, r.Count)
	}
	x0 := chartMargin + label + chartPad
	span := chartWidth - x0 - chartPad - chartCount
	height := chartTop*2 + chartRow*max(1, len(d.Rows))
	var desc strings.Builder
	for i, r := range d.Rows {
		if i > 0 {
			desc.WriteString("；")
		}
		fmt.Fprintf(&desc, "%s：%d 件", name(r), r.Count)
	}
	title := what + "：按" + d.Title
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="stats-chart" viewBox="0 0 %d %d" width="%d" height="%d" aria-labelledby="%s-title %s-desc" font-family="'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif" font-size="%d">`,
		chartWidth, height, chartWidth, height, d.ID, d.ID, chartFont)
	fmt.Fprintf(&b, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", d.ID, html.EscapeString(title), d.ID, html.EscapeString(desc.String()))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", chartWidth, height)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#57606a" stroke-width="1"/>`+"\n", x0, chartTop, x0, height-chartTop)
	for i, r := range d.Rows {
		y := chartTop + i*chartRow
		mid := y + chartRow/2
		w := 0
		if most > 0 {
			w = r.Count * span / most
		}
		if r.Count > 0 {
			w = max(w, 2)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="central" fill="#1f2328">%s</text>`, x0-chartPad, mid, html.EscapeString(name(r)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#a3131a"/>`, x0, mid-chartBar/2, w, chartBar)
		fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="central" fill="#1f2328">%d</text>`+"\n", x0+w+chartPad/2, mid, r.Count)
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// statsOutputs plans the statistics page and one CSV per dimension. Their memo key
// (keyOutputs) covers every page's dates and terms, which is all the counts are made of.
func statsOutputs(s *site.Site, st *statsPage, tmpl *template.Template) []*output {
	outs := []*output{{path: indexFile(st.URL), tmpl: tmpl, data: &data{Site: s, Kind: "stats", Stats: st,
		Crumbs: crumbs(s, nil, st.Title), URL: st.URL}}}
	for _, d := range st.Dims {
		outs = append(outs, &output{path: strings.TrimPrefix(path.Clean(d.CSV), "/"), make: func() ([]byte, error) { return statsCSV(d) }})
	}
	return outs
}
