package render

import (
	"slices"
	"strings"

	"jingjian/site"
)

// A Filter is one taxonomy's terms among a top-level section's pages, for the filter bar
// of its list page: each term links to its page scoped to the section (/cases/field/养老服务/
// lists the cases of 养老服务, not the practices). A schema field marked filter (清单类型)
// gives a Filter too, of values without pages of their own (URL ""): only the script
// filters by them.
type Filter struct {
	Key      string // the front matter key, as data-filter names it
	Title    string
	Taxonomy *site.Taxonomy // nil for a field
	Terms    []*site.Term   // scoped: URL under the section, Pages the section's only
}

// sectionFilters returns the filters of every top-level section that has taxonomy terms,
// by section folder. Years come first as written in config.toml, like other taxonomies;
// tags are left out (too many to filter by).
func sectionFilters(s *site.Site) map[string][]Filter {
	taken := map[string]bool{}
	for _, p := range s.Pages {
		taken[p.URL] = true
	}
	for _, sec := range s.Sections {
		taken[sec.Page.URL] = true
	}
	out := map[string][]Filter{}
	for _, sec := range s.Home.Sections {
		top := sec.Page.Dir
		for _, tax := range s.Taxonomies {
			if tax.Key == "tags" {
				continue
			}
			f := Filter{Key: tax.Key, Title: tax.Title, Taxonomy: tax}
			for _, term := range tax.Terms {
				var pages []*site.Page
				for _, p := range term.Pages {
					if t, _, _ := strings.Cut(p.Dir, "/"); t == top {
						pages = append(pages, p)
					}
				}
				if len(pages) == 0 {
					continue
				}
				u := sec.Page.URL + site.URLSegment(tax.Key) + "/" + site.URLSegment(term.Name) + "/"
				if taken[u] {
					continue // a page or folder of that name wins; the filter links to the whole site's term
				}
				f.Terms = append(f.Terms, &site.Term{Name: term.Name, URL: u, Taxonomy: tax, Pages: pages})
			}
			if len(f.Terms) > 0 {
				out[top] = append(out[top], f)
			}
		}
		out[top] = append(out[top], fieldFilters(sec)...)
	}
	return out
}

// fieldFilters gives the filters of the schema fields of a top-level section marked filter:
// each value its pages, in the order first met.
func fieldFilters(sec *site.Section) []Filter {
	if sec.Schema == nil {
		return nil
	}
	var out []Filter
	for _, key := range sec.Schema.FieldOrder {
		fc := sec.Schema.Fields[key]
		if !fc.Filter {
			continue
		}
		f := Filter{Key: key, Title: fc.Label}
		byValue := map[string]*site.Term{}
		for _, p := range sectionPagesBelow(sec) {
			for _, v := range fieldValues(p, key) {
				t := byValue[v]
				if t == nil {
					t = &site.Term{Name: v}
					byValue[v] = t
					f.Terms = append(f.Terms, t)
				}
				t.Pages = append(t.Pages, p)
			}
		}
		if len(f.Terms) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// sectionPagesBelow lists the regular pages of sec and its subsections.
func sectionPagesBelow(sec *site.Section) []*site.Page {
	out := append([]*site.Page(nil), sec.Pages...)
	for _, sub := range sec.Sections {
		out = append(out, sectionPagesBelow(sub)...)
	}
	return out
}

// fieldValues returns the values of one schema field of p.
func fieldValues(p *site.Page, key string) []string {
	for _, fv := range p.Fields {
		if fv.Key == key {
			return fv.Values
		}
	}
	return nil
}

// filterFields lists the values of p's fields marked filter, for the page list.
func filterFields(p *site.Page) []site.FieldValue {
	if p.Section == nil {
		return nil
	}
	sec := p.Section.Top()
	if sec.Schema == nil {
		return nil
	}
	var out []site.FieldValue
	for _, fv := range p.Fields {
		if fc := sec.Schema.Fields[fv.Key]; fc != nil && fc.Filter && fv.Term == "" {
			out = append(out, fv)
		}
	}
	return out
}

// filterKeys is what the filter bar's script matches a listed page by: "field=养老服务" for
// each of its terms, space-separated (spaces inside a term made no-break), in a stable order.
func filterKeys(p *site.Page) string {
	var keys []string
	for key, terms := range p.Terms {
		for _, t := range terms {
			keys = append(keys, strings.ReplaceAll(key+"="+t.Name, " ", "\u00a0"))
		}
	}
	for _, fv := range filterFields(p) {
		for _, v := range fv.Values {
			keys = append(keys, strings.ReplaceAll(fv.Key+"="+v, " ", "\u00a0"))
		}
	}
	slices.Sort(keys)
	return strings.Join(keys, " ")
}

// topSectionNamed returns the top-level section of folder top.
func topSectionNamed(s *site.Site, top string) *site.Section {
	for _, sec := range s.Home.Sections {
		if sec.Page.Dir == top {
			return sec
		}
	}
	return nil
}
