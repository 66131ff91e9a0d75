package site

import (
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"jingjian/internal/textpos"
)

// suggest returns the candidate closest to a misspelt word (regon → region), or "" when
// none is close: at most one edit for words of up to four characters, two beyond.
func suggest(word string, candidates []string) string {
	best, bestDist := "", 3
	limit := 2
	if len([]rune(word)) <= 4 {
		limit = 1
	}
	lw := strings.ToLower(word)
	for _, c := range candidates {
		if c == word {
			continue
		}
		if d := editDistance(lw, strings.ToLower(c)); d <= limit && d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean is a hint naming the suggestion, or "" when there is none.
func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return "；是否想写 " + s + "？"
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in characters, with a
// transposition of neighbours counting as one edit (regoin → region).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// configKeys lists the keys config.toml may write in the table at path (none for "" path
// beyond the struct): read from Config's toml tags, through maps such as [sections.X].
func configKeys(path []string) []string {
	t := reflect.TypeFor[Config]()
	for _, p := range path {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Map {
				t = t.Elem()
				p = "" // the map's key is the section's own name
			} else {
				t = t.Elem()
			}
		}
		if p == "" {
			continue
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		f, ok := fieldByTag(t, p)
		if !ok {
			return nil
		}
		t = f.Type
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for f := range t.Fields() {
		if tag := strings.Split(f.Tag.Get("toml"), ",")[0]; tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for f := range t.Fields() {
		if strings.Split(f.Tag.Get("toml"), ",")[0] == tag {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// tomlKeyLine finds the line of a TOML document that writes the key at path (the tables
// around it first: sections, cases, sort): a table header [sections.cases], or key = in
// the table it belongs to, or a dotted key (cases.sort =) in a parent table. It returns 0
// when the key is not written out. The position is the key's line and column, for
// textpos. (BurntSushi/toml keeps the positions of keys to itself, so the file is scanned
// again, table by table.)
func tomlKeyPos(display string, text []byte, path ...string) textpos.Pos {
	line := tomlKeyLine(text, path...)
	if line == 0 {
		return textpos.Pos{Path: display}
	}
	l := strings.Split(string(text), "\n")[line-1]
	return textpos.Pos{Path: display, Line: line, Col: 1 + utf8.RuneCountInString(l) - utf8.RuneCountInString(strings.TrimLeft(l, " \t"))}
}

// tomlKeyLine is the line of tomlKeyPos, 0 when the key is not written out.
func tomlKeyLine(text []byte, path ...string) int {
	var table []string
	for i, line := range strings.Split(string(text), "\n") {
		l := strings.TrimSpace(line)
		if l == "" || l[0] == '#' {
			continue
		}
		if l[0] == '[' {
			header := strings.Trim(strings.SplitN(l, "#", 2)[0], " \t")
			header = strings.TrimSpace(strings.Trim(header, "[]"))
			table = splitDotted(header)
			if slices.Equal(table, path) {
				return i + 1
			}
			continue
		}
		k, _, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		if slices.Equal(append(table[:len(table):len(table)], splitDotted(strings.TrimSpace(k))...), path) {
			return i + 1
		}
	}
	return 0
}

// splitDotted splits a TOML key on its dots, outside quotes, and unquotes the parts.
func splitDotted(k string) []string {
	var parts []string
	var cur strings.Builder
	quote := rune(0)
	for _, r := range k {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(parts, strings.TrimSpace(cur.String()))
}
