package indexer

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestOccurrences: with a runeIndex or without, a document's occurrences of a word are
// those a loop of strings.Index finds, overlapping ones left out alike.
func TestOccurrences(t *testing.T) {
	plain := func(s, p string) []int {
		var out []int
		for off := 0; p != ""; {
			i := strings.Index(s[off:], p)
			if i < 0 {
				break
			}
			out = append(out, off+i)
			off += i + len(p)
		}
		return out
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"留", "置", "监察", "a", "B", "1", "\n", "，", "\xff", "�", "𠀀"}
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	cases := []struct{ s, p string }{
		{"留置留置留置", "留置留置"}, {"留留留", "留留"}, {"监察机关", "机关"}, {"监察机关", "公安"}, {"", "留"}, {"留置", ""},
	}
	for range 2000 {
		s := text(5 + r.IntN(60))
		p := text(1 + r.IntN(3))
		if r.IntN(2) == 0 && len(s) > 6 { // a piece of the text itself
			i := r.IntN(len(s) - 3)
			p = s[i : i+1+r.IntN(3)]
		}
		cases = append(cases, struct{ s, p string }{s, p})
	}
	found := 0
	for _, c := range cases {
		want := plain(c.s, c.p)
		bare := &docInfo{lower: c.s}
		indexed := &docInfo{lower: c.s, runes: newRuneIndex(c.s), byteCounts: new([256]int32)}
		for i := 0; i < len(c.s); i++ {
			indexed.byteCounts[c.s[i]]++
		}
		for name, d := range map[string]*docInfo{"scan": bare, "index": indexed} {
			if got := slices.Collect(d.occurrences(c.p)); !slices.Equal(got, want) {
				t.Errorf("%s: occurrences of %q in %q = %v, want %v", name, c.p, c.s, got, want)
			}
		}
		found += len(want)
	}
	if found < 1000 {
		t.Errorf("only %d occurrences in all cases: the test does not test", found)
	}
}
