package indexer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"jingjian/internal/textpos"
)

// Synonyms maps a term to the other terms a query for it should also find: short forms
// cadres type (纪委, 低保, 个保法) and the full names documents use, both ways for true
// equivalents, one way where the short form is narrower.
type Synonyms struct {
	also   map[string][]string
	maxLen int // longest term, in characters
}

// An Expansion is one synonym found in a query.
type Expansion struct {
	Term string   `json:"term"` // as it stands in the query
	Also []string `json:"also"` // what is searched as well
}

// ParseSynonyms reads Solr-style lines: "纪委, 纪律检查委员会" (all alike) or
// "残联 => 残疾人联合会" (one way); # comments and blank lines are skipped.
func ParseSynonyms(text, display string) (*Synonyms, textpos.List) {
	s := &Synonyms{also: map[string][]string{}}
	var errs textpos.List
	for line, l := range contentLines(text) {
		at := textpos.Pos{Path: display, Line: line}
		if from, to, ok := strings.Cut(l, "=>"); ok {
			left, right := splitTerms(from), splitTerms(to)
			if len(left) == 0 || len(right) == 0 {
				errs.Add(at, "单向同义词写作“简称 => 全称”，两边都不能为空")
				continue
			}
			for _, a := range left {
				s.add(a, right...)
			}
			continue
		}
		terms := splitTerms(l)
		if len(terms) < 2 {
			errs.Add(at, "同义词一行至少两个词，用英文逗号分隔，如“纪委, 纪律检查委员会”；单向写作“残联 => 残疾人联合会”")
			continue
		}
		for _, a := range terms {
			s.add(a, terms...)
		}
	}
	return s, errs
}

func splitTerms(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (s *Synonyms) add(term string, others ...string) {
	for _, o := range others {
		if o != term && !slices.Contains(s.also[term], o) {
			s.also[term] = append(s.also[term], o)
		}
	}
	s.maxLen = max(s.maxLen, utf8.RuneCountInString(term))
}

// Merge adds other's entries to s.
func (s *Synonyms) Merge(other *Synonyms) {
	for k, v := range other.also {
		s.add(k, v...)
	}
}

// Len is the number of terms with synonyms.
func (s *Synonyms) Len() int { return len(s.also) }

// Find returns the synonym terms occurring in text, longest match first at each place and
// without overlaps, with what each also finds. Numbers count whole: 12345 (the hotline)
// is not found inside 13812345678, nor 110 inside 1101.
func (s *Synonyms) Find(text string) []Expansion {
	r := []rune(strings.ToLower(text))
	var out []Expansion
	for i := 0; i < len(r); {
		found := 0
		for n := min(s.maxLen, len(r)-i); n >= 2; n-- {
			if cutsNumber(r, i, i+n) {
				continue
			}
			if also, ok := s.also[string(r[i:i+n])]; ok {
				out = append(out, Expansion{Term: string(r[i : i+n]), Also: also})
				found = n
				break
			}
		}
		if found > 0 {
			i += found
		} else {
			i++
		}
	}
	return out
}

// cutsNumber reports whether r[i:j] starts or ends inside a run of digits (or letters
// and digits, as in an ID like GB2312): a term must not match part of a number.
func cutsNumber(r []rune, i, j int) bool {
	alnum := func(c rune) bool { return c < 0x80 && (unicode.IsDigit(c) || unicode.IsLetter(c)) }
	digit := func(c rune) bool { return c >= '0' && c <= '9' }
	if i > 0 && alnum(r[i-1]) && alnum(r[i]) && (digit(r[i-1]) || digit(r[i])) {
		return true
	}
	return j < len(r) && alnum(r[j-1]) && alnum(r[j]) && (digit(r[j-1]) || digit(r[j]))
}

var builtinSynonyms = func() *Synonyms {
	b, err := builtin.ReadFile("dict/synonyms.txt")
	if err != nil {
		return &Synonyms{also: map[string][]string{}}
	}
	s, errs := ParseSynonyms(string(b), "indexer/dict/synonyms.txt")
	if len(errs) > 0 {
		panic(errs) // the built-in table is tested; a bad line is a build bug
	}
	return s
}()

// BuiltinSynonyms returns a copy of the table that ships with jingjian.
func BuiltinSynonyms() *Synonyms {
	s := &Synonyms{also: map[string][]string{}}
	s.Merge(builtinSynonyms)
	return s
}
