package indexer

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want Query
	}{
		{"加班费 仲裁时效", Query{Words: []string{"加班费", "仲裁时效"}}},
		{`"公民的人格尊严" 宪法`, Query{Words: []string{"宪法"}, Phrases: []string{"公民的人格尊严"}}},
		{"“三重一大”决策", Query{Words: []string{"决策"}, Phrases: []string{"三重一大"}}},
		{"养老 -殡葬", Query{Words: []string{"养老"}, Exclude: []string{"殡葬"}}},
		{`养老 -"运营补贴"`, Query{Words: []string{"养老"}, Exclude: []string{"运营补贴"}}},
		{"领域:养老服务 违规", Query{Words: []string{"违规"}, Filters: []Filter{{"领域", "养老服务"}}}},
		{"status：现行有效", Query{Filters: []Filter{{"status", "现行有效"}}}},
		{"sort:date 低保", Query{Words: []string{"低保"}, Sort: "date"}},
		{"排序:日期", Query{Sort: "date"}},
		{`未闭合"引号 测试`, Query{Words: []string{"未闭合", "引号", "测试"}, Notes: []string{"引号没有配对，已按普通词语搜索"}}},
		{"！！！。。。", Query{}},
		{"- -- －", Query{}},
		{"http://example.com", Query{Words: []string{"http://example.com"}}},
		{"\u3000低保\u3000", Query{Words: []string{"低保"}}},
	}
	for _, tt := range tests {
		got := ParseQuery(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseQuery(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
		}
	}
	long := ParseQuery(strings.Repeat("长", 10000))
	if len(long.Notes) != 1 || utf8.RuneCountInString(strings.Join(long.Words, "")) != MaxQueryRunes {
		t.Errorf("a 10,000-character query is not cut: %d notes", len(long.Notes))
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", `"a`, `-"b"`, "领域:养老", "a:b:c", "“”", "-", "\xff", "sort:x", strings.Repeat("\"", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		for _, part := range [][]string{q.Words, q.Phrases, q.Exclude} {
			for _, w := range part {
				if w == "" || !utf8.ValidString(w) {
					t.Fatalf("empty or invalid part %q from %q", w, s)
				}
			}
		}
		n := 0
		for _, w := range append(append(q.Words, q.Phrases...), q.Exclude...) {
			n += utf8.RuneCountInString(w)
		}
		if n > MaxQueryRunes {
			t.Fatalf("parts hold %d characters, over the bound", n)
		}
	})
}
