package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/andybalholm/brotli"

	"jingjian/indexer"
	"jingjian/render"
)

// countingSearcher answers every query with one hit named after itself, slowly, and
// counts the searches it ran.
type countingSearcher struct {
	name  string
	calls atomic.Int64
	fail  atomic.Bool // the next search fails
}

func (c *countingSearcher) Search(ctx context.Context, req indexer.Request) (*indexer.Result, error) {
	c.calls.Add(1)
	time.Sleep(30 * time.Millisecond)
	if c.fail.CompareAndSwap(true, false) {
		return nil, errors.New("disk error")
	}
	return &indexer.Result{Query: req.Query, Total: 1, Hits: []indexer.Hit{{Title: c.name}}, Notes: []string{"原有提示"}}, nil
}

func TestSearchResultsCache(t *testing.T) {
	srv := New(t.TempDir(), func() (*render.Pages, error) { return nil, errors.New("unused") }, log.New(io.Discard, "", 0))
	first := &countingSearcher{name: "甲"}
	srv.SetIndex(first, nil)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	search := func(q string) (int, string) {
		res, err := http.Get(ts.URL + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	// Twenty people asking the same thing at once: one search.
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if code, body := search("低保"); code != 200 || !strings.Contains(body, `"title":"甲"`) {
				t.Errorf("%d %s", code, body)
			}
		})
	}
	wg.Wait()
	if n := first.calls.Load(); n != 1 {
		t.Errorf("%d searches for 20 identical requests", n)
	}
	// Asked again later: from memory. Another query or page: searched.
	search("低保")
	search("低保 养老")
	search("低保&page=2")
	if n := first.calls.Load(); n != 3 {
		t.Errorf("%d searches, want 3", n)
	}
	// A failure is not remembered.
	first.fail.Store(true)
	if code, _ := search("殡葬"); code != http.StatusInternalServerError {
		t.Errorf("failed search answered %d", code)
	}
	if code, _ := search("殡葬"); code != 200 {
		t.Errorf("retry answered %d", code)
	}
	// A new index forgets the old results.
	second := &countingSearcher{name: "乙"}
	srv.SetIndex(second, nil)
	if _, body := search("低保"); !strings.Contains(body, `"title":"乙"`) || second.calls.Load() != 1 {
		t.Errorf("after a swap: %s (%d searches)", body, second.calls.Load())
	}
	// A note about one request (its query was cut short) is added to a copy: the
	// remembered result, shared with the next request for the same words, keeps none.
	long := strings.Repeat("低", maxQueryBytes) // three bytes each: cut to a third
	if _, body := search(long); !strings.Contains(body, "查询过长") {
		t.Fatalf("no note for an overlong query: %.200s", body)
	}
	res, err := http.Get(ts.URL + "/api/search?q=" + url.QueryEscape(long[:maxQueryBytes/3*3]))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(b), "查询过长") || !strings.Contains(string(b), "原有提示") {
		t.Errorf("notes of another request in a remembered result: %.300s", b)
	}
	if n := second.calls.Load(); n != 2 {
		t.Errorf("%d searches, want 2 (the cut query once)", n)
	}
}

// echoSearcher answers at once with the request it was given.
type echoSearcher struct{}

func (echoSearcher) Search(_ context.Context, req indexer.Request) (*indexer.Result, error) {
	return &indexer.Result{Query: req.Query, Hits: []indexer.Hit{}}, nil
}

// FuzzQueryString sends arbitrary query strings to /api/search: every answer is 200 with
// JSON or 400 with a message, and every request that reaches the index is within bounds.
func FuzzQueryString(f *testing.F) {
	for _, seed := range []string{
		"q=低保", "q=%E4%BD%8E&limit=5&page=2", "q=a&limit=-1", "q=a&limit=99999999999999999999",
		"q=a&page=0", "q=a&filter=领域=养老&filter=status:现行有效", "q=a&filter==x", "q=a&sort=date",
		"q=a&sort=title", "q=%ff%fe", "q=%", "q=\"未闭合", "filter=" + url.QueryEscape("栏目=典型案例"), ";;&&==",
	} {
		f.Add(seed)
	}
	srv := New(f.TempDir(), func() (*render.Pages, error) { return nil, errors.New("unused") }, log.New(io.Discard, "", 0))
	srv.SetIndex(echoSearcher{}, nil)
	h := srv.Handler()
	f.Fuzz(func(t *testing.T, raw string) {
		if q, err := url.ParseQuery(raw); err == nil {
			req, _, err := request(q)
			if err == nil {
				if len(req.Query) > maxQueryBytes || req.Limit < 0 || req.Limit > indexer.MaxLimit ||
					req.Offset < 0 || req.Offset > maxPage*indexer.MaxLimit || len(req.Filters) > indexer.MaxFilters ||
					(req.Sort != "" && req.Sort != "date") {
					t.Fatalf("%q: out of bounds: %+v", raw, req)
				}
				if utf8.ValidString(q.Get("q")) && !utf8.ValidString(req.Query) {
					t.Fatalf("%q: cutting the query broke a character: %q", raw, req.Query)
				}
			}
		}
		r := httptest.NewRequest(http.MethodGet, "/api/search", nil)
		r.URL.RawQuery = raw
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("%q: status %d, not JSON: %.200s", raw, w.Code, w.Body.String())
		}
		switch w.Code {
		case http.StatusOK:
			if _, ok := body["hits"]; !ok {
				t.Fatalf("%q: 200 without hits: %v", raw, body)
			}
		case http.StatusBadRequest:
			if msg, _ := body["error"].(string); msg == "" {
				t.Fatalf("%q: 400 without a message", raw)
			}
		default:
			t.Fatalf("%q: status %d", raw, w.Code)
		}
	})
}

// A remembered answer is sent as the same bytes to everyone, compressed once; each
// encoding a client may ask for decodes to the same JSON.
func TestRememberedAnswerEncodings(t *testing.T) {
	srv := New(t.TempDir(), func() (*render.Pages, error) { return nil, errors.New("unused") }, log.New(io.Discard, "", 0))
	srv.SetIndex(echoSearcher{}, nil)
	h := srv.Handler()
	get := func(accept string) (*httptest.ResponseRecorder, string, int) {
		r := httptest.NewRequest(http.MethodGet, "/api/search?q="+url.QueryEscape("低保 <b>"), nil)
		r.Header.Set("Accept-Encoding", accept)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		sent := w.Body.Len()
		var body io.Reader = w.Body
		switch w.Header().Get("Content-Encoding") {
		case "gzip":
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		case "br":
			body = brotli.NewReader(w.Body)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		return w, string(b), sent
	}
	_, plain, _ := get("identity")
	if !strings.Contains(plain, `"query":"低保 \u003cb\u003e"`) {
		t.Fatalf("plain JSON: %s", plain)
	}
	for accept, enc := range map[string]string{"gzip": "gzip", "gzip, deflate, br": "gzip", "br": "br", "identity": "", "gzip;q=0": ""} {
		w, got, sent := get(accept)
		if w.Header().Get("Content-Encoding") != enc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", accept, w.Header().Get("Content-Encoding"), enc)
		}
		if got != plain {
			t.Errorf("Accept-Encoding %q: body %q, want %q", accept, got, plain)
		}
		if cl := w.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(sent) {
			t.Errorf("Accept-Encoding %q: Content-Length %s for %d bytes", accept, cl, sent)
		}
		if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: no Vary", accept)
		}
	}
}
