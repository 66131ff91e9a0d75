package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"jingjian/internal/textpos"
)

// batchDelay is how long the watcher waits after a change for more changes, so an editor
// saving a file in several steps (write, rename, chmod: a few milliseconds apart) causes
// one rebuild. It is all the time live preview spends waiting: a longer burst, such as a
// git checkout, may cause a second rebuild, which the page and memo caches make cheap.
const batchDelay = 30 * time.Millisecond

// hub sends live-reload events to every open page.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]bool
	last    *event // the current error, shown to pages that connect later
}

type event struct {
	name string // "reload" or "error"
	data string // for errors: JSON list of messages
}

func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.clients == nil {
		h.clients = map[chan event]bool{}
	}
	c := make(chan event, 4)
	if h.last != nil {
		c <- *h.last
	}
	h.clients[c] = true
	return c
}

func (h *hub) unsubscribe(c chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.clients, c)
}

func (h *hub) send(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e.name == "error" {
		h.last = &e
	} else {
		h.last = nil
	}
	for c := range h.clients {
		select {
		case c <- e:
		default: // a slow page misses one event; the next reload catches it up
		}
	}
}

// events streams live-reload events (Server-Sent Events) to a page.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": jingjian live reload\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	c := s.live.subscribe()
	defer s.live.unsubscribe(c)
	keep := time.NewTicker(25 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-c:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
			_ = rc.Flush()
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			_ = rc.Flush()
		}
	}
}

// Rebuilt tells open pages the outcome of a rebuild: reload on success; on failure an
// overlay listing every error (path:line:col: message) while the last good site stays.
func (s *Server) Rebuilt(err error) {
	if err == nil {
		s.live.send(event{name: "reload", data: "{}"})
		return
	}
	var msgs []string
	var list textpos.List
	if errors.As(err, &list) {
		for _, e := range list {
			msgs = append(msgs, e.Error())
		}
	} else {
		msgs = []string{err.Error()}
	}
	b, _ := json.Marshal(msgs)
	s.live.send(event{name: "error", data: string(b)})
}

// Watch rebuilds when anything under roots changes (folders recursively, new folders
// included) and tells open pages. It returns once the roots are watched and pages get the
// live-reload script, so nothing saved after it returns is missed; the watching goes on
// in the background until ctx ends, and done then reports how it ended. rebuild runs one
// build at a time, for a batch of changes, and is told which paths changed.
func (s *Server) Watch(ctx context.Context, roots []string, rebuild func(ctx context.Context, changed []string) error) (done <-chan error, err error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	add := func(root string) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if strings.HasPrefix(d.Name(), ".") && p != root {
					return filepath.SkipDir
				}
				_ = w.Add(p)
			}
			return nil
		})
	}
	for _, r := range roots {
		if info, err := os.Stat(r); err == nil && info.IsDir() {
			add(r)
		} else if err == nil {
			_ = w.Add(r)
		}
	}
	s.watching.Store(true)
	ch := make(chan error, 1)
	go func() {
		defer w.Close()
		defer s.watching.Store(false)
		ch <- s.watchLoop(ctx, w, add, rebuild)
	}()
	return ch, nil
}

// watchLoop batches the watcher's events and rebuilds, until ctx ends.
func (s *Server) watchLoop(ctx context.Context, w *fsnotify.Watcher, add func(string), rebuild func(ctx context.Context, changed []string) error) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var pending []string
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if strings.HasPrefix(filepath.Base(ev.Name), ".") || strings.HasSuffix(ev.Name, "~") {
				continue // editor swap and backup files
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					add(ev.Name)
				}
			}
			if !slices.Contains(pending, ev.Name) {
				pending = append(pending, ev.Name)
			}
			timer.Reset(batchDelay)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			s.log.Printf("watch: %v", err)
		case <-timer.C:
			if len(pending) > 0 {
				changed := pending
				pending = nil
				s.Rebuilt(rebuild(ctx, changed))
			}
		}
	}
}
