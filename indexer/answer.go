package indexer

import (
	"iter"
	"slices"
	"strings"
	"unicode/utf8"
)

// Answer types. A question asking how long, how much, how old or how often (最长能留多长时间,
// 保证金最少交多少钱) is answered by an article stating a number of that kind (十二小时,
// 一千元, 十六周岁, 每两个月一次); the words it asks with (多长, 多少) are stop words, and the
// article shares little else with the question: 时限 for 多长时间, 起点数额 for 最少多少钱. A
// question asking for a kind of number therefore counts, in each passage, the numbers of
// that kind as one more word of the query.
type answerType struct {
	name  string
	asks  []string // what a question asking for it holds
	units []string // what follows a number that gives it (个 taken as part of the number)
}

var answerTypes = []answerType{
	{name: "duration",
		asks:  []string{"多长时间", "多久", "多少天", "几天", "多少日", "几日", "几个月", "多少个月", "多少年", "几年", "几小时", "多少小时", "多少个小时", "几周", "多少周", "几个工作日", "多少个工作日", "多长期限", "期限多长", "期限是多少", "时限是多少"},
		units: []string{"小时", "日", "天", "月", "年", "周", "工作日", "分钟"}},
	{name: "money",
		asks:  []string{"多少钱", "多少元", "几元", "几块钱", "多少块", "罚多少", "赔多少", "交多少", "收多少", "给多少", "补多少", "多少倍", "几倍", "多少万"},
		units: []string{"元", "倍"}},
	{name: "age",
		asks:  []string{"几岁", "多少岁", "多大年纪", "多大岁数", "多大年龄", "年满多少", "多大的孩子", "多大才"},
		units: []string{"周岁", "岁"}},
	{name: "times", asks: []string{"几次", "多少次"}, units: []string{"次"}},
	{name: "people", asks: []string{"几个人", "多少人", "几人", "多少名"}, units: []string{"人", "名"}},
	{name: "share",
		asks:  []string{"百分之几", "多少比例", "比例是多少", "比例多少", "几成", "百分之多少", "多少百分比"},
		units: []string{"%", "％", "成"}},
	{name: "length",
		asks:  []string{"多远", "多少米", "多少公里", "多少平方", "多大面积", "多少亩", "多高", "多宽", "多深"},
		units: []string{"米", "公里", "千米", "平方米", "亩", "公顷"}},
}

// askFor notes the answer types the typed text asks for: passages are scored by them
// (see weighted; beside the words it asks with: dropping those measured no better), and
// snippets mark their numbers.
func (pl *plan) askFor(text string) {
	for i, a := range answerTypes {
		if slices.ContainsFunc(a.asks, func(w string) bool { return strings.Contains(text, w) }) {
			pl.asked = append(pl.asked, i)
		}
	}
}

// numeral reports whether r is part of a number as laws write it: 十二, 两, 半, 30, ３０.
func numeral(r rune) bool {
	return r >= '0' && r <= '9' || r >= '０' && r <= '９' || strings.ContainsRune("零〇一二两三四五六七八九十百千万亿半几数", r)
}

// answers yields where in d.lower the numbers of answer type k start and end: a unit
// preceded by a numeral (十二小时, 三十日, 一千元), with 个 between them allowed (两个月), and
// not a date (二〇二〇年一月一日, 2020年).
func (d *docInfo) answers(k int) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		lower := d.lower
		for _, unit := range answerTypes[k].units {
			for at := range d.occurrences(unit) {
				start := at
				if r, n := utf8.DecodeLastRuneInString(lower[:start]); r == '个' {
					start -= n
				}
				// The number before the unit.
				i := start
				for i > 0 {
					r, n := utf8.DecodeLastRuneInString(lower[:i])
					if !numeral(r) {
						break
					}
					i -= n
				}
				if i == start || isDate(lower, i, start, at+len(unit), unit) {
					continue
				}
				if !yield(i, at+len(unit)) {
					return
				}
			}
		}
	}
}

// isDate reports whether the number lower[from:to] before unit (ending at end) is part of
// a date: a year of four figures, a year or month followed by a month or day, a day after
// a month.
func isDate(lower string, from, to, end int, unit string) bool {
	switch unit {
	case "年":
		if utf8.RuneCountInString(lower[from:to]) == 4 {
			return true
		}
		r, _ := utf8.DecodeRuneInString(lower[end:])
		return numeral(r) && r != '半'
	case "月":
		r, _ := utf8.DecodeRuneInString(lower[end:])
		return numeral(r) && r != '半' || strings.HasSuffix(lower[:from], "年")
	case "日":
		return strings.HasSuffix(lower[:from], "月")
	}
	return false
}

// spanStarts yields the starts of spans.
func spanStarts(spans iter.Seq2[int, int]) iter.Seq[int] {
	return func(yield func(int) bool) {
		for start := range spans {
			if !yield(start) {
				return
			}
		}
	}
}
