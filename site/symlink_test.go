package site

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"jingjian/internal/sitetest"
)

// TestInputLinks checks what symbolic links and special files under content/, layouts/,
// static/ and assets/ may do: lead inside the site or into an allowed folder, nothing else.
func TestInputLinks(t *testing.T) {
	outside := sitetest.Write(t, map[string]string{"shared/x.md": "# 共享文档\n", "secret.txt": "口令"})
	secret := filepath.Join(outside, "secret.txt")
	allow := func(dirs ...string) string {
		q := make([]string, len(dirs))
		for i, d := range dirs {
			q[i] = `"` + d + `"`
		}
		return "title = \"t\"\n[build]\nallowLinksTo = [" + strings.Join(q, ", ") + "]\n"
	}
	type link struct{ at, to string } // to: relative targets are kept as written
	tests := []struct {
		name   string
		config string
		links  []link
		fifo   string // a named pipe made at this path
		socket string
		want   []string // substrings of the error; none means the load succeeds
		pages  int
	}{
		{name: "outside file in content", links: []link{{"content/x/passwd.md", secret}},
			want: []string{"content/x/passwd.md: 错误: 符号链接指向站点目录以外的 " + secret}},
		{name: "outside file in static", links: []link{{"static/leak.txt", secret}},
			want: []string{"static/leak.txt: 错误: 符号链接指向站点目录以外的"}},
		{name: "outside file in layouts", links: []link{{"layouts/partials/x.html", secret}},
			want: []string{"layouts/partials/x.html: 错误: 符号链接指向站点目录以外的"}},
		{name: "outside folder in assets", links: []link{{"assets/css", outside}},
			want: []string{"assets/css: 错误: 符号链接指向站点目录以外的"}},
		{name: "relative link climbing out", links: []link{{"content/up.md", "relative:" + secret}},
			want: []string{"content/up.md: 错误: 符号链接指向站点目录以外的"}},
		{name: "outside folder not allowed", links: []link{{"content/共享", filepath.Join(outside, "shared")}},
			want: []string{"content/共享: 错误: 符号链接指向站点目录以外的", "allowLinksTo"}},
		{name: "outside folder allowed", config: allow(outside), links: []link{{"content/共享", filepath.Join(outside, "shared")}}, pages: 2},
		{name: "link inside the site", links: []link{{"content/b.md", "../notes/b.md"}}, pages: 2},
		{name: "content itself outside", links: []link{{"content2", filepath.Join(outside, "shared")}}, // see below
			want: []string{"content: 错误: 符号链接指向站点目录以外的"}},
		{name: "FIFO in content", fifo: "content/pipe.md", want: []string{"content/pipe.md: 错误: 这是命名管道（FIFO），不是普通文件"}},
		{name: "link to a FIFO", fifo: "notes/pipe", links: []link{{"content/p.md", "../notes/pipe"}},
			want: []string{"content/p.md: 错误: 这是命名管道（FIFO）"}},
		{name: "link to a device", config: allow("/dev"), links: []link{{"static/null", "/dev/null"}},
			want: []string{"static/null: 错误: 这是设备文件"}},
		{name: "socket in static", socket: "static/s.sock", want: []string{"static/s.sock: 错误: 这是套接字"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"content/a.md": "# 甲\n", "notes/b.md": "# 乙\n"}
			if tt.config != "" {
				files["config.toml"] = tt.config
			}
			dir := sitetest.Write(t, files)
			for _, l := range tt.links {
				at := filepath.Join(dir, filepath.FromSlash(l.at))
				if l.at == "content2" { // replace content/ by a link
					at = filepath.Join(dir, "content")
					if err := os.RemoveAll(at); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.MkdirAll(filepath.Dir(at), 0o755); err != nil {
					t.Fatal(err)
				}
				to := l.to
				if p, ok := strings.CutPrefix(to, "relative:"); ok {
					to, _ = filepath.Rel(filepath.Dir(at), p)
				}
				if err := os.Symlink(to, at); err != nil {
					t.Skip("symlinks unsupported:", err)
				}
			}
			if tt.fifo != "" {
				if err := syscall.Mkfifo(filepath.Join(dir, tt.fifo), 0o644); err != nil {
					t.Skip("mkfifo:", err)
				}
			}
			if tt.socket != "" {
				p := filepath.Join(dir, tt.socket)
				_ = os.MkdirAll(filepath.Dir(p), 0o755)
				ln, err := net.Listen("unix", p)
				if err != nil {
					t.Skip("unix socket:", err)
				}
				t.Cleanup(func() { ln.Close() })
			}
			s, err := Load(context.Background(), dir, Options{})
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if len(s.Pages) != tt.pages {
					t.Errorf("pages = %d, want %d", len(s.Pages), tt.pages)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if strings.Contains(err.Error(), "口令") {
				t.Errorf("the error shows the outside file's text")
			}
		})
	}
}

func TestLinkedFolderIsFollowed(t *testing.T) {
	outside := sitetest.Write(t, map[string]string{"shared/x.md": "# 共享文档\n"})
	dir := sitetest.Write(t, map[string]string{
		"content/a.md": "a",
		"config.toml":  "title = \"t\"\n[build]\nallowLinksTo = [\"" + filepath.Join(outside, "shared") + "\"]\n",
	})
	if err := os.Symlink(filepath.Join(outside, "shared"), filepath.Join(dir, "content", "共享")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	s, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Pages) != 2 || s.Pages[1].URL != "/共享/x/" {
		t.Errorf("pages = %d, second URL %q", len(s.Pages), s.Pages[len(s.Pages)-1].URL)
	}
}

// TestOddNames: names the walker cannot publish as they are are reported, not dropped.
func TestOddNames(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n", "content/..md": "# 隐\n", "content/.草稿.md": "x"})
	gbk := filepath.Join(dir, "content", "\xb0\xb8\xc0\xfd.md") // 案例 in GBK
	if err := os.WriteFile(gbk, []byte("# 案例\n"), 0o644); err != nil {
		t.Skip("file system refuses non-UTF-8 names:", err)
	}
	s, err := Load(context.Background(), dir, Options{})
	if err == nil {
		t.Fatal("no error for a GBK file name")
	}
	if !strings.Contains(err.Error(), "不是 UTF-8") {
		t.Errorf("error = %v", err)
	}
	warned := 0
	if s != nil {
		for _, w := range s.Warnings {
			if strings.Contains(w.Error(), "文件名以点开头") {
				warned++
			}
		}
	}
	if warned != 2 {
		t.Errorf("%d warnings for hidden Markdown files, want 2", warned)
	}
}
