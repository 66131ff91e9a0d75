package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"jingjian/indexer"
	"jingjian/internal/buildlock"
	"jingjian/render"
	"jingjian/server"
	"jingjian/site"
)

// Serve builds the site if needed, then serves it on addr until ctx ends (SIGINT/SIGTERM).
// With watch, every change to the site's inputs rebuilds it and reloads open pages.
// An output that is a symbolic link (DEST/current of jingjian deploy) is not built:
// serve follows what deploy switches it to.
func Serve(ctx context.Context, f Options, addr string, watch bool) error {
	f, err := f.withDefaults()
	if err != nil {
		return err
	}
	stdout, stderr := f.Stdout, f.Stderr
	// config.toml, as it is when serve starts: for the base URL and what to watch (the
	// build reads it again, and so does every opening of an index, after a change).
	cfg, _ := site.LoadConfig(filepath.Join(f.Site, "config.toml"), "config.toml")
	f.BaseURL = servedBaseURL(f.BaseURL, cfg, addr)
	// A link as the output is a release's current (jingjian deploy): builds come from
	// deploy, which switches the link; building here would put a folder in its place.
	info, err := os.Lstat(f.Dest)
	deployed := err == nil && info.Mode()&os.ModeSymlink != 0
	if deployed && watch {
		return fmt.Errorf("输出目录 %s 是符号链接（jingjian deploy 的 current），由 deploy 更新；请加 --watch=false，实时预览请用站点自己的输出目录", f.Dest)
	}
	var inc *Incremental
	if watch {
		inc = NewIncremental()
		// Live preview rebuilds whenever a file changes: it holds the build lock while it
		// runs, so a build from outside says at once that this one is at work.
		release, err := buildlock.Acquire(f.Site, f.Command+" --watch")
		if err != nil {
			return err
		}
		defer release()
	}
	var loaded *site.Site
	if !deployed {
		loaded, err = Build(ctx, f, inc)
	}
	if err == nil && inc != nil && inc.index != nil {
		err = inc.index(ctx) // the server starts with a current index
		inc.index = nil
	}
	if err != nil {
		return err
	}
	siteDir, dest := f.Site, f.Dest
	var building sync.Mutex // one build, or one priming of inc, at a time
	pages := &pageSource{}
	load := func() (*site.Site, error) {
		building.Lock()
		defer building.Unlock()
		opts := site.Options{Drafts: f.Drafts, BaseURL: f.BaseURL}
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
		ixDir := IndexPath(siteDir)
		srv.Follow(ctx, FollowEvery, []string{render.Marker(dest), indexer.StateFile(ixDir)}, func() string {
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
				if !site.Within(contentDirs[0], p) && !site.Within(contentDirs[len(contentDirs)-1], p) {
					inc.memo.Reset() // a layout, asset or the config may show on every page
					break
				}
			}
			s, err := Build(ctx, f, inc)
			if err != nil {
				Report(stderr, err)
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
						Report(stderr, err)
					}
					return
				}
				if ctx.Err() != nil {
					return
				}
				if err := openIndex(siteDir, srv); err != nil {
					Report(stderr, err)
				}
			}()
			return nil
		}
		if loaded != nil {
			cfg = loaded.Config
		}
		var roots []string
		for _, r := range site.Inputs(siteDir, cfg) {
			if r == contentDirs[0] {
				r = contentDirs[len(contentDirs)-1] // watched through a symlink's target
			}
			roots = append(roots, r)
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

// FollowEvery is how often production serve looks for a new build (tests shorten it).
var FollowEvery = time.Second

// openIndex opens the site's index (with its synonyms), swaps it into the server and
// starts decoding its documents in the background (indexer.Warm).
func openIndex(siteDir string, srv *server.Server) error {
	ix, err := OpenIndex(siteDir)
	if err != nil {
		return err
	}
	srv.SetIndex(ix, ix)
	ix.Warm()
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

// servedBaseURL is the base URL the site is built with under serve: the one given, else
// config.toml's (cfg; nil when it does not load) when it is a full address, else this
// server's own address with the path config.toml gives, so that feeds and the sitemap
// carry links a reader can follow. An address for every interface (0.0.0.0, :1313) names
// no host, and port 0 no port: they change nothing.
func servedBaseURL(given string, cfg *site.Config, addr string) string {
	if given != "" || cfg == nil || strings.Contains(cfg.BaseURL, "://") {
		return given
	}
	host, port, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || host == "" || ip != nil && ip.IsUnspecified() || port == "0" {
		return "" // (port 0 is chosen when listening, after the build)
	}
	return "http://" + addr + cfg.BaseURL
}

// Loopback reports whether addr listens on this machine only (live preview is for authors).
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
