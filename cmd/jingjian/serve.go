package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"jingjian/pipeline"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := buildFlags{command: "jingjian serve"}
	var addr string
	var watch optionalBool
	f.register(fs)
	fs.Var(&watch, "watch", "修改文件后自动重建并刷新浏览器（在本机地址上默认开启；--watch=false 关闭）")
	fs.StringVar(&addr, "addr", "127.0.0.1:1313", "监听地址")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法: jingjian serve [-s 站点目录] [--addr 127.0.0.1:1313] [--watch]\n\n先构建（输出已是最新则跳过），再提供网站、GET /api/search 和 GET /search。\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, stderr, "serve 不接受参数 %q\n"); !ok {
		return code
	}
	w := watch.set && watch.value || !watch.set && pipeline.Loopback(addr)
	if err := pipeline.Serve(ctx, f.options(stdout, stderr), addr, w); err != nil {
		pipeline.Report(stderr, err)
		return exitFailure
	}
	return exitOK
}

// optionalBool is a bool flag that knows whether it was given.
type optionalBool struct{ set, value bool }

func (b *optionalBool) String() string { return strconv.FormatBool(b.value) }

func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	b.set, b.value = true, v
	return err
}

func (b *optionalBool) IsBoolFlag() bool { return true }
