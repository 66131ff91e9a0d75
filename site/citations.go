package site

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// A Citation is one reference from a page to a regulation, or to one article of it: from
// a link field of the front matter, or written in the body text (《劳动法》第四十四条, 本法第十条).
// The site's citations are made once per load (see Site.cite); render shows them both ways,
// the index filters by them, and check reports the broken ones.
type Citation struct {
	From    *Page
	To      *Page  // the version cited: for text, the one in force on the citing page's date
	Article string // the article's anchor on To ("第四十四条"); "" for the whole document
	Clause  int    // 款, 0 when not narrowed
	Item    int    // 项
	Inline  bool   // written in the body text, not a link field
}

// URL is the citation's address: the article's anchor on the cited page.
func (c *Citation) URL() string { return withAnchor(c.To.URL, c.Article) }

// Label is how the citation reads: 《中华人民共和国劳动法》第四十四条第二款.
func (c *Citation) Label() string {
	s := "《" + c.To.Title + "》"
	if c.Article != "" {
		s += articleLabel(c.Article)
	}
	if c.Clause > 0 {
		s += "第" + chineseNumeral(c.Clause) + "款"
	}
	if c.Item > 0 {
		s += "第" + chineseNumeral(c.Item) + "项"
	}
	return s
}

// ArticleText is the text of the cited article, "" when the whole document is cited.
func (c *Citation) ArticleText() string { return c.To.ArticleText(c.Article) }

// articleLabel is an article's number as written, without a "-2" that tells repeated
// numbers apart.
func articleLabel(id string) string {
	label, _, _ := strings.Cut(id, "-")
	return label
}

// ArticleText returns the plain text of the article with anchor id: from its mark in Text
// to the next heading or article.
func (p *Page) ArticleText(id string) string {
	if id == "" {
		return ""
	}
	n := 0
	label := articleLabel(id)
	for i, m := range p.Marks {
		if m.Label != label {
			continue
		}
		n++
		if want := articleOrdinal(id); n != want {
			continue
		}
		end := len(p.Text)
		if i+1 < len(p.Marks) {
			end = p.Marks[i+1].Offset
		}
		return strings.TrimSpace(p.Text[m.Offset:end])
	}
	return ""
}

// articleOrdinal is which occurrence of a repeated article number an anchor names:
// 第五条 is the first, 第五条-2 the second.
func articleOrdinal(id string) int {
	_, n, ok := strings.Cut(id, "-")
	if !ok {
		return 1
	}
	var k int
	if _, err := fmt.Sscanf(n, "%d", &k); err != nil || k < 1 {
		return 1
	}
	return k
}

// HasArticle reports whether p has an article with anchor id.
func (p *Page) HasArticle(id string) bool {
	return slices.ContainsFunc(p.Articles, func(a Article) bool { return a.ID == id })
}

// Cites returns the page's citations, link fields first, then the text's, each distinct
// article once.
func (p *Page) Cites() []*Citation { return p.citesOut }

// CitedBy returns the citations of p by other pages (and by itself, 本法第十条 excluded),
// in the order of the citing pages: newest first.
func (p *Page) CitedBy() []*Citation { return p.citedIn }

// CitedAt returns the citations of one article of p.
func (p *Page) CitedAt(article string) []*Citation {
	var out []*Citation
	for _, c := range p.citedIn {
		if c.Article == article {
			out = append(out, c)
		}
	}
	return out
}

// CitingPages returns the distinct pages citing p, newest first.
func (p *Page) CitingPages() []*Page {
	var out []*Page
	for _, c := range p.citedIn {
		if !slices.Contains(out, c.From) {
			out = append(out, c.From)
		}
	}
	return out
}

// A RelatedPage is a page like another, with why.
type RelatedPage struct {
	Page   *Page
	Reason string // 同样违反《…》第七条, 同为问题类型“优亲厚友”
	score  float64
}

// Related returns up to five pages of the same top-level section most like p: by the
// articles both cite, then by the taxonomy terms both carry.
func (p *Page) Related() []RelatedPage { return p.related }

// citeLinks records the link-field citations of every page (resolved by validate).
func (s *Site) citeLinks() {
	for _, p := range s.Pages {
		p.citesOut, p.citedIn, p.related = nil, nil, nil
	}
	for _, p := range s.Pages {
		for _, fv := range p.Fields {
			for _, l := range fv.Links {
				p.addCitation(&Citation{From: p, To: l.Target, Article: l.Anchor})
			}
		}
	}
}

// addCitation adds c to its page unless the same article is cited already.
func (p *Page) addCitation(c *Citation) {
	if slices.ContainsFunc(p.citesOut, func(d *Citation) bool { return d.To == c.To && d.Article == c.Article }) {
		return
	}
	p.citesOut = append(p.citesOut, c)
}

// linkCitations fills the cited pages' lists from the citing pages' and ranks related pages.
func (s *Site) linkCitations() {
	for _, p := range s.Pages {
		for _, c := range p.citesOut {
			if c.To != p {
				c.To.citedIn = append(c.To.citedIn, c)
			}
		}
	}
	for _, p := range s.Pages {
		slices.SortStableFunc(p.citedIn, func(a, b *Citation) int {
			return cmp.Or(b.From.Date.Compare(a.From.Date), cmp.Compare(a.From.Path, b.From.Path))
		})
	}
	s.relate()
}

// relatedMax is how many related pages a page lists.
const relatedMax = 5

// relate ranks, for every page that cites something or carries terms, the pages of its
// top-level section most like it: each article both cite counts most, then each shared
// term of a taxonomy (in the order config.toml declares them, earlier ones weigh more;
// years do not count, nor terms so common they tell nothing: more than relatedCommon
// pages). It goes through who cites what and who carries what, so its cost grows with
// the citations and terms, not with the square of the pages.
func (s *Site) relate() {
	type article struct {
		doc     any // the version group, or the page of a document without versions
		article string
	}
	docOf := func(p *Page) any {
		if p.versions != nil {
			return p.versions
		}
		return p
	}
	citers := map[article][]*Page{}
	for _, p := range s.Pages {
		for _, c := range p.citesOut {
			if c.Article == "" {
				continue
			}
			k := article{docOf(c.To), c.Article}
			if l := citers[k]; len(l) == 0 || l[len(l)-1] != p {
				citers[k] = append(l, p)
			}
		}
	}
	taxWeight := map[string]float64{}
	var taxOrder []string
	for i, key := range s.Config.TaxonomyOrder {
		if s.Config.Taxonomies[key].From != "" {
			continue
		}
		w := 1.0 / float64(i+1)
		if key == "tags" {
			w = 0.2
		}
		taxWeight[key] = w
		taxOrder = append(taxOrder, key)
	}
	for _, p := range s.Pages {
		if len(p.citesOut) == 0 && len(p.Terms) == 0 {
			continue
		}
		top, _, _ := strings.Cut(p.Dir, "/")
		scores := map[*Page]*RelatedPage{}
		var order []*Page
		credit := func(q *Page, by float64, reason string) {
			if q == p || q.versions != nil && q.versions == p.versions {
				return
			}
			if qtop, _, _ := strings.Cut(q.Dir, "/"); qtop != top {
				return
			}
			r := scores[q]
			if r == nil {
				r = &RelatedPage{Page: q}
				scores[q] = r
				order = append(order, q)
			}
			if r.Reason == "" {
				r.Reason = reason
			}
			r.score += by
		}
		seen := map[article]bool{}
		for _, c := range p.citesOut {
			k := article{docOf(c.To), c.Article}
			if c.Article == "" || seen[k] {
				continue
			}
			seen[k] = true
			for _, q := range citers[k] {
				credit(q, 10, "同样违反"+c.Label())
			}
		}
		for _, key := range taxOrder {
			for _, t := range p.Terms[key] {
				if len(t.Pages) > relatedCommon {
					continue
				}
				for _, q := range t.Pages {
					credit(q, taxWeight[key], "同为"+t.Taxonomy.Title+"“"+t.Name+"”")
				}
			}
		}
		cands := make([]RelatedPage, 0, len(order))
		for _, q := range order {
			cands = append(cands, *scores[q])
		}
		slices.SortStableFunc(cands, func(a, b RelatedPage) int {
			return cmp.Or(cmp.Compare(b.score, a.score), b.Page.Date.Compare(a.Page.Date), cmp.Compare(a.Page.Path, b.Page.Path))
		})
		p.related = cands[:min(len(cands), relatedMax)]
	}
}

// relatedCommon is the most pages a term may carry and still make two pages related.
const relatedCommon = 1000

// LinkKey sums up what p shows of other pages beyond their titles, dates and URLs: the
// articles it cites (their text and status), the pages citing it, its related pages and
// the status of its versions. A render memo re-renders p when it changes (an edit of a
// cited article's text shows on every case citing it).
func (p *Page) LinkKey() string {
	if len(p.citesOut) == 0 && len(p.citedIn) == 0 && len(p.related) == 0 && p.versions == nil {
		return ""
	}
	h := sha256.New()
	for _, c := range p.citesOut {
		fmt.Fprintf(h, "c%s\x00%s\x00%d\x00%d\x00%s\x00%s\n", c.To.Path, c.Article, c.Clause, c.Item, c.To.Status(), c.ArticleText())
	}
	for _, c := range p.citedIn {
		fmt.Fprintf(h, "i%s\x00%s\n", c.From.Path, c.Article)
	}
	for _, r := range p.related {
		fmt.Fprintf(h, "r%s\x00%s\n", r.Page.Path, r.Reason)
	}
	if g := p.versions; g != nil {
		for _, v := range g.Pages {
			fmt.Fprintf(h, "v%s\x00%s\x00%t\n", v.Path, v.Status(), v == g.Current)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
