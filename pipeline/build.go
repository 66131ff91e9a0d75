// Package pipeline runs the commands of jingjian over a site: build (load → index →
// render), check, serve and deploy. The command layer parses flags and calls one function
// here per command.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"jingjian/indexer"
	"jingjian/internal/buildlock"
	"jingjian/render"
	"jingjian/site"
)

// Options are what build, serve and deploy share.
type Options struct {
	Site    string // the site folder (with config.toml and content/)
	Dest    string // the output folder; "" is SITE/public
	Drafts  bool   // include pages with draft = true
	BaseURL string // overrides config.toml's baseURL when set
	// Command names the build lock's holder in the message a second build prints
	// ("jingjian build").
	Command string
	// Program identifies the running program (version, binary): a new one rebuilds.
	Program  string
	Progress Progress  // nil shows none
	Stdout   io.Writer // the summary line; nil discards it
	Stderr   io.Writer // warnings; nil discards them
}

// A Progress shows how far a build is; Step returns the callback of one phase.
type Progress interface {
	Step(label string) func(done, total int)
	Done()
}

type noProgress struct{}

func (noProgress) Step(string) func(done, total int) { return nil }
func (noProgress) Done()                             {}

// withDefaults fills in what the caller left out and makes the folders absolute.
func (o Options) withDefaults() (Options, error) {
	var err error
	if o.Site, err = filepath.Abs(o.Site); err != nil {
		return o, err
	}
	if o.Dest == "" {
		o.Dest = filepath.Join(o.Site, "public")
	}
	if o.Dest, err = filepath.Abs(o.Dest); err != nil {
		return o, err
	}
	if o.Progress == nil {
		o.Progress = noProgress{}
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.Command == "" {
		o.Command = "jingjian build"
	}
	return o, nil
}

// Incremental is what serve --watch keeps between builds, so that an edit of a page's
// text converts and renders that page alone (see site.Cache and render.Memo).
type Incremental struct {
	pages *site.Cache
	memo  *render.Memo
	// index, when set by a build, brings the search index up to date with the site that
	// build rendered: serve runs it after reloading the browsers, so live preview does
	// not wait for the segmentation of a long law.
	index func(context.Context) error
}

// NewIncremental returns an empty Incremental: its first build renders everything.
func NewIncremental() *Incremental {
	return &Incremental{pages: site.NewCache(), memo: render.NewMemo()}
}

// Build builds the site of o unless its output and index are current (a damaged index is
// not current). It returns the loaded site, or nil when the output was already current and
// nothing was loaded. inc is nil for a one-off build, which takes the site's build lock
// for its whole run, and indexes before the output is swapped in; with inc the caller
// (serve --watch) holds the lock and runs the indexing later (see Incremental.index).
func Build(ctx context.Context, o Options, inc *Incremental) (*site.Site, error) {
	start := time.Now()
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	siteDir, dest := o.Site, o.Dest
	if _, err := os.Stat(filepath.Join(siteDir, "config.toml")); err == nil && inc == nil {
		// (Without config.toml this is no site: loading says so, and nothing is written.)
		release, err := buildlock.Acquire(siteDir, o.Command)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	if err := CheckDest(siteDir, dest); err != nil {
		return nil, err
	}
	opts := site.Options{Drafts: o.Drafts, BaseURL: o.BaseURL}
	indexDir := IndexPath(siteDir)
	var fp, content string
	fpOpts := opts // opts changes below, maybe while the fingerprint is taken
	fingerprints := func() { fp, content, _ = site.Fingerprints(siteDir, fpOpts, o.Program) }
	var fingerprinted sync.WaitGroup
	if inc == nil || inc.memo.Empty() {
		fingerprints()
		if built(dest, indexDir, fp) {
			fmt.Fprintf(o.Stdout, "输出已是最新，无需重建：%s（用时 %s）\n", dest, since(start))
			return nil, nil
		}
	} else {
		// Rebuilding after a change under serve --watch: something changed, and the
		// fingerprint is needed only to label the output. Take it while the site loads.
		fingerprinted.Go(fingerprints)
	}

	// config.toml is read once per build. A cold index needs gse's full dictionary: start
	// loading it while the site loads.
	cfg, cfgErr := site.LoadConfig(filepath.Join(siteDir, "config.toml"), "config.toml")
	var preload *indexer.Preload
	if cfgErr == nil {
		opts.Config = cfg
		if words, err := indexer.SiteWords(siteDir, cfg.Search.Words); err == nil {
			preload = indexer.Prepare(indexDir, words)
		}
	}
	bar := o.Progress
	opts.Progress = bar.Step("读取")
	var memo *render.Memo
	if inc != nil {
		opts.Cache, memo = inc.pages, inc.memo
	}
	var s *site.Site
	if err = cfgErr; err == nil {
		s, err = site.Load(ctx, siteDir, opts)
	}
	bar.Done()
	fingerprinted.Wait()
	if s != nil {
		if w := s.Config.RelativeBaseURLWarning(); w != nil {
			s.Warnings = append(s.Warnings, w)
		}
		for _, w := range s.Warnings {
			fmt.Fprintln(o.Stderr, w)
		}
	}
	if err != nil {
		return nil, err
	}
	words, err := indexer.SiteWords(siteDir, s.Config.Search.Words)
	if err != nil {
		return nil, err
	}
	syn, err := indexer.SiteSynonyms(siteDir, s.Config.Search.Synonyms)
	if err != nil {
		return nil, err // checked here so a bad line fails the build, not the first search
	}
	docs := indexer.Docs(s)
	// The static index (for hosting without serve) is made beside the server's, by a
	// one-off build: live preview searches through serve, and would pay for it per edit.
	var static map[string][]byte
	var staticErr error
	var staticDone sync.WaitGroup
	if s.Config.Search.Static && inc == nil {
		staticDone.Go(func() { static, staticErr = indexer.StaticFiles(docs, indexer.Facets(s), syn, s.Config.BaseURL) })
	}
	index := func(ctx context.Context, progress func(done, total int)) (indexer.Stats, error) {
		st, err := indexer.Build(ctx, indexDir, docs, indexer.Options{
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
		istats, err = index(ctx, bar.Step("索引"))
		bar.Done()
		if err != nil {
			return nil, err
		}
	}
	staticDone.Wait()
	if staticErr != nil {
		return nil, fmt.Errorf("建立静态搜索索引失败: %w", staticErr)
	}
	res, err := render.Build(ctx, s, render.Options{Dest: dest, Fingerprint: fp, Memo: memo, Progress: bar.Step("写入"), Extra: static})
	bar.Done()
	if err != nil {
		return nil, err
	}
	if inc != nil {
		inc.index = func(ctx context.Context) error {
			st, err := index(ctx, nil)
			if err == nil {
				fmt.Fprintf(o.Stdout, "索引已更新：%d 篇（本次分析 %d 篇%s），用时 %s\n", st.Docs, st.Analysed, coldNote(st), since(start))
			}
			return err
		}
		fmt.Fprintf(o.Stdout, "已重建：%s，输出 %d 个文件（%d 个有变化，%d 个未变未重绘），%d 个警告，0 个错误，用时 %s；正在更新索引\n",
			s.Summary(), res.Files, res.Written, res.Reused, len(s.Warnings), since(start))
		return s, nil
	}
	fmt.Fprintf(o.Stdout, "构建完成：%s，输出 %d 个文件（%.1f MB，%d 个有变化，删除 %d 个），索引 %d 篇（本次分析 %d 篇%s），%d 个警告，0 个错误，用时 %s → %s\n",
		s.Summary(), res.Files, float64(res.Bytes)/1e6, res.Written, res.Removed, istats.Docs, istats.Analysed, coldNote(istats), len(s.Warnings), since(start), dest)
	return s, nil
}

// built reports whether the output in dest and the index in indexDir are both of the build
// with fingerprint fp (and the index undamaged): a rebuild would write the same.
func built(dest, indexDir, fp string) bool {
	return fp != "" && render.Current(dest, fp) && indexer.Current(indexDir, fp)
}

// IndexPath is where a site's search index lives: beside the site, never in the output.
func IndexPath(siteDir string) string { return filepath.Join(siteDir, ".jingjian", "index") }

func coldNote(s indexer.Stats) string {
	if s.Cold {
		return "，全量重建"
	}
	return ""
}

// CheckDest refuses outputs that would overwrite or delete the sources: the site folder,
// content/ or anything inside it, or a folder that contains the site; and a symbolic link
// (a release's current), which the swap of the output would replace by a folder.
func CheckDest(siteDir, dest string) error {
	content := filepath.Join(siteDir, "content")
	if dest == siteDir || dest == content || site.Within(content, dest) || site.Within(dest, siteDir) {
		return fmt.Errorf("输出目录 %s 会覆盖站点源文件；请用 -d 指定站点目录与 content/ 以外的目录", dest)
	}
	if info, err := os.Lstat(dest); err == nil && info.Mode()&os.ModeSymlink != 0 {
		// The swap would put a folder where the link was: a release's current, say.
		return fmt.Errorf("输出目录 %s 是符号链接；构建不替换符号链接，发布到 jingjian deploy 的目录请用 jingjian deploy", dest)
	}
	return nil
}

func since(t time.Time) string {
	d := time.Since(t)
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}
