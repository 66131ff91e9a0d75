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
	"strconv"
	"sync"
	"time"

	"jingjian/indexer"
	"jingjian/internal/buildlock"
	"jingjian/render"
	"jingjian/server"
	"jingjian/site"
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
	w := watch.set && watch.value || !watch.set && loopback(addr)
	if err := serve(ctx, f, addr, w, stdout, stderr); err != nil {
		printErrors(stderr, err)
		return exitFailure
	}
	return exitOK
}

// serve builds the site if needed, then serves it until ctx ends (SIGINT/SIGTERM). With
// watch, every change under the site rebuilds it and reloads open pages.
func serve(ctx context.Context, f buildFlags, addr string, watch bool, stdout, stderr io.Writer) error {
	var inc *incremental
	if watch {
		inc = newIncremental()
		// Live preview rebuilds whenever a file changes: it holds the build lock while it
		// runs, so a build from outside says at once that this one is at work.
		siteDir, err := filepath.Abs(f.site)
		if err != nil {
			return err
		}
		release, err := buildlock.Acquire(siteDir, f.command+" --watch")
		if err != nil {
			return err
		}
		defer release()
	}
	loaded, err := build(ctx, f, inc, stdout, stderr)
	if err == nil && inc != nil && inc.index != nil {
		err = inc.index(ctx) // the server starts with a current index
		inc.index = nil
	}
	if err != nil {
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
	var building sync.Mutex // one build, or one priming of inc, at a time
	pages := &pageSource{}
	load := func() (*site.Site, error) {
		building.Lock()
		defer building.Unlock()
		opts := site.Options{Drafts: f.drafts, BaseURL: f.baseURL}
		if inc != nil {
			opts.Cache = inc.pages
		}
		s, err := site.Load(ctx, siteDir, opts)
		if err == nil && inc != nil {
			// The output is current (build skipped it): remember what it holds, so the
			// first edit is incremental too. Failing that, the first edit renders all.
			_ = render.Prime(inc.memo, s, dest)
		}
		return s, err
	}
	pages.set(ctx, loaded, load)
	srv := server.New(dest, pages.get, log.New(stderr, "", log.LstdFlags))
	if err := openIndex(siteDir, srv); err != nil {
		return err
	}
	if !watch {
		// Builds come from outside (CI, cron, an admin): take each one in once both its
		// output and its index are complete and agree.
		ixDir := indexPath(siteDir)
		srv.Follow(ctx, followEvery, []string{render.Marker(dest), indexer.StateFile(ixDir)}, func() string {
			if out := render.Built(dest); out == indexer.Built(ixDir) {
				return out
			}
			return "" // the index is done and the output not yet, or a build failed between
		}, func() error {
			if err := openIndex(siteDir, srv); err != nil {
				return err
			}
			pages.refresh(load)
			return nil
		})
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w（端口被占用时可用 --addr 换一个）", addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second, // slowloris
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second, // the live-reload stream lifts it for itself
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	errc := make(chan error, 2)
	if watch {
		fmt.Fprintln(stdout, "实时预览：修改 content/、layouts/、static/、assets/、config.toml 后自动重建并刷新浏览器")
		contentDirs := []string{filepath.Join(siteDir, "content")}
		if real, err := filepath.EvalSymlinks(contentDirs[0]); err == nil {
			contentDirs = append(contentDirs, real)
		}
		generation := 0 // counts builds, under building
		rebuild := func(ctx context.Context, changed []string) error {
			building.Lock()
			defer building.Unlock()
			for _, p := range changed {
				if !within(contentDirs[0], p) && !within(contentDirs[len(contentDirs)-1], p) {
					inc.memo.Reset() // a layout, asset or the config may show on every page
					break
				}
			}
			s, err := build(ctx, f, inc, stdout, stderr)
			if err != nil {
				printErrors(stderr, err)
				return err
			}
			if s == nil {
				return nil // nothing to build after all
			}
			pages.set(ctx, s, nil)
			generation++
			gen, index := generation, inc.index
			inc.index = nil
			// The browsers reload as soon as this returns; the index follows, unless a
			// newer build has come by then (it will index its own site).
			go func() {
				building.Lock()
				defer building.Unlock()
				if gen != generation || ctx.Err() != nil {
					return // a newer build indexes its own site; or serve is stopping
				}
				if err := index(ctx); err != nil {
					if ctx.Err() == nil {
						printErrors(stderr, err)
					}
					return
				}
				if ctx.Err() != nil {
					return
				}
				if err := openIndex(siteDir, srv); err != nil {
					printErrors(stderr, err)
				}
			}()
			return nil
		}
		roots := []string{contentDirs[len(contentDirs)-1]} // watched through a symlink's target
		for _, r := range []string{"layouts", "static", "assets", "config.toml"} {
			roots = append(roots, filepath.Join(siteDir, r))
		}
		if cfg, err := site.LoadConfig(filepath.Join(siteDir, "config.toml"), "config.toml"); err == nil {
			for _, p := range append(cfg.Search.Words, cfg.Search.Synonyms...) {
				roots = append(roots, filepath.Join(siteDir, p))
			}
		}
		done, err := srv.Watch(ctx, roots, rebuild)
		if err != nil {
			ln.Close()
			return fmt.Errorf("无法监视文件变化: %w（可用 --watch=false 关闭实时预览）", err)
		}
		go func() { errc <- <-done }()
	}
	// Said once everything is in place: a page opened or a file saved from now on is live.
	fmt.Fprintf(stdout, "正在提供 %s → http://%s/ （按 Ctrl+C 停止）\n", dest, ln.Addr())
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdown)
	srv.SetIndex(nil, nil) // closes the index once the last query is done
	fmt.Fprintln(stdout, "已停止。")
	return err
}

// followEvery is how often production serve looks for a new build.
var followEvery = time.Second

// openIndex opens the site's index (with its synonyms) and swaps it into the server.
func openIndex(siteDir string, srv *server.Server) error {
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
	srv.SetIndex(ix, ix)
	return nil
}

// pageSource provides the results-page renderer, which needs the loaded site for its
// navigation: from the build when it loaded one, else loaded in the background so the
// API answers at once.
type pageSource struct {
	mu    sync.Mutex
	ready chan struct{}
	pages *render.Pages
	err   error
}

func (p *pageSource) set(ctx context.Context, loaded *site.Site, load func() (*site.Site, error)) {
	ready := make(chan struct{})
	p.mu.Lock()
	p.ready = ready
	p.mu.Unlock()
	finish := func(pages *render.Pages, err error) {
		p.mu.Lock()
		p.pages, p.err = pages, err
		p.mu.Unlock()
		close(ready)
	}
	if loaded != nil {
		finish(render.NewPages(loaded, nil))
		return
	}
	go func() {
		s, err := load()
		if err != nil {
			finish(nil, err)
			return
		}
		finish(render.NewPages(s, nil))
	}()
}

// refresh loads the site again in the background; until it is loaded the results page
// keeps the navigation it had.
func (p *pageSource) refresh(load func() (*site.Site, error)) {
	go func() {
		s, err := load()
		if err != nil {
			return // keep what there is; the build that made the output succeeded
		}
		pages, err := render.NewPages(s, nil)
		if err != nil {
			return
		}
		p.mu.Lock()
		p.pages, p.err = pages, nil
		p.mu.Unlock()
	}()
}

func (p *pageSource) get() (*render.Pages, error) {
	p.mu.Lock()
	ready := p.ready
	p.mu.Unlock()
	<-ready
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pages, p.err
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

// loopback reports whether addr listens on this machine only (live preview is for authors).
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
