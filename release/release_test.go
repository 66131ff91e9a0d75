//go:build unix

package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var errBoom = errors.New("模板出错")

// t0 is the first deploy's time in every test.
var t0 = time.Date(2026, 12, 1, 15, 30, 12, 0, time.Local)

// clock returns a Now that starts at start and moves on by step at each call.
func clock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	next := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := next
		next = next.Add(step)
		return t
	}
}

// site is a Build that writes an index.html saying text and a page in a subfolder.
func site(text string) func(context.Context, string) error {
	return func(_ context.Context, dir string) error {
		if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(text), 0o644); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, "posts"), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "posts", "a.html"), []byte(text), 0o644)
	}
}

// deploy deploys a site saying text, failing the test on error.
func deploy(t *testing.T, dest, text string, opt Options) Result {
	t.Helper()
	opt.Build = site(text)
	res, err := Deploy(t.Context(), dest, opt)
	if err != nil {
		t.Fatalf("deploy %q: %v", text, err)
	}
	return res
}

// served is what a web server rooted at DEST/current would send for /.
func served(t *testing.T, dest string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, currentName, "index.html"))
	if err != nil {
		t.Fatalf("read current: %v", err)
	}
	return string(b)
}

func target(t *testing.T, dest string) string {
	t.Helper()
	s, err := os.Readlink(filepath.Join(dest, currentName))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// entries lists DEST/releases, hidden entries included.
func entries(t *testing.T, dest string) []string {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(dest, releasesDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func listNames(t *testing.T, dest string) []string {
	t.Helper()
	infos, err := List(dest)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
	}
	return names
}

func TestDeployThree(t *testing.T) {
	dest := t.TempDir()
	opt := Options{Keep: 2, Now: clock(t0, time.Minute)}
	r1 := deploy(t, dest, "v1", opt)
	r2 := deploy(t, dest, "v2", opt)
	r3 := deploy(t, dest, "v3", opt)

	want := []Result{
		{Release: "20261201-153012", Path: filepath.Join(dest, "releases", "20261201-153012")},
		{Release: "20261201-153112", Path: filepath.Join(dest, "releases", "20261201-153112"), Previous: "20261201-153012"},
		{Release: "20261201-153212", Path: filepath.Join(dest, "releases", "20261201-153212"), Previous: "20261201-153112", Removed: []string{"20261201-153012"}},
	}
	for i, got := range []Result{r1, r2, r3} {
		if !resultEqual(got, want[i]) {
			t.Errorf("deploy %d: got %+v, want %+v", i+1, got, want[i])
		}
	}
	if got := served(t, dest); got != "v3" {
		t.Errorf("current serves %q, want v3", got)
	}
	infos, err := List(dest)
	if err != nil {
		t.Fatal(err)
	}
	wantInfos := []Info{
		{Name: "20261201-153112", Time: t0.Add(time.Minute)},
		{Name: "20261201-153212", Time: t0.Add(2 * time.Minute), Current: true},
	}
	if !slices.EqualFunc(infos, wantInfos, func(a, b Info) bool {
		return a.Name == b.Name && a.Time.Equal(b.Time) && a.Current == b.Current
	}) {
		t.Errorf("List = %+v, want %+v", infos, wantInfos)
	}
	if got, want := entries(t, dest), []string{"20261201-153112", "20261201-153212"}; !slices.Equal(got, want) {
		t.Errorf("releases/ holds %q, want %q", got, want)
	}
}

func resultEqual(a, b Result) bool {
	return a.Release == b.Release && a.Path == b.Path && a.Previous == b.Previous && slices.Equal(a.Removed, b.Removed)
}

func TestKeep(t *testing.T) {
	tests := []struct {
		keep, deploys, kept int
	}{
		{keep: 0, deploys: 7, kept: DefaultKeep},
		{keep: 1, deploys: 3, kept: 1},
		{keep: 3, deploys: 3, kept: 3},
		{keep: 3, deploys: 6, kept: 3},
	}
	for _, tt := range tests {
		dest := t.TempDir()
		opt := Options{Keep: tt.keep, Now: clock(t0, time.Second)}
		var last Result
		for i := range tt.deploys {
			last = deploy(t, dest, "v"+string(rune('1'+i)), opt)
		}
		names := listNames(t, dest)
		if len(names) != tt.kept || names[len(names)-1] != last.Release {
			t.Errorf("keep %d after %d deploys: releases %q, want the %d newest ending in %s", tt.keep, tt.deploys, names, tt.kept, last.Release)
		}
	}
}

func TestOptionsRefused(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"negative keep", Options{Keep: -1, Build: site("x")}, "--keep 至少为 1"},
		{"no build", Options{}, "Build 为空"},
	}
	for _, tt := range tests {
		dest := filepath.Join(t.TempDir(), "www")
		_, err := Deploy(t.Context(), dest, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want one saying %q", tt.name, err, tt.want)
		}
		if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: DEST was created", tt.name)
		}
	}
}

func TestFailedDeployKeepsCurrent(t *testing.T) {
	tests := []struct {
		name      string
		build     func(ctx context.Context, cancel context.CancelFunc, dir string) error
		want      error
		noBuild   bool // Build must not even run
		preCancel bool // ctx ended before Deploy
	}{
		{
			name:  "fails at once",
			build: func(context.Context, context.CancelFunc, string) error { return errBoom },
			want:  errBoom,
		},
		{
			name: "writes half then fails",
			build: func(ctx context.Context, _ context.CancelFunc, dir string) error {
				if err := site("half")(ctx, dir); err != nil {
					return err
				}
				return errBoom
			},
			want: errBoom,
		},
		{
			name: "cancelled while building",
			build: func(ctx context.Context, cancel context.CancelFunc, dir string) error {
				_ = os.WriteFile(filepath.Join(dir, "index.html"), []byte("half"), 0o644)
				cancel() // as Ctrl-C would
				<-ctx.Done()
				return ctx.Err()
			},
			want: context.Canceled,
		},
		{
			name: "ignores cancellation",
			build: func(ctx context.Context, cancel context.CancelFunc, dir string) error {
				cancel()
				return site("v2")(ctx, dir)
			},
			want: context.Canceled,
		},
		{
			name:      "cancelled before start",
			build:     func(context.Context, context.CancelFunc, string) error { return nil },
			want:      context.Canceled,
			noBuild:   true,
			preCancel: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := t.TempDir()
			now := clock(t0, time.Minute)
			first := deploy(t, dest, "v1", Options{Now: now})

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.preCancel {
				cancel()
			}
			ran := false
			_, err := Deploy(ctx, dest, Options{Now: now, Build: func(ctx context.Context, dir string) error {
				ran = true
				return tt.build(ctx, cancel, dir)
			}})
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "未改动") {
				t.Errorf("err %v, want %v saying current is unchanged", err, tt.want)
			}
			if ran && tt.noBuild {
				t.Error("Build ran after ctx ended")
			}
			if got := served(t, dest); got != "v1" {
				t.Errorf("current serves %q, want v1", got)
			}
			if got, want := target(t, dest), filepath.Join("releases", first.Release); got != want {
				t.Errorf("current -> %s, want %s", got, want)
			}
			if got, want := entries(t, dest), []string{first.Release}; !slices.Equal(got, want) {
				t.Errorf("releases/ holds %q, want only %q (no partial folder)", got, want)
			}
		})
	}
}

func TestRollback(t *testing.T) {
	dest := t.TempDir()
	opt := Options{Now: clock(t0, time.Minute)}
	r1 := deploy(t, dest, "v1", opt)
	r2 := deploy(t, dest, "v2", opt)
	r3 := deploy(t, dest, "v3", opt)

	steps := []struct {
		want   Result
		served string
	}{
		{Result{Release: r2.Release, Path: r2.Path, Previous: r3.Release}, "v2"},
		{Result{Release: r1.Release, Path: r1.Path, Previous: r2.Release}, "v1"},
	}
	for i, s := range steps {
		got, err := Rollback(dest)
		if err != nil {
			t.Fatalf("rollback %d: %v", i+1, err)
		}
		if !resultEqual(got, s.want) {
			t.Errorf("rollback %d: got %+v, want %+v", i+1, got, s.want)
		}
		if got := served(t, dest); got != s.served {
			t.Errorf("rollback %d: current serves %q, want %q", i+1, got, s.served)
		}
	}
	_, err := Rollback(dest)
	if !errors.Is(err, ErrNoEarlier) || !strings.Contains(err.Error(), "没有更早的版本可以回退") {
		t.Errorf("rollback past the first: %v, want ErrNoEarlier", err)
	}
	if got := served(t, dest); got != "v1" {
		t.Errorf("after the refused rollback current serves %q, want v1", got)
	}
	// Rolling back deletes nothing, and the next deploy goes after every release.
	if got := listNames(t, dest); !slices.Equal(got, []string{r1.Release, r2.Release, r3.Release}) {
		t.Errorf("releases after rollbacks: %q", got)
	}
	r4 := deploy(t, dest, "v4", opt)
	if r4.Previous != r1.Release || served(t, dest) != "v4" {
		t.Errorf("deploy after rollback: %+v", r4)
	}
}

func TestRollbackRefused(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dest string)
		want  string
	}{
		{"never deployed", func(*testing.T, string) {}, "还没有部署过"},
		{"no current", func(t *testing.T, dest string) {
			mkdir(t, filepath.Join(dest, "releases", "20261201-153012"))
		}, "没有当前版本"},
		{"current outside releases", func(t *testing.T, dest string) {
			mkdir(t, filepath.Join(dest, "releases", "20261201-153012"))
			mkdir(t, filepath.Join(dest, "elsewhere"))
			symlink(t, "elsewhere", filepath.Join(dest, "current"))
		}, "无法确定回退到哪里"},
		{"only one release", func(t *testing.T, dest string) {
			mkdir(t, filepath.Join(dest, "releases", "20261201-153012"))
			symlink(t, "releases/20261201-153012", filepath.Join(dest, "current"))
		}, "没有更早的版本可以回退"},
	}
	for _, tt := range tests {
		dest := t.TempDir()
		tt.setup(t, dest)
		if _, err := Rollback(dest); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, p string) {
	t.Helper()
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// TestRealCurrentRefused: an admin's own folder (or file) at current is never replaced.
func TestRealCurrentRefused(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, cur string)
		check string // a file that must survive, relative to DEST
		want  string
	}{
		{"folder", func(t *testing.T, cur string) {
			mkdir(t, cur)
			if err := os.WriteFile(filepath.Join(cur, "index.html"), []byte("手工"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "current/index.html", "是一个真实目录"},
		{"file", func(t *testing.T, cur string) {
			if err := os.WriteFile(cur, []byte("手工"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "current", "是一个普通文件"},
	}
	for _, tt := range tests {
		dest := t.TempDir()
		tt.setup(t, filepath.Join(dest, "current"))
		ran := false
		_, err := Deploy(t.Context(), dest, Options{Build: func(context.Context, string) error { ran = true; return nil }})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "移走") {
			t.Errorf("%s: deploy %v, want a refusal saying %q and what to do", tt.name, err, tt.want)
		}
		if ran {
			t.Errorf("%s: Build ran", tt.name)
		}
		if _, err := Rollback(dest); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: rollback %v, want a refusal", tt.name, err)
		}
		if b, err := os.ReadFile(filepath.Join(dest, tt.check)); err != nil || string(b) != "手工" {
			t.Errorf("%s: %s now %q, %v; want it untouched", tt.name, tt.check, b, err)
		}
		if got := entries(t, dest); len(got) != 0 {
			t.Errorf("%s: releases/ holds %q", tt.name, got)
		}
	}
}

// TestDeployIsAtomic: while a build runs, current serves the old complete release, and a
// second deploy or a rollback is refused rather than interleaved.
func TestDeployIsAtomic(t *testing.T) {
	dest := t.TempDir()
	opt := Options{Now: clock(t0, time.Minute)}
	first := deploy(t, dest, "v1", opt)

	started, proceed := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		o := opt
		o.Build = func(ctx context.Context, dir string) error {
			if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("v2 half"), 0o644); err != nil {
				return err
			}
			close(started)
			<-proceed
			return site("v2")(ctx, dir)
		}
		_, err := Deploy(t.Context(), dest, o)
		done <- err
	}()
	<-started

	if got := served(t, dest); got != "v1" {
		t.Errorf("during the build current serves %q, want v1", got)
	}
	if got, want := target(t, dest), filepath.Join("releases", first.Release); got != want {
		t.Errorf("during the build current -> %s, want %s", got, want)
	}
	if got := listNames(t, dest); !slices.Equal(got, []string{first.Release}) {
		t.Errorf("during the build List = %q, want only the first release", got)
	}
	o := opt
	o.Build = site("v3")
	if _, err := Deploy(t.Context(), dest, o); !errors.Is(err, ErrLocked) {
		t.Errorf("second deploy during the first: %v, want ErrLocked", err)
	}
	if _, err := Rollback(dest); !errors.Is(err, ErrLocked) {
		t.Errorf("rollback during a deploy: %v, want ErrLocked", err)
	}

	close(proceed)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := served(t, dest); got != "v2" {
		t.Errorf("after the deploy current serves %q, want v2", got)
	}
}

// TestReadersSeeNoGap: a reader looping over current while deploys switch it always
// finds one complete release.
func TestReadersSeeNoGap(t *testing.T) {
	dest := t.TempDir()
	opt := Options{Keep: 100, Now: clock(t0, time.Second)}
	deploy(t, dest, "v", opt)

	stop := make(chan struct{})
	bad := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := os.ReadFile(filepath.Join(dest, "current", "posts", "a.html"))
			if err != nil || string(b) != "v" {
				select {
				case bad <- string(b) + " " + errString(err):
				default:
				}
				return
			}
		}
	})
	for range 30 {
		deploy(t, dest, "v", opt)
	}
	close(stop)
	wg.Wait()
	select {
	case s := <-bad:
		t.Errorf("a reader saw %s", s)
	default:
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestNameCollision(t *testing.T) {
	dest := t.TempDir()
	opt := Options{Keep: 20, Now: func() time.Time { return t0 }}
	var want []string
	for i := range 11 {
		r := deploy(t, dest, "v", opt)
		want = append(want, r.Release)
		if i == 0 && r.Release != "20261201-153012" || i > 0 && r.Release != "20261201-153012-"+strconv.Itoa(i+1) {
			t.Errorf("deploy %d named %s", i+1, r.Release)
		}
	}
	// "-10" and "-11" order after "-9", not after the bare name as strings would.
	if got := listNames(t, dest); !slices.Equal(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
	r, err := Rollback(dest)
	if err != nil || r.Release != "20261201-153012-10" {
		t.Errorf("rollback from -11: %+v, %v; want -10", r, err)
	}
}

// TestClockStepsBack: a release made after the clock went back still orders last.
func TestClockStepsBack(t *testing.T) {
	dest := t.TempDir()
	r1 := deploy(t, dest, "v1", Options{Now: func() time.Time { return t0 }})
	r2 := deploy(t, dest, "v2", Options{Now: func() time.Time { return t0.Add(-time.Hour) }})
	if r2.Release != r1.Release+"-2" {
		t.Errorf("second release named %s, want %s-2", r2.Release, r1.Release)
	}
	if r, err := Rollback(dest); err != nil || r.Release != r1.Release {
		t.Errorf("rollback: %+v, %v; want %s", r, err, r1.Release)
	}
}

func TestRelativeTarget(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "www")
	r := deploy(t, dest, "v1", Options{Now: clock(t0, time.Minute)})
	if got, want := target(t, dest), "releases/"+r.Release; got != want {
		t.Errorf("current -> %s, want %s", got, want)
	}
	moved := filepath.Join(dir, "moved")
	if err := os.Rename(dest, moved); err != nil {
		t.Fatal(err)
	}
	if got := served(t, moved); got != "v1" {
		t.Errorf("after moving DEST current serves %q", got)
	}
	infos, err := List(moved)
	if err != nil || len(infos) != 1 || !infos[0].Current {
		t.Errorf("List after moving: %+v, %v", infos, err)
	}
}

// TestLeftoversRemoved: what killed deploys and a Build's own temporaries leave behind is
// deleted; an admin's own entries in releases/ are not.
func TestLeftoversRemoved(t *testing.T) {
	dest := t.TempDir()
	killed := filepath.Join(dest, "releases", ".20200101-000000.partial", "20200101-000000")
	mkdir(t, killed)
	mkdir(t, filepath.Join(dest, "releases", "notes"))
	symlink(t, "releases/20200101-000000", filepath.Join(dest, ".current.tmp-abc"))

	r, err := Deploy(t.Context(), dest, Options{Now: clock(t0, time.Minute), Build: func(ctx context.Context, dir string) error {
		// As render does: a lock file and a temporary folder beside the output.
		if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".lock"), nil, 0o644); err != nil {
			return err
		}
		mkdir(t, filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-x"))
		return site("v1")(ctx, dir)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := entries(t, dest), []string{r.Release, "notes"}; !slices.Equal(got, want) {
		t.Errorf("releases/ holds %q, want %q", got, want)
	}
	if _, err := os.Lstat(filepath.Join(dest, ".current.tmp-abc")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary link survived: %v", err)
	}
}

// TestPruneKeepsCurrent: the release current points at survives pruning even when old.
func TestPruneKeepsCurrent(t *testing.T) {
	rels := t.TempDir()
	all := []string{"20261201-100000", "20261201-110000", "20261201-120000", "20261201-130000"}
	for _, n := range all {
		mkdir(t, filepath.Join(rels, n))
	}
	cur, _ := parseName(all[0])
	removed, err := prune(rels, 2, cur)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{all[1]}; !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	c, _ := scan(rels)
	var kept []string
	for _, n := range c.releases {
		kept = append(kept, n.String())
	}
	if want := []string{all[0], all[2], all[3]}; !slices.Equal(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		want name
		ok   bool
	}{
		{"20261201-153012", name{"20261201-153012", 1}, true},
		{"20261201-153012-2", name{"20261201-153012", 2}, true},
		{"20261201-153012-11", name{"20261201-153012", 11}, true},
		{"20261201-153012-1", name{}, false},
		{"20261201-153012-02", name{}, false},
		{"20261201-153012-+2", name{}, false},
		{"20261201-153012x", name{}, false},
		{"20261301-153012", name{}, false},
		{"notes", name{}, false},
		{".20261201-153012.partial", name{}, false},
	}
	for _, tt := range tests {
		got, ok := parseName(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseName(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got.String() != tt.in {
			t.Errorf("parseName(%q).String() = %q", tt.in, got.String())
		}
	}
}
