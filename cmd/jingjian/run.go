package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"jingjian/pipeline"
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
  jingjian new     [-s 站点目录] 栏目 标题
  jingjian check   [-s 站点目录] [--strict] [--format text|json]
  jingjian deploy  [-s 站点目录] [--keep N] [--rollback] 目标目录
  jingjian version

说明:
  build    把 content/ 中的 Markdown 构建为静态网站（默认输出到 站点目录/public）和搜索索引
  serve    构建后在本机提供网站与搜索（http://127.0.0.1:1313/）
  search   在已构建的索引中搜索
  new      按栏目模板新建一篇草稿（前言列出全部字段）
  check    检查站点内容（字段、链接、引用、案例中的个人信息），不写入任何文件
  deploy   构建到 目标目录/releases/ 下的新版本并切换 目标目录/current；--rollback 回退
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
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "deploy":
		return runDeploy(ctx, args[1:], stdout, stderr)
	case "new":
		return runNew(ctx, args[1:], stdout, stderr)
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

// options are the pipeline's options for these flags; the progress bar shows on stderr
// when it is a terminal.
func (f buildFlags) options(stdout, stderr io.Writer) pipeline.Options {
	return pipeline.Options{
		Site: f.site, Dest: f.dest, Drafts: f.drafts, BaseURL: f.baseURL, Command: f.command,
		Program: programIdentity(), Progress: newProgress(stderr, f.quiet), Stdout: stdout, Stderr: stderr,
	}
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
	if _, err := pipeline.Build(ctx, f.options(stdout, stderr), nil); err != nil {
		pipeline.Report(stderr, err)
		return exitFailure
	}
	return exitOK
}

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

// parseMixed parses a command whose arguments may come before, between or after its
// flags; it returns the arguments, or false with the exit code when the command ends here
// (-h, a bad flag).
func parseMixed(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var out []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		if fs.NArg() == 0 {
			return out, 0, true
		}
		out = append(out, fs.Arg(0))
		args = fs.Args()[1:]
	}
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

// Step returns a callback for one phase, or nil when progress is off.
func (p *progress) Step(label string) func(done, total int) {
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

func (p *progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
