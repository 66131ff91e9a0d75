package site

import (
	"fmt"
	"html/template"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/yuin/goldmark/util"

	"jingjian/internal/textpos"
)

// renderOwned are the site URLs render writes beside the pages (the basket, the feeds,
// the theme's files, the server's search), which a body may link to.
var renderOwned = []string{"/css/", "/js/", "/qr/", "/search", "/api/", "/index.xml", "/sitemap.xml", "/robots.txt", "/404.html", "/favicon", "/素材篮/"}

// checkLinks finds the links and images of every body that lead nowhere in the site:
// another page's file (other.md, ../regulations/x.md#第五条), a site URL (/cases/x/), a
// path relative to the page, an image. Links written the way an editor previews them —
// relative to the Markdown file — are pointed at the page or file they name. What leads
// nowhere is a warning at the link's line: the page is still worth publishing.
func (s *Site) checkLinks(errs *textpos.List) {
	byPath := map[string]*Page{}
	urls := map[string]bool{}
	for _, sec := range s.Sections {
		urls[sec.Page.URL] = true
		if sec.Page.Path != "" {
			byPath[strings.TrimSuffix(sec.Page.Path, path.Ext(sec.Page.Path))] = sec.Page
		}
	}
	for _, p := range s.Pages {
		urls[p.URL] = true
		byPath[strings.TrimSuffix(p.Path, path.Ext(p.Path))] = p
	}
	for _, t := range s.Taxonomies {
		urls[t.URL] = true
		for _, term := range t.Terms {
			urls[term.URL] = true
		}
	}
	files := map[string]bool{}
	for _, f := range slices.Concat(s.Files, s.Static) {
		files["/"+f.Rel] = true
	}
	urls[s.Config.Stats.URL] = true
	known := func(u string) bool {
		if urls[u] || urls[u+"/"] || files[u] {
			return true
		}
		for _, own := range renderOwned {
			if strings.HasPrefix(u, own) {
				return true
			}
		}
		// What a page or a section writes below its own address: a version comparison
		// (对照/), a feed, further list pages.
		for dir := path.Dir(strings.TrimSuffix(u, "/")); dir != "/" && dir != "."; dir = path.Dir(dir) {
			rest := strings.TrimPrefix(u, dir+"/")
			if urls[dir+"/"] && (strings.HasPrefix(rest, "对照/") || rest == "index.xml" || strings.HasPrefix(rest, "page/")) {
				return true
			}
		}
		return false
	}
	for _, p := range s.Pages {
		s.pageLinks(p, byPath, files, known, errs)
	}
	for _, sec := range s.Sections {
		if sec.Page.Path != "" {
			s.pageLinks(sec.Page, byPath, files, known, errs)
		}
	}
}

// pageLinks checks (and points where they belong) the links of one page's body.
func (s *Site) pageLinks(p *Page, byPath map[string]*Page, files map[string]bool, known func(string) bool, errs *textpos.List) {
	display := p.display()
	for _, l := range p.links {
		u, err := url.Parse(l.dest)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" && u.Fragment == "" {
			continue // mailto:, https://…, or nothing to check
		}
		at := textpos.Pos{Path: display, Line: l.line, Col: l.col}
		what := "链接"
		if l.image {
			what = "图片"
		}
		if u.Path == "" { // #第五条 on the page itself
			if !hasAnchor(p, u.Fragment) {
				errs.Warn(at, "%s %s 指向本页不存在的位置；请核对条号或标题", what, l.dest)
			}
			continue
		}
		// Relative to the Markdown file, as an editor resolves it: a page's source or a
		// file beside it.
		source := path.Clean(path.Join(p.Dir, u.Path))
		if strings.HasPrefix(u.Path, "/") {
			source = strings.TrimPrefix(path.Clean(u.Path), "/")
		}
		source = strings.TrimPrefix(source, "content/")
		if ext := path.Ext(source); ext == ".md" || ext == ".markdown" {
			target := byPath[strings.TrimSuffix(source, ext)]
			switch {
			case target == nil:
				errs.Warn(at, "%s %s 指向的页面 content/%s 不存在；请核对文件名（相对于本文件所在的目录）", what, l.dest, source)
			case u.Fragment != "" && !hasAnchor(target, u.Fragment):
				errs.Warn(at, "%s %s：%s 中没有 %q 这一条或这一标题；请核对条号", what, l.dest, target.display(), u.Fragment)
			default:
				p.repoint(l.dest, withAnchor(target.URL, u.Fragment), l.image)
			}
			continue
		}
		if files["/"+source] && !strings.HasPrefix(u.Path, "/") {
			p.repoint(l.dest, "/"+source, l.image) // img/x.png beside the Markdown file
			continue
		}
		// Relative to the page's address, as a browser resolves it.
		site := u.Path
		if !strings.HasPrefix(site, "/") {
			site = path.Join(p.URL, site)
			if strings.HasSuffix(u.Path, "/") {
				site += "/"
			}
		}
		switch {
		case known(site):
		case l.image:
			errs.Warn(at, "图片 %s 在站内找不到（%s）；请把图片放在本文件旁并写相对路径（如 img/图.png），或放在 static/ 下写 /图.png", l.dest, site)
		default:
			errs.Warn(at, "链接 %s 在站内找不到（%s）；请核对地址，站内链接可以直接写 Markdown 文件名，如 ../regulations/文件名.md", l.dest, site)
		}
	}
}

// hasAnchor reports whether a page has an article or heading with the id anchor.
func hasAnchor(p *Page, anchor string) bool {
	return slices.ContainsFunc(p.Articles, func(a Article) bool { return a.ID == anchor }) ||
		slices.ContainsFunc(p.TOC, func(h Heading) bool { return h.ID == anchor })
}

// repoint changes the address of a link (or image) of the page's HTML from dest, as
// written, to the site URL it stands for.
func (p *Page) repoint(dest, to string, image bool) {
	attr := "href"
	if image {
		attr = "src"
	}
	written := fmt.Sprintf(`%s="%s"`, attr, util.EscapeHTML(util.URLEscape([]byte(dest), true)))
	now := fmt.Sprintf(`%s="%s"`, attr, util.EscapeHTML(util.URLEscape([]byte(to), true)))
	p.Content = template.HTML(strings.ReplaceAll(string(p.Content), written, now))
}

// checkTitles warns of two pages of one section with the same title that a reader cannot
// tell apart: pages sharing a title are versions of one document (see groupVersions),
// which a case or a practice never has, and two versions of one date are one too many.
func (s *Site) checkTitles(errs *textpos.List) {
	cases := s.Config.CaseSections()
	for _, sec := range s.Sections {
		top := sec.Top().Page.Dir
		noVersions := slices.Contains(cases, top) || s.Config.Sections[top] != nil && s.Config.Sections[top].Kind == KindPractice
		seen := map[string][]*Page{}
		for _, p := range sec.Pages {
			for _, first := range seen[p.Title] {
				if noVersions || first.VersionDate().Equal(p.VersionDate()) {
					errs.Warn(p.keyPos(p.display(), "title"), "标题“%s”与同栏目的 %s 相同；读者在列表中无法区分，请修改其中一个（同一文件的不同版本请写明各自的日期）", p.Title, first.display())
					break
				}
			}
			seen[p.Title] = append(seen[p.Title], p)
		}
	}
}
