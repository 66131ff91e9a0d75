package site

import (
	"fmt"
	"html/template"
	"path"
	"regexp"
	"strings"
	"time"

	"jingjian/internal/textpos"
)

// A Page is one Markdown document of the site. Section pages (_index.md, or a folder
// without one) are Pages too, with IsSection set.
type Page struct {
	Path      string // source path relative to content/, slash-separated; "" for a folder without _index.md
	Dir       string // slash-separated folder relative to content/ ("" at the top)
	IsSection bool

	Title   string
	Date    time.Time // zero when unknown
	Draft   bool
	Weight  int
	Slug    string
	Summary string
	Tags    []string
	Aliases []string
	Params  map[string]any // the whole front matter, keys as written

	Content  template.HTML
	TOC      []Heading
	Articles []Article
	Words    int    // characters of body text, for reading time
	Text     string // the body as plain text, for search
	Marks    []Mark // headings and articles within Text
	Hash     string // hex SHA-256 of the source file's bytes, for incremental indexing

	URL     string // site-relative path, unescaped, e.g. /cases/某案/
	Section *Section
	Terms   map[string][]*Term // taxonomy key → terms, in front matter order
	Prev    *Page              // previous page in section order
	Next    *Page              // next page in section order
	Fields  []FieldValue       // schema fields in config order, for display

	versions *VersionGroup // see Versions; set by the site's assembly
	mentions []Mention     // the citations written in Text, resolved by the site's assembly
	citesOut []*Citation   // see Cites
	citedIn  []*Citation   // see CitedBy
	related  []RelatedPage // see Related

	privacy  []privacyFinding // personal data in the source, reported for case sections
	links    []bodyLink       // links and images of the body, at their lines in the file
	problems textpos.List     // errors and warnings found while reading the file
	broken   bool             // the page could not be read; it is left out of the site

	badKeys  []string // front matter keys whose value applyFrontMatter reported
	fm       []byte   // front matter text, to find key lines for errors
	fmFormat Format   // the language of fm
	fmLine   int      // file line where the front matter starts
	hasTitle bool     // title came from front matter
}

// A FieldValue is one schema field of a page, ready to display.
type FieldValue struct {
	Key    string
	Label  string
	Type   string
	Values []string // one entry for string/date fields
	Links  []*Link  // for link fields
	Term   string   // taxonomy key when the field is also a taxonomy
}

// A Link is a resolved reference from a page field to another page (and article).
type Link struct {
	Raw    string
	Target *Page
	Anchor string
}

// URL is the link's address including its anchor.
func (l *Link) URL() string { return withAnchor(l.Target.URL, l.Anchor) }

// withAnchor is a page's URL with an anchor in it, if there is one.
func withAnchor(url, anchor string) string {
	if anchor == "" {
		return url
	}
	return url + "#" + anchor
}

// Text is how a link is shown: 《标题》第X条.
func (l *Link) Text() string {
	s := "《" + l.Target.Title + "》"
	if l.Anchor != "" {
		s += articleLabel(l.Anchor)
	}
	return s
}

// IsHome reports whether p is the site's home page.
func (p *Page) IsHome() bool { return p.IsSection && p.Dir == "" }

// Pos returns the position of a front matter key in the page's file, or of the file.
func (p *Page) keyPos(display, key string) textpos.Pos {
	pos := textpos.Pos{Path: display}
	if l := keyLine(p.fm, key); l > 0 {
		pos.Line = p.fmLine + l - 1
		pos.Col = 1
	}
	return pos
}

var (
	nameDateParen  = regexp.MustCompile(`[(（](\d{4}-\d{2}-\d{2})[)）]`)
	nameDatePrefix = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[-_ ]`)
)

// DateFromName finds a date in a file name written as "…(2018-12-29).md" or
// "2018-12-29-….md"; it returns the zero time if there is none.
func DateFromName(name string) time.Time {
	var s string
	if m := nameDateParen.FindStringSubmatch(name); m != nil {
		s = m[1]
	} else if m := nameDatePrefix.FindStringSubmatch(name); m != nil {
		s = m[1]
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// TitleFromName makes a title from a file name: extension and date taken off.
func TitleFromName(name string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	t := nameDatePrefix.ReplaceAllString(base, "")
	t = strings.TrimSpace(nameDateParen.ReplaceAllString(t, ""))
	if t == "" {
		return base
	}
	return t
}

// parseDate reads a date from front matter: TOML dates (time.Time), YAML strings and common
// Chinese office spellings.
func parseDate(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v, nil
	case string:
		s := strings.TrimSpace(v)
		for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006/01/02", "2006/1/2", "2006年1月2日", "2006.01.02", "2006-1-2"} {
			if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("日期 %q 无法识别；请写成 2024-03-15 这样的格式", s)
	}
	return time.Time{}, fmt.Errorf("日期应写成 2024-03-15 这样的格式（当前是 %v）", v)
}

// stringList reads a front matter value that may be one string or a list of strings.
func stringList(v any) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if strings.TrimSpace(v) == "" {
			return nil, nil
		}
		return []string{strings.TrimSpace(v)}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := scalarString(e)
			if !ok {
				return nil, fmt.Errorf("列表中的每一项都应是文字（当前有 %T）", e)
			}
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, nil
	case []string:
		return v, nil
	}
	if s, ok := scalarString(v); ok {
		return []string{s}, nil
	}
	return nil, fmt.Errorf("应为文字或文字列表（当前是 %T）", v)
}

// scalarString renders a scalar front matter value as text.
func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int, int64, float64, bool:
		return fmt.Sprint(v), true
	case time.Time:
		return v.Format(time.DateOnly), true
	}
	return "", false
}

// applyFrontMatter fills p's standard fields from its front matter, reporting type errors.
func (p *Page) applyFrontMatter(m map[string]any, display string, errs *textpos.List) {
	p.Params = m
	for key, v := range m {
		n := len(*errs)
		p.applyKey(key, v, p.keyPos(display, key), errs)
		if len(*errs) > n { // reported here: the schema check leaves the key alone
			p.badKeys = append(p.badKeys, key)
		}
	}
}

// applyKey sets what one standard front matter key gives a page, reporting a bad value.
func (p *Page) applyKey(key string, v any, at textpos.Pos, errs *textpos.List) {
	switch strings.ToLower(key) {
	case "title":
		s, ok := scalarString(v)
		if !ok {
			errs.Add(at, "title 应为文字")
			return
		}
		p.Title, p.hasTitle = strings.TrimSpace(s), strings.TrimSpace(s) != ""
	case "date":
		t, err := parseDate(v)
		if err != nil {
			errs.Add(at, "date: %v", err)
			return
		}
		p.Date = t
	case "draft":
		b, ok := v.(bool)
		if !ok {
			errs.Add(at, "draft 应为 true 或 false（当前 %v）", v)
			return
		}
		p.Draft = b
	case "weight":
		switch n := v.(type) {
		case int64:
			p.Weight = int(n)
		case int:
			p.Weight = n
		default:
			errs.Add(at, "weight 应为整数（当前 %v）", v)
		}
	case "slug":
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" || strings.Contains(s, "/") {
			errs.Add(at, "slug 应为不含 / 的非空文字（当前 %v）", v)
			return
		}
		p.Slug = strings.TrimSpace(s)
	case "summary":
		s, ok := v.(string)
		if !ok {
			errs.Add(at, "summary 应为文字")
			return
		}
		p.Summary = strings.TrimSpace(s)
	case "description":
		// Hugo sites often write description; summary wins when both are given.
		if s, ok := v.(string); ok && p.Summary == "" {
			p.Summary = strings.TrimSpace(s)
		}
	case "tags":
		l, err := stringList(v)
		if err != nil {
			errs.Add(at, "tags %v", err)
			return
		}
		p.Tags = l
	case "aliases":
		l, err := stringList(v)
		if err != nil {
			errs.Add(at, "aliases %v", err)
			return
		}
		p.Aliases = l
	}
}
