package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

// startServe runs jingjian with args in the background and returns the address it says
// it listens on, and a channel that yields its exit code.
func startServe(t testing.TB, ctx context.Context, args ...string) (string, chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, pw, io.Discard)
		pw.Close()
	}()
	addr := ""
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		t.Fatal("serve did not say where it listens")
	}
	return addr, done
}

// TestServeCommand starts `jingjian serve` on a free loopback port, searches through the
// API and the no-JavaScript page, and stops it with a cancelled context (as SIGINT does).
func TestServeCommand(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲案\n\n低保审核中优亲厚友。\n"})
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0")
	client := &http.Client{Timeout: 10 * time.Second}
	for _, path := range []string{"/api/search?q=" + url.QueryEscape("优亲厚友"), "/search?q=" + url.QueryEscape("优亲厚友")} {
		res, err := client.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(b), "甲案") {
			t.Errorf("%s: %d %.200s", path, res.StatusCode, b)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after shutdown", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
