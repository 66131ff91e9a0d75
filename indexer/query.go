package indexer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryRunes bounds a query; longer input is cut, with a note.
const MaxQueryRunes = 200

// A Query is what a person typed, taken apart. Parsing never fails: text that is not
// valid syntax is searched as plain words.
type Query struct {
	Words   []string // unquoted runs of text, in order
	Phrases []string // "精确短语": must occur exactly
	Exclude []string // -排除词 or -"排除短语"
	Filters []Filter // 领域:养老服务
	Sort    string   // "date" for newest first; "" for relevance
	Notes   []string // what the parser changed, for the user
	// NoFacets is Request.NoFacets: the search counts no values per field.
	NoFacets bool
}

// A Filter restricts results to documents whose field has a value.
type Filter struct {
	Key   string
	Value string
}

// ParseQuery reads the query language: plain words; "exact phrase" (also “中文引号”);
// -word to exclude; key:value filters (also key：value); sort:date (排序:日期).
func ParseQuery(s string) Query {
	var q Query
	if utf8.RuneCountInString(s) > MaxQueryRunes {
		s = string([]rune(s)[:MaxQueryRunes])
		q.Notes = append(q.Notes, "查询过长，只使用了前 200 个字")
	}
	s = strings.ToValidUTF8(s, "")
	r := []rune(s)
	for i := 0; i < len(r); {
		switch c := r[i]; {
		case unicode.IsSpace(c) || c == '\u3000':
			i++
		case isQuote(c):
			end := closingQuote(r, i)
			if end < 0 { // unbalanced: the rest is plain words
				q.Notes = append(q.Notes, "引号没有配对，已按普通词语搜索")
				i++
				continue
			}
			if p := strings.TrimSpace(string(r[i+1 : end])); p != "" {
				q.Phrases = append(q.Phrases, p)
			}
			i = end + 1
		default:
			j := i
			for j < len(r) && !unicode.IsSpace(r[j]) && r[j] != '\u3000' && !isQuote(r[j]) {
				j++
			}
			if t := string(r[i:j]); (t == "-" || t == "－") && j < len(r) {
				// -"phrase" excludes the phrase.
				if end := closingQuote(r, j); end > j {
					if p := strings.TrimSpace(string(r[j+1 : end])); p != "" {
						q.Exclude = append(q.Exclude, p)
					}
					i = end + 1
					continue
				}
			}
			q.word(r, i, j)
			i = j
		}
	}
	return q
}

// word handles one whitespace-free token r[i:j].
func (q *Query) word(r []rune, i, j int) {
	tok := string(r[i:j])
	if tok == "" {
		return
	}
	if strings.HasPrefix(tok, "-") || strings.HasPrefix(tok, "－") {
		rest := strings.TrimLeft(tok, "-－")
		if rest != "" && hasWordChar([]byte(rest)) {
			q.Exclude = append(q.Exclude, rest)
		}
		return
	}
	if k, v, ok := cutColon(tok); ok && k != "" && v != "" && !strings.HasPrefix(v, "//") {
		switch strings.ToLower(k) {
		case "sort", "排序":
			switch strings.ToLower(v) {
			case "date", "日期", "时间", "新":
				q.Sort = "date"
			default:
				q.Notes = append(q.Notes, "排序只支持 sort:date（按日期）")
			}
			return
		}
		q.Filters = append(q.Filters, Filter{Key: k, Value: v})
		return
	}
	if hasWordChar([]byte(tok)) {
		q.Words = append(q.Words, tok)
	}
}

func cutColon(s string) (string, string, bool) {
	if k, v, ok := strings.Cut(s, ":"); ok {
		return k, v, true
	}
	return strings.Cut(s, "：")
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '「' || r == '」' }

// closingQuote finds the quote closing the one at i, or -1.
func closingQuote(r []rune, i int) int {
	for j := i + 1; j < len(r); j++ {
		if isQuote(r[j]) {
			return j
		}
	}
	return -1
}

// Empty reports whether the query asks for nothing at all.
func (q Query) Empty() bool {
	return len(q.Words) == 0 && len(q.Phrases) == 0 && len(q.Filters) == 0 && len(q.Exclude) == 0
}
