package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"jingjian/pipeline"
)

func runNew(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f buildFlags
	fs.StringVar(&f.site, "s", ".", "站点目录（含 config.toml 与 content/）")
	fs.StringVar(&f.site, "source", ".", "同 -s")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法: jingjian new [-s 站点目录] 栏目 标题\n\n按栏目的模板新建一篇草稿：前言列出该栏目的全部字段（注释中写明可选值），日期为今天，draft = true。\n栏目写 content/ 下的目录名（cases、cases/专题）或栏目名（典型案例）；站点的 archetypes/栏目.md 可替换默认模板。\n\n例如: jingjian new cases 东湖区某局原科长张某某违规收受礼金案\n\n")
		fs.PrintDefaults()
	}
	words, code, ok := parseMixed(fs, args)
	if !ok {
		return code
	}
	if len(words) < 2 {
		fs.Usage()
		return exitUsage
	}
	rel, err := pipeline.New(f.options(stdout, stderr), words[0], strings.Join(words[1:], " "), time.Now())
	if err != nil {
		pipeline.Report(stderr, err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "已创建草稿 %s；写完后运行 jingjian check --drafts 检查（不加 --drafts 时草稿不检查），再删除其中的 draft = true 一行即可发布\n", rel)
	return exitOK
}
