package indexer

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/go-ego/gse"
	"golang.org/x/text/unicode/norm"
)

// Analysis of Chinese text, shared by indexing and queries:
//
//  1. gse segments in search mode, so a long word and its parts are both terms
//     (最低生活保障 → 最低, 生活, 保障, 最低生活保障); tokens keep gse's exact byte
//     offsets, and a word and its parts share a position;
//  2. NFKC turns full-width letters and digits into ASCII (ＡＢＣ１２３ → ABC123);
//  3. ASCII is lower-cased; words and numbers stay whole (2018, gdp);
//  4. punctuation and stop words (的, 了, 怎么, 吗, 多少 …) are dropped.
//
// The same Analyze function serves the bleve tokenizer at index time and the query
// parser, with either the full dictionary or a Partial view that segments the text the
// same way.

// A Token is one analysed term with its byte offsets in the text.
type Token struct {
	Term     string
	Start    int // byte offset of the first byte
	End      int // byte offset after the last byte
	Position int // 1-based; parts of a word share the word's position
}

// Analyze segments text and normalises the terms.
func Analyze(seg *gse.Segmenter, text []byte) []Token {
	if len(text) == 0 {
		return nil
	}
	// NFKC first, when it changes anything, so gse sees half-width text. Full-width and
	// half-width forms differ in length, so offsets refer to the normalised text then.
	if !norm.NFKC.IsNormal(text) {
		text = norm.NFKC.Bytes(text)
	}
	segs := seg.Segment(text)
	out := make([]Token, 0, len(segs)+len(segs)/4)
	pos := 0
	for i := range segs {
		s := &segs[i]
		word := text[s.Start():s.End()]
		if !hasWordChar(word) {
			continue
		}
		pos++
		if t, ok := term(word); ok {
			out = append(out, Token{Term: t, Start: s.Start(), End: s.End(), Position: pos})
		}
		// Search mode: the dictionary's own split of a long word, at the word's position.
		// Single characters are left out: they match nearly everything.
		for _, sub := range s.Token().Segments() {
			start := s.Start() + sub.Start()
			sw := text[start : s.Start()+sub.End()]
			if utf8.RuneCount(sw) < 2 {
				continue
			}
			if t, ok := term(sw); ok {
				out = append(out, Token{Term: t, Start: start, End: start + len(sw), Position: pos})
			}
		}
	}
	return out
}

// term normalises one word and reports whether it is worth indexing.
func term(word []byte) (string, bool) {
	if !hasWordChar(word) {
		return "", false
	}
	w := bytes.ToLower(bytes.TrimSpace(word))
	if stopWords[string(w)] {
		return "", false
	}
	return string(w), true
}

// hasWordChar reports whether b has a letter or digit (of any script).
func hasWordChar(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
		b = b[n:]
	}
	return false
}

// tokenStream converts tokens into bleve's form.
func tokenStream(toks []Token) analysis.TokenStream {
	ts := make(analysis.TokenStream, len(toks))
	for i, t := range toks {
		ts[i] = &analysis.Token{Term: []byte(t.Term), Start: t.Start, End: t.End, Position: t.Position, Type: analysis.Ideographic}
	}
	return ts
}
