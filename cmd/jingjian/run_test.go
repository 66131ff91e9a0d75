package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

// TestMain lets tests run the real command in a child process: the test binary acts as
// jingjian when JINGJIAN_MAIN is set.
func TestMain(m *testing.M) {
	if os.Getenv("JINGJIAN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func runCLI(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, exitUsage, "用法"},
		{[]string{"frobnicate"}, exitUsage, "未知命令"},
		{[]string{"build", "--nope"}, exitUsage, "flag provided but not defined"},
		{[]string{"build", "extra"}, exitUsage, "不接受参数"},
		{[]string{"build", "-s", "/nonexistent/site"}, exitFailure, "找不到站点配置文件"},
		{[]string{"version"}, exitOK, "jingjian "},
		{[]string{"help"}, exitOK, "jingjian build"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("jingjian %v: exit %d, output %q; want exit %d with %q", tt.args, code, stdout+stderr, tt.code, tt.want)
		}
	}
}

func TestBuildReportsAllErrorsWithPositions(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"content/a.md": "---\ntitle: 甲\ndraft: 也许\n---\n",
		"content/b.md": "+++\ntitle = 乙\n+++\n",
		"content/c.md": "---\ntitle: 丙\n",
		"content/d.md": "正常页面",
	})
	code, stdout, stderr := runCLI(t, "build", "-s", dir)
	if code != exitFailure {
		t.Fatalf("exit %d, want 1; stdout %s", code, stdout)
	}
	for _, want := range []string{"content/a.md:3:1: ", "content/b.md:2:", "content/c.md:1:1: ", "构建失败：3 个错误"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("a failed first build left a public/ folder")
	}
}

func TestBuildThenSkipUnchanged(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n", "content/sub/b.md": "# 乙\n"})
	code, stdout, stderr := runCLI(t, "build", "-s", dir)
	if code != exitOK || !strings.Contains(stdout, "构建完成：2 页，2 个栏目") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "build", "-s", dir)
	if code != exitOK || !strings.Contains(stdout, "输出已是最新") {
		t.Errorf("an unchanged rebuild was not skipped: %s", stdout)
	}
	// A changed file is noticed even within the same second.
	if err := os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("# 甲（修订）\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(2 * time.Second)
	_ = os.Chtimes(filepath.Join(dir, "content", "a.md"), future, future)
	code, stdout, _ = runCLI(t, "build", "-s", dir)
	if code != exitOK || !strings.Contains(stdout, "构建完成") {
		t.Errorf("an edit did not rebuild: %s", stdout)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "public", "a", "index.html")); !bytes.Contains(b, []byte("甲（修订）")) {
		t.Error("the edit is not in the output")
	}
}

func TestBuildNeverTouchesContent(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n", "content/img/x.png": "PNG"})
	before := treeHash(t, filepath.Join(dir, "content"))
	if code, _, stderr := runCLI(t, "build", "-s", dir, "--drafts", "--base-url", "https://x.example/"); code != exitOK {
		t.Fatal(stderr)
	}
	if after := treeHash(t, filepath.Join(dir, "content")); after != before {
		t.Error("content/ changed during a build")
	}
	for _, bad := range []string{dir, filepath.Join(dir, "content"), filepath.Join(dir, "content", "out"), filepath.Dir(dir)} {
		if code, _, stderr := runCLI(t, "build", "-s", dir, "-d", bad); code != exitFailure || !strings.Contains(stderr, "覆盖站点源文件") {
			t.Errorf("-d %s: exit %d, %s", bad, code, stderr)
		}
	}
}

// treeHash summarises names, modes, times and bytes of every file under dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %v %d\n", p, info.Mode(), info.ModTime().UnixNano())
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestKilledBuildLeavesPreviousSite kills a build with SIGKILL while it writes and checks
// that the previous output is intact and the next build cleans up and succeeds.
func TestKilledBuildLeavesPreviousSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a few thousand pages")
	}
	files := map[string]string{}
	para := strings.Repeat("第一条 为了加强廉政建设，规范权力运行，根据有关规定，结合本单位实际，制定本办法。\n\n", 60)
	for i := range 3000 {
		files[fmt.Sprintf("content/s%02d/第%04d号文件.md", i%30, i)] = fmt.Sprintf("# 文件%d\n\n%s", i, para)
	}
	dir := sitetest.Write(t, files)
	dest := filepath.Join(dir, "public")
	if code, _, stderr := runCLI(t, "build", "-s", dir); code != exitOK {
		t.Fatal(stderr)
	}
	before := treeHash(t, dest)

	if err := os.WriteFile(filepath.Join(dir, "content", "s00", "第0000号文件.md"), []byte("# 改过的文件\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Wait until the new build is writing into its temporary folder, then kill it.
	killBuildWhen(t, dir, filepath.Join(dir, ".public.tmp-*", "s0*"))
	if after := treeHash(t, dest); after != before {
		t.Fatal("SIGKILL during a build changed the previous output")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*")); len(left) == 0 {
		t.Log("note: the killed build left no temporary folder")
	}
	if code, _, stderr := runCLI(t, "build", "-s", dir); code != exitOK {
		t.Fatal(stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".public.*-*")); len(left) > 0 {
		t.Errorf("stale temporary folders not cleaned: %v", left)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "s00", "第0000号文件", "index.html")); !bytes.Contains(b, []byte("改过的文件")) {
		t.Error("the build after the kill lacks the edit")
	}
}

func TestInterruptedBuild(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"build", "-s", dir}, &out, &errb); code != exitFailure || !strings.Contains(errb.String(), "构建已中断") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("an interrupted build left output")
	}
}

// killBuildWhen runs `jingjian build -s dir` in a child process and kills it with SIGKILL
// as soon as a file matching glob exists; the test fails if the build ends first.
func killBuildWhen(t *testing.T, dir, glob string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "build", "-s", dir, "-q")
	cmd.Env = append(os.Environ(), "JINGJIAN_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	killed := false
	for time.Now().Before(deadline) {
		if found, _ := filepath.Glob(glob); len(found) > 0 {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatal("the build finished before it could be killed; make the test site larger")
	}
}

// copyExampleSite copies the repository's example site (content/ and config.toml) into
// dir, for a test that adds to it or serves it.
func copyExampleSite(t testing.TB, dir string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), config, 0o644); err != nil {
		t.Fatal(err)
	}
}
