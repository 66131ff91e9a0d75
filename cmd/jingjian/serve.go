package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"jingjian/indexer"
	"jingjian/render"
	"jingjian/server"
	"jingjian/site"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f buildFlags
	var addr string
	fs.StringVar(&f.site, "s", ".", "站点目录（含 config.toml 与 content/）")
	fs.StringVar(&f.site, "source", ".", "同 -s")
	fs.StringVar(&f.dest, "d", "", "输出目录（默认 站点目录/public）")
	fs.StringVar(&addr, "addr", "127.0.0.1:1313", "监听地址")
	fs.BoolVar(&f.quiet, "q", false, "不显示进度")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法: jingjian serve [-s 站点目录] [--addr 127.0.0.1:1313]\n\n先构建（输出已是最新则跳过），再提供网站、GET /api/search 和 GET /search。\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve 不接受参数 %q\n", fs.Arg(0))
		return exitUsage
	}
	if err := serve(ctx, f, addr, stdout, stderr); err != nil {
		printErrors(stderr, err)
		return exitFailure
	}
	return exitOK
}

// serve builds the site if needed, then serves it until ctx ends (SIGINT/SIGTERM).
func serve(ctx context.Context, f buildFlags, addr string, stdout, stderr io.Writer) error {
	if err := build(ctx, f, stdout, stderr); err != nil {
		return err
	}
	siteDir, err := filepath.Abs(f.site)
	if err != nil {
		return err
	}
	dest := f.dest
	if dest == "" {
		dest = filepath.Join(siteDir, "public")
	}
	cfg, err := site.LoadConfig(filepath.Join(siteDir, "config.toml"), "config.toml")
	if err != nil {
		return err
	}
	syn, err := indexer.SiteSynonyms(siteDir, cfg.Search.Synonyms)
	if err != nil {
		return err
	}
	ix, err := indexer.Open(indexPath(siteDir), syn)
	if err != nil {
		return err
	}

	// The results page needs the site's navigation: load it in the background, so the
	// API answers at once.
	var (
		pagesOnce sync.Once
		pages     *render.Pages
		pagesErr  error
		ready     = make(chan struct{})
	)
	go func() {
		pagesOnce.Do(func() {
			defer close(ready)
			s, err := site.Load(ctx, siteDir, site.Options{})
			if err != nil {
				pagesErr = err
				return
			}
			pages, pagesErr = render.NewPages(s, nil)
		})
	}()
	waitPages := func() (*render.Pages, error) {
		select {
		case <-ready:
			return pages, pagesErr
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}

	srv := server.New(dest, waitPages, log.New(stderr, "", log.LstdFlags))
	srv.SetIndex(ix, ix)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w（端口被占用时可用 --addr 换一个）", addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second, // slowloris
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	fmt.Fprintf(stdout, "正在提供 %s → http://%s/ （按 Ctrl+C 停止）\n", dest, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdown)
	srv.SetIndex(nil, nil) // closes the index once the last query is done
	fmt.Fprintln(stdout, "已停止。")
	return err
}
