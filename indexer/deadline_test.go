package indexer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// denseChars are common characters of regulations; denseIndex's documents are made of them.
const denseChars = "人民法规定行关年第条理本应国其当施不或事用对下据自会作者员经通合实依照务制发公及等过共可根他于并起内所由责时同部出机成律政保提上管要进主方分权工准按情处地任予向次"

// denseIndex indexes 24 long documents made of denseChars: a query of those characters
// finds them all at once, and their snippets take far longer than the search.
func denseIndex(t *testing.T) *Index {
	t.Helper()
	chars := []rune(denseChars)
	r := rand.New(rand.NewPCG(1, 1))
	files := map[string]string{}
	for i := range 24 {
		var b strings.Builder
		fmt.Fprintf(&b, "# 文件%d\n\n", i)
		for b.Len() < 60_000 {
			for range 30 {
				b.WriteRune(chars[r.IntN(len(chars))])
			}
			b.WriteString("。\n\n")
		}
		files[fmt.Sprintf("content/d%02d.md", i)] = b.String()
	}
	dir := sitetest.Write(t, files)
	s, err := site.Load(context.Background(), dir, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(dir, "index")
	if _, err := Build(context.Background(), index, Docs(s), Options{Sections: SectionTitles(s)}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(index, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestSearchDeadlineCoversSnippets: the context's deadline holds for everything a search
// does, not only bleve's part, and a search that runs out of time gives no result.
func TestSearchDeadlineCoversSnippets(t *testing.T) {
	ix := denseIndex(t)
	req := Request{Query: strings.Join(strings.Split(denseChars, ""), " "), Limit: 100}
	// Every search below runs on the index freshly opened, so each does the same work:
	// decoding the documents (and building their character index) as well as the snippets.
	fresh := func() *Index {
		f, err := Open(ix.dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	// How long the whole search takes without a deadline: the fastest of three, as other
	// tests beside this one slow some runs.
	took := time.Hour
	for range 3 {
		f := fresh()
		start := time.Now()
		res, err := f.Search(context.Background(), req)
		if err != nil || len(res.Hits) != 24 {
			t.Fatalf("%v, %d hits", err, len(res.Hits))
		}
		took = min(took, time.Since(start))
	}

	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	canceled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	for _, c := range []struct {
		name string
		ctx  func(f *Index) context.Context // the search's context, set up on f
		want error
	}{
		{"ends once bleve's part is done", func(f *Index) context.Context {
			ctx := &laterDeadline{Context: context.Background(), done: make(chan struct{})}
			f.afterRun = ctx.expire
			return ctx
		}, context.DeadlineExceeded},
		{"ended before", func(*Index) context.Context { return expired }, context.DeadlineExceeded},
		{"canceled", func(*Index) context.Context { return canceled }, context.Canceled},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := fresh()
			ctx := c.ctx(f)
			start := time.Now()
			res, err := f.Search(ctx, req)
			elapsed := time.Since(start)
			if !errors.Is(err, c.want) || !errors.Is(err, ErrTimeout) || res != nil {
				t.Fatalf("got %v (result %v), want an error wrapping %v and ErrTimeout", err, res != nil, c.want)
			}
			// Given up before the whole search's time, give or take a loaded machine.
			if elapsed > 2*took {
				t.Errorf("gave up after %v; the whole search takes %v", elapsed, took)
			}
		})
	}
}

// A laterDeadline is a context whose deadline passes when expire is called: a search's
// deadline ending just after bleve's part, whatever the machine's speed.
type laterDeadline struct {
	context.Context
	done    chan struct{}
	expired atomic.Bool
}

func (c *laterDeadline) expire() {
	if c.expired.CompareAndSwap(false, true) {
		close(c.done)
	}
}

func (c *laterDeadline) Done() <-chan struct{} { return c.done }

func (c *laterDeadline) Err() error {
	if c.expired.Load() {
		return context.DeadlineExceeded
	}
	return nil
}

// A snippet of a long text full of the terms stops when its context ends.
func TestSnippetStopsAtDeadline(t *testing.T) {
	text := strings.Repeat(denseChars+"\n", 5_000) // about 1 MB
	terms := strings.Split(denseChars, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := Snippet(ctx, text, nil, terms); !errors.Is(err, context.Canceled) || s != "" {
		t.Errorf("canceled: %q, %v", s, err)
	}
	s, err := Snippet(context.Background(), text, nil, append(terms, terms...))
	if err != nil || !strings.HasPrefix(s, "<mark>人</mark><mark>民</mark>") {
		t.Errorf("%.100q, %v", s, err)
	}
}
