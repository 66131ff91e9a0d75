package indexer

import (
	"context"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"jingjian/site"
)

// How much text a snippet shows, in characters: a hit's, and a passage's (a sub-result
// is one short line).
const (
	snippetRunes        = 110
	passageSnippetRunes = 60
)

// checkEvery is how many steps of a long loop run between two looks at the deadline.
const checkEvery = 1 << 12

// Snippet picks the passage of text where the terms are densest, HTML-escapes it, wraps
// each term in <mark>, and prefixes the heading or article it sits under:
// 〔第二十二条〕…被调查人涉嫌<mark>贪污</mark>贿赂…. It never cuts a character in half.
// A long text with frequent terms takes a while: it gives up with ctx's error when ctx
// ends first.
func Snippet(ctx context.Context, text string, marks []site.Mark, terms []string) (string, error) {
	return snippet(ctx, text, asciiLower(text), nil, marks, terms, nil, snippetRunes)
}

// snippet is Snippet showing about runes characters; lower is asciiLower(text), which a
// hit's document holds already, and d, when not nil, the document text is of: its terms
// are looked for by their rarest byte in it. The numbers of the answer types asked (a
// question's 多长时间: 十二小时) count and are marked as terms are.
func snippet(ctx context.Context, text, lower string, d *docInfo, marks []site.Mark, terms []string, asked []int, runes int) (string, error) {
	if text == "" {
		return "", nil
	}
	// Each term once: a word typed a hundred times is still one word to look for.
	var uniq []string
	for _, t := range terms {
		if t = asciiLower(t); t != "" && !slices.Contains(uniq, t) {
			uniq = append(uniq, t)
		}
	}
	// Where to look: the document itself when text is its whole text (with its index),
	// else the text, by the document's rarest bytes if known.
	in := &docInfo{lower: lower}
	if d != nil && len(lower) == len(d.lower) {
		in = d
	} else if d != nil {
		in.byteCounts = d.byteCounts
	}
	type hit struct{ start, end, weight, term int }
	var hits []hit
	for k, t := range uniq {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		w := utf8.RuneCountInString(t)
		for at := range in.occurrences(t) {
			hits = append(hits, hit{at, at + len(t), w * w, k})
			if len(hits)%checkEvery == 0 && ctx.Err() != nil {
				return "", ctx.Err()
			}
		}
	}
	for i, k := range asked {
		for start, end := range in.answers(k) {
			w := utf8.RuneCountInString(lower[start:end])
			hits = append(hits, hit{start, end, w * w, len(uniq) + i})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return (b.end - b.start) - (a.end - a.start) // the longer term first
	})
	if err := ctx.Err(); err != nil {
		return "", err
	}
	// The window of runes characters (about 3 bytes each) with the most weight,
	// counting each term once per window. The windows starting at each hit, hits[i:j],
	// slide along the text: each hit enters and leaves once.
	best, bestScore := 0, -1
	limit := runes * 3
	inWindow := make([]int, len(uniq)+len(asked)) // hits of each term (or answer type) in hits[i:j]
	score, j := 0, 0
	for i := range hits {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return "", ctx.Err()
		}
		j = max(j, i)
		for ; j < len(hits) && hits[j].end-hits[i].start <= limit; j++ {
			if inWindow[hits[j].term] == 0 {
				score += hits[j].weight
			}
			inWindow[hits[j].term]++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
		if j > i { // hits[i] leaves the window
			if inWindow[hits[i].term]--; inWindow[hits[i].term] == 0 {
				score -= hits[i].weight
			}
		}
	}
	start := 0
	if len(hits) > 0 {
		start = hits[best].start
		// Show a little text before the first match, back to a line start if near.
		back := start - 30
		if nl := strings.LastIndexByte(text[max(0, back):start], '\n'); nl >= 0 {
			back = max(0, back) + nl + 1
		}
		start = runeStart(text, max(0, back))
	}
	end := start
	for n := 0; end < len(text) && n < runes; n++ {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	var b strings.Builder
	if label := markAt(marks, start); label != "" {
		b.WriteString("〔" + html.EscapeString(label) + "〕")
	}
	if start > 0 && text[start-1] != '\n' {
		b.WriteString("…")
	}
	pos := start
	for _, h := range hits {
		if h.start >= end {
			break
		}
		if h.start < pos || h.end > end {
			continue
		}
		b.WriteString(html.EscapeString(flatten(text[pos:h.start])))
		b.WriteString("<mark>" + html.EscapeString(text[h.start:h.end]) + "</mark>")
		pos = h.end
	}
	b.WriteString(html.EscapeString(flatten(text[pos:end])))
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String(), nil
}

// markAt returns the label of the last heading or article starting at or before off.
func markAt(marks []site.Mark, off int) string {
	label := ""
	for _, m := range marks {
		if m.Offset > off {
			break
		}
		label = m.Label
	}
	return label
}

// runeStart moves i back to the start of the character it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

func flatten(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// asciiLower lower-cases ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
