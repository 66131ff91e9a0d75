package release

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const (
	releasesDir = "releases" // in DEST: one folder per release
	currentName = "current"  // in DEST: the symlink to the release being served

	// hiddenSuffix marks a folder in releases/ that is not a complete release: a build
	// still running or killed (".NAME.partial"), or a pruned release being deleted.
	hiddenSuffix = ".partial"

	// linkTempPrefix names the new symlink in DEST before it is renamed over current.
	linkTempPrefix = ".current.tmp-"
)

// DefaultKeep is the number of releases a deploy keeps when Options.Keep is 0.
const DefaultKeep = 5

// ErrNoEarlier means Rollback found no release older than the current one.
var ErrNoEarlier = errors.New("没有更早的版本可以回退")

// ErrPrune marks an error that happened after the new release went live, while deleting
// old ones: the deploy itself succeeded, and the Result returned with it is valid.
var ErrPrune = errors.New("清理旧版本失败")

// Options say how Deploy builds and what it keeps.
type Options struct {
	// Keep is how many of the newest releases survive pruning; the current one always
	// does. 0 means DefaultKeep; less than 0 is an error.
	Keep int

	// Now names the release; nil means time.Now. Tests set it.
	Now func() time.Time

	// Build writes a complete build into dir, which exists, is empty and is on the same
	// file system as DEST. It may create siblings of dir (temporary folders, lock files):
	// they are deleted with the staging folder. It should stop when ctx ends. Deploy
	// flushes folder entries, not file contents.
	Build func(ctx context.Context, dir string) error
}

// Result says what a deploy or rollback did.
type Result struct {
	Release  string   // the release current points at now
	Path     string   // its folder, DEST/releases/Release
	Previous string   // the release current pointed at before, or "" if none
	Removed  []string // releases pruned, oldest first; Rollback removes none
}

// Info describes one release.
type Info struct {
	Name    string    // the folder name in DEST/releases
	Time    time.Time // when it was deployed, in local time, to the second, from the name
	Current bool      // current points at it
}

// Deploy builds a new release of the site into DEST/releases, switches DEST/current to
// it and prunes old releases. If the build fails or ctx ends first, nothing is published:
// the staging folder is deleted, current is untouched and the error is returned. An error
// wrapping ErrPrune comes with a valid Result: the release is live, only pruning failed.
func Deploy(ctx context.Context, dest string, opt Options) (Result, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return Result{}, err
	}
	dest = filepath.Clean(dest)
	rels := filepath.Join(dest, releasesDir)
	if err := os.MkdirAll(rels, 0o755); err != nil {
		return Result{}, fmt.Errorf("无法创建发布目录 %s: %w", rels, err)
	}
	unlock, err := lock(dest)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	removeStaleLinks(dest)

	// Refuse a current we must not replace before spending minutes on a build.
	prev, err := readCurrent(dest)
	if err != nil {
		return Result{}, err
	}
	c, err := scan(rels)
	if err != nil {
		return Result{}, err
	}
	n := nextName(opt.Now(), c.newest, c.any)
	if err := build(ctx, rels, n, opt.Build); err != nil {
		return Result{}, fmt.Errorf("版本 %s 未发布，%s 未改动: %w", n, filepath.Join(dest, currentName), err)
	}
	if err := switchCurrent(dest, n); err != nil {
		// Not live, so not a release: a newer name than current would confuse Rollback.
		_ = hideAndRemove(rels, n)
		return Result{}, err
	}
	res := Result{Release: n.String(), Path: filepath.Join(rels, n.String()), Previous: prev.rel.String()}
	res.Removed, err = prune(rels, opt.Keep, n)
	if err != nil {
		return res, fmt.Errorf("已发布版本 %s，但%w: %w", n, ErrPrune, err)
	}
	return res, nil
}

// Rollback switches DEST/current to the release before the current one in name order,
// which is deploy order. Calling it again goes one further back.
func Rollback(dest string) (Result, error) {
	dest = filepath.Clean(dest)
	rels := filepath.Join(dest, releasesDir)
	if err := checkDeployed(dest); err != nil {
		return Result{}, err
	}
	unlock, err := lock(dest)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	removeStaleLinks(dest)

	cur, err := readCurrent(dest)
	if err != nil {
		return Result{}, err
	}
	p := filepath.Join(dest, currentName)
	if !cur.exists {
		return Result{}, fmt.Errorf("%s 不存在，没有当前版本可以回退；请先运行 jingjian deploy", p)
	}
	if !cur.ok {
		return Result{}, fmt.Errorf("%s 指向 %s，不是 %s 中的版本，无法确定回退到哪里；请手工修正这个链接", p, cur.target, rels)
	}
	c, err := scan(rels)
	if err != nil {
		return Result{}, err
	}
	i, _ := slices.BinarySearchFunc(c.releases, cur.rel, name.compare)
	if i == 0 {
		return Result{}, fmt.Errorf("%w：当前版本 %s 已是 %s 中最早的", ErrNoEarlier, cur.rel, rels)
	}
	to := c.releases[i-1]
	if err := switchCurrent(dest, to); err != nil {
		return Result{}, err
	}
	return Result{Release: to.String(), Path: filepath.Join(rels, to.String()), Previous: cur.rel.String()}, nil
}

// List returns DEST's releases, oldest first. It takes no lock: a deploy running beside
// it may add or prune one.
func List(dest string) ([]Info, error) {
	dest = filepath.Clean(dest)
	if err := checkDeployed(dest); err != nil {
		return nil, err
	}
	cur, err := readCurrent(dest)
	if err != nil {
		return nil, err
	}
	c, err := scan(filepath.Join(dest, releasesDir))
	if err != nil {
		return nil, err
	}
	infos := make([]Info, 0, len(c.releases))
	for _, r := range c.releases {
		infos = append(infos, Info{Name: r.String(), Time: r.time(), Current: cur.ok && r == cur.rel})
	}
	return infos, nil
}

// withDefaults fills in unset options and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Build == nil {
		return o, errors.New("release.Options.Build 为空：调用方须提供构建函数")
	}
	switch {
	case o.Keep == 0:
		o.Keep = DefaultKeep
	case o.Keep < 0:
		return o, fmt.Errorf("--keep 至少为 1（得到 %d）；请给一个正数，或省略它以保留 %d 个版本", o.Keep, DefaultKeep)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}

// checkDeployed reports, for commands that need an earlier deploy, that there is none.
func checkDeployed(dest string) error {
	rels := filepath.Join(dest, releasesDir)
	info, err := os.Stat(rels)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s 不存在：%s 还没有部署过；请先运行 jingjian deploy %s", rels, dest, dest)
	}
	if err != nil {
		return fmt.Errorf("无法读取发布目录 %s: %w", rels, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s 不是目录；请确认部署目标 %s 是否正确", rels, dest)
	}
	return nil
}

// build stages release n in DEST/releases/.n.partial/n, runs fn there and moves the
// result to DEST/releases/n only if fn succeeded and ctx has not ended. Whatever happens,
// the staging folder is deleted.
func build(ctx context.Context, rels string, n name, fn func(context.Context, string) error) error {
	stage := filepath.Join(rels, hiddenName(n))
	dir := filepath.Join(stage, n.String())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("无法创建构建目录 %s: %w", dir, err)
	}
	err := ctx.Err()
	if err == nil {
		err = fn(ctx, dir)
	}
	if err == nil {
		// A build that ignored the cancellation is still not published: the user asked to stop.
		err = ctx.Err()
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err == nil {
		if err = os.Rename(dir, filepath.Join(rels, n.String())); err == nil {
			err = syncDir(rels)
		}
	}
	if rerr := os.RemoveAll(stage); rerr != nil && err != nil {
		err = errors.Join(err, fmt.Errorf("无法删除未完成的构建 %s，请手工删除: %w", stage, rerr))
	}
	// After a successful rename the stage holds only fn's leftovers; a later deploy
	// deletes it if RemoveAll could not.
	return err
}

// switchCurrent points DEST/current at release n. A new symlink is made under a
// temporary name and renamed over current: rename replaces the old link atomically, so
// every reader resolves one complete release or the other.
func switchCurrent(dest string, n name) error {
	tmp := filepath.Join(dest, linkTempPrefix+strings.ToLower(rand.Text()[:12]))
	// Relative, so DEST can be moved or mounted elsewhere.
	target := filepath.Join(releasesDir, n.String())
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("无法创建指向 %s 的符号链接 %s: %w", target, tmp, err)
	}
	cur := filepath.Join(dest, currentName)
	if err := os.Rename(tmp, cur); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("无法把 %s 切换到 %s: %w", cur, target, err)
	}
	// The switch is already visible to every reader. A failed flush only risks finding
	// the previous link after a power cut, and that too points at a complete release.
	_ = syncDir(dest)
	return nil
}

// A link is what DEST/current is now.
type link struct {
	exists bool   // current exists (as a symlink: anything else is an error)
	target string // its target, as written
	rel    name   // the release it points at
	ok     bool   // it points at a release in DEST/releases
}

// readCurrent reads DEST/current, refusing anything but a symlink: a real folder or file
// there is someone's own setup, and replacing it would delete it.
func readCurrent(dest string) (link, error) {
	p := filepath.Join(dest, currentName)
	info, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return link{}, nil
	}
	if err != nil {
		return link{}, fmt.Errorf("无法读取 %s: %w", p, err)
	}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
	case info.IsDir():
		return link{}, fmt.Errorf("%s 是一个真实目录而不是符号链接（也许是以前手工部署的），为免误删其中文件，不会替换它；请把它移走（例如 mv %s %s.old）后再部署", p, p, p)
	default:
		return link{}, fmt.Errorf("%s 是一个普通文件而不是符号链接，为免误删，不会替换它；请把它移走后再部署", p)
	}
	target, err := os.Readlink(p)
	if err != nil {
		return link{}, fmt.Errorf("无法读取符号链接 %s: %w", p, err)
	}
	l := link{exists: true, target: target}
	t := target
	if filepath.IsAbs(t) {
		// An absolute link into DEST/releases (made by hand) still names a release.
		abs, err := filepath.Abs(dest)
		if err != nil {
			return l, nil
		}
		if t, err = filepath.Rel(abs, t); err != nil {
			return l, nil
		}
	}
	t = filepath.Clean(t)
	if filepath.Dir(t) == releasesDir {
		l.rel, l.ok = parseName(filepath.Base(t))
	}
	return l, nil
}

// contents are the entries of DEST/releases that matter.
type contents struct {
	releases []name // complete releases (folders), oldest first
	hidden   []name // staging folders of running or killed builds, pruned releases being deleted
	newest   name   // the newest name in use by any entry, to name the next release after
	any      bool   // some entry uses a release name
}

// scan reads DEST/releases. Entries that are not release names are left alone.
func scan(rels string) (contents, error) {
	entries, err := os.ReadDir(rels)
	if err != nil {
		return contents{}, fmt.Errorf("无法读取发布目录 %s: %w", rels, err)
	}
	var c contents
	for _, e := range entries {
		s := e.Name()
		if inner, ok := strings.CutPrefix(s, "."); ok {
			if inner, ok = strings.CutSuffix(inner, hiddenSuffix); ok {
				if n, ok := parseName(inner); ok && e.IsDir() {
					c.hidden = append(c.hidden, n)
					c.note(n)
				}
			}
			continue
		}
		n, ok := parseName(s)
		if !ok {
			continue
		}
		c.note(n)
		if e.IsDir() {
			c.releases = append(c.releases, n)
		}
	}
	slices.SortFunc(c.releases, name.compare)
	return c, nil
}

// note records that n is taken.
func (c *contents) note(n name) {
	if !c.any || n.compare(c.newest) > 0 {
		c.newest, c.any = n, true
	}
}

// hiddenName is the folder name of release n while it is not a complete release.
func hiddenName(n name) string { return "." + n.String() + hiddenSuffix }

// prune deletes all but the keep newest releases, never current, and the hidden folders
// of killed deploys, all older than current (the release just made). It reports the
// releases deleted.
func prune(rels string, keep int, current name) ([]string, error) {
	c, err := scan(rels)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	if excess := len(c.releases) - keep; excess > 0 {
		for _, r := range c.releases[:excess] {
			if r == current {
				continue
			}
			if err := hideAndRemove(rels, r); err != nil {
				errs = append(errs, err)
				continue
			}
			removed = append(removed, r.String())
		}
	}
	// Under the lock no other deploy is running, so these were left by killed ones.
	for _, h := range c.hidden {
		if h.compare(current) >= 0 {
			continue
		}
		p := filepath.Join(rels, hiddenName(h))
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, fmt.Errorf("无法删除残留的构建目录 %s: %w", p, err))
		}
	}
	return removed, errors.Join(errs...)
}

// hideAndRemove deletes release n, first renaming it to its hidden name: deleting a large
// folder takes a while, and one half-deleted under a release name would be listed and
// could be rolled back to.
func hideAndRemove(rels string, n name) error {
	p := filepath.Join(rels, n.String())
	h := filepath.Join(rels, hiddenName(n))
	if err := os.Rename(p, h); err != nil {
		return fmt.Errorf("无法删除旧版本 %s: %w", p, err)
	}
	if err := os.RemoveAll(h); err != nil {
		return fmt.Errorf("无法删除旧版本 %s（已改名为 %s，可手工删除）: %w", p, h, err)
	}
	return nil
}

// removeStaleLinks deletes temporary symlinks that a killed deploy left in DEST.
func removeStaleLinks(dest string) {
	matches, _ := filepath.Glob(filepath.Join(dest, linkTempPrefix+"*"))
	for _, m := range matches {
		if info, err := os.Lstat(m); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			_ = os.Remove(m)
		}
	}
}
