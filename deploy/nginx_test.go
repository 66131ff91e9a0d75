//go:build unix

// Package deploy_test runs deploy/nginx.conf in front of real jingjian serve processes:
// static pages, assets and headers straight from nginx, search through the upstream, and
// no failed request while one of two replicas is killed.
package deploy_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The three values an admin replaces in deploy/nginx.conf.
const (
	listenLiteral   = "listen 80;"
	rootLiteral     = "root /srv/jingjian/public;"
	upstreamLiteral = "127.0.0.1:1313"
)

func TestNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nginx and two jingjian serve processes; skipped in -short mode")
	}
	nginx := findNginx()
	if nginx == "" {
		t.Skip("nginx is not installed (not on PATH nor /usr/sbin/nginx); apt-get install nginx")
	}
	if _, err := os.Stat("/etc/nginx/mime.types"); err != nil {
		t.Skip("no /etc/nginx/mime.types (not a Debian-style nginx install)")
	}
	start := time.Now()
	tmpl, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, lit := range []string{listenLiteral, rootLiteral, upstreamLiteral} {
		if n := len(directiveLines(string(tmpl), lit)); n != 1 {
			t.Fatalf("deploy/nginx.conf holds %q on %d lines outside comments, want exactly one", lit, n)
		}
	}

	tmp := t.TempDir()
	bin := buildJingjian(t, tmp)
	siteDir := filepath.Join(tmp, "site")
	copyExampleSite(t, siteDir)
	run(t, bin, "build", "-s", siteDir, "-q")
	t.Logf("jingjian built and the example site built in %s", time.Since(start).Round(time.Millisecond))

	// The first replica; the second starts only once this one is ready (and so its build
	// step, skipped as current, has let go of the build lock).
	a := startServe(t, bin, siteDir, "a")

	ng := newNginx(t, nginx, filepath.Join(tmp, "nginx"), string(tmpl), siteDir)
	base := ng.start(t, []string{a.addr})
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}

	t.Run("static", func(t *testing.T) { checkStatic(t, client, base) })
	t.Run("search", func(t *testing.T) { checkSearch(t, client, base) })

	// Replicas: a second serve of the same built site, as a second server line.
	b := startServe(t, bin, siteDir, "b")
	ng.stop(t)
	base = ng.start(t, []string{a.addr, b.addr})
	t.Run("replicas", func(t *testing.T) { checkReplicas(t, base, ng, a, b) })
	t.Logf("whole test %s", time.Since(start).Round(time.Millisecond))
}

func findNginx() string {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// buildJingjian compiles the command once; the module root is the parent directory.
func buildJingjian(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build jingjian")
	}
	bin := filepath.Join(dir, "jingjian")
	cmd := exec.Command(goTool, "build", "-buildvcs=false", "-o", bin, "jingjian/cmd/jingjian")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// copyExampleSite copies what the repository's example site is made of. The default
// theme is embedded in the binary; site-level layouts, assets or static files are copied
// when the example has them.
func copyExampleSite(t *testing.T, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config.toml", "content", "layouts", "assets", "static", "themes", "dict"} {
		src := filepath.Join("..", name)
		fi, err := os.Stat(src)
		if os.IsNotExist(err) && name != "config.toml" && name != "content" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if fi.IsDir() {
			err = os.CopyFS(filepath.Join(dst, name), os.DirFS(src))
		} else {
			var b []byte
			if b, err = os.ReadFile(src); err == nil {
				err = os.WriteFile(filepath.Join(dst, name), b, 0o644)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func run(t *testing.T, bin string, args ...string) {
	t.Helper()
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("jingjian %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// freeAddr returns a 127.0.0.1 address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type serveProc struct {
	name string
	addr string
	cmd  *exec.Cmd
	log  *syncBuffer // stderr: the access log, one line a request
	done chan struct{}
}

// searches counts the API searches this process's access log records.
func (p *serveProc) searches() int { return strings.Count(p.log.String(), `"/api/search?`) }

func startServe(t *testing.T, bin, siteDir, name string) *serveProc {
	t.Helper()
	p := &serveProc{name: name, addr: freeAddr(t), log: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "-s", siteDir, "--addr", p.addr, "--watch=false")
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("serve %s output:\n%s", name, tail(p.log.String(), 40))
		}
	})
	waitHealthy(t, "http://"+p.addr+"/healthz", p.done, p.log)
	return p
}

// waitHealthy polls url until it answers 200, the process exits or 15 s pass.
func waitHealthy(t *testing.T, u string, done <-chan struct{}, log *syncBuffer) {
	t.Helper()
	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			t.Fatalf("process exited before %s answered:\n%s", u, log)
		default:
		}
		if resp, err := c.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not answer 200 within 15 s:\n%s", u, log)
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// nginxProc runs nginx as the test user under a temporary prefix.
type nginxProc struct {
	bin, prefix, tmpl, siteDir string
	errFlag                    bool // nginx takes -e (1.19.5+)
	cmd                        *exec.Cmd
	out                        *syncBuffer
	done                       chan struct{}
}

func newNginx(t *testing.T, bin, prefix, tmpl, siteDir string) *nginxProc {
	for _, d := range []string{"logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"} {
		if err := os.MkdirAll(filepath.Join(prefix, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	help, _ := exec.Command(bin, "-h").CombinedOutput()
	return &nginxProc{bin: bin, prefix: prefix, tmpl: tmpl, siteDir: siteDir, errFlag: bytes.Contains(help, []byte("-e filename"))}
}

// directiveLines returns the indexes of the lines holding lit outside a comment.
func directiveLines(conf, lit string) []int {
	var at []int
	for i, l := range strings.Split(conf, "\n") {
		code, _, _ := strings.Cut(l, "#")
		if strings.Contains(code, lit) {
			at = append(at, i)
		}
	}
	return at
}

// serverConf derives a runnable server.conf from deploy/nginx.conf: the three literal
// values replaced, and one upstream server line per replica.
func (n *nginxProc) serverConf(t *testing.T, listen string, upstreams []string) string {
	t.Helper()
	lines := strings.Split(n.tmpl, "\n")
	replace := func(lit string, with ...string) {
		at := directiveLines(n.tmpl, lit)
		if len(at) != 1 {
			t.Fatalf("deploy/nginx.conf holds %q on %d lines outside comments, want exactly one", lit, len(at))
		}
		var out []string
		for _, w := range with {
			out = append(out, strings.Replace(lines[at[0]], lit, w, 1))
		}
		lines[at[0]] = strings.Join(out, "\n")
	}
	replace(listenLiteral, "listen "+listen+";")
	replace(rootLiteral, "root "+filepath.Join(n.siteDir, "public")+";")
	if l := strings.TrimSpace(lines[directiveLines(n.tmpl, upstreamLiteral)[0]]); !strings.HasPrefix(l, "server ") {
		t.Fatalf("%q is not on an upstream server line: %q", upstreamLiteral, l)
	}
	replace(upstreamLiteral, upstreams...) // one server line per replica
	return strings.Join(lines, "\n")
}

func (n *nginxProc) args() []string {
	args := []string{"-p", n.prefix + "/", "-c", filepath.Join(n.prefix, "main.conf")}
	// Before it reads the configuration nginx opens its built-in error log (under
	// /var/log/nginx, not writable by a test user); -e (nginx 1.19.5+) points it here.
	if n.errFlag {
		args = append(args, "-e", filepath.Join(n.prefix, "logs", "error.log"))
	}
	return args
}

func (n *nginxProc) errorLog() string {
	b, _ := os.ReadFile(filepath.Join(n.prefix, "logs", "error.log"))
	return string(b)
}

// start writes the configuration, checks it with nginx -t and runs nginx in the
// foreground; it returns the base URL once nginx proxies /healthz.
func (n *nginxProc) start(t *testing.T, upstreams []string) string {
	t.Helper()
	listen := freeAddr(t)
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n" // workers must read the test's private temp dir
	}
	main := fmt.Sprintf(`%sdaemon off;
worker_processes 2;
pid %[2]s/nginx.pid;
error_log %[2]s/logs/error.log notice;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log %[2]s/logs/access.log;
    client_body_temp_path %[2]s/tmp/body;
    proxy_temp_path %[2]s/tmp/proxy;
    fastcgi_temp_path %[2]s/tmp/fastcgi;
    uwsgi_temp_path %[2]s/tmp/uwsgi;
    scgi_temp_path %[2]s/tmp/scgi;
    include %[2]s/server.conf;
}
`, user, n.prefix)
	if err := os.WriteFile(filepath.Join(n.prefix, "main.conf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(n.prefix, "server.conf"), []byte(n.serverConf(t, listen, upstreams)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(n.bin, append(n.args(), "-t")...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t rejects deploy/nginx.conf: %v\n%s", err, out)
	} else if bytes.Contains(out, []byte("[warn]")) {
		t.Errorf("nginx -t warns about deploy/nginx.conf:\n%s", out)
	}
	n.out, n.done = &syncBuffer{}, make(chan struct{})
	n.cmd = exec.Command(n.bin, n.args()...)
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // workers share the group: kill them too
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmd, done := n.cmd, n.done
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { n.kill(cmd, done) })
	base := "http://" + listen
	waitHealthy(t, base+"/healthz", done, n.out)
	return base
}

// kill stops an nginx started by start: master and workers, by process group.
func (n *nginxProc) kill(cmd *exec.Cmd, done chan struct{}) {
	pgid := cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	<-done
}

func (n *nginxProc) stop(t *testing.T) { n.kill(n.cmd, n.done) }

func get(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// decoded undoes one gzip layer when the response says so.
func decoded(t *testing.T, resp *http.Response, body []byte) []byte {
	t.Helper()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		return body
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: Content-Encoding gzip but %v", resp.Request.URL, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: bad gzip body: %v", resp.Request.URL, err)
	}
	return b
}

// checkSecurity wants each security header exactly once, as strict as jingjian serve's.
func checkSecurity(t *testing.T, resp *http.Response) {
	t.Helper()
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	}
	for k, v := range want {
		if got := resp.Header.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s: %s = %q, want exactly [%q]", resp.Request.URL.Path, k, got, v)
		}
	}
	csp := resp.Header.Values("Content-Security-Policy")
	if len(csp) != 1 {
		t.Errorf("%s: Content-Security-Policy = %q, want exactly one", resp.Request.URL.Path, csp)
		return
	}
	for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp[0], d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", resp.Request.URL.Path, csp[0], d)
		}
	}
	if strings.Contains(csp[0], "unsafe-") {
		t.Errorf("%s: Content-Security-Policy %q allows unsafe-*", resp.Request.URL.Path, csp[0])
	}
}

var stylesheet = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+\.[0-9a-f]{10}\.css)"`)

func checkStatic(t *testing.T, c *http.Client, base string) {
	resp, body := get(t, c, base+"/", "Accept-Encoding", "gzip")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(ct, "utf-8") {
		t.Errorf("GET / Content-Type %q, want text/html; charset=utf-8", ct)
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Errorf("GET / with Accept-Encoding: gzip: Content-Encoding %q", ce)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("GET / Cache-Control %q, want no-cache", cc)
	}
	checkSecurity(t, resp)
	page := decoded(t, resp, body)
	t.Logf("GET / → %d, %d bytes gzip (%d plain), ETag %s, Vary %q", resp.StatusCode, len(body), len(page), resp.Header.Get("ETag"), resp.Header.Values("Vary"))

	m := stylesheet.FindSubmatch(page)
	if m == nil {
		t.Fatalf("GET / links no fingerprinted stylesheet:\n%.600s", page)
	}
	ref, _ := url.Parse(string(m[1]))
	cssURL := resp.Request.URL.ResolveReference(ref).String()
	resp, body = get(t, c, cssURL, "Accept-Encoding", "gzip")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", cssURL, resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("GET %s Cache-Control %q, want a year and immutable", cssURL, cc)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("GET %s Content-Type %q", cssURL, ct)
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Errorf("GET %s Content-Encoding %q, want gzip", cssURL, ce)
	}
	checkSecurity(t, resp)
	t.Logf("GET %s → %d, Cache-Control %q, %d bytes gzip", resp.Request.URL.Path, resp.StatusCode, resp.Header.Get("Cache-Control"), len(body))

	// A missing page gets the site's own 404 page, with the same headers.
	resp, body = get(t, c, base+"/no/such/page/")
	if resp.StatusCode != http.StatusNotFound || !bytes.Contains(body, []byte("<html")) {
		t.Errorf("GET /no/such/page/ = %d, %.200s", resp.StatusCode, body)
	}
	checkSecurity(t, resp)

	// Dotfiles (the build's marker and manifest exist in public/) are never served.
	for _, p := range []string{"/.jingjian-output", "/.jingjian-manifest", "/css/.x", "/.git/config"} {
		resp, _ := get(t, c, base+p)
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 403 or 404", p, resp.StatusCode)
		}
	}
}

type searchResult struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		Title string `json:"title"`
		URL   string `json:"url"`
	} `json:"hits"`
}

func checkSearch(t *testing.T, c *http.Client, base string) {
	q := url.Values{"q": {"低保"}}.Encode()
	resp, body := get(t, c, base+"/api/search?"+q, "Accept-Encoding", "gzip")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/search?q=低保 = %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("/api/search Content-Type %q", ct)
	}
	if ce := resp.Header.Values("Content-Encoding"); len(ce) != 1 || ce[0] != "gzip" {
		t.Errorf("/api/search Content-Encoding %q, want exactly [gzip]", ce)
	}
	checkSecurity(t, resp)
	var res searchResult
	if err := json.Unmarshal(decoded(t, resp, body), &res); err != nil {
		t.Fatalf("/api/search: %v", err)
	}
	if res.Total == 0 || len(res.Hits) == 0 || res.Hits[0].Title == "" {
		t.Fatalf("/api/search?q=低保: no hits: %+v", res)
	}
	t.Logf("GET /api/search?q=低保 → %d, %d hits, Cache-Control %q, Vary %q", resp.StatusCode, res.Total, resp.Header.Get("Cache-Control"), resp.Header.Values("Vary"))

	resp, body = get(t, c, base+"/search?"+q, "Accept-Encoding", "gzip")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /search?q=低保 = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("/search Content-Type %q", ct)
	}
	checkSecurity(t, resp)
	page := decoded(t, resp, body)
	if !bytes.Contains(page, []byte("search-hit-title")) || !bytes.Contains(page, []byte(res.Hits[0].Title)) {
		t.Errorf("/search?q=低保 lacks the first hit %q:\n%.800s", res.Hits[0].Title, page)
	}
	t.Logf("GET /search?q=低保 → %d, Content-Encoding %q, Vary %q", resp.StatusCode, resp.Header.Values("Content-Encoding"), resp.Header.Values("Vary"))

	resp, body = get(t, c, base+"/healthz")
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		t.Errorf("GET /healthz = %d %q", resp.StatusCode, body)
	}
}

var queries = []string{"低保", "养老", "挪用", "受贿", "殡葬", "救助", "儿童", "工程", "采购", "公款", "虚报冒领", "礼金", "婚姻登记", "慈善", "财务", "纪律"}

// checkReplicas searches through nginx with two replicas behind it and kills one midway.
func checkReplicas(t *testing.T, base string, ng *nginxProc, a, b *serveProc) {
	const (
		total   = 400
		clients = 4
		every   = 40 * time.Millisecond // per client: 4 clients × 25/s ≈ 4 s in all
	)
	client := &http.Client{Timeout: 5 * time.Second}
	var (
		next, failed atomic.Int64
		mu           sync.Mutex
		failures     []string
		latencies    []time.Duration
		slow         []string // requests over 100 ms, with when they started in the loop
		killedAt     time.Duration
		killOnce     sync.Once
	)
	aBefore, bBefore := a.searches(), b.searches()
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(every)
			defer tick.Stop()
			for {
				i := next.Add(1) - 1
				if i >= total || ctx.Err() != nil {
					return
				}
				if i == total/2 {
					killOnce.Do(func() {
						a.cmd.Process.Signal(syscall.SIGKILL)
						killedAt = time.Since(began)
					})
				}
				u := fmt.Sprintf("%s/api/search?q=%s&page=%d", base, url.QueryEscape(queries[int(i)%len(queries)]), 1+int(i)/len(queries)%3)
				t0 := time.Now()
				status, err := fetch(ctx, client, u)
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				if d > 100*time.Millisecond {
					slow = append(slow, fmt.Sprintf("#%d started %s took %s", i, t0.Sub(began).Round(time.Millisecond), d.Round(time.Millisecond)))
				}
				if err != nil || status != http.StatusOK {
					failed.Add(1)
					failures = append(failures, fmt.Sprintf("#%d %s: status %d, %v", i, u, status, err))
				}
				mu.Unlock()
				select {
				case <-tick.C:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	<-a.done
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) time.Duration {
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Round(10 * time.Microsecond)
	}
	// Every [error] line about the upstream is one try nginx passed on to the next
	// replica; [warn] lines say a worker stopped sending to the dead one.
	var upstreamErrs []string
	tries, disabled := 0, 0
	for _, l := range strings.Split(ng.errorLog(), "\n") {
		switch {
		case !strings.Contains(l, "upstream"):
			continue
		case strings.Contains(l, "[error]"):
			tries++
		case strings.Contains(l, "temporarily disabled"):
			disabled++
		}
		upstreamErrs = append(upstreamErrs, l)
	}
	servedA, servedB := a.searches()-aBefore, b.searches()-bBefore
	t.Logf("replicas: %d requests by %d clients in %s, replica a SIGKILLed at %s; %d failed; latency p50 %s p99 %s max %s; served by a %d, b %d",
		len(latencies), clients, elapsed.Round(time.Millisecond), killedAt.Round(time.Millisecond), failed.Load(),
		pct(0.50), pct(0.99), latencies[len(latencies)-1].Round(10*time.Microsecond), servedA, servedB)
	t.Logf("requests over 100 ms: %d %q", len(slow), slow)
	t.Logf("nginx error log: %d failed tries passed on to the other replica, %d times a worker disabled the dead one:\n%s", tries, disabled, strings.Join(upstreamErrs, "\n"))
	if len(latencies) != total {
		t.Errorf("%d requests made, want %d", len(latencies), total)
	}
	if failed.Load() > 0 {
		t.Errorf("%d of %d requests failed with one replica killed:\n%s\nnginx error log:\n%s", failed.Load(), total, strings.Join(failures[:min(10, len(failures))], "\n"), tail(ng.errorLog(), 20))
	}
	if servedA == 0 || servedB == 0 {
		t.Errorf("the load did not reach both replicas: a %d, b %d", servedA, servedB)
	}
	// The survivor answers everything after the kill.
	if n := servedB; n < total/2 {
		t.Errorf("replica b served %d searches, want at least the %d after the kill", n, total/2)
	}
}

func fetch(ctx context.Context, c *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var res searchResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return resp.StatusCode, fmt.Errorf("body: %v", err)
	}
	return resp.StatusCode, nil
}
