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
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/pipeline"
)

// TestServeTakesInExternalBuilds is the README's deployment: `jingjian serve --watch=false`
// runs all along, `jingjian build` runs beside it. Each build's pages and index are taken in
// (new pages found, deleted ones gone), under steady load with no failed request, and the
// replaced index's files are not held open.
func TestServeTakesInExternalBuilds(t *testing.T) {
	pipeline.FollowEvery = 50 * time.Millisecond
	t.Cleanup(func() { pipeline.FollowEvery = time.Second })
	dir := sitetest.Write(t, map[string]string{
		"content/a.md": "# 甲案\n\n殡葬管理中违规收费。\n",
		"content/c.md": "# 丙案\n\n低保审核中优亲厚友。\n",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServe(t, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch=false")
	client := &http.Client{Timeout: 10 * time.Second}
	total := func(q string) (uint64, int) {
		res, err := client.Get("http://" + addr + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			return 0, 0
		}
		defer res.Body.Close()
		var r struct{ Total uint64 }
		_ = json.NewDecoder(res.Body).Decode(&r)
		return r.Total, res.StatusCode
	}

	// Steady load: searches (new words each time, past the cache) and pages.
	var failed, served atomic.Int64
	var failures sync.Map
	stop := make(chan struct{})
	var load sync.WaitGroup
	for w := range 4 {
		load.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := "/api/search?q=" + url.QueryEscape(fmt.Sprintf("低保 %d %d", w, i))
				if i%3 == 0 {
					path = "/c/"
				}
				res, err := client.Get("http://" + addr + path)
				if err != nil {
					failed.Add(1)
					failures.Store(path, err.Error())
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					failed.Add(1)
					failures.Store(path, res.Status)
				}
				served.Add(1)
			}
		})
	}

	if n, _ := total("殡葬"); n != 1 {
		t.Fatalf("before: 殡葬 total %d", n)
	}
	for round := range 3 {
		word := []string{"驿站", "食堂", "车辆"}[round]
		if err := os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("new%d.md", round)), []byte("# 新案"+word+"\n\n"+word+"问题。\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			_ = os.Remove(filepath.Join(dir, "content", "a.md"))
		}
		if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
			t.Fatalf("build: %s", stderr)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			n, _ := total(word)
			if n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the new page is not searchable 10 s after the build", round)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if n, _ := total("殡葬"); n != 0 {
			t.Errorf("round %d: the deleted page is still found", round)
		}
		res, err := client.Get("http://" + addr + fmt.Sprintf("/new%d/", round))
		if err != nil || res.StatusCode != 200 {
			t.Errorf("round %d: the new page is not served: %v", round, err)
		} else {
			res.Body.Close()
		}
	}
	close(stop)
	load.Wait()
	if n := failed.Load(); n > 0 {
		failures.Range(func(k, v any) bool { t.Logf("%s: %s", k, v); return true })
		t.Errorf("%d of %d requests failed during the builds", n, served.Load())
	}
	t.Logf("%d requests during three builds", served.Load())

	// The replaced indexes are closed once their last query is done.
	time.Sleep(200 * time.Millisecond)
	if open := deletedIndexFiles(t, dir); len(open) > 0 {
		t.Errorf("deleted index files still open: %v", open)
	}
	cancel()
	<-done
}

// deletedIndexFiles lists the files of this process open under dir that were deleted.
func deletedIndexFiles(t *testing.T, dir string) []string {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Log("no /proc/self/fd; not checking open files")
		return nil
	}
	var out []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, dir) && strings.HasSuffix(target, "(deleted)") {
			out = append(out, target)
		}
	}
	return out
}
