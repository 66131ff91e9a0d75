package indexer

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"jingjian/site"
)

// lawCode is a long regulation: filler articles around the ones the tests look for, under
// chapter headings.
func lawCode(version string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: 青川市监察工作条例\ndate: %s\n---\n", version)
	b.WriteString("## 第一章 总则\n\n")
	for n := 1; n <= 60; n++ {
		if n == 20 {
			b.WriteString("## 第三章 监察权限\n\n")
		}
		if n == 50 {
			b.WriteString("## 第五章 监督管理\n\n")
		}
		fmt.Fprintf(&b, "%s ", site.ArticleID(n, 0))
		switch n {
		case 22:
			b.WriteString("被调查人涉嫌严重职务违法，监察机关已经掌握其部分违法事实及证据，仍有重要问题需要进一步调查的，经依法审批，可以将其留置在特定场所。")
		case 31:
			b.WriteString("严禁在节假日公车私用；因私使用公务用车产生的油费、过路费，一律不得报销。")
		default:
			b.WriteString("各级监察机关应当坚持实事求是，依照规定开展监督检查工作，接受人民群众监督。")
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// passageSite holds the documents of the passage, navigation, contiguity, status, place
// and digit tests.
var passageSite = map[string]string{
	"config.toml": "title = \"测试\"\n",
	"content/法规制度/青川市监察工作条例(2019-01-01).md": lawCode("2019-01-01"),
	"content/法规制度/青川市监察工作条例(2024-01-01).md": lawCode("2024-01-01"),
	// Shares 公车 and 报销 many times over with a query about the code's 第三十一条, in a
	// short text, but lacks its 节假日 and 油费.
	"content/典型案例/报销案.md": "---\ntitle: 某单位公车报销问题通报\n---\n某单位公车管理混乱，公车维修费报销不规范，公车停放随意，报销审核流于形式，公车台账缺失，报销凭证不全。\n",
	// The phrase 严禁借调研名义安排旅游 verbatim, once, in a longer text …
	"content/法规制度/青川市差旅管理规定.md": "---\ntitle: 青川市差旅管理规定\n---\n第一条 为规范差旅管理，制定本规定。\n\n第二条 出差人员应当按规定标准乘坐交通工具，严禁借调研名义安排旅游，不得擅自绕道。\n\n第三条 本规定自发布之日起施行。\n",
	// … and its words scattered, several times each, in a short one.
	"content/典型案例/调研案.md": "---\ntitle: 某局调研活动情况通报\n---\n某局安排调研活动，名义上是调研，实际安排观光。严禁的事项没有落实，旅游景点安排了两处，调研报告流于形式，名义与实际不符，安排随意，旅游观光色彩浓厚，严禁要求形同虚设。\n",
	// One text repealed, one in force, on the same matter.
	"content/法规制度/公务用车管理暂行规定.md": "---\ntitle: 公务用车管理暂行规定\nstatus: 已废止\n---\n第一条 公务用车实行集中管理，公务用车统一调度，严禁公车私用，公务用车集中管理。\n",
	"content/法规制度/公务用车管理规定.md":   "---\ntitle: 公务用车管理规定\n---\n第一条 公务用车实行集中管理，严禁公车私用。\n\n第二条 违反规定的，依规依纪追究责任。\n",
	// The same rule in two places.
	"content/法规制度/青川市公务接待办法.md": "---\ntitle: 青川市公务接待办法\n---\n第一条 公务接待严格执行公务接待标准，公务接待不得超标准。\n",
	"content/法规制度/川北市公务接待办法.md": "---\ntitle: 川北市公务接待办法\n---\n第一条 公务接待应当严格执行有关规定，接待对象应当持公函。机关工作人员外出应当厉行节约，不得超出规定标准。\n",
	// The same name without a place.
	"content/法规制度/公务接待办法.md": "---\ntitle: 公务接待办法\n---\n第一条 各单位公务活动的接待，依照本办法办理。\n",
	// Two laws whose titles 消法 would shorten; the synonym table names one.
	"content/法规制度/消防法.md":      "---\ntitle: 中华人民共和国消防法\n---\n第一条 为了预防火灾，制定本法。\n\n第二条 消防工作贯彻预防为主的方针。\n",
	"content/法规制度/消费者权益保护法.md": "---\ntitle: 中华人民共和国消费者权益保护法\n---\n第一条 为保护消费者的合法权益，制定本法。\n\n第二条 消费者为生活消费需要购买商品，其权益受本法保护。\n",
	// A document named after an article of the code.
	"content/法规制度/第二十二条第一款的说明.md": "---\ntitle: 关于《青川市监察工作条例》第二十二条第一款的说明\n---\n本说明解释第二十二条第一款的适用范围和审批程序。\n",
	// Two provinces' rules on one matter, each filed with a city's: a query naming the
	// city is after its own province's (the other's text holds the query's words more
	// often).
	"content/地方法规/蜀南/蜀南省供热条例.md":   "---\ntitle: 蜀南省供热条例\n---\n第一条 供热单位不得因用户拖欠供热费停止供热。\n",
	"content/地方法规/蜀南/青石市市容管理条例.md": "---\ntitle: 青石市市容管理条例\n---\n第一条 本市市容管理适用本条例。\n",
	"content/地方法规/江东/江东省供热条例.md":   "---\ntitle: 江东省供热条例\n---\n第一条 供热单位不得因用户拖欠供热费停止供热；供热单位停止供热的，用户可以投诉，拖欠的供热费另行结算。\n",
	"content/地方法规/江东/白沙市市容管理条例.md": "---\ntitle: 白沙市市容管理条例\n---\n第一条 本市市容管理适用本条例。\n",
	// A question asking how long: the article stating a time limit, not the one sharing
	// more of its words (时间 among them).
	"content/法规制度/青川市信访事项办理规定.md": "---\ntitle: 青川市信访事项办理规定\n---\n第三条 信访事项应当在规定时间内受理，受理时间、地点应当公布。\n\n第九条 信访事项应当自受理之日起六十日内办结。\n",
	// A telephone number, and the hotline whose number is inside it.
	"content/典型案例/电话案.md": "---\ntitle: 某科员违规泄露举报人信息案\n---\n举报人留下的联系电话13812345678被泄露给被举报人。\n",
	"content/典型案例/热线案.md": "---\ntitle: 12345热线工单办理不力问题通报\n---\n12345政务服务便民热线工单逾期未办结。\n",
}

var (
	passageOnce sync.Once
	passageDir  string // removed by TestMain
	passageIx   *Index
	passageErr  error
)

// openPassages builds (once) and opens an index of passageSite.
func openPassages(t *testing.T) *Index {
	t.Helper()
	passageOnce.Do(func() {
		if passageDir, passageErr = os.MkdirTemp("", "jj-passages-"); passageErr == nil {
			passageIx, passageErr = indexFiles(passageDir, passageSite, nil)
		}
	})
	if passageErr != nil {
		t.Fatal(passageErr)
	}
	return passageIx
}

// TestPassages: a query answered by one article of a long code finds the code first,
// linked to that article, with the article's label and chapter; the page stays
// reachable as page_url.
func TestPassages(t *testing.T) {
	ix := openPassages(t)
	for _, tc := range []struct {
		query, path, anchor, heading string
	}{
		{"节假日公车私用的油费能报销吗", "法规制度/青川市监察工作条例(2024-01-01).md", "第三十一条", "第三章 监察权限"},
		{"监察工作条例 留置 特定场所", "法规制度/青川市监察工作条例(2024-01-01).md", "第二十二条", "第三章 监察权限"},
		// A question asking how long links to the article stating a time limit.
		{"信访事项受理后多长时间办完", "法规制度/青川市信访事项办理规定.md", "第九条", ""},
	} {
		res, err := ix.Search(context.Background(), Request{Query: tc.query, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%s: no hits", tc.query)
		}
		h := res.Hits[0]
		if h.Path != tc.path {
			t.Errorf("%s: first hit %s, want %s", tc.query, h.Path, tc.path)
			continue
		}
		if want := h.PageURL + "#" + tc.anchor; h.URL != want {
			t.Errorf("%s: url %s, want %s", tc.query, h.URL, want)
		}
		if len(h.Passages) == 0 || h.Passages[0].Anchor != tc.anchor || h.Passages[0].Label != tc.anchor || h.Passages[0].Heading != tc.heading {
			t.Errorf("%s: passages %+v, want %s under %s first", tc.query, h.Passages, tc.anchor, tc.heading)
		}
		if len(h.Passages) > 0 && !strings.Contains(h.Passages[0].Snippet, "<mark>") {
			t.Errorf("%s: passage snippet without a marked word: %s", tc.query, h.Passages[0].Snippet)
		}
		if !strings.HasPrefix(h.Snippet, "〔"+tc.anchor+"〕") {
			t.Errorf("%s: snippet %q does not come from the linked article", tc.query, h.Snippet)
		}
	}
	// The title alone is the page itself, not one of its articles.
	res, err := ix.Search(context.Background(), Request{Query: "青川市监察工作条例", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].URL != res.Hits[0].PageURL {
		t.Errorf("title query: %+v, want the page without an anchor", res.Hits)
	}
}

// TestNavigation: a title (or its short form) and an article number open that article
// of the version in force.
func TestNavigation(t *testing.T) {
	ix := openPassages(t)
	current := "法规制度/青川市监察工作条例(2024-01-01).md"
	for _, q := range []string{"青川市监察工作条例 第二十二条", "监察工作条例第22条", "监察工作条例22条", "青川市监察工作条例 第二十二条",
		"监察工作条例第二十二条是怎么规定的", "青川市监察工作条例 第二十二条 内容", "第二十二条 青川市监察工作条例",
		"监察工作条例第二十二条第一款", "青川市监察工作条例 第22条第1款第二项", "监察工作条例22", "青川市监察工作条例 22",
		"青川 监察工作条例 第二十二条"} {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) < 2 {
			t.Fatalf("%s: %d hits, want both versions", q, len(res.Hits))
		}
		if h := res.Hits[0]; h.Path != current || !strings.HasSuffix(h.URL, "#第二十二条") {
			t.Errorf("%s: first hit %s %s, want %s#第二十二条", q, h.Path, h.URL, current)
		}
		if h := res.Hits[1]; !strings.HasSuffix(h.URL, "#第二十二条") {
			t.Errorf("%s: the older version links to %s, want its 第二十二条", q, h.URL)
		}
	}
	// A year is no article.
	res, err := ix.Search(context.Background(), Request{Query: "监察工作条例 2024", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if strings.Contains(h.URL, "#第二千") {
			t.Errorf("2024 read as an article: %s", h.URL)
		}
	}
	// A version named by its year comes first, at its article, or alone as the title.
	older := "法规制度/青川市监察工作条例(2019-01-01).md"
	for _, q := range []string{"2019年青川市监察工作条例第二十二条", "青川市监察工作条例（2019） 第22条", "2019年版监察工作条例 第二十二条", "2019年青川市监察工作条例", "青川市监察工作条例 2019"} {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].Path != older {
			t.Errorf("%s: hits %+v, want the 2019 version first", q, res.Hits)
		} else if strings.Contains(q, "条例第") || strings.Contains(q, "第2") {
			if !strings.HasSuffix(res.Hits[0].URL, "#第二十二条") {
				t.Errorf("%s: %s, want its 第二十二条", q, res.Hits[0].URL)
			}
		}
	}
	// A year no version has: the one in force.
	if res, err := ix.Search(context.Background(), Request{Query: "2021年青川市监察工作条例第二十二条", Limit: 5}); err != nil || len(res.Hits) == 0 || res.Hits[0].Path != current {
		t.Errorf("a year of no version: %+v %v, want the version in force", res, err)
	}
	// Of one title in two places and none, the place named.
	for _, q := range []string{"公务接待办法第一条 川北", "川北 公务接待办法 第一条"} {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].Path != "法规制度/川北市公务接待办法.md" || !strings.HasSuffix(res.Hits[0].URL, "#第一条") {
			t.Errorf("%s: hits %+v, want 川北市公务接待办法#第一条 first", q, res.Hits)
		}
	}
	// A short form the synonym table gives a title for goes to that title, not to another
	// its characters also shorten.
	res, err = ix.Search(context.Background(), Request{Query: "消法第二条", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Path != "法规制度/消费者权益保护法.md" || !strings.HasSuffix(res.Hits[0].URL, "#第二条") {
		t.Errorf("消法第二条: hits %+v, want 消费者权益保护法#第二条 first", res.Hits)
	}
	// The name of a document about an article finds that document, not the article.
	res, err = ix.Search(context.Background(), Request{Query: "监察工作条例第二十二条第一款的说明", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Path != "法规制度/第二十二条第一款的说明.md" {
		t.Errorf("a title naming an article: hits %+v, want the 说明 first", res.Hits)
	}
}

// TestContiguity: the typed text found verbatim beats its words scattered more often.
func TestContiguity(t *testing.T) {
	ix := openPassages(t)
	// Typed as one piece, with a word more than the text has: its longest run is there.
	res, err := ix.Search(context.Background(), Request{Query: "严禁借调研名义安排旅游观光", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) < 2 {
		t.Fatalf("%d hits, want both", len(res.Hits))
	}
	if res.Hits[0].Path != "法规制度/青川市差旅管理规定.md" {
		t.Errorf("first hit %s, want the text holding the phrase", res.Hits[0].Path)
	}
	if !strings.HasSuffix(res.Hits[0].URL, "#第二条") {
		t.Errorf("url %s, want the article holding the phrase", res.Hits[0].URL)
	}
}

// TestStatusRanking: a repealed text never outranks the one in force on the same matter,
// nor an older version the current one.
func TestStatusRanking(t *testing.T) {
	ix := openPassages(t)
	for _, tc := range []struct{ query, first, later string }{
		{"公务用车 集中管理 公车私用", "法规制度/公务用车管理规定.md", "法规制度/公务用车管理暂行规定.md"},
		{"监察机关 留置", "法规制度/青川市监察工作条例(2024-01-01).md", "法规制度/青川市监察工作条例(2019-01-01).md"},
	} {
		res, err := ix.Search(context.Background(), Request{Query: tc.query, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		first, later := -1, -1
		for i, h := range res.Hits {
			switch h.Path {
			case tc.first:
				first = i
			case tc.later:
				later = i
			}
		}
		if first < 0 || later >= 0 && later < first {
			t.Errorf("%s: %s at %d, %s at %d", tc.query, tc.first, first, tc.later, later)
		}
	}
}

// TestPlaces: a query naming a place prefers that place's regulation, and its province's.
func TestPlaces(t *testing.T) {
	ix := openPassages(t)
	for _, tc := range []struct{ query, first string }{
		{"川北 公务接待 标准", "法规制度/川北市公务接待办法.md"},
		{"在青川，公务接待有什么规定", "法规制度/青川市公务接待办法.md"},
		{"在青石，拖欠供热费能不能停止供热", "地方法规/蜀南/蜀南省供热条例.md"},
	} {
		res, err := ix.Search(context.Background(), Request{Query: tc.query, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].Path != tc.first {
			t.Errorf("%s: %+v, want %s first", tc.query, res.Hits, tc.first)
		}
	}
}

// TestAnswers: the numbers of an answer type in a text, without dates.
func TestAnswers(t *testing.T) {
	kind := func(name string) int {
		return slices.IndexFunc(answerTypes, func(a answerType) bool { return a.name == name })
	}
	for _, tc := range []struct {
		text, kind string
		want       int
	}{
		{"继续盘问的时限一般为十二小时，可以延长至二十四小时。", "duration", 2},
		{"自受理之日起六十日内办结；情况复杂的，延长不得超过三十日。", "duration", 2},
		{"每两个月至少举行一次，半年报告一次。", "duration", 2},
		{"本条例自二〇二〇年一月一日起施行，2019年5月10日通过。", "duration", 0},
		{"成年人、未成年人和每年的报告", "duration", 0},
		{"5个工作日内答复", "duration", 1},
		{"保证金起点数额为人民币一千元，未成年人为五百元；处3000元以上罚款。", "money", 3},
		{"已满十六周岁不满十八周岁的", "age", 2},
		{"至少有三名委员，十人以上联名", "people", 2},
		{"建筑面积100平方米，距离五十米", "length", 2},
	} {
		d := &docInfo{text: tc.text, lower: tc.text}
		n := 0
		for range d.answers(kind(tc.kind)) {
			n++
		}
		if n != tc.want {
			t.Errorf("%s (%s): %d numbers; want %d", tc.text, tc.kind, n, tc.want)
		}
	}
	for _, tc := range []struct{ query, kinds string }{
		{"被警察带到派出所继续盘问，最长能留多长时间", "duration"},
		{"取保候审交保证金最少要交多少钱", "money"},
		{"多大的孩子可以单独乘车，要交多少钱", "money age"},
		{"公务接待有什么规定", ""},
	} {
		pl := &plan{}
		pl.askFor(tc.query)
		var got []string
		for _, k := range pl.asked {
			got = append(got, answerTypes[k].name)
		}
		if strings.Join(got, " ") != tc.kinds {
			t.Errorf("%s: asks for %v; want %q", tc.query, got, tc.kinds)
		}
	}
}

// TestAnswerSnippet: the number a question asks for is marked in the snippet.
func TestAnswerSnippet(t *testing.T) {
	ix := openPassages(t)
	res, err := ix.Search(context.Background(), Request{Query: "信访事项受理后多长时间办完", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Snippet, "<mark>六十日</mark>") {
		t.Errorf("hits %+v; want 六十日 marked", res.Hits)
	}
	if len(res.Hits) > 0 && (len(res.Hits[0].Passages) == 0 || !strings.Contains(res.Hits[0].Passages[0].Snippet, "<mark>六十日</mark>")) {
		t.Errorf("passages %+v; want 六十日 marked", res.Hits[0].Passages)
	}
	// Not when the question asks for no number.
	res, err = ix.Search(context.Background(), Request{Query: "信访事项 办结", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || strings.Contains(res.Hits[0].Snippet, "<mark>六十日</mark>") {
		t.Errorf("信访事项 办结: %+v; want 六十日 unmarked", res.Hits)
	}
}

// TestPlaceRegions: a place is in the province whose documents are filed with most of its
// own; a folder of several provinces' documents tells nothing.
func TestPlaceRegions(t *testing.T) {
	titles := func(idPlace ...string) []titleEntry {
		var out []titleEntry
		for i := 0; i < len(idPlace); i += 2 {
			out = append(out, titleEntry{id: idPlace[i], place: idPlace[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		titles []titleEntry
		want   map[string]string
	}{
		{"one province per folder", titles(
			"粤/广东省甲条例.md", "广东省", "粤/广州市乙条例.md", "广州市", "粤/汕头经济特区丙条例.md", "汕头经济特区",
			"鲁/山东省甲条例.md", "山东省", "鲁/日照市乙条例.md", "日照市", "国家/某法.md", ""),
			map[string]string{"广州市": "广东省", "汕头经济特区": "广东省", "日照市": "山东省"}},
		{"every province in one folder", titles(
			"地方/广东省甲条例.md", "广东省", "地方/山东省甲条例.md", "山东省", "地方/广州市乙条例.md", "广州市"),
			map[string]string{}},
		{"a city filed mostly elsewhere", titles(
			"粤/广东省甲条例.md", "广东省", "粤/广州市乙条例.md", "广州市", "市/广州市丙条例.md", "广州市", "市/广州市丁条例.md", "广州市"),
			map[string]string{}},
		{"no province", titles("市/青川市甲办法.md", "青川市", "市/川北市乙办法.md", "川北市"), map[string]string{}},
		{"an autonomous region", titles("桂/广西壮族自治区甲条例.md", "广西壮族自治区", "桂/南宁市乙条例.md", "南宁市"),
			map[string]string{"南宁市": "广西壮族自治区"}},
	} {
		if got := placeRegions(tc.titles); !maps.Equal(got, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, got, tc.want)
		}
	}
}

// TestDigits: a number matches whole; the 12345 hotline is not found in a phone number.
func TestDigits(t *testing.T) {
	ix := openPassages(t)
	res, err := ix.Search(context.Background(), Request{Query: "13812345678", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Path != "典型案例/电话案.md" {
		t.Errorf("hits %+v, want the page holding the number alone", res.Hits)
	}
	for _, e := range res.Expanded {
		t.Errorf("a number expanded to %v", e)
	}
	res, err = ix.Search(context.Background(), Request{Query: "12345", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Path != "典型案例/热线案.md" {
		t.Errorf("12345: %+v, want the hotline", res.Hits)
	}
}

func TestSpans(t *testing.T) {
	text := "前言\n第一条 甲。\n第二条 乙。\n" + strings.Repeat("长文本。", 400)
	marks := []site.Mark{{Offset: 7, Label: "第一条", ID: "第一条"}, {Offset: 24, Label: "第二条", ID: "第二条"}}
	sp := spans(text, marks)
	if len(sp) < 4 || sp[0].mark != -1 || sp[1].mark != 0 || sp[2].mark != 1 || sp[len(sp)-1].mark != 1 {
		t.Fatalf("spans %+v", sp)
	}
	end := 0
	for _, s := range sp {
		if s.start != end || s.end-s.start > passageMaxBytes {
			t.Errorf("span %+v after %d", s, end)
		}
		end = s.end
	}
	if end != len(text) {
		t.Errorf("spans end at %d of %d", end, len(text))
	}
}

func TestIndexText(t *testing.T) {
	for _, tc := range []struct{ s, p string }{
		{"", "a"}, {"abc", ""}, {"abc", "c"}, {"abc", "bc"}, {"abc", "abcd"}, {"监察机关依法留置", "留置"},
		{"监察机关依法留置", "监察"}, {"监察机关依法留置", "机关依"}, {"留置留置", "置留"}, {"a留置", "留置x"}, {"12345热线", "345"},
	} {
		want := strings.Index(tc.s, tc.p)
		if got := indexText(tc.s, tc.p); got != want {
			t.Errorf("indexText(%q, %q) = %d, want %d", tc.s, tc.p, got, want)
		}
		// Looking for any one byte of p first finds the same, and the rarest is one of p's.
		for at := -1; at <= len(tc.p); at++ {
			if got := indexByByte(tc.s, tc.p, at); got != want {
				t.Errorf("indexByByte(%q, %q, %d) = %d, want %d", tc.s, tc.p, at, got, want)
			}
		}
		d := &docInfo{lower: tc.s, byteCounts: new([256]int32)}
		for i := 0; i < len(tc.s); i++ {
			d.byteCounts[tc.s[i]]++
		}
		if at := d.rarestByte(tc.p); at >= len(tc.p) || len(tc.p) > 0 && at < 0 {
			t.Errorf("rarestByte(%q) = %d", tc.p, at)
		}
	}
	// The byte rarest in the text: 留置 in a text of 置 is looked for by a byte of 留.
	d := &docInfo{lower: "置置置置留置", byteCounts: new([256]int32)}
	for i := 0; i < len(d.lower); i++ {
		d.byteCounts[d.lower[i]]++
	}
	if at := d.rarestByte("留置"); at >= len("留") {
		t.Errorf("rarestByte picked byte %d of 留置, a byte of 置", at)
	}
}

// TestPassagesByDate: hits sorted by date, or past the reranked first ones, still link to
// their articles.
func TestPassagesByDate(t *testing.T) {
	ix := openPassages(t)
	for _, req := range []Request{
		{Query: "节假日公车私用的油费能报销吗", Limit: 5, Sort: "date"},
		{Query: "节假日公车私用的油费能报销吗 sort:date", Limit: 5},
	} {
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			if h.Path == "法规制度/青川市监察工作条例(2024-01-01).md" {
				found = true
				if !strings.HasSuffix(h.URL, "#第三十一条") || len(h.Passages) == 0 {
					t.Errorf("%+v: %s %+v, want its 第三十一条", req, h.URL, h.Passages)
				}
			}
		}
		if !found {
			t.Errorf("%+v: the code is not among %+v", req, res.Hits)
		}
	}
}

// TestContiguityShortcut: contiguity, which searches a place run by run only when it holds
// the middle of the piece, scores as a search of every place run by run does.
func TestContiguityShortcut(t *testing.T) {
	plain := func(title, text string, best []scoredSpan, runs []string) float64 {
		var share float64
		for _, run := range runs {
			r := []rune(asciiLower(run))
			if len(r) < contigMinRunes {
				continue
			}
			longest := 0
			for _, p := range append([]string{title}, func() (ps []string) {
				for _, b := range best {
					ps = append(ps, text[b.start:b.end])
				}
				return
			}()...) {
				longest = max(longest, longestRun(r, p, max(longest+1, contigMinRunes)))
			}
			if longest >= contigMinRunes && 4*longest >= 3*len(r) {
				f := float64(longest) / float64(len(r))
				share = max(share, f*f)
			}
		}
		return share
	}
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("监察机关依法留置调查")
	word := func(n int) string {
		var b []rune
		for range n {
			b = append(b, alphabet[r.IntN(len(alphabet))])
		}
		return string(b)
	}
	nonzero := 0
	for range 3000 {
		text := word(40 + r.IntN(200))
		run := word(10 + r.IntN(30))
		if r.IntN(2) == 0 { // a piece of the text itself, with a character changed
			rs := []rune(text)
			i := r.IntN(len(rs) - 20)
			n := min(len(rs)-i, 10+r.IntN(30))
			piece := slices.Clone(rs[i : i+n])
			piece[r.IntN(len(piece))] = '某'
			run = string(piece)
		}
		best := []scoredSpan{{span: span{0, len(text), -1, 0}}}
		title := word(12)
		got, want := contiguity(title, text, best, []string{run}), plain(title, text, best, []string{run})
		if got != want {
			t.Fatalf("contiguity(%q in %q) = %v, searching every run %v", run, text, got, want)
		}
		if got > 0 {
			nonzero++
		}
	}
	if nonzero < 100 {
		t.Errorf("only %d of 3000 cases found a run: the test does not test", nonzero)
	}
}
