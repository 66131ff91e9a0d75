package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

// BenchmarkEditToReload measures live preview on the laws corpus: the time from writing
// one Markdown file under `serve --watch` to the reload event, and to having the new page
// from the server, over edits of the body text of several pages. It works on a copy of
// the corpus (the first build takes about 30 s); JINGJIAN_CORPUS names another corpus, such
// as a 10× copy made with ../shared/tools/scale-corpus. Run with:
//
//	go test ./cmd/jingjian -run XXX -bench EditToReload -benchtime 1x
func BenchmarkEditToReload(b *testing.B) {
	corpus := sitetest.LawsCorpus(b)
	dir := sitetest.Write(b, map[string]string{"config.toml": "title = \"法律法规库\"\n"})
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(corpus)); err != nil {
		b.Fatal(err)
	}
	if code := run(context.Background(), []string{"build", "-s", dir, "-q"}, io.Discard, io.Discard); code != 0 {
		b.Fatalf("build exit %d", code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServe(b, ctx, "serve", "-s", dir, "-q", "--addr", "127.0.0.1:0", "--watch")
	base := "http://" + addr
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(path string) string {
		res, err := client.Get(base + path)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	get("/search?q=x") // answers once the site is loaded in the background and the output remembered

	res, err := client.Get(base + "/_jingjian/events")
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	events := bufio.NewScanner(res.Body)
	next := func() string {
		name := ""
		for events.Scan() {
			if v, ok := strings.CutPrefix(events.Text(), "event: "); ok {
				name = v
			}
			if strings.HasPrefix(events.Text(), "data: ") && name != "" {
				return name
			}
		}
		b.Fatal("event stream ended")
		return ""
	}

	pages := []string{"行政法规/工伤保险条例(2010-12-20).md", "宪法相关法/监察法(2024-12-25).md", "民法典/婚姻家庭编.md", "刑法/刑法.md"}
	var toEvent, toPage, toSearch []time.Duration
	var log strings.Builder
	b.ResetTimer()
	for i := range 12 {
		rel := pages[i%len(pages)]
		if _, err := os.Stat(filepath.Join(dir, "content", filepath.FromSlash(rel))); err != nil {
			// A scaled copy (scale-corpus) holds the corpus once per folder copyNN/.
			if m, _ := filepath.Glob(filepath.Join(dir, "content", "*", filepath.FromSlash(rel))); len(m) > 0 {
				rel, _ = filepath.Rel(filepath.Join(dir, "content"), m[0])
				rel = filepath.ToSlash(rel)
			}
		}
		file := filepath.Join(dir, "content", filepath.FromSlash(rel))
		old, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		mark := fmt.Sprintf("实时预览测试追加的第%d段。", i)
		start := time.Now()
		if err := os.WriteFile(file, append(old, "\n\n"+mark+"\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
		if name := next(); name != "reload" {
			b.Fatalf("edit %d: %s event", i, name)
		}
		toEvent = append(toEvent, time.Since(start))
		u := "/" + strings.TrimSuffix(rel, ".md") + "/"
		u = (&url.URL{Path: u}).EscapedPath()
		if !strings.Contains(get(u), mark) {
			b.Fatalf("edit %d: %s lacks the new text", i, u)
		}
		toPage = append(toPage, time.Since(start))
		// The index follows the reload; the next edit waits for it, as a person would
		// take longer than that to type.
		for !strings.Contains(get("/api/search?q="+url.QueryEscape(`"`+mark+`"`)), rel) {
			if time.Since(start) > 60*time.Second {
				b.Fatalf("edit %d: not searchable after a minute", i)
			}
			time.Sleep(5 * time.Millisecond)
		}
		toSearch = append(toSearch, time.Since(start))
		fmt.Fprintf(&log, "%s: reload event %s, page %s, searchable %s\n", rel, toEvent[i].Round(time.Millisecond), toPage[i].Round(time.Millisecond), toSearch[i].Round(time.Millisecond))
	}
	b.StopTimer()
	report := func(name string, d []time.Duration) {
		slices.Sort(d)
		b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(d[len(d)-1].Microseconds())/1000, name+"-max-ms")
	}
	b.Logf("\n%s", log.String())
	report("event", toEvent)
	report("page", toPage)
	report("search", toSearch)
	cancel()
	<-done
}
