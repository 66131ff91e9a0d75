package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"jingjian/indexer"
	"jingjian/internal/buildlock"
	"jingjian/internal/textpos"
	"jingjian/render"
	"jingjian/site"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes, as DESIGN.md promises.
const (
	exitOK      = 0
	exitFailure = 1 // content or runtime errors
	exitUsage   = 2
)

const usage = `jingjian — 廉政警示教育知识库生成器

用法:
  jingjian build   [-s 站点目录] [-d 输出目录] [--drafts] [--base-url 网址]
  jingjian serve   [-s 站点目录] [--addr 127.0.0.1:1313]
  jingjian search  [-s 站点目录] [--json] [--limit N] [--filter 字段=取值]... 查询词
  jingjian version

说明:
  build    把 content/ 中的 Markdown 构建为静态网站（默认输出到 站点目录/public）和搜索索引
  serve    构建后在本机提供网站与搜索（http://127.0.0.1:1313/）
  search   在已构建的索引中搜索
  version  显示版本

运行 jingjian 命令 -h 查看该命令的选项。
`

// run is the whole CLI, callable from tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr)
	case "search":
		return runSearch(ctx, args[1:], stdout, stderr)
	case "serve", "server":
		return runServe(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "未知命令 %q\n\n%s", args[0], usage)
	return exitUsage
}

func versionString() string {
	s := "jingjian " + version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range bi.Settings {
			if kv.Key == "vcs.revision" && len(kv.Value) >= 12 {
				s += " (" + kv.Value[:12] + ")"
			}
		}
	}
	return s + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// buildFlags are the flags of build (and, later, of serve).
type buildFlags struct {
	site    string
	dest    string
	drafts  bool
	baseURL string
	quiet   bool
	command string // "jingjian build" or "jingjian serve", naming the build lock's holder
}

// register adds the flags build and serve share: site, output folder, quiet.
func (f *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.site, "s", ".", "站点目录（含 config.toml 与 content/）")
	fs.StringVar(&f.site, "source", ".", "同 -s")
	fs.StringVar(&f.dest, "d", "", "输出目录（默认 站点目录/public）")
	fs.StringVar(&f.dest, "destination", "", "同 -d")
	fs.BoolVar(&f.quiet, "q", false, "不显示进度")
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := buildFlags{command: "jingjian build"}
	f.register(fs)
	fs.BoolVar(&f.drafts, "drafts", false, "包含草稿（draft: true）")
	fs.BoolVar(&f.drafts, "D", false, "同 --drafts")
	fs.StringVar(&f.baseURL, "base-url", "", "覆盖 config.toml 中的 baseURL，如 https://lzjy.example.gov.cn/")
	fs.StringVar(&f.baseURL, "b", "", "同 --base-url")
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法: jingjian build [-s 站点目录] [-d 输出目录] [--drafts] [--base-url 网址]\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, stderr, "build 不接受参数 %q；站点目录请用 -s 指定\n"); !ok {
		return code
	}
	if _, err := build(ctx, f, nil, stdout, stderr); err != nil {
		printErrors(stderr, err)
		return exitFailure
	}
	return exitOK
}

// build runs load → index → render for one site. It returns the loaded site, or nil
// when the output was already current and nothing was loaded.
// parseArgs parses the flags of a command that takes no arguments. It returns false, with
// the exit code, when the command ends here: -h, a bad flag, or an argument (reported with
// stray, a format for it).
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer, stray string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, stray, fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
}

// incremental is what serve --watch keeps between builds, so that an edit of a page's
// text converts and renders that page alone (see site.Cache and render.Memo).
type incremental struct {
	pages *site.Cache
	memo  *render.Memo
	// index, when set by a build, brings the search index up to date with the site that
	// build rendered: serve runs it after reloading the browsers, so live preview does
	// not wait for the segmentation of a long law.
	index func(context.Context) error
}

func newIncremental() *incremental {
	return &incremental{pages: site.NewCache(), memo: render.NewMemo()}
}

// build builds the site of f unless its output and index are current (a damaged index is
// not current); inc is nil for a one-off build, which takes the site's build lock for its
// whole run. With inc the caller (serve --watch) holds the lock.
func build(ctx context.Context, f buildFlags, inc *incremental, stdout, stderr io.Writer) (*site.Site, error) {
	start := time.Now()
	siteDir, err := filepath.Abs(f.site)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(siteDir, "config.toml")); err == nil && inc == nil {
		// (Without config.toml this is no site: loading says so, and nothing is written.)
		release, err := buildlock.Acquire(siteDir, f.command)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	dest := f.dest
	if dest == "" {
		dest = filepath.Join(siteDir, "public")
	}
	if dest, err = filepath.Abs(dest); err != nil {
		return nil, err
	}
	if err := checkDest(siteDir, dest); err != nil {
		return nil, err
	}
	opts := site.Options{Drafts: f.drafts, BaseURL: f.baseURL}
	indexDir := indexPath(siteDir)
	var fp, content string
	fpOpts := opts // opts changes below, maybe while the fingerprint is taken
	fingerprints := func() { fp, content, _ = site.Fingerprints(siteDir, fpOpts, programIdentity()) }
	var fingerprinted sync.WaitGroup
	if inc == nil || inc.memo.Empty() {
		fingerprints()
		if fp != "" && render.Current(dest, fp) && indexer.Current(indexDir, fp) {
			fmt.Fprintf(stdout, "输出已是最新，无需重建：%s（用时 %s）\n", dest, since(start))
			return nil, nil
		}
	} else {
		// Rebuilding after a change under serve --watch: something changed, and the
		// fingerprint is needed only to label the output. Take it while the site loads.
		fingerprinted.Go(fingerprints)
	}

	// A cold index needs gse's full dictionary: start loading it while the site loads.
	var preload *indexer.Preload
	if cfg, err := site.LoadConfig(filepath.Join(siteDir, "config.toml"), "config.toml"); err == nil {
		if words, err := indexer.SiteWords(siteDir, cfg.Search.Words); err == nil {
			preload = indexer.Prepare(indexDir, words)
		}
	}
	bar := newProgress(stderr, f.quiet)
	opts.Progress = bar.step("读取")
	var memo *render.Memo
	if inc != nil {
		opts.Cache, memo = inc.pages, inc.memo
	}
	s, err := site.Load(ctx, siteDir, opts)
	bar.done()
	fingerprinted.Wait()
	if s != nil {
		for _, w := range s.Warnings {
			fmt.Fprintln(stderr, w)
		}
	}
	if err != nil {
		return nil, err
	}
	words, err := indexer.SiteWords(siteDir, s.Config.Search.Words)
	if err != nil {
		return nil, err
	}
	if _, err := indexer.SiteSynonyms(siteDir, s.Config.Search.Synonyms); err != nil {
		return nil, err // checked here so a bad line fails the build, not the first search
	}
	index := func(ctx context.Context, progress func(done, total int)) (indexer.Stats, error) {
		st, err := indexer.Build(ctx, indexDir, indexer.Docs(s), indexer.Options{
			Words: words, Facets: indexer.Facets(s), Sections: indexer.SectionTitles(s), Input: fp, Content: content,
			Preload: preload, Progress: progress,
		})
		if err != nil {
			return st, fmt.Errorf("建立搜索索引失败: %w", err)
		}
		return st, nil
	}
	var istats indexer.Stats
	if inc == nil {
		// The index is brought up to date before the site is swapped in, so a published
		// page never lacks its search entry.
		istats, err = index(ctx, bar.step("索引"))
		bar.done()
		if err != nil {
			return nil, err
		}
	}
	res, err := render.Build(ctx, s, render.Options{Dest: dest, Fingerprint: fp, Memo: memo, Progress: bar.step("写入")})
	bar.done()
	if err != nil {
		return nil, err
	}
	if inc != nil {
		inc.index = func(ctx context.Context) error {
			st, err := index(ctx, nil)
			if err == nil {
				fmt.Fprintf(stdout, "索引已更新：%d 篇（本次分析 %d 篇%s），用时 %s\n", st.Docs, st.Analysed, coldNote(st), since(start))
			}
			return err
		}
		fmt.Fprintf(stdout, "已重建：%s，输出 %d 个文件（%d 个有变化，%d 个未变未重绘），%d 个警告，0 个错误，用时 %s；正在更新索引\n",
			s.Summary(), res.Files, res.Written, res.Reused, len(s.Warnings), since(start))
		return s, nil
	}
	fmt.Fprintf(stdout, "构建完成：%s，输出 %d 个文件（%.1f MB，%d 个有变化，删除 %d 个），索引 %d 篇（本次分析 %d 篇%s），%d 个警告，0 个错误，用时 %s → %s\n",
		s.Summary(), res.Files, float64(res.Bytes)/1e6, res.Written, res.Removed, istats.Docs, istats.Analysed, coldNote(istats), len(s.Warnings), since(start), dest)
	return s, nil
}

func contentFingerprint(siteDir string) (string, error) {
	return site.Fingerprint(siteDir, site.Options{}, "")
}

// indexPath is where a site's search index lives: beside the site, never in the output.
func indexPath(siteDir string) string { return filepath.Join(siteDir, ".jingjian", "index") }

func coldNote(s indexer.Stats) string {
	if s.Cold {
		return "，全量重建"
	}
	return ""
}

// checkDest refuses outputs that would overwrite or delete the sources: the site folder,
// content/ or anything inside it, or a folder that contains the site.
func checkDest(siteDir, dest string) error {
	content := filepath.Join(siteDir, "content")
	if dest == siteDir || dest == content || within(content, dest) || within(dest, siteDir) {
		return fmt.Errorf("输出目录 %s 会覆盖站点源文件；请用 -d 指定站点目录与 content/ 以外的目录", dest)
	}
	return nil
}

// within reports whether p lies inside dir.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// programIdentity changes whenever the program does, so a new binary rebuilds the site.
func programIdentity() string {
	id := versionString()
	if exe, err := os.Executable(); err == nil {
		if info, err := os.Stat(exe); err == nil {
			id += fmt.Sprintf("|%s|%d|%d", exe, info.Size(), info.ModTime().UnixNano())
		}
	}
	return id
}

func since(t time.Time) string {
	d := time.Since(t)
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

// printErrors prints each problem on its own line, then a count. A full disk is one
// line: nothing in the site is to be fixed.
func printErrors(w io.Writer, err error) {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "构建已中断；原有输出未改动。")
		return
	}
	if full, ok := errors.AsType[*render.DiskFullError](err); ok {
		fmt.Fprintln(w, full)
		return
	}
	if render.DiskFull(err) { // while indexing, say
		fmt.Fprintf(w, "磁盘空间不足：%v；请清理磁盘后重试。\n", err)
		return
	}
	var list textpos.List
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
		fmt.Fprintf(w, "构建失败：%d 个错误；请按上面的位置逐一修改后重试。\n", len(list.Errors()))
		return
	}
	fmt.Fprintln(w, "错误:", err)
}

// progress shows a bar on a terminal and nothing elsewhere (CI logs, pipes).
type progress struct {
	w       io.Writer
	enabled bool
	mu      sync.Mutex // workers report concurrently
	bar     *progressbar.ProgressBar
}

func newProgress(w io.Writer, quiet bool) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, enabled: !quiet && ok && term.IsTerminal(int(f.Fd()))}
}

// step returns a callback for one phase, or nil when progress is off.
func (p *progress) step(label string) func(done, total int) {
	if !p.enabled {
		return nil
	}
	return func(done, total int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.bar == nil {
			p.bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(label),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionShowCount(),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionSetPredictTime(false),
			)
		}
		_ = p.bar.Set(done)
	}
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
