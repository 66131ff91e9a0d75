package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"jingjian/release"
	"jingjian/site"
)

// Deploy builds the site of o into a new release folder under dest and switches
// dest/current to it (see package release): keep is how many releases stay (0: the
// default). A build that fails never reaches current; when nothing changed since the
// release current points at, no release is made. With rollback it builds nothing and
// switches current back to the release before it.
func Deploy(ctx context.Context, o Options, dest string, keep int, rollback bool) error {
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	if dest, err = filepath.Abs(dest); err != nil {
		return err
	}
	if rollback {
		r, err := release.Rollback(dest)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.Stdout, "已回退：%s/current → releases/%s（原为 %s）\n", dest, r.Release, r.Previous)
		return nil
	}
	// Nothing changed since the release current points at: no new release, so that a
	// deploy on a timer does not push the releases worth rolling back to out of --keep.
	fp, _, _ := site.Fingerprints(o.Site, site.Options{Drafts: o.Drafts, BaseURL: o.BaseURL}, o.Program)
	if cur := filepath.Join(dest, "current"); built(cur, IndexPath(o.Site), fp) {
		target, _ := os.Readlink(cur)
		fmt.Fprintf(o.Stdout, "输出已是最新，未发布新版本：%s/current → %s\n", dest, target)
		return nil
	}
	r, err := release.Deploy(ctx, dest, release.Options{Keep: keep, Build: func(ctx context.Context, dir string) error {
		b := o
		b.Dest, b.Command = dir, "jingjian deploy"
		_, err := Build(ctx, b, nil)
		return err
	}})
	if err != nil && !errors.Is(err, release.ErrPrune) {
		return err
	}
	fmt.Fprintf(o.Stdout, "已发布：%s/current → releases/%s", dest, r.Release)
	if r.Previous != "" {
		fmt.Fprintf(o.Stdout, "（上一版 %s，可用 jingjian deploy --rollback %s 回退）", r.Previous, dest)
	}
	fmt.Fprintln(o.Stdout)
	if err != nil {
		fmt.Fprintf(o.Stderr, "警告: %v\n", err) // published; only old releases stayed
	}
	return nil
}
