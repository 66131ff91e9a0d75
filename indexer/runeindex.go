package indexer

import (
	"iter"
	"slices"
	"sort"
	"sync"
	"unicode/utf8"
)

// runeIndexMin is the shortest lower-cased text (in bytes) a decoded document keeps a
// runeIndex of: reranking looks for every word of a query in the whole text of forty hits,
// and scanning a long code for each word was the largest part of it.
const runeIndexMin = 16 << 10

// A runeIndex lists where each character of a text is: pos[start[i]:start[i+1]] are the
// byte offsets of runes[i], ascending.
type runeIndex struct {
	runes []rune
	start []int32
	pos   []int32
}

// runeTables hold a count or next place for every character of the Basic Multilingual
// Plane, for newRuneIndex: a map lookup per character made the index cost a fifth of a
// first-time search's time. Given back zeroed.
var runeTables = sync.Pool{New: func() any { return new([0x10000]int32) }}

func newRuneIndex(s string) *runeIndex {
	table := runeTables.Get().(*[0x10000]int32)
	defer runeTables.Put(table)
	var other map[rune]int32 // characters beyond the table
	x := &runeIndex{}
	for _, r := range s {
		if r < 0x10000 {
			if table[r] == 0 {
				x.runes = append(x.runes, r)
			}
			table[r]++
			continue
		}
		if other == nil {
			other = map[rune]int32{}
		}
		if other[r] == 0 {
			x.runes = append(x.runes, r)
		}
		other[r]++
	}
	slices.Sort(x.runes)
	// From counts to each character's next place in pos.
	x.start = make([]int32, len(x.runes)+1)
	for i, r := range x.runes {
		if r < 0x10000 {
			x.start[i+1] = x.start[i] + table[r]
			table[r] = x.start[i]
		} else {
			x.start[i+1] = x.start[i] + other[r]
			other[r] = x.start[i]
		}
	}
	x.pos = make([]int32, x.start[len(x.runes)])
	for i, r := range s {
		if r < 0x10000 {
			x.pos[table[r]] = int32(i)
			table[r]++
		} else {
			x.pos[other[r]] = int32(i)
			other[r]++
		}
	}
	for _, r := range x.runes {
		if r < 0x10000 {
			table[r] = 0
		}
	}
	return x
}

// of returns the offsets of r.
func (x *runeIndex) of(r rune) []int32 {
	i := sort.Search(len(x.runes), func(i int) bool { return x.runes[i] >= r })
	if i == len(x.runes) || x.runes[i] != r {
		return nil
	}
	return x.pos[x.start[i]:x.start[i+1]]
}

func (x *runeIndex) bytes() int {
	if x == nil {
		return 0
	}
	return 4*len(x.runes) + 4*len(x.start) + 4*len(x.pos)
}

// occurrences yields the byte offsets of p in the document's lower-cased text, in order and
// not overlapping (after one, the next is looked for past its end), as a loop of
// strings.Index would. With a runeIndex it tries only the places of p's rarest character;
// without, it scans for p's rarest byte (see rarestByte).
func (d *docInfo) occurrences(p string) iter.Seq[int] {
	return func(yield func(int) bool) {
		if p == "" {
			return
		}
		lower := d.lower
		if d.runes == nil {
			at := d.rarestByte(p)
			for off := 0; ; {
				i := indexByByte(lower[off:], p, at)
				if i < 0 {
					return
				}
				if !yield(off + i) {
					return
				}
				off += i + len(p)
			}
		}
		// The character of p with the fewest places in the text, and its offset in p.
		var places []int32
		shift := 0
		for i, r := range p {
			ps := d.runes.of(r)
			if len(ps) == 0 || r == utf8.RuneError {
				if r != utf8.RuneError {
					return // a character the text lacks
				}
				continue
			}
			if places == nil || len(ps) < len(places) {
				places, shift = ps, i
			}
		}
		if places == nil { // nothing but invalid bytes: scan
			for off := 0; ; {
				i := indexText(lower[off:], p)
				if i < 0 || !yield(off+i) {
					return
				}
				off += i + len(p)
			}
		}
		end := 0
		for _, q := range places {
			start := int(q) - shift
			if start < end || start+len(p) > len(lower) || lower[start:start+len(p)] != p {
				continue
			}
			if !yield(start) {
				return
			}
			end = start + len(p)
		}
	}
}
