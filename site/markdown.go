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
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"jingjian/internal/textpos"
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
	md    goldmark.Markdown
	chunk int // least bytes of body parsed at a time; see splitBody
}

// chunkSize is how much of a long body is parsed at a time. goldmark's syntax tree takes
// 30 to 90 times the bytes of the text it holds (a node per line, attributes per
// article), so a 50 MB law parsed whole needs well over a gigabyte; parsed 64 KB at a time
// its tree stays a few megabytes, and the output alone grows with the file.
const chunkSize = 64 << 10

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
	return &markdown{md: goldmark.New(opts...), chunk: chunkSize}
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
	Links      []bodyLink
}

// A bodyLink is a link or image written in a page's body, where it was written.
type bodyLink struct {
	dest      string // the destination as written
	image     bool
	line, col int // in the body (1-based; the column in characters)
}

// A Mark names the heading or article that starts at a byte offset of a page's plain
// text, so a search snippet can say where it was found (第二十二条, 第三章 监察权限) and a
// hit can link to it: ID is its anchor in the page (第二十二条-2 for a repeated number,
// the heading's id), "" for a heading without one.
type Mark struct {
	Offset  int
	Label   string
	ID      string `json:",omitempty"`
	Heading bool   `json:",omitempty"` // a heading, not an article
}

// convert renders a Markdown body. A leading "# 标题" is taken out as the page title
// (the layout shows the title); further level-1 headings become level 2, so a page has
// one h1. Paragraphs starting with 第X条 get a stable id and a self-link.
//
// title is the front matter title, if any: a leading heading that differs from it is
// content, not a title, and stays.
//
// A long body is parsed and rendered piece by piece (splitBody), so memory follows the
// size of the output rather than of goldmark's syntax tree; the result is the same as
// converting it whole.
func (m *markdown) convert(body []byte, title string) (rendered, error) {
	c := &conversion{
		title:      title,
		ids:        newHeadingIDs(),
		articleIDs: map[string]int{},
		lead:       true,
	}
	c.html.Grow(len(body) + len(body)/4)
	c.text.Grow(len(body))
	for _, piece := range splitBody(body, m.chunk) {
		if err := c.add(m.md, piece); err != nil {
			return c.out, err
		}
		c.offset += len(piece)
	}
	// The links were found in order, each with its byte offset in the body as its line.
	offs := make([]int, len(c.out.Links))
	for i, l := range c.out.Links {
		offs[i] = l.line
	}
	for i, pos := range textpos.LineCols(body, offs) {
		c.out.Links[i].line, c.out.Links[i].col = pos[0], pos[1]
	}
	c.out.HTML = template.HTML(c.html.String())
	c.out.Text = c.text.String()
	return c.out, nil
}

// A conversion is the state of one body's conversion carried from piece to piece.
type conversion struct {
	title      string // the front matter title
	ids        *headingIDs
	articleIDs map[string]int // article number → times seen, for repeated numbers
	current    string         // text of the last heading, for the articles below it
	lead       bool           // no block seen yet: the next one may be the title
	subtitle   bool           // the title was taken and nothing followed it yet
	html, text strings.Builder
	offset     int // of the piece being converted, in the body
	out        rendered
}

// add parses, inspects and renders one piece of the body.
func (c *conversion) add(md goldmark.Markdown, src []byte) error {
	ctx := parser.NewContext(parser.WithIDs(c.ids))
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))

	if c.lead && doc.FirstChild() != nil {
		c.lead = false
		if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 {
			if first := strings.TrimSpace(plainText(h, src)); c.title == "" || first == c.title {
				c.out.FirstTitle = first
				doc.RemoveChild(doc, h)
				c.subtitle = c.title == ""
			}
		}
	}
	// "# 中华人民共和国民法典" followed at once by "# 婚姻家庭编": the second heading
	// names the part this file holds, and belongs in its title.
	if c.subtitle && doc.FirstChild() != nil {
		c.subtitle = false
		if sub, ok := doc.FirstChild().(*ast.Heading); ok && sub.Level == 1 {
			if t := strings.TrimSpace(plainText(sub, src)); isSubtitle(t) {
				c.out.FirstTitle += " " + t
				doc.RemoveChild(doc, sub)
			}
		}
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				n.Level = 2
			}
			c.current = strings.TrimSpace(plainText(n, src))
			id, _ := n.AttributeString("id")
			idText, _ := id.([]byte)
			c.out.TOC = append(c.out.TOC, Heading{Level: n.Level, ID: string(idText), Text: c.current})
		case *ast.Paragraph:
			if a, ok := markArticle(n, src, c.articleIDs); ok {
				a.Heading = c.current
				c.out.Articles = append(c.out.Articles, a)
			}
			if c.out.Summary == "" {
				c.out.Summary = shorten(plainText(n, src), 120)
			}
		case *east.Table:
			labelCells(n, src)
		}
	}
	c.out.Links = c.links(c.out.Links, doc, src)
	c.out.Marks = plainBody(&c.text, c.out.Marks, doc, src)
	return md.Renderer().Render(&c.html, src, doc)
}

// links appends the links and images of a parsed piece to out, each with its byte
// offset in the body (in line, for convert to turn into a position).
func (c *conversion) links(out []bodyLink, doc ast.Node, src []byte) []bodyLink {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		image := false
		switch n := n.(type) {
		case *ast.Link:
			dest = n.Destination
		case *ast.Image:
			dest, image = n.Destination, true
		default:
			return ast.WalkContinue, nil
		}
		if _, self := n.AttributeString("class"); self {
			return ast.WalkSkipChildren, nil // an article's own number link (#第五条)
		}
		at := inlineStart(n, src)
		if image && at > 0 {
			at-- // the ! of ![
		}
		out = append(out, bodyLink{dest: string(dest), image: image, line: c.offset + at})
		return ast.WalkSkipChildren, nil
	})
	return out
}

// inlineStart is the byte offset in src where an inline node's text starts (its first
// text segment), else where its block's first line does.
func inlineStart(n ast.Node, src []byte) int {
	for t := n.FirstChild(); t != nil; t = t.FirstChild() {
		if txt, ok := t.(*ast.Text); ok {
			return max(txt.Segment.Start-1, 0) // the [ before it
		}
	}
	for b := n.Parent(); b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
			return b.Lines().At(0).Start
		}
	}
	return 0
}

// labelCells gives every body cell of a table the text of its column's header as
// data-label, so that a narrow screen can show each row as a card of "header: value"
// lines (a duty list of five columns is unreadable at one character per line on a phone).
func labelCells(t *east.Table, src []byte) {
	var labels []string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		if _, ok := row.(*east.TableHeader); ok {
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				labels = append(labels, strings.TrimSpace(plainText(cell, src)))
			}
			continue
		}
		i := 0
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			if i < len(labels) && labels[i] != "" {
				cell.SetAttributeString("data-label", []byte(labels[i]))
			}
			i++
		}
	}
}

// splitBody cuts body into pieces that goldmark parses apart exactly as it parses them
// together, each of at least min bytes where the text allows. A cut goes before a line
// that starts a paragraph or heading of the top level (its first character is Chinese
// or "#") after a blank line, where every block above has ended: no list, quote, table
// or paragraph goes on past a blank line and an unindented line. Fenced code does, so
// the scan follows top-level fences; and so do HTML blocks such as <pre> or <!--, so
// nothing after a line starting with "<" (other than a one-line comment), or with a
// fence it cannot follow, is cut. Link reference definitions and footnotes are read
// anywhere in a document: a body with "]:" is not cut at all.
func splitBody(body []byte, min int) [][]byte {
	if min <= 0 || len(body) <= min || bytes.Contains(body, []byte("]:")) {
		return [][]byte{body}
	}
	var (
		pieces [][]byte
		start  int
		fence  []byte // the opening run of the top-level fenced code block we are in
		blank  bool   // the line before was blank
	)
	for i := 0; i < len(body); {
		end := len(body)
		if j := bytes.IndexByte(body[i:], '\n'); j >= 0 {
			end = i + j + 1
		}
		line := body[i:end]
		switch {
		case fence != nil:
			if closesFence(line, fence) {
				fence = nil
			}
			blank = false
		default:
			if blank && i-start >= min && startsPiece(line) {
				pieces = append(pieces, body[start:i])
				start = i
			}
			if f, ok := opensFence(line); ok {
				fence = f
			} else if !plainLine(line) {
				return append(pieces, body[start:])
			}
			blank = util.IsBlank(line)
		}
		i = end
	}
	return append(pieces, body[start:])
}

// startsPiece reports whether a line after a blank line may begin a piece: a heading or a
// line of text at the left margin, which no open list, quote or paragraph can take in.
func startsPiece(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	if line[0] == '#' {
		return true
	}
	r, _ := utf8.DecodeRune(line)
	return r >= 0x2E80 && r != utf8.RuneError
}

// opensFence returns the fence run of a line that opens fenced code at the left margin.
// A backtick line with another backtick after its run is left to plainLine, which turns
// it down: it may or may not be a fence.
func opensFence(line []byte) ([]byte, bool) {
	if len(line) == 0 || (line[0] != '`' && line[0] != '~') {
		return nil, false
	}
	n := 0
	for n < len(line) && line[n] == line[0] {
		n++
	}
	if n < 3 || line[0] == '`' && bytes.IndexByte(line[n:], '`') >= 0 {
		return nil, false
	}
	return line[:n], true
}

// closesFence reports whether line ends the fenced code opened by fence, by goldmark's
// own test (fcode_block.go): indented less than four columns, a run of the fence
// character at least as long, nothing but spaces after it.
func closesFence(line, fence []byte) bool {
	w, pos := util.IndentWidth(line, 0)
	if w >= 4 {
		return false
	}
	i := pos
	for i < len(line) && line[i] == fence[0] {
		i++
	}
	return i-pos >= len(fence) && util.IsBlank(line[i:])
}

// plainLine reports whether a line outside fenced code leaves the top-level block
// structure as splitBody follows it: no fence it did not track and no HTML block that
// could run past a blank line.
func plainLine(line []byte) bool {
	if bytes.Contains(line, []byte("```")) || bytes.Contains(line, []byte("~~~")) {
		return false
	}
	t := bytes.TrimLeft(line, " \t")
	if len(t) == 0 || t[0] != '<' {
		return true
	}
	// <!-- INFO END -->: a comment that ends on its own line is a one-line block.
	rest, ok := bytes.CutPrefix(t, []byte("<!--"))
	return ok && bytes.Contains(rest, []byte("-->"))
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

// plainBody appends a parsed body to b as plain text, one block per line, and returns
// marks with a mark added where each heading and article starts.
func plainBody(b *strings.Builder, marks []Mark, doc ast.Node, src []byte) []Mark {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Heading:
			if entering {
				id, _ := n.AttributeString("id")
				idText, _ := id.([]byte)
				marks = append(marks, Mark{Offset: b.Len(), Label: strings.TrimSpace(plainText(n, src)), ID: string(idText), Heading: true})
			}
		case *ast.Paragraph:
			if id, ok := n.AttributeString("id"); entering && ok {
				if idb, ok := id.([]byte); ok {
					label, _, _ := bytes.Cut(idb, []byte("-"))
					marks = append(marks, Mark{Offset: b.Len(), Label: string(label), ID: string(idb)})
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
	return marks
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

// shorten cuts s, with its runs of white space made single spaces and trimmed, to at
// most n characters at a character boundary, adding "…" if cut. It reads no more of s
// than it keeps: s may be the first paragraph of a 50 MB file that has no blank line.
func shorten(s string, n int) string {
	var b strings.Builder
	count, space := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = count > 0
			continue
		}
		if space {
			if count == n {
				return strings.TrimRight(b.String(), " ") + "…"
			}
			b.WriteByte(' ')
			count++
			space = false
		}
		if count == n {
			return strings.TrimRight(b.String(), " ") + "…"
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}

// headingIDs makes heading anchors that keep Chinese text readable: letters and digits of
// any script stay, spaces become "-", punctuation goes; repeats get -1, -2 ….
type headingIDs struct {
	used map[string]bool
	next map[string]int // base → the suffix to try first, so 50,000 "## 说明" take linear time
}

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}, next: map[string]int{}} }

// Generate implements parser.IDs.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := HeadingID(string(value))
	if id == "" {
		id = "heading"
	}
	base := id
	i := max(h.next[base], 1) // ids are never given back: every suffix below it is used
	for ; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.next[base] = i
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
