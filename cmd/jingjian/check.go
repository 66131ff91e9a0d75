package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"jingjian/pipeline"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f buildFlags
	var strict bool
	var format string
	fs.StringVar(&f.site, "s", ".", "站点目录（含 config.toml 与 content/）")
	fs.StringVar(&f.site, "source", ".", "同 -s")
	fs.BoolVar(&f.drafts, "drafts", false, "同时检查草稿（draft: true）")
	fs.BoolVar(&f.drafts, "D", false, "同 --drafts")
	fs.BoolVar(&strict, "strict", false, "有警告也以退出码 1 结束")
	fs.StringVar(&format, "format", "text", "输出格式：text 或 json")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法: jingjian check [-s 站点目录] [--strict] [--format text|json]\n\n检查站点的全部内容（配置、前言、字段、链接、引用、案例中的个人信息），不写入任何文件。\n有错误时退出码为 1；只有警告时为 0，加 --strict 时为 1。\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, stderr, "check 不接受参数 %q；站点目录请用 -s 指定\n"); !ok {
		return code
	}
	if format != "text" && format != "json" {
		fmt.Fprintf(stderr, "--format 只能是 text 或 json（当前 %q）\n", format)
		return exitUsage
	}
	r, err := pipeline.Check(ctx, f.options(stdout, stderr))
	if err != nil {
		pipeline.Report(stderr, err)
		return exitFailure
	}
	write := r.WriteText
	if format == "json" {
		write = r.WriteJSON
	}
	if err := write(stdout); err != nil {
		return exitFailure
	}
	if r.Errors() > 0 || strict && r.Warnings() > 0 {
		return exitFailure
	}
	return exitOK
}
