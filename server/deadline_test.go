package server

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jingjian/indexer"
	"jingjian/render"
)

// stagedSearcher searches in two stages, as Index.Search did before its deadline covered
// the snippets: first it watches ctx (bleve's search), then it does not (the rest).
type stagedSearcher struct {
	watched, unwatched atomic.Int64 // how long each stage takes, in nanoseconds
	calls              atomic.Int64
}

func (s *stagedSearcher) set(watched, unwatched time.Duration) {
	s.watched.Store(int64(watched))
	s.unwatched.Store(int64(unwatched))
}

func (s *stagedSearcher) Search(ctx context.Context, req indexer.Request) (*indexer.Result, error) {
	s.calls.Add(1)
	select {
	case <-time.After(time.Duration(s.watched.Load())):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	time.Sleep(time.Duration(s.unwatched.Load()))
	return &indexer.Result{Query: req.Query, Total: 1, Hits: []indexer.Hit{{Title: "甲", Snippet: "<mark>低保</mark>"}}}, nil
}

// TestWholeRequestDeadline: a search request is answered within the deadline from its
// arrival, whatever part of the search is slow and however long it waited for the same
// search started by someone else; a search out of time is answered 504, on the results
// page too, and is not remembered.
func TestWholeRequestDeadline(t *testing.T) {
	buildTestSite(t)
	const deadline = 200 * time.Millisecond
	const slack = 400 * time.Millisecond // a loaded machine's scheduling
	const slow = 2 * time.Second
	for _, c := range []struct {
		name               string
		watched, unwatched time.Duration
		path               string
		status             int
		body               string
	}{
		{"fast", 0, 0, "/api/search?q=a", 200, `"title":"甲"`},
		{"slow search", slow, 0, "/api/search?q=b", 504, "搜索超时（0.2 秒）；请缩短查询或减少每页条数"},
		{"slow after the search", 0, slow, "/api/search?q=c", 504, "搜索超时（0.2 秒）"},
		{"results page, fast", 0, 0, "/search?q=d", 200, "<mark>低保</mark>"},
		{"results page, slow search", slow, 0, "/search?q=e", 504, "搜索超时（0.2 秒）；请缩短查询或减少每页条数"},
		{"results page, slow after the search", 0, slow, "/search?q=f", 504, "搜索超时（0.2 秒）"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := New(built.dest, func() (*render.Pages, error) { return built.pages, nil }, log.New(io.Discard, "", 0))
			srv.deadline = deadline
			fake := &stagedSearcher{}
			fake.set(c.watched, c.unwatched)
			srv.SetIndex(fake, nil)
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()

			// Three people ask the same thing, the later ones while the first one's search
			// runs: each is answered within the deadline of its own arrival.
			var wg sync.WaitGroup
			for i := range 3 {
				time.Sleep(time.Duration(i) * deadline / 4)
				wg.Go(func() {
					start := time.Now()
					res, body := get(t, ts, c.path)
					if took := time.Since(start); took > deadline+slack {
						t.Errorf("asker %d: answered after %v; the deadline is %v", i, took, deadline)
					}
					if res.StatusCode != c.status || !strings.Contains(body, c.body) {
						t.Errorf("asker %d: %d %.300s; want %d with %s", i, res.StatusCode, body, c.status, c.body)
					}
				})
			}
			wg.Wait()
			if n := fake.calls.Load(); n != 1 {
				t.Errorf("%d searches for three askers of one question", n)
			}
			if n, _ := srv.index.cache.used(); c.status != 200 && n != 0 {
				t.Errorf("%d answers remembered after a timeout", n)
			}
			if c.unwatched > 0 {
				// The search that does not watch its deadline runs on in the background;
				// whoever asks meanwhile waits for it, within its own deadline.
				return
			}
			// Asked again once the search is fast: searched again if it timed out, else
			// answered from memory.
			fake.set(0, 0)
			if res, _ := get(t, ts, c.path); res.StatusCode != 200 {
				t.Errorf("asked again: %d", res.StatusCode)
			}
			want := int64(1)
			if c.status != 200 {
				want = 2
			}
			if n := fake.calls.Load(); n != want {
				t.Errorf("%d searches after asking again, want %d", n, want)
			}
		})
	}
}

// A real index with a deadline too short for any search: 504 and nothing remembered.
func TestDeadlineRealIndex(t *testing.T) {
	ts, srv := newTestServer(t, true)
	srv.deadline = time.Nanosecond
	res, body := get(t, ts, "/api/search?q="+url.QueryEscape("低保"))
	if res.StatusCode != http.StatusGatewayTimeout || !strings.Contains(body, "搜索超时") {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	if n, _ := srv.index.cache.used(); n != 0 {
		t.Errorf("%d answers remembered", n)
	}
	srv.deadline = searchDeadline
	time.Sleep(100 * time.Millisecond) // the search that ran out of time ends; asking now would join it
	if res, body := get(t, ts, "/api/search?q="+url.QueryEscape("低保")); res.StatusCode != 200 || !strings.Contains(body, `\u003cmark\u003e低保`) {
		t.Errorf("with time enough: %d %.200s", res.StatusCode, body)
	}
}

// A panicking searcher fails its request, not the server.
func TestSearchPanicIsAnError(t *testing.T) {
	srv := New(t.TempDir(), func() (*render.Pages, error) { return nil, errors.New("unused") }, log.New(io.Discard, "", 0))
	srv.SetIndex(panicSearcher{}, nil)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	if res, body := get(t, ts, "/api/search?q=a"); res.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "搜索出错") {
		t.Errorf("%d %s", res.StatusCode, body)
	}
}

type panicSearcher struct{}

func (panicSearcher) Search(context.Context, indexer.Request) (*indexer.Result, error) {
	panic("segment damaged")
}
