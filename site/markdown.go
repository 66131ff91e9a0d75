package site

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// A Heading is one heading of a page body, for its table of contents.
type Heading struct {
	Level int // 2..6 after the page title takes level 1
	ID    string
	Text  string
}

// An Article is a 第X条 of a regulation; its ID is the anchor a citation links to.
type Article struct {
	ID      string // e.g. 第二十二条, or 第二十二条-2 for a repeated number
	Heading string // the nearest heading above it, e.g. 第三章 监察权限
}

// markdown converts page bodies; one instance is shared read-only by all workers.
type markdown struct {
	md goldmark.Markdown
}

func newMarkdown(unsafe bool) *markdown {
	var opts []goldmark.Option
	opts = append(opts,
		goldmark.WithExtensions(extension.GFM, extension.Footnote,
			// A line break inside a Chinese paragraph is not a space.
			extension.NewCJK(extension.WithEastAsianLineBreaks())),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithInlineParsers(cjkEmphasisParser)),
	)
	if unsafe {
		opts = append(opts, goldmark.WithRendererOptions(html.WithUnsafe()))
	}
	return &markdown{md: goldmark.New(opts...)}
}

// rendered is what one body yields.
type rendered struct {
	HTML       template.HTML
	FirstTitle string // text of a leading level-1 heading, removed from the body
	Summary    string // plain text of the first paragraph, shortened
	TOC        []Heading
	Articles   []Article
	Text       string // the body as plain text, one block per line, for search
	Marks      []Mark // headings and articles, by their offset in Text
}

// A Mark names the heading or article that starts at a byte offset of a page's plain
// text, so a search snippet can say where it was found (第二十二条, 第三章 监察权限).
type Mark struct {
	Offset int
	Label  string
}

// convert renders a Markdown body. A leading "# 标题" is taken out as the page title
// (the layout shows the title); further level-1 headings become level 2, so a page has
// one h1. Paragraphs starting with 第X条 get a stable id and a self-link.
//
// title is the front matter title, if any: a leading heading that differs from it is
// content, not a title, and stays.
func (m *markdown) convert(body []byte, title string) (rendered, error) {
	var out rendered
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	doc := m.md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))

	if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 {
		if first := strings.TrimSpace(plainText(h, body)); title == "" || first == title {
			out.FirstTitle = first
			doc.RemoveChild(doc, h)
			// "# 中华人民共和国民法典" followed at once by "# 婚姻家庭编": the second
			// heading names the part this file holds, and belongs in its title.
			if sub, ok := doc.FirstChild().(*ast.Heading); ok && sub.Level == 1 && title == "" {
				if t := strings.TrimSpace(plainText(sub, body)); isSubtitle(t) {
					out.FirstTitle += " " + t
					doc.RemoveChild(doc, sub)
				}
			}
		}
	}
	articleIDs := map[string]int{}
	var current string
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				n.Level = 2
			}
			current = strings.TrimSpace(plainText(n, body))
			id, _ := n.AttributeString("id")
			idText, _ := id.([]byte)
			out.TOC = append(out.TOC, Heading{Level: n.Level, ID: string(idText), Text: current})
		case *ast.Paragraph:
			if a, ok := markArticle(n, body, articleIDs); ok {
				a.Heading = current
				out.Articles = append(out.Articles, a)
			}
			if out.Summary == "" {
				out.Summary = shorten(plainText(n, body), 120)
			}
		}
	}
	out.Text, out.Marks = plainBody(doc, body)
	var buf bytes.Buffer
	buf.Grow(len(body) + len(body)/4)
	if err := m.md.Renderer().Render(&buf, body, doc); err != nil {
		return out, err
	}
	out.HTML = template.HTML(buf.String())
	return out, nil
}

// articleLen returns the length in bytes of an article number at the start of a
// paragraph — 第一条, 第十二条之一, 第3条 — followed by a space, a full-width space or the
// end; 0 if there is none. (A hand-written scan: this runs on every paragraph of every law.)
func articleLen(b []byte) int {
	const di, tiao, zhi = "第", "条", "之"
	if !bytes.HasPrefix(b, []byte(di)) {
		return 0
	}
	i := len(di)
	digits := func(i int, set string) int {
		start := i
		for i < len(b) {
			r, size := utf8.DecodeRune(b[i:])
			if !strings.ContainsRune(set, r) {
				break
			}
			i += size
		}
		if i == start {
			return -1
		}
		return i
	}
	if i = digits(i, "一二三四五六七八九十百千零〇两0123456789"); i < 0 || !bytes.HasPrefix(b[i:], []byte(tiao)) {
		return 0
	}
	i += len(tiao)
	if bytes.HasPrefix(b[i:], []byte(zhi)) {
		if j := digits(i+len(zhi), "一二三四五六七八九十"); j > 0 {
			i = j
		}
	}
	if i == len(b) {
		return i
	}
	if r, _ := utf8.DecodeRune(b[i:]); r == ' ' || r == '\t' || r == '　' {
		return i
	}
	return 0
}

// markArticle gives a paragraph that starts with 第X条 an id and turns the number into a
// link to itself, so readers can copy an article's address.
func markArticle(p *ast.Paragraph, src []byte, seen map[string]int) (Article, bool) {
	t, ok := p.FirstChild().(*ast.Text)
	if !ok {
		return Article{}, false
	}
	seg := t.Segment
	n := articleLen(seg.Value(src))
	if n == 0 {
		return Article{}, false
	}
	label := string(seg.Value(src)[:n])
	id := label
	seen[label]++
	if n := seen[label]; n > 1 {
		id = label + "-" + strconv.Itoa(n)
	}
	p.SetAttributeString("id", []byte(id))
	p.SetAttributeString("class", []byte("article"))

	link := ast.NewLink()
	link.Destination = []byte("#" + id)
	link.SetAttributeString("class", []byte("article-no"))
	numEnd := seg.Start + len(label)
	link.AppendChild(link, ast.NewTextSegment(text.NewSegment(seg.Start, numEnd)))
	p.InsertBefore(p, t, link)
	t.Segment = text.NewSegment(numEnd, seg.Stop)
	return Article{ID: id}, true
}

// plainBody turns a parsed body into plain text, one block per line, noting where each
// heading and article starts.
func plainBody(doc ast.Node, src []byte) (string, []Mark) {
	var b strings.Builder
	b.Grow(len(src))
	var marks []Mark
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Heading:
			if entering {
				marks = append(marks, Mark{Offset: b.Len(), Label: strings.TrimSpace(plainText(n, src))})
			}
		case *ast.Paragraph:
			if id, ok := n.AttributeString("id"); entering && ok {
				if idb, ok := id.([]byte); ok {
					marks = append(marks, Mark{Offset: b.Len(), Label: strings.SplitN(string(idb), "-", 2)[0]})
				}
			}
		case *ast.Text:
			if entering {
				b.Write(n.Segment.Value(src))
				if n.SoftLineBreak() || n.HardLineBreak() {
					if r, _ := utf8.DecodeLastRuneInString(b.String()); r < 0x2E80 {
						b.WriteByte(' ')
					}
				}
			}
			return ast.WalkContinue, nil
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
			return ast.WalkContinue, nil
		case *ast.RawHTML, *ast.HTMLBlock, *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		}
		if !entering && n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		return ast.WalkContinue, nil
	})
	return b.String(), marks
}

// plainText concatenates the text inside n, leaving out markup and raw HTML.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// shorten cuts s to at most n characters at a character boundary, adding "…" if cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

// headingIDs makes heading anchors that keep Chinese text readable: letters and digits of
// any script stay, spaces become "-", punctuation goes; repeats get -1, -2 ….
type headingIDs struct {
	used map[string]bool
}

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

// Generate implements parser.IDs.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := HeadingID(string(value))
	if id == "" {
		id = "heading"
	}
	base := id
	for i := 1; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// isSubtitle tells a part's name (婚姻家庭编, 实施细则) from a division of the text such
// as 第一章 总则, which is content even when it directly follows the title.
func isSubtitle(t string) bool {
	n := utf8.RuneCountInString(t)
	return n > 0 && n <= 20 && !strings.HasPrefix(t, "第")
}

// HeadingID turns heading text into an anchor: 第一章 总则 → 第一章-总则.
func HeadingID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '-' || r == '_' || unicode.IsSpace(r):
			dash = true
		}
	}
	return b.String()
}
