package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"jingjian/indexer"
	"jingjian/pipeline"
)

// filterFlags collects repeated --filter KEY=VALUE.
type filterFlags []indexer.Filter

func (f *filterFlags) String() string { return fmt.Sprint(*f) }

func (f *filterFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" || v == "" {
		return fmt.Errorf("筛选条件应写作 字段=取值，如 --filter 领域=养老服务")
	}
	*f = append(*f, indexer.Filter{Key: k, Value: v})
	return nil
}

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		siteDir string
		asJSON  bool
		limit   int
		offset  int
		sort    string
		filters filterFlags
	)
	fs.StringVar(&siteDir, "s", ".", "站点目录")
	fs.StringVar(&siteDir, "source", ".", "同 -s")
	fs.BoolVar(&asJSON, "json", false, "输出 JSON")
	fs.IntVar(&limit, "limit", indexer.DefaultLimit, fmt.Sprintf("返回条数（0 只统计，最多 %d）", indexer.MaxLimit))
	fs.IntVar(&offset, "offset", 0, "跳过前几条（翻页）")
	fs.StringVar(&sort, "sort", "", "date：按日期从新到旧")
	fs.Var(&filters, "filter", "筛选，字段=取值，可重复，如 --filter 领域=养老服务")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法: jingjian search [-s 站点目录] [--json] [--limit N] [--filter 字段=取值]... 查询词\n\n查询语法：普通词语；\"精确短语\"；-排除词；领域:养老服务 这样的筛选；sort:date 按日期排序。\n\n")
		fs.PrintDefaults()
	}
	// Flags may come before or after the query words.
	words, code, ok := parseMixed(fs, args)
	if !ok {
		return code
	}
	if limit < 0 || offset < 0 {
		fmt.Fprintln(stderr, "--limit 和 --offset 不能为负数")
		return exitUsage
	}
	if sort != "" && sort != "date" {
		fmt.Fprintln(stderr, "--sort 只能是 date")
		return exitUsage
	}
	abs, err := filepath.Abs(siteDir)
	if err != nil {
		fmt.Fprintln(stderr, "错误:", err)
		return exitFailure
	}
	res, err := pipeline.Search(ctx, abs, indexer.Request{Query: strings.Join(words, " "), Filters: filters, Limit: limit, Offset: offset, Sort: sort})
	if err != nil {
		fmt.Fprintln(stderr, "错误:", err)
		return exitFailure
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return exitFailure
		}
		return exitOK
	}
	printResult(stdout, res)
	return exitOK
}

var markTag = regexp.MustCompile(`</?mark>`)

// printResult writes results for a terminal: titles, addresses, snippets with 【】
// around the matches.
func printResult(w io.Writer, r *indexer.Result) {
	for _, n := range r.Notes {
		fmt.Fprintln(w, "提示："+n)
	}
	fmt.Fprintf(w, "共 %d 条结果（%.1f 毫秒）", r.Total, r.TookMS)
	if len(r.Terms) > 0 {
		fmt.Fprintf(w, "；分词：%s", strings.Join(r.Terms, " / "))
	}
	fmt.Fprintln(w)
	for _, e := range r.Expanded {
		fmt.Fprintf(w, "已同时搜索：%s → %s\n", e.Term, strings.Join(e.Also, "、"))
	}
	for i, h := range r.Hits {
		fmt.Fprintf(w, "\n%d. %s", i+1, h.Title)
		if h.Section != "" {
			fmt.Fprintf(w, "〔%s〕", h.Section)
		}
		if h.Date != "" {
			fmt.Fprintf(w, " %s", h.Date)
		}
		fmt.Fprintf(w, "\n   %s  (%s)\n", h.URL, h.Path)
		if h.Snippet != "" {
			s := markTag.ReplaceAllStringFunc(h.Snippet, func(t string) string {
				if t == "<mark>" {
					return "【"
				}
				return "】"
			})
			fmt.Fprintf(w, "   %s\n", unescape(s))
		}
	}
}

var htmlEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", "\"", "&#39;", "'", "&amp;", "&")

func unescape(s string) string { return htmlEntities.Replace(s) }
