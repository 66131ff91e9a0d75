package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"jingjian/pipeline"
)

func runDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := buildFlags{command: "jingjian deploy"}
	var keep int
	var rollback bool
	fs.StringVar(&f.site, "s", ".", "站点目录（含 config.toml 与 content/）")
	fs.StringVar(&f.site, "source", ".", "同 -s")
	fs.StringVar(&f.baseURL, "base-url", "", "覆盖 config.toml 中的 baseURL")
	fs.BoolVar(&f.quiet, "q", false, "不显示进度")
	fs.IntVar(&keep, "keep", 0, "保留最近几个版本（默认 5）")
	fs.BoolVar(&rollback, "rollback", false, "不构建，把 current 切回上一个版本")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法: jingjian deploy [-s 站点目录] [--keep N] [--rollback] 目标目录\n\n把站点构建到 目标目录/releases/时间/，成功后把 目标目录/current 原子地切换过去；构建失败时 current 不变。\n\n")
		fs.PrintDefaults()
	}
	// The target may come before or after the flags.
	dests, code, ok := parseMixed(fs, args)
	if !ok {
		return code
	}
	if len(dests) != 1 {
		fmt.Fprintln(stderr, "deploy 需要且只需要一个目标目录，如 jingjian deploy -s /srv/jingjian /srv/www/jingjian")
		return exitUsage
	}
	if keep < 0 {
		fmt.Fprintln(stderr, "--keep 不能为负数")
		return exitUsage
	}
	if err := pipeline.Deploy(ctx, f.options(stdout, stderr), dests[0], keep, rollback); err != nil {
		pipeline.Report(stderr, err)
		return exitFailure
	}
	return exitOK
}
