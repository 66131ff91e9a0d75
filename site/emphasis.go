package site

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// cjkEmphasis parses "*" and "**" like CommonMark, except that a delimiter run touching
// Chinese punctuation may still open or close. CommonMark's flanking rules reject the
// everyday Chinese "**加粗。**正文" (a closing run between 。 and a letter) and leave the
// asterisks on the page; Chinese writers never put spaces there.
type cjkEmphasis struct{}

// cjkEmphasisParser runs before goldmark's own emphasis parser for "*".
var cjkEmphasisParser = util.Prioritized(cjkEmphasis{}, 499)

func (cjkEmphasis) Trigger() []byte { return []byte{'*'} }

func (cjkEmphasis) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	d := parser.ScanDelimiter(line, before, 1, emphasisDelimiters{})
	if d == nil {
		return nil
	}
	after, _ := utf8.DecodeRune(line[d.OriginalLength:])
	if len(line) == d.OriginalLength {
		after = '\n'
	}
	if !d.CanClose && isCJKPunct(before) && !unicode.IsSpace(after) {
		d.CanClose = true
	}
	if !d.CanOpen && isCJKPunct(after) && !unicode.IsSpace(before) {
		d.CanOpen = true
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// emphasisDelimiters turns matched "*" runs into emphasis, as goldmark's own does.
type emphasisDelimiters struct{}

func (emphasisDelimiters) IsDelimiter(b byte) bool { return b == '*' }

func (emphasisDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisDelimiters) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

// isCJKPunct reports whether r is punctuation of Chinese text: full-width forms, CJK
// symbols (。、「」《》), curly quotes, dashes and ellipses.
func isCJKPunct(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFF65, r >= 0xFE30 && r <= 0xFE4F:
		return unicode.IsPunct(r) || unicode.IsSymbol(r)
	case r >= 0x2010 && r <= 0x2027:
		return true
	}
	return r == 0x00B7
}
