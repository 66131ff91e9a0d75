package render

import (
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"jingjian/site"
)

// citedContent is a page's body with its citations made links and, after each article
// other pages cite, the list of those pages: the two directions of the site's citation
// model (site.Citation), shown where a reader meets them. Mentions split by markup
// (《<em>劳动法</em>》) stay text.
func citedContent(s *site.Site, p *site.Page, rel func(string) string) template.HTML {
	src := string(p.Content)
	cited := len(p.CitedBy()) > 0
	if !cited && !strings.Contains(src, "《") && !strings.Contains(src, "本") {
		return p.Content // no title mark, no 本法: nothing to link
	}
	var b strings.Builder
	b.Grow(len(src) + len(src)/8)
	article := "" // the article being copied, to list its citing pages where it ends
	skip := 0     // inside <a>, <code> or <pre>: no links there
	endArticle := func() {
		if article != "" && cited {
			writeCitedBy(&b, p, article, rel)
		}
		article = ""
	}
	for len(src) > 0 {
		lt := strings.IndexByte(src, '<')
		if lt < 0 {
			lt = len(src)
		}
		if lt > 0 {
			text := src[:lt]
			if skip == 0 {
				linkMentions(&b, s, p, text, rel)
			} else {
				b.WriteString(text)
			}
			src = src[lt:]
			continue
		}
		gt := strings.IndexByte(src, '>')
		if gt < 0 {
			b.WriteString(src)
			break
		}
		tag := src[:gt+1]
		src = src[gt+1:]
		name, closing := tagName(tag)
		switch name {
		case "a", "code", "pre":
			if closing {
				skip = max(0, skip-1)
			} else {
				skip++
			}
		case "p":
			if !closing && strings.Contains(tag, `class="article"`) {
				endArticle()
				article = attr(tag, "id")
			}
		case "h2", "h3", "h4", "h5", "h6":
			if !closing {
				endArticle()
			}
		}
		b.WriteString(tag)
	}
	endArticle()
	return template.HTML(b.String())
}

// tagName returns the lower-case name of an HTML tag and whether it closes an element.
func tagName(tag string) (string, bool) {
	t := strings.TrimPrefix(tag, "<")
	closing := strings.HasPrefix(t, "/")
	t = strings.TrimPrefix(t, "/")
	end := strings.IndexAny(t, " \t\n/>")
	if end < 0 {
		end = len(t)
	}
	return strings.ToLower(t[:end]), closing
}

// attr returns the value of a double-quoted attribute of a tag written by goldmark.
func attr(tag, name string) string {
	i := strings.Index(tag, " "+name+`="`)
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+3:]
	if j := strings.IndexByte(v, '"'); j >= 0 {
		return html.UnescapeString(v[:j])
	}
	return ""
}

// linkMentions writes a text node of the body with each article it cites made a link.
func linkMentions(b *strings.Builder, s *site.Site, p *site.Page, text string, rel func(string) string) {
	done := 0
	for _, m := range site.ParseMentions(text) {
		cites, _ := s.ResolveMention(p, m)
		for i, c := range cites {
			r := m.Refs[i]
			if c == nil || r.Implied || r.Start < done {
				continue
			}
			b.WriteString(text[done:r.Start])
			b.WriteString(`<a class="cite" href="`)
			b.WriteString(html.EscapeString(rel(c.URL())))
			b.WriteString(`" title="`)
			b.WriteString(html.EscapeString(c.Label()))
			b.WriteString(`">`)
			b.WriteString(text[r.Start:r.End])
			b.WriteString(`</a>`)
			done = r.End
		}
	}
	b.WriteString(text[done:])
}

// writeCitedBy writes the list of the pages citing one article of p.
func writeCitedBy(b *strings.Builder, p *site.Page, article string, rel func(string) string) {
	cs := p.CitedAt(article)
	if len(cs) == 0 {
		return
	}
	var pages []*site.Page
	for _, c := range cs {
		if !slices.Contains(pages, c.From) {
			pages = append(pages, c.From)
		}
	}
	b.WriteString(`<aside class="cited-by"><details><summary>`)
	b.WriteString(html.EscapeString(citedByLabel(pages)))
	b.WriteString(`（`)
	b.WriteString(strconv.Itoa(len(pages)))
	b.WriteString(`）</summary><ul>`)
	for _, q := range pages {
		b.WriteString(`<li><a href="`)
		b.WriteString(html.EscapeString(rel(q.URL)))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(q.Title))
		b.WriteString(`</a>`)
		if !q.Date.IsZero() {
			b.WriteString(` <time datetime="` + q.Date.Format("2006-01-02") + `">` + q.Date.Format("2006年1月2日") + `</time>`)
		}
		if q.Section != nil && !q.Section.Page.IsHome() {
			b.WriteString(` <span class="in-section">` + html.EscapeString(q.Section.Page.Title) + `</span>`)
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul></details></aside>`)
}

// citedByLabel names the list of citing pages: 本条相关案例 when they are cases (their
// section is called so), else 本条被引用.
func citedByLabel(pages []*site.Page) string {
	for _, q := range pages {
		if q.Section == nil || !strings.Contains(q.Section.Top().Page.Title, "案例") {
			return "本条被引用"
		}
	}
	return "本条相关案例"
}
