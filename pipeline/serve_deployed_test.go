package pipeline

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

// TestServeDeployed: serve with DEST/current as its output does not build into it, takes
// in each deploy, and starts on a rolled-back release; build refuses the link as output.
func TestServeDeployed(t *testing.T) {
	FollowEvery = 50 * time.Millisecond
	t.Cleanup(func() { FollowEvery = time.Second })
	siteDir := sitetest.Write(t, map[string]string{
		"config.toml":  "title = \"t\"\nbaseURL = \"https://kb.example.gov.cn/\"\n",
		"content/a.md": "+++\ntitle = \"甲\"\n+++\n第一版\n",
	})
	dest := filepath.Join(t.TempDir(), "www")
	if err := Deploy(t.Context(), Options{Site: siteDir}, dest, 0, false); err != nil {
		t.Fatal(err)
	}
	current := filepath.Join(dest, "current")
	if _, err := Build(t.Context(), Options{Site: siteDir, Dest: current}, nil); err == nil || !strings.Contains(err.Error(), "是符号链接") {
		t.Errorf("build into the current link: %v; want it refused", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var stop func()
	start := func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- Serve(ctx, Options{Site: siteDir, Dest: current}, addr, false) }()
		stop = func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
	}
	start()
	t.Cleanup(func() { stop() })
	page := func() string {
		res, err := http.Get("http://" + addr + "/a/")
		if err != nil {
			return err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	waitFor(t, func() bool { return strings.Contains(page(), "第一版") })
	if info, err := os.Lstat(current); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("serve replaced the current link: %v", err)
	}
	if err := os.WriteFile(filepath.Join(siteDir, "content/a.md"), []byte("+++\ntitle = \"甲\"\n+++\n第二版\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Deploy(t.Context(), Options{Site: siteDir}, dest, 0, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(page(), "第二版") })

	// Rolled back, and serve restarted (the output is not what the sources would build).
	stop()
	if err := Deploy(t.Context(), Options{Site: siteDir}, dest, 0, true); err != nil {
		t.Fatal(err)
	}
	start()
	waitFor(t, func() bool { return strings.Contains(page(), "第一版") })
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("timed out")
}
