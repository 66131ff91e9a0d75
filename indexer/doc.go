package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"jingjian/site"
)

// A Doc is what the index holds of one page.
type Doc struct {
	ID           string // source path relative to content/
	URL          string
	Title        string
	Section      string // top-level section folder ("" for pages at the top)
	SectionTitle string
	Dir          string // the page's own folder
	Headings     string
	Body         string
	Summary      string
	Tags         []string
	Fields       map[string][]string // taxonomy and schema values, by key
	Date         time.Time
	Current      bool   // in force: see site.Page.IsCurrent
	Status       string // 现行有效, 已修订, 已废止, 尚未生效 or "": see site.Page.Status
	Marks        []site.Mark
	SourceHash   string
}

// Docs turns a loaded site into index documents. Pages sharing a title in one section
// are versions of one document (监察法(2018-03-20), 监察法(2024-12-25)); which one is in
// force comes from the site's version groups (site.Page.IsCurrent).
func Docs(s *site.Site) []*Doc {
	facets := Facets(s)
	docs := make([]*Doc, 0, len(s.Pages))
	for _, p := range s.Pages {
		top, _, _ := strings.Cut(p.Dir, "/")
		d := &Doc{
			ID: p.Path, URL: p.URL, Title: p.Title, Section: top, Dir: p.Dir,
			Body: p.Text, Summary: p.Summary, Tags: p.Tags, Date: p.Date,
			Marks: p.Marks, SourceHash: p.Hash, Fields: map[string][]string{}, Current: p.IsCurrent(), Status: p.Status(),
		}
		if sec := topSection(p.Section); sec != nil {
			d.SectionTitle = sec.Page.Title
		}
		var hs []string
		for _, h := range p.TOC {
			hs = append(hs, h.Text)
		}
		d.Headings = strings.Join(hs, "\n")
		for _, f := range facets {
			if terms, ok := p.Terms[f.Key]; ok {
				for _, t := range terms {
					d.Fields[f.Key] = append(d.Fields[f.Key], t.Name)
				}
				continue
			}
			for _, fv := range p.Fields {
				if fv.Key == f.Key {
					d.Fields[f.Key] = fv.Values
				}
			}
		}
		if cites := citeKeys(p); len(cites) > 0 {
			d.Fields[citesField] = cites
		}
		docs = append(docs, d)
	}
	return docs
}

// A FacetDef is a keyword field results are counted and filtered by.
type FacetDef struct {
	Key   string `json:"key"`   // front matter key
	Label string `json:"label"` // what people call it: 领域, 时效性
}

// Facets lists a site's facet fields: its taxonomies (other than the year, which every
// dated document has anyway) and schema fields with a closed list of values.
func Facets(s *site.Site) []FacetDef {
	var out []FacetDef
	seen := map[string]bool{}
	for _, key := range s.Config.TaxonomyOrder {
		tc := s.Config.Taxonomies[key]
		if tc.From == "" && key != "tags" {
			out = append(out, FacetDef{Key: key, Label: tc.Title})
			seen[key] = true
		}
	}
	for _, name := range s.Config.SectionOrder {
		sc := s.Config.Sections[name]
		for _, key := range sc.FieldOrder {
			if f := sc.Fields[key]; len(f.Allowed) > 0 && !seen[key] {
				out = append(out, FacetDef{Key: key, Label: f.Label})
				seen[key] = true
			}
		}
	}
	return out
}

// SectionTitles maps top-level section folders to their titles.
func SectionTitles(s *site.Site) map[string]string {
	out := map[string]string{}
	for _, sec := range s.Home.Sections {
		out[sec.Page.Dir] = sec.Page.Title
	}
	return out
}

// topSection returns the section below home that sec belongs to.
func topSection(sec *site.Section) *site.Section {
	if sec == nil || sec.Parent == nil {
		return nil
	}
	return sec.Top()
}

// fieldKeys lists the keyword fields of a set of docs, sorted.
func fieldKeys(docs []*Doc) []string {
	seen := map[string]bool{}
	for _, d := range docs {
		for k := range d.Fields {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// data is the document bleve indexes.
func (d *Doc) data() map[string]any {
	m := map[string]any{
		fTitle: d.Title, fTitleBG: d.Title, fTitle + "_s": d.Title,
		fHeadings: d.Headings, fBody: d.Body, fBodyBG: d.Body, fSummary: d.Summary,
		fSection: d.Section, fSection + "_s": d.SectionTitle, fDir: d.Dir,
		fPath: d.ID, fURL: d.URL, fText: d.Body,
	}
	if len(d.Tags) > 0 {
		m[fTags] = d.Tags
	}
	if !d.Date.IsZero() {
		m[fDate] = d.Date
		m[fYear] = strconv.Itoa(d.Date.Year())
	}
	if d.Current {
		m[fCurrent] = "1"
	}
	if d.Status != "" {
		m[fStatus] = d.Status
	}
	for k, v := range d.Fields {
		m[fieldPrefix+k] = v
	}
	if len(d.Marks) > 0 {
		b, _ := json.Marshal(d.Marks)
		m[fMarks] = string(b)
	}
	return m
}

// hash identifies everything the index holds of d, so an unchanged document is skipped.
// The body is covered by the source file's hash (it is derived from it).
func (d *Doc) hash() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%t\x00%q\x00",
		d.SourceHash, d.ID, d.URL, d.Title, d.Section, d.SectionTitle, d.Dir, d.Summary,
		d.Date.Format(time.RFC3339), d.Current, d.Tags)
	fmt.Fprintf(h, "%s\x00", d.Status)
	for _, k := range slices.Sorted(maps.Keys(d.Fields)) {
		fmt.Fprintf(h, "%s=%q\x00", k, d.Fields[k])
	}
	for _, m := range d.Marks {
		fmt.Fprintf(h, "%d:%s:%s:%t\x00", m.Offset, m.Label, m.ID, m.Heading)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// citesField is the keyword field of the documents and articles a page cites, searched
// as 引用:监察法#第二十二条 (see filterField).
const citesField = "cites"

// citeKeys lists the ways a query may name what p cites: for 《中华人民共和国监察法》第二十二条
// 监察法#第二十二条, 中华人民共和国监察法#第二十二条 and the cited file's path
// (法律/监察法(2024-12-25)#第二十二条); and the documents alone (监察法, …).
func citeKeys(p *site.Page) []string {
	var out []string
	add := func(k string) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, c := range p.Cites() {
		full, _, _ := strings.Cut(c.To.Title, " ")
		names := []string{full, strings.TrimPrefix(full, "中华人民共和国"), strings.TrimSuffix(c.To.Path, ".md")}
		label, _, _ := strings.Cut(c.Article, "-")
		for _, n := range names {
			add(n)
			if label != "" {
				add(n + "#" + label)
			}
		}
	}
	return out
}
