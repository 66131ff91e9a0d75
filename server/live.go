package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// liveJS reloads the page when the site is rebuilt and shows build errors over the page
// until they are fixed. It is served only to pages of a watching server.
const liveJS = `(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var box = null;
  function overlay(msgs) {
    if (!box) {
      box = document.createElement("div");
      box.id = "jingjian-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;background:#fff5f5;color:#8a1116;border-top:4px solid #a3131a;padding:1rem 1.25rem;font:14px/1.6 monospace;white-space:pre-wrap;box-shadow:0 -4px 20px rgba(0,0,0,.2)";
      document.body.appendChild(box);
    }
    box.textContent = "构建失败，正在显示上一次成功的版本。修改后会自动刷新：\n\n" + msgs.join("\n");
  }
  var es = new EventSource("/_jingjian/events");
  // Says the page is listening (browser tests wait for it before editing a file).
  es.addEventListener("open", function () { document.documentElement.setAttribute("data-live", "connected"); });
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("error", function (e) { if (e.data) { try { overlay(JSON.parse(e.data)); } catch (_) {} } });
})();
`

func liveScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(liveJS))
}

// injectLive adds the live-reload script to HTML pages while the server watches.
func (s *Server) injectLive(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.watching.Load() {
			next.ServeHTTP(w, r)
			return
		}
		rec := &bufferWriter{header: http.Header{}}
		next.ServeHTTP(rec, r)
		body := rec.buf.Bytes()
		if strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
			tag := []byte(`<script src="/_jingjian/live.js" defer></script></body>`)
			body = bytes.Replace(body, []byte("</body>"), tag, 1)
			rec.header.Del("ETag") // the page is no longer the file
			rec.header.Set("Cache-Control", "no-store")
			rec.header.Set("Content-Length", strconv.Itoa(len(body)))
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status())
		w.Write(body)
	})
}

// bufferWriter holds a response so it can be changed before it is sent.
type bufferWriter struct {
	header http.Header
	code   int
	buf    bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.code == 0 {
		b.code = http.StatusOK
	}
	return b.buf.Write(p)
}

func (b *bufferWriter) status() int {
	if b.code == 0 {
		return http.StatusOK
	}
	return b.code
}
