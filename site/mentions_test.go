package site

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// A wantRef is an expected ArticleRef, its offsets given by the text it spans (at).
type wantRef struct {
	at                         string
	article, sub, clause, item int
	implied                    bool
}

// A wantMention is an expected Mention, its offsets given by the text it spans (at).
type wantMention struct {
	at, title string
	noun      string // SelfNoun; Self when set
	refs      []wantRef
}

// locate turns expectations into Mentions: each at is looked for in text after the
// mention (or reference) before it, so the offsets checked are exact.
func locate(t *testing.T, text string, want []wantMention) []Mention {
	t.Helper()
	var out []Mention
	from := 0
	for _, w := range want {
		start := strings.Index(text[from:], w.at)
		if start < 0 {
			t.Fatalf("test case: %q not in %q after %d", w.at, text, from)
		}
		start += from
		m := Mention{Start: start, End: start + len(w.at), Title: w.title, Self: w.noun != "", SelfNoun: w.noun}
		refFrom := start
		for _, r := range w.refs {
			rs := strings.Index(text[refFrom:m.End], r.at)
			if rs < 0 {
				t.Fatalf("test case: ref %q not in mention %q after %d", r.at, w.at, refFrom)
			}
			rs += refFrom
			m.Refs = append(m.Refs, ArticleRef{Start: rs, End: rs + len(r.at), Article: r.article, Sub: r.sub, Clause: r.clause, Item: r.item, Implied: r.implied})
			refFrom = rs
		}
		out = append(out, m)
		from = m.End
	}
	return out
}

// art is a reference to a whole article.
func art(at string, n int) wantRef { return wantRef{at: at, article: n} }

func TestParseMentions(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       []wantMention
	}{
		{"full title", "依照《中华人民共和国劳动法》第四十四条的规定支付加班费。", []wantMention{
			{at: "《中华人民共和国劳动法》第四十四条", title: "中华人民共和国劳动法", refs: []wantRef{art("第四十四条", 44)}},
		}},
		{"short title", "违反《食品安全法》第九十六条规定", []wantMention{
			{at: "《食品安全法》第九十六条", title: "食品安全法", refs: []wantRef{art("第九十六条", 96)}},
		}},
		{"nested title", "根据《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第九十六条第一款规定", []wantMention{
			{at: "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第九十六条第一款", title: "最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释",
				refs: []wantRef{{at: "第九十六条第一款", article: 96, clause: 1}}},
		}},
		{"mention inside a title is its name", "《全国人民代表大会常务委员会关于〈中华人民共和国刑法〉第九十三条第二款的解释》第一条", []wantMention{
			{at: "《全国人民代表大会常务委员会关于〈中华人民共和国刑法〉第九十三条第二款的解释》第一条",
				title: "全国人民代表大会常务委员会关于〈中华人民共和国刑法〉第九十三条第二款的解释", refs: []wantRef{art("第一条", 1)}},
		}},
		{"title with 《》 nested wrongly", "《关于《刑法》第九十三条的解释》", nil},
		{"unclosed outer title", "《关于《刑法》第九十三条", []wantMention{
			{at: "《刑法》第九十三条", title: "刑法", refs: []wantRef{art("第九十三条", 93)}},
		}},
		{"parentheses in title", "《刑法修正案（六）》第20条）", []wantMention{
			{at: "《刑法修正案（六）》第20条", title: "刑法修正案（六）", refs: []wantRef{art("第20条", 20)}},
		}},
		{"clause", "《中华人民共和国海洋环境保护法》第五条第四款规定的", []wantMention{
			{at: "《中华人民共和国海洋环境保护法》第五条第四款", title: "中华人民共和国海洋环境保护法", refs: []wantRef{{at: "第五条第四款", article: 5, clause: 4}}},
		}},
		{"item", "《中华人民共和国行政诉讼法》第九十一条第五项规定的", []wantMention{
			{at: "《中华人民共和国行政诉讼法》第九十一条第五项", title: "中华人民共和国行政诉讼法", refs: []wantRef{{at: "第九十一条第五项", article: 91, item: 5}}},
		}},
		{"clause and item", "《监察法》第二十二条第一款第（三）项和第(四)项", []wantMention{
			{at: "《监察法》第二十二条第一款第（三）项和第(四)项", title: "监察法", refs: []wantRef{
				{at: "第二十二条第一款第（三）项", article: 22, clause: 1, item: 3},
				{at: "第(四)项", article: 22, clause: 1, item: 4},
			}},
		}},
		{"sub", "《中华人民共和国刑法》第二百六十条之一规定", []wantMention{
			{at: "《中华人民共和国刑法》第二百六十条之一", title: "中华人民共和国刑法", refs: []wantRef{{at: "第二百六十条之一", article: 260, sub: 1}}},
		}},
		{"之规定 is not a sub", "《解释（一）》第三十五条之规定", []wantMention{
			{at: "《解释（一）》第三十五条", title: "解释（一）", refs: []wantRef{art("第三十五条", 35)}},
		}},
		{"之一般 is not a sub", "《刑法》第十三条之一般规定", []wantMention{
			{at: "《刑法》第十三条", title: "刑法", refs: []wantRef{art("第十三条", 13)}},
		}},
		{"list 、 和", "《监察法》第十条、第十二条和第十五条", []wantMention{
			{at: "《监察法》第十条、第十二条和第十五条", title: "监察法", refs: []wantRef{art("第十条", 10), art("第十二条", 12), art("第十五条", 15)}},
		}},
		{"list 、", "《中华人民共和国劳动合同法》第三十九条、第四十条、第四十一条规定解除劳动合同的", []wantMention{
			{at: "《中华人民共和国劳动合同法》第三十九条、第四十条、第四十一条", title: "中华人民共和国劳动合同法",
				refs: []wantRef{art("第三十九条", 39), art("第四十条", 40), art("第四十一条", 41)}},
		}},
		{"list 或者 以及 及 与", "《监察法》第十条或者第十二条以及第十五条及第十六条与第十七条、以及第十八条", []wantMention{
			{at: "《监察法》第十条或者第十二条以及第十五条及第十六条与第十七条、以及第十八条", title: "监察法", refs: []wantRef{
				art("第十条", 10), art("第十二条", 12), art("第十五条", 15), art("第十六条", 16), art("第十七条", 17), art("第十八条", 18),
			}},
		}},
		{"range", "《监察法》第十条至第十二条", []wantMention{
			{at: "《监察法》第十条至第十二条", title: "监察法", refs: []wantRef{
				art("第十条", 10), {at: "第十条至第十二条", article: 11, implied: true}, art("第十二条", 12),
			}},
		}},
		{"range without the second 第", "本法第十条至十二条", []wantMention{
			{at: "本法第十条至十二条", noun: "法", refs: []wantRef{
				art("第十条", 10), {at: "第十条至十二条", article: 11, implied: true}, art("十二条", 12),
			}},
		}},
		{"range of twenty", "本法第一条至第二十条", []wantMention{
			{at: "本法第一条至第二十条", noun: "法", refs: func() []wantRef {
				refs := []wantRef{art("第一条", 1)}
				for n := 2; n < 20; n++ {
					refs = append(refs, wantRef{at: "第一条至第二十条", article: n, implied: true})
				}
				return append(refs, art("第二十条", 20))
			}()},
		}},
		{"wide range: the ends", "本法第一条至第一百条", []wantMention{
			{at: "本法第一条至第一百条", noun: "法", refs: []wantRef{art("第一条", 1), art("第一百条", 100)}},
		}},
		{"backward range: the ends", "本法第十二条至第十条", []wantMention{
			{at: "本法第十二条至第十条", noun: "法", refs: []wantRef{art("第十二条", 12), art("第十条", 10)}},
		}},
		{"range of clauses", "本法第五条第一款至第三款", []wantMention{
			{at: "本法第五条第一款至第三款", noun: "法", refs: []wantRef{
				{at: "第五条第一款", article: 5, clause: 1}, {at: "第五条第一款至第三款", article: 5, clause: 2, implied: true}, {at: "第三款", article: 5, clause: 3},
			}},
		}},
		{"clauses of one article", "《档案法》第二十四条第二款、第三款规定的罚款数额", []wantMention{
			{at: "《档案法》第二十四条第二款、第三款", title: "档案法", refs: []wantRef{
				{at: "第二十四条第二款", article: 24, clause: 2}, {at: "第三款", article: 24, clause: 3},
			}},
		}},
		{"items of one article", "《中华人民共和国劳动法》第三十二条第二项、第三项规定", []wantMention{
			{at: "《中华人民共和国劳动法》第三十二条第二项、第三项", title: "中华人民共和国劳动法", refs: []wantRef{
				{at: "第三十二条第二项", article: 32, item: 2}, {at: "第三项", article: 32, item: 3},
			}},
		}},
		{"clause then article", "本条例第五条第一款、第二款和第七条", []wantMention{
			{at: "本条例第五条第一款、第二款和第七条", noun: "条例", refs: []wantRef{
				{at: "第五条第一款", article: 5, clause: 1}, {at: "第二款", article: 5, clause: 2}, art("第七条", 7),
			}},
		}},
		{"self nouns", "依照本法第十条、本办法第二条、本规定第三条、本细则第四条、本规则第五条、本准则第六条、本制度第七条、本决定第八条、本解释第九条、本实施细则第十一条", []wantMention{
			{at: "本法第十条", noun: "法", refs: []wantRef{art("第十条", 10)}},
			{at: "本办法第二条", noun: "办法", refs: []wantRef{art("第二条", 2)}},
			{at: "本规定第三条", noun: "规定", refs: []wantRef{art("第三条", 3)}},
			{at: "本细则第四条", noun: "细则", refs: []wantRef{art("第四条", 4)}},
			{at: "本规则第五条", noun: "规则", refs: []wantRef{art("第五条", 5)}},
			{at: "本准则第六条", noun: "准则", refs: []wantRef{art("第六条", 6)}},
			{at: "本制度第七条", noun: "制度", refs: []wantRef{art("第七条", 7)}},
			{at: "本决定第八条", noun: "决定", refs: []wantRef{art("第八条", 8)}},
			{at: "本解释第九条", noun: "解释", refs: []wantRef{art("第九条", 9)}},
			{at: "本实施细则第十一条", noun: "实施细则", refs: []wantRef{art("第十一条", 11)}},
		}},
		{"self with 的", "违反本条例的第二十条规定", []wantMention{
			{at: "本条例的第二十条", noun: "条例", refs: []wantRef{art("第二十条", 20)}},
		}},
		{"not self: 基本法 日本法 根本法", "根据基本法第十八条、日本法第十条和根本法第一条", nil},
		{"self after 成", "构成本法第一百二十条规定的犯罪", []wantMention{
			{at: "本法第一百二十条", noun: "法", refs: []wantRef{art("第一百二十条", 120)}},
		}},
		{"not self: 本条 本章", "本条第二款、本章第三节、本法所称", nil},
		{"version note", "《中华人民共和国刑法》（2020年修正）第三百八十二条", []wantMention{
			{at: "《中华人民共和国刑法》（2020年修正）第三百八十二条", title: "中华人民共和国刑法", refs: []wantRef{art("第三百八十二条", 382)}},
		}},
		{"ASCII version note", "《中华人民共和国刑法》(2020年修正) 第三百八十二条", []wantMention{
			{at: "《中华人民共和国刑法》(2020年修正) 第三百八十二条", title: "中华人民共和国刑法", refs: []wantRef{art("第三百八十二条", 382)}},
		}},
		{"note holding a title", "《中华人民共和国劳动法》（以下简称《劳动法》）第四十四条", []wantMention{
			{at: "《中华人民共和国劳动法》（以下简称《劳动法》）第四十四条", title: "中华人民共和国劳动法", refs: []wantRef{art("第四十四条", 44)}},
		}},
		{"的", "《劳动法》的第四十四条", []wantMention{
			{at: "《劳动法》的第四十四条", title: "劳动法", refs: []wantRef{art("第四十四条", 44)}},
		}},
		{"spaces", "《劳动法》 第四十四条　第二款 、 第三款", []wantMention{
			{at: "《劳动法》 第四十四条　第二款 、 第三款", title: "劳动法", refs: []wantRef{
				{at: "第四十四条　第二款", article: 44, clause: 2}, {at: "第三款", article: 44, clause: 3},
			}},
		}},
		{"not arbitrary text between", "《劳动法》规定，第四十四条；《劳动法》中第四十四条；《劳动法》\n第四十四条", nil},
		{"Arabic", "《劳动法》第44条第2款和第 45 条", []wantMention{
			{at: "《劳动法》第44条第2款和第 45 条", title: "劳动法", refs: []wantRef{
				{at: "第44条第2款", article: 44, clause: 2}, art("第 45 条", 45),
			}},
		}},
		{"full-width digits", "《劳动法》第４４条", []wantMention{
			{at: "《劳动法》第４４条", title: "劳动法", refs: []wantRef{art("第４４条", 44)}},
		}},
		{"thousands", "《中华人民共和国民法典》第一千二百六十条、第一千零七十七条和第一千零一十一条", []wantMention{
			{at: "《中华人民共和国民法典》第一千二百六十条、第一千零七十七条和第一千零一十一条", title: "中华人民共和国民法典", refs: []wantRef{
				art("第一千二百六十条", 1260), art("第一千零七十七条", 1077), art("第一千零一十一条", 1011),
			}},
		}},
		{"numbers sharing 第 and 条", "本规定第二、三条的规定；《修正案（三）》第1、2条）", []wantMention{
			{at: "本规定第二、三条", noun: "规定", refs: []wantRef{art("第二", 2), art("三条", 3)}},
			{at: "《修正案（三）》第1、2条", title: "修正案（三）", refs: []wantRef{art("第1", 1), art("2条", 2)}},
		}},
		{"numbers sharing 第 and 条, a range", "本解释第一至三条、第五至第七条", []wantMention{
			{at: "本解释第一至三条、第五至第七条", noun: "解释", refs: []wantRef{
				art("第一", 1), {at: "第一至三条", article: 2, implied: true}, art("三条", 3),
				art("第五", 5), {at: "第五至第七条", article: 6, implied: true}, art("第七条", 7),
			}},
		}},
		{"clauses sharing 第 and 款", "《档案法》第二十四条第一、二款规定", []wantMention{
			{at: "《档案法》第二十四条第一、二款", title: "档案法", refs: []wantRef{
				{at: "第二十四条第一", article: 24, clause: 1}, {at: "二款", article: 24, clause: 2},
			}},
		}},
		{"chapter before the article", "按照《中国人民解放军军官军衔条例》第二章第七条的规定执行", []wantMention{
			{at: "《中国人民解放军军官军衔条例》第二章第七条", title: "中国人民解放军军官军衔条例", refs: []wantRef{art("第七条", 7)}},
		}},
		{"chapters and sections alone", "本条例第三章第三节规定情形的；本规则第六章、第九章；本法第二、三章", nil},
		{"two mentions", "《监察法》第十条和《公职人员政务处分法》第七条、第八条", []wantMention{
			{at: "《监察法》第十条", title: "监察法", refs: []wantRef{art("第十条", 10)}},
			{at: "《公职人员政务处分法》第七条、第八条", title: "公职人员政务处分法", refs: []wantRef{art("第七条", 7), art("第八条", 8)}},
		}},
		{"list stops before a chapter", "本法第五条和第三章的规定", []wantMention{
			{at: "本法第五条", noun: "法", refs: []wantRef{art("第五条", 5)}},
		}},
		{"list does not cross a line", "依照本法第九条、\n第十条 本法所称", []wantMention{
			{at: "本法第九条", noun: "法", refs: []wantRef{art("第九条", 9)}},
		}},
		{"article heading", "第十条 本法所称公职人员，依照本法第二条确定。", []wantMention{
			{at: "本法第二条", noun: "法", refs: []wantRef{art("第二条", 2)}},
		}},
		{"bare articles", "依照第十条、第十二条、第十五条处理。", nil},
		{"newspaper, journal, novel", "《人民日报》第3版，《求是》第5期，《红楼梦》第三回", nil},
		{"book title alone", "学习《习近平谈治国理政》。", nil},
		{"empty title", "《》第十条", nil},
		{"measure word", "第三条腿；本法第三条腿；《三国》第二条路", nil},
		{"条例 word", "《规定》第一条例外；本法第二条例", nil},
		{"chapter and section", "本法第三章第二节；《监察法》第二章", nil},
		{"document number", "二〇二四年第3号；《公报》二〇二四年第3号", nil},
		{"article zero, bad numerals", "本法第零条、本法第一百五条、本法第十十条", nil},
		{"too long a number", "本法第12345678901条", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := locate(t, c.text, c.want)
			got := ParseMentions(c.text)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ParseMentions(%q)\n got %s\nwant %s", c.text, showMentions(c.text, got), showMentions(c.text, want))
			}
		})
	}
}

// showMentions prints mentions with the text they span, for failure messages.
func showMentions(text string, ms []Mention) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "\n  [%d,%d) %q title=%q self=%v %q:", m.Start, m.End, text[m.Start:m.End], m.Title, m.Self, m.SelfNoun)
		for _, r := range m.Refs {
			fmt.Fprintf(&b, "\n    [%d,%d) %q %d/%d/%d/%d implied=%v", r.Start, r.End, text[r.Start:r.End], r.Article, r.Sub, r.Clause, r.Item, r.Implied)
		}
	}
	return b.String()
}

func TestParseChineseNumber(t *testing.T) {
	for in, want := range map[string]int{
		"一": 1, "十": 10, "一十": 10, "十二": 12, "二十": 20, "两百": 200, "两千零二": 2002,
		"一百零五": 105, "一百一十": 110, "一百十": 110, "一千零二十": 1020, "一千零一十一": 1011,
		"一千二百六十": 1260, "九千九百九十九": 9999, "〇": 0, "零": 0, "44": 44, "０４４": 44, "007": 7,
	} {
		if got, ok := ParseChineseNumber(in); !ok || got != want {
			t.Errorf("ParseChineseNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{
		"", "两", "两十", "十两", "一百五", "一千二十", "一千零二百", "一百零", "零五", "十十", "百", "一万",
		"二〇二四", "一二", "百十", "4十", "四4", "1234567890", "一千零零五", "十一百", "第",
	} {
		if got, ok := ParseChineseNumber(in); ok {
			t.Errorf("ParseChineseNumber(%q) = %d, true; want false", in, got)
		}
	}
}

// TestArticleIDRoundTrip checks that every article number up to 3000 is written as
// articleLen reads it and as ParseChineseNumber and ParseMentions read it back.
func TestArticleIDRoundTrip(t *testing.T) {
	for n := 1; n <= 3000; n++ {
		id := ArticleID(n, 0)
		if got := articleLen([]byte(id + " 内容")); got != len(id) {
			t.Errorf("articleLen(%q) = %d, want %d", id, got, len(id))
		}
		num := strings.TrimSuffix(strings.TrimPrefix(id, "第"), "条")
		if got, ok := ParseChineseNumber(num); !ok || got != n {
			t.Errorf("ParseChineseNumber(%q) = %d, %v; want %d", num, got, ok, n)
		}
		if got, ok := ParseChineseNumber(strconv.Itoa(n)); !ok || got != n {
			t.Errorf("ParseChineseNumber(%q) = %d, %v", strconv.Itoa(n), got, ok)
		}
		ms := ParseMentions("本法" + id + "之二")
		if len(ms) != 1 || len(ms[0].Refs) != 1 || ms[0].Refs[0].Article != n || ms[0].Refs[0].Sub != 2 {
			t.Errorf("ParseMentions(本法%s之二) = %+v", id, ms)
		}
	}
	for _, c := range []struct {
		article, sub int
		want         string
	}{
		{44, 0, "第四十四条"}, {260, 1, "第二百六十条之一"}, {10, 0, "第十条"}, {20, 0, "第二十条"},
		{105, 0, "第一百零五条"}, {110, 0, "第一百一十条"}, {1077, 0, "第一千零七十七条"},
		{1010, 0, "第一千零一十条"}, {1001, 0, "第一千零一条"}, {2000, 0, "第二千条"}, {12, 10, "第十二条之十"},
		{0, 0, "第0条"}, {10000, 0, "第10000条"},
	} {
		if got := ArticleID(c.article, c.sub); got != c.want {
			t.Errorf("ArticleID(%d, %d) = %q, want %q", c.article, c.sub, got, c.want)
		}
	}
}

// TestParseMentionsAllocs checks that text without mentions costs no allocation: most
// paragraphs of a site have none.
func TestParseMentionsAllocs(t *testing.T) {
	text := strings.Repeat("第十条 本院认为，依照第十二条和基本法第十八条，学习《习近平谈治国理政》第3版。\n", 100)
	if n := testing.AllocsPerRun(10, func() { ParseMentions(text) }); n != 0 {
		t.Errorf("ParseMentions of text without mentions: %v allocations, want 0", n)
	}
}

// FuzzParseMentions checks what a linker relies on: no panic; mentions in order, not
// overlapping, on rune boundaries (as range over the text steps, invalid bytes one by one); every reference inside its mention, written ones in
// order and not overlapping.
func FuzzParseMentions(f *testing.F) {
	for _, s := range []string{
		"依照《中华人民共和国劳动法》第四十四条、第四十五条第二款和本法第十条至第十二条",
		"《关于〈刑法〉第九十三条的解释》第一条第（三）项",
		"《关于《刑法》第九十三条",
		"《劳动法》（以下简称《劳动法》）的 第44条之一至第四十六条",
		"本条例第五条第一款、第二款以及第七条",
		"第十条 本法所称",
		"《人民日报》第3版",
		"《》第十条（）",
		"《劳动法》第一条至第九千九百九十九条",
		"本法第\xff条《\xe3\x80",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		starts := make([]bool, len(text)+1) // where a rune (or an invalid byte) starts
		for i := range text {
			starts[i] = true
		}
		starts[len(text)] = true
		boundary := func(i int) bool { return i >= 0 && i <= len(text) && starts[i] }
		end := 0
		for _, m := range ParseMentions(text) {
			if m.Start < end || m.Start >= m.End || m.End > len(text) || !boundary(m.Start) || !boundary(m.End) {
				t.Fatalf("mention [%d,%d) after %d in %q", m.Start, m.End, end, text)
			}
			end = m.End
			if len(m.Refs) == 0 || m.Self != (m.Title == "") {
				t.Fatalf("mention %+v in %q", m, text)
			}
			start, written := m.Start, m.Start
			for _, r := range m.Refs {
				if r.Start < start || r.Start >= r.End || r.End > m.End || !boundary(r.Start) || !boundary(r.End) || r.Article < 1 {
					t.Fatalf("ref %+v in mention [%d,%d) of %q", r, m.Start, m.End, text)
				}
				start = r.Start
				if !r.Implied {
					if r.Start < written {
						t.Fatalf("ref %+v overlaps the one before in %q", r, text)
					}
					written = r.End
				}
			}
		}
	})
}

// BenchmarkParseMentions parses about 4 MB of text shaped like the corpus: judgments
// and regulations, with mentions, near misses and plain sentences.
func BenchmarkParseMentions(b *testing.B) {
	sentences := []string{
		"本院认为，用人单位应当依照《中华人民共和国劳动法》第四十四条的规定支付加班费。",
		"根据《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第三十五条之规定，故二审法院依法支持其诉讼请求。",
		"第十条 本法所称公职人员，是指依照本法第二条、第三条和第五条第一款规定的人员。\n",
		"违反本条例第二十条至第二十五条规定的，由县级以上人民政府责令改正，给予警告。",
		"该报道刊登于《人民日报》2024年5月6日第3版，引起广泛关注。",
		"各级监察机关应当加强对所有行使公权力的公职人员的监督，推进廉政建设和反腐败工作。\n",
		"当事人对自己提出的诉讼请求所依据的事实或者反驳对方诉讼请求所依据的事实，应当提供证据加以证明。",
		"学习《习近平谈治国理政》，坚持以人民为中心的发展思想，基本法第十八条另有规定。\n",
	}
	var sb strings.Builder
	for sb.Len() < 4<<20 {
		for _, s := range sentences {
			sb.WriteString(s)
		}
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		ParseMentions(text)
	}
}
