package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/pipeline"
)

// TestServeSurvivesDamagedSegments: segment files damaged under a running server make
// the queries that touch them fail with a 503 in Chinese, never the process; the next
// build repairs the index and the server takes it in.
func TestServeSurvivesDamagedSegments(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of a thousand pages")
	}
	pipeline.FollowEvery = 50 * time.Millisecond
	t.Cleanup(func() { pipeline.FollowEvery = time.Second })
	files := map[string]string{}
	for i := range 1000 { // two shards on two cores: the alias searches them on goroutines
		files[fmt.Sprintf("content/%04d.md", i)] = fmt.Sprintf("# 案例%d\n\n低保审核中优亲厚友，涉及资金 %d 万元。\n", i, i)
	}
	dir := sitetest.Write(t, files)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch=false")
	client := &http.Client{Timeout: 10 * time.Second}
	ask := func(q string) (int, string, uint64) {
		res, err := client.Get("http://" + addr + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatalf("the server is gone: %v", err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var r struct{ Total uint64 }
		_ = json.Unmarshal(b, &r)
		return res.StatusCode, string(b), r.Total
	}
	if code, body, n := ask("优亲厚友"); code != 200 || n != 1000 {
		t.Fatalf("before: %d %d %.200s", code, n, body)
	}
	segs, _ := filepath.Glob(filepath.Join(dir, ".jingjian", "index", "bleve", "shard-*", "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("no segments")
	}
	for _, seg := range segs { // bad blocks, and a truncation that faults in the memory map
		info, _ := os.Stat(seg)
		if err := os.Truncate(seg, info.Size()/3); err != nil {
			t.Fatal(err)
		}
	}
	damagedSeen := 0
	for i := range 30 {
		code, body, n := ask(fmt.Sprintf("优亲厚友 %d", i))
		if code == 200 && n != 1000 {
			t.Errorf("a wrong total with no error: %d", n)
		}
		switch code {
		case 200:
		case http.StatusServiceUnavailable:
			damagedSeen++
			if !strings.Contains(body, "搜索索引已损坏") {
				t.Errorf("503 without the Chinese explanation: %.300s", body)
			}
		default:
			t.Errorf("status %d: %.300s", code, body)
		}
	}
	if damagedSeen == 0 {
		t.Error("no query reported the damage")
	}
	if res, err := client.Get("http://" + addr + "/"); err != nil || res.StatusCode != 200 {
		t.Fatalf("pages are not served after the damage: %v", err)
	}

	if code, stdout, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK || !strings.Contains(stdout, "全量重建") {
		t.Fatalf("repair build: exit %d\n%s%s", code, stdout, stderr)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, _, n := ask("优亲厚友")
		if code == 200 && n == 1000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the repaired index was not taken in: %d, total %d", code, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
}
