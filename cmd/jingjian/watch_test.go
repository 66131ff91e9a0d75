package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

// TestServeWatch edits a page under `serve --watch`: open pages get a reload event and the
// new text; a broken file sends its errors (path:line) while the old page stays served;
// fixing it reloads again.
func TestServeWatch(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "---\ntitle: 甲案\n---\n第一版正文。\n"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch")
	base := "http://" + addr

	page := func() string {
		res, err := http.Get(base + "/a/")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if p := page(); !strings.Contains(p, "第一版正文") || !strings.Contains(p, `/_jingjian/live.js`) {
		t.Fatalf("page lacks its text or the live-reload script:\n%.400s", p)
	}

	res, err := http.Get(base + "/_jingjian/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	events := bufio.NewScanner(res.Body)
	next := func() (string, string) {
		name := ""
		for events.Scan() {
			line := events.Text()
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				name = v
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok && name != "" {
				return name, v
			}
		}
		t.Fatal("event stream ended")
		return "", ""
	}
	file := filepath.Join(dir, "content", "a.md")
	write := func(body string) time.Time {
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return time.Now()
	}

	start := write("---\ntitle: 甲案\n---\n第二版正文。\n")
	if name, _ := next(); name != "reload" {
		t.Fatalf("after an edit: %s", name)
	}
	t.Logf("edit to reload event: %s", time.Since(start).Round(time.Millisecond))
	if p := page(); !strings.Contains(p, "第二版正文") {
		t.Error("the reloaded page lacks the edit")
	}
	// The index follows the reload: the new text becomes searchable moments later.
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(base + "/api/search?q=" + url.QueryEscape("第二版"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(b), `"total":1`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edit is not searchable: %s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}

	write("---\ntitle: 甲案\ndraft: 也许\n---\n第三版正文。\n")
	name, data := next()
	if name != "error" || !strings.Contains(data, "content/a.md:3:1") {
		t.Fatalf("after breaking the file: %s %s", name, data)
	}
	if p := page(); !strings.Contains(p, "第二版正文") {
		t.Error("the last good page is not served while the file is broken")
	}

	write("---\ntitle: 甲案\n---\n第四版正文。\n")
	if name, _ := next(); name != "reload" {
		t.Fatalf("after fixing the file: %s", name)
	}
	if p := page(); !strings.Contains(p, "第四版正文") {
		t.Error("the fixed page is not served")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
