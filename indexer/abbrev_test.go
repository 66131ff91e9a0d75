package indexer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

func TestAbbreviations(t *testing.T) {
	titles := []string{
		"中华人民共和国个人信息保护法", "中华人民共和国民事诉讼法", "中华人民共和国道路交通安全法",
		"机动车交通事故责任强制保险条例", "北京市控制吸烟条例", "中华人民共和国反家庭暴力法",
		"最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", "中华人民共和国国家赔偿法",
		"中华人民共和国社会保险法", "中华人民共和国保险法", "中华人民共和国个人所得税法",
		"最高人民法院关于审理利用信息网络侵害人身权益民事纠纷案件适用法律若干问题的规定",
		"最高人民法院关于涉网络知识产权侵权纠纷几个法律适用问题的批复",
	}
	var entries []titleEntry
	for i, title := range titles {
		entries = append(entries, titleEntry{id: string(rune('a' + i)), title: title, core: titleCore(title)})
	}
	tests := []struct {
		abbr string
		want string // the best title
	}{
		{"个保法", "中华人民共和国个人信息保护法"},
		{"民诉法", "中华人民共和国民事诉讼法"},
		{"道交法", "中华人民共和国道路交通安全法"},
		{"交强险条例", "机动车交通事故责任强制保险条例"},
		{"北京控烟条例", "北京市控制吸烟条例"},
		{"反家暴法", "中华人民共和国反家庭暴力法"},
		{"民诉法解释", "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释"},
		{"国赔法", "中华人民共和国国家赔偿法"},
		{"社保法", "中华人民共和国社会保险法"},
		{"个税法", "中华人民共和国个人所得税法"},
		// A court's interpretation is named without the court and its 关于审理.
		{"网络侵权规定", "最高人民法院关于审理利用信息网络侵害人身权益民事纠纷案件适用法律若干问题的规定"},
		{"保险法", ""}, // the full title itself: ordinary matching finds it
		{"环保法", ""}, // no such title here
	}
	for _, tt := range tests {
		if got := looksAbbreviated(tt.abbr); !got {
			t.Errorf("%s does not look like a short title", tt.abbr)
		}
		best := ""
		if groups := matchAbbreviation(tt.abbr, entries); len(groups) > 0 {
			best = titles[groups[0][0][0]-'a']
		}
		if best != tt.want {
			t.Errorf("%s: matched %q, want %q", tt.abbr, best, tt.want)
		}
	}
	for _, w := range []string{"法", "低保", "最低生活保障审核", "abc法"} {
		if looksAbbreviated(w) {
			t.Errorf("%s looks like a short title", w)
		}
	}
}

func TestFullForms(t *testing.T) {
	titles := []string{
		"最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）", "中华人民共和国民法典 婚姻家庭编",
		"中华人民共和国民法典 继承编", "中华人民共和国反家庭暴力法", "最高人民法院关于办理人身安全保护令案件适用法律若干问题的规定",
		"中华人民共和国民法典 婚姻家庭编", // a second version of the same title
		"中华人民共和国消防法", "中华人民共和国消费者权益保护法", "中华人民共和国国家安全法", "中华人民共和国香港特别行政区维护国家安全法",
	}
	var entries []titleEntry
	for i, title := range titles {
		entries = append(entries, titleEntry{id: string(rune('a' + i)), title: title, core: titleCore(title)})
	}
	tests := []struct {
		full []string // what the synonym table expands the short title to
		want [][]string
	}{
		{[]string{"婚姻法", "民法典", "婚姻家庭编"}, nil}, // 婚姻法 is in no title: nothing holds all three
		{[]string{"民法典", "婚姻家庭编"}, [][]string{{"b", "f"}, {"a"}}},
		{[]string{"反家庭暴力法", "中华人民共和国反家庭暴力法"}, [][]string{{"d"}}},
		{[]string{"民法典"}, [][]string{{"c"}, {"b", "f"}, {"a"}}},
		{[]string{"《", "法"}, nil}, // nothing of two characters or more
		// A full form that is a title itself, the first in the table's order: no title
		// holds 消保法 beside the law, and the Hong Kong law holds 国家安全法.
		{[]string{"消保法", "消费者权益保护法", "中华人民共和国消费者权益保护法"}, [][]string{{"h"}}},
		{[]string{"国安法", "国家安全法", "香港特别行政区维护国家安全法"}, [][]string{{"i"}}},
	}
	for _, tt := range tests {
		got := matchFullForm(tt.full, entries)
		if len(got) != len(tt.want) {
			t.Errorf("%v: %v, want %v", tt.full, got, tt.want)
			continue
		}
		for i := range got {
			if !slices.Equal(got[i], tt.want[i]) {
				t.Errorf("%v: %v, want %v", tt.full, got, tt.want)
			}
		}
	}
}

// TestShortFormFirst: a short form's title comes first even when bleve scores it below
// the hits it fetches for reranking (ranking.window): here one, and other texts hold the
// short form itself.
func TestShortFormFirst(t *testing.T) {
	files := map[string]string{
		"config.toml":   "title = \"测试\"\n",
		"content/母婴.md": "---\ntitle: 中华人民共和国母婴保健法\n---\n第一条 为了保障母亲和婴儿健康，制定本法。\n",
	}
	for i := range 5 {
		files[fmt.Sprintf("content/问答%d.md", i)] = fmt.Sprintf("---\ntitle: 母保法问答第%d号\n---\n母保法是什么？母保法问答，母保法。\n", i)
	}
	for i := range 300 { // (rare terms weigh more in a larger index, the title's clause the same)
		files[fmt.Sprintf("content/其他%d.md", i)] = fmt.Sprintf("---\ntitle: 其他事项第%d号\n---\n本文与此无关，编号%d。\n", i, i)
	}
	ix := openSite(t, sitetest.Write(t, files))
	ix.rank.window = 1
	for _, limit := range []int{1, 3} {
		res, err := ix.Search(context.Background(), Request{Query: "母保法", Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].Path != "母婴.md" {
			t.Errorf("limit %d: hits %+v, want 母婴保健法 first", limit, res.Hits)
		}
	}
}

// TestTitleFirst: a query that is a title, as typed, finds that title first, before the
// texts naming it in theirs and repeating it (an implementing measure, an interpretation).
func TestTitleFirst(t *testing.T) {
	files := map[string]string{
		"config.toml":     "title = \"测试\"\n",
		"content/固废法.md":  "---\ntitle: 中华人民共和国固体废物污染环境防治法\n---\n第一条 为了保护和改善生态环境，防治固体废物污染环境，制定本法。\n\n第二条 固体废物污染环境的防治适用本法。\n",
		"content/实施办法.md": "---\ntitle: 某省实施《中华人民共和国固体废物污染环境防治法》办法\n---\n第一条 根据《中华人民共和国固体废物污染环境防治法》，结合本省实际，制定本办法。固体废物污染环境防治法规定的事项，依照固体废物污染环境防治法执行。\n",
		"content/解释.md":   "---\ntitle: 关于适用《中华人民共和国固体废物污染环境防治法》若干问题的解释\n---\n第一条 固体废物污染环境防治法所称固体废物，依照固体废物污染环境防治法第一百二十四条理解。\n",
		// A title with brackets, typed without them; and a text repeating its words.
		"content/修正案.md":  "---\ntitle: 中华人民共和国刑法修正案（十一）\n---\n一、将刑法第十七条修改为……\n",
		"content/效力解释.md": "---\ntitle: 关于《中华人民共和国刑法修正案（八）》时间效力问题的解释\n---\n" + strings.Repeat("刑法修正案（八）第十一条施行以前的行为，适用刑法修正案的规定。", 6) + "\n",
	}
	ix := openSite(t, sitetest.Write(t, files))
	for _, tc := range []struct{ q, first string }{
		{"固体废物污染环境防治法", "固废法.md"},
		{"中华人民共和国固体废物污染环境防治法", "固废法.md"},
		{"刑法修正案十一", "修正案.md"},
		{"刑法修正案(十一)", "修正案.md"},
	} {
		res, err := ix.Search(context.Background(), Request{Query: tc.q, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].Path != tc.first {
			t.Errorf("%s: hits %+v, want %s first", tc.q, res.Hits, tc.first)
		}
	}
}
