package render

import (
	"encoding/xml"
	"html"
	"slices"
	"strings"
	"time"

	"jingjian/site"
)

const feedItems = 20

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate,omitempty"`
	Description string `xml:"description,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// feedsAndMaps plans an RSS feed for the site and each section, sitemap.xml and
// robots.txt (which shuts crawlers out when config.toml's [robots] allow is false). The XML is made when written, so a Memo can skip it.
func feedsAndMaps(s *site.Site) []*output {
	_, abs := basePaths(s.Config.BaseURL)
	absURL := func(u string) string { return abs + site.EscapePath(u) }
	var outs []*output
	for _, sec := range s.Sections {
		if sec != s.Home && sec.Total == 0 {
			continue
		}
		outs = append(outs, &output{path: strings.TrimPrefix(sec.Page.URL, "/") + "index.xml", make: func() ([]byte, error) {
			title := s.Config.Title
			if sec != s.Home {
				title = sec.Page.Title + " - " + s.Config.Title
			}
			ch := rssChannel{Title: feedText(title), Link: absURL(sec.Page.URL), Description: feedText(s.Config.Description), Language: s.Config.LanguageCode}
			for _, p := range latest(sec, feedItems) {
				it := rssItem{Title: feedText(p.Title), Link: absURL(p.URL), GUID: absURL(p.URL), Description: feedText(p.Summary)}
				if !p.Date.IsZero() {
					it.PubDate = p.Date.Format(time.RFC1123Z)
				}
				ch.Items = append(ch.Items, it)
			}
			return marshalXML(rss{Version: "2.0", Channel: ch})
		}})
	}

	outs = append(outs, &output{path: "sitemap.xml", make: func() ([]byte, error) {
		sm := urlset{XMLNS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
		for _, sec := range s.Sections {
			sm.URLs = append(sm.URLs, sitemapURL{Loc: absURL(sec.Page.URL)})
		}
		for _, p := range s.Pages {
			u := sitemapURL{Loc: absURL(p.URL)}
			if !p.Date.IsZero() {
				u.LastMod = p.Date.Format(time.DateOnly)
			}
			sm.URLs = append(sm.URLs, u)
		}
		for _, t := range s.Taxonomies {
			sm.URLs = append(sm.URLs, sitemapURL{Loc: absURL(t.URL)})
			for _, term := range t.Terms {
				sm.URLs = append(sm.URLs, sitemapURL{Loc: absURL(term.URL)})
			}
		}
		slices.SortStableFunc(sm.URLs, func(a, b sitemapURL) int { return strings.Compare(a.Loc, b.Loc) })
		return marshalXML(sm)
	}})

	robots := "User-agent: *\nAllow: /\n"
	if !s.Config.Robots.Allow {
		robots = "User-agent: *\nDisallow: /\n" // an internal site: nothing to index
	} else if strings.Contains(abs, "://") {
		robots += "Sitemap: " + absURL("/sitemap.xml") + "\n"
	}
	outs = append(outs, &output{path: "robots.txt", bytes: []byte(robots)})
	return outs
}

// feedText prepares plain text (a title, a summary: never HTML in this program) for an RSS
// element a reader may show as HTML. RSS 2.0 makes description "entity-encoded HTML", and
// many readers treat title the same way (feedparser and SimplePie take either as HTML
// as soon as it holds a tag or an entity; the W3C feed validator flags a decoded
// "<script" in a title). So the text is escaped as HTML here and once more as XML when
// marshalled: a reader that decodes the XML and renders the HTML shows the text itself,
// "<b>x</b>" as those eight characters, never bold, never a script.
func feedText(s string) string { return html.EscapeString(s) }

func marshalXML(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
