package server

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"jingjian/indexer"
	"jingjian/render"
)

func TestNegotiate(t *testing.T) {
	tests := []struct{ accept, want string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"gzip;q=1.0, br;q=0.5", "gzip"},
		{"br;q=0", ""},
		{"br;q=0, gzip", "gzip"},
		{"*", "br"},
		{"*;q=0", ""},
		{"GZIP", "gzip"},
		{"gzip;q=abc", "gzip"},
		{" br ; q=0.8 , gzip ; q=0.9", "gzip"},
	}
	for _, tt := range tests {
		if got := negotiate(tt.accept); got != tt.want {
			t.Errorf("negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}

// blockingWriter blocks every Write until release is closed.
type blockingWriter struct{ release chan struct{} }

func (b blockingWriter) Write(p []byte) (int, error) {
	<-b.release
	return len(p), nil
}

// TestAnswerBeforeLog: an answer of known length reaches the client while the access log
// is still being written, so a replica that dies (or a log pipe that stalls) right after
// answering does not cut the answer off.
func TestAnswerBeforeLog(t *testing.T) {
	buildTestSite(t)
	logw := blockingWriter{make(chan struct{})}
	srv := New(built.dest, func() (*render.Pages, error) { return built.pages, nil }, log.New(logw, "", 0))
	ix, err := indexer.Open(built.index, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(ix, ix)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer close(logw.release) // before ts.Close: the handler must be let go

	// Identity and gzip: the API sends both with their length. (Pages compressed on the
	// fly are chunked: their end is the chunk terminator, written after the log line.)
	for _, enc := range []string{"identity", "gzip"} {
		path := "/api/search?q=" + url.QueryEscape("低保")
		got := make(chan error, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
			req.Header.Set("Accept-Encoding", enc)
			// A connection of its own: the first one is still busy logging.
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			res, err := client.Do(req)
			if err == nil {
				_, err = io.ReadAll(res.Body)
				res.Body.Close()
			}
			got <- err
		}()
		select {
		case err := <-got:
			if err != nil {
				t.Errorf("GET %s (%s): %v", path, enc, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("GET %s (%s): no complete answer while the access log blocks", path, enc)
		}
	}
}
