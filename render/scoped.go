package render

import (
	"slices"
	"strings"

	"jingjian/site"
)

// A Filter is one taxonomy's terms among a top-level section's pages, for the filter bar
// of its list page: each term links to its page scoped to the section (/cases/field/养老服务/
// lists the cases of 养老服务, not the practices).
type Filter struct {
	Taxonomy *site.Taxonomy
	Terms    []*site.Term // scoped: URL under the section, Pages the section's only
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
			f := Filter{Taxonomy: tax}
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
