package server

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/andybalholm/brotli/matchfinder"
)

// secure allows only reads and sets the headers every response carries.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "405 只读站点：只支持 GET 和 HEAD", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// encodingSuffix is what compress adds to an ETag: "…-br" or "…-gzip".
var encodingSuffix = regexp.MustCompile(`-(br|gzip)"`)

// compressible reports whether a response of this content type is worth compressing.
func compressible(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "text/event-stream" {
		return false // a stream: every event must go out at once
	}
	return strings.HasPrefix(mt, "text/") || mt == "application/json" || mt == "application/javascript" ||
		mt == "application/xml" || mt == "image/svg+xml" || mt == "application/rss+xml"
}

// compress sends text as brotli or gzip, whichever the browser prefers, unless a byte
// range was asked for. The ETag changes with the encoding, as caches expect.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		// A cached compressed copy revalidates with its own ETag: compare it as the file's.
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			r.Header.Set("If-None-Match", encodingSuffix.ReplaceAllString(inm, `"`))
		}
		cw := &compressWriter{ResponseWriter: w, r: r}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

type compressWriter struct {
	http.ResponseWriter
	r       *http.Request
	out     *encoder
	decided bool
}

func (c *compressWriter) WriteHeader(status int) {
	if !c.decided {
		c.decided = true
		h := c.Header()
		ct := h.Get("Content-Type")
		if ct == "" {
			ct = mime.TypeByExtension(path.Ext(c.r.URL.Path))
		}
		if status == http.StatusOK && h.Get("Content-Encoding") == "" && compressible(ct) {
			etag := h.Get("ETag")
			h.Add("Vary", "Accept-Encoding")
			if enc := negotiate(c.r.Header.Get("Accept-Encoding")); enc != "" {
				c.out = newEncoder(enc, c.ResponseWriter)
				h.Set("Content-Encoding", enc)
				h.Del("Content-Length")
				if etag != "" {
					h.Set("ETag", strings.TrimSuffix(etag, `"`)+"-"+enc+`"`)
				}
			}
		}
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *compressWriter) Write(b []byte) (int, error) {
	if !c.decided {
		c.WriteHeader(http.StatusOK)
	}
	if c.out != nil {
		return c.out.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *compressWriter) close() {
	if c.out != nil {
		c.out.Close()
		c.out.release()
	}
}

// Encoders are pooled: a new gzip or brotli writer allocates hundreds of KB, which under
// load cost more than the compression itself.
var (
	brotliPool = sync.Pool{New: func() any { return brotli.NewWriterV2(nil, brotli.DefaultCompression) }}
	gzipPool   = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}
)

// encoder is a pooled compressor writing to one response.
type encoder struct {
	io.WriteCloser
	release func()
}

func newEncoder(enc string, w io.Writer) *encoder {
	if enc == "br" {
		bw := brotliPool.Get().(*matchfinder.Writer)
		bw.Reset(w)
		return &encoder{bw, func() { bw.Reset(nil); brotliPool.Put(bw) }}
	}
	gw := gzipPool.Get().(*gzip.Writer)
	gw.Reset(w)
	return &encoder{gw, func() { gw.Reset(nil); gzipPool.Put(gw) }}
}

// negotiate picks br or gzip from an Accept-Encoding header, the one with the higher
// quality value and br on a tie; "" when neither is acceptable.
func negotiate(header string) string {
	best, bestQ := "", 0.0
	for _, enc := range []string{"br", "gzip"} {
		if q := quality(header, enc); q > bestQ {
			best, bestQ = enc, q
		}
	}
	return best
}

// accepts tells whether an Accept-Encoding header allows enc.
func accepts(header, enc string) bool { return quality(header, enc) > 0 }

// quality is the q-value an Accept-Encoding header gives enc, by name or through "*".
func quality(header, enc string) float64 {
	named, star := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case enc:
			named = max(named, q)
		case "*":
			star = max(star, q)
		}
	}
	if named >= 0 {
		return named
	}
	return max(star, 0)
}

// statusWriter remembers the status and size of a response, for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logged writes one access-log line per request.
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if s.log != nil {
			// An answer of known length goes on the wire before the log line is written:
			// otherwise a replica killed (or a stderr pipe that blocks) between the two
			// holds back, or truncates, an answer that was complete, and nginx cannot
			// pass a half-sent answer on to the other replica. Without a Content-Length
			// the server still decides the framing itself at the end.
			if sw.Header().Get("Content-Length") != "" {
				http.NewResponseController(sw).Flush()
			}
			s.log.Printf("%s %s %q %d %d %s", r.RemoteAddr, r.Method, r.URL.RequestURI(), sw.status, sw.bytes, time.Since(start).Round(time.Microsecond))
		}
	})
}
