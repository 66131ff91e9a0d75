package indexer

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestListSearcherAdvances: a term's searcher over its cached postings list gives what
// bleve's term searcher gives when advanced forwards, onto the document it is on, back
// towards the start and past the last document. (Once past its last match, scorch's
// reader stays there whatever it is asked, where a list searcher starts again: no
// searcher asks, and the walk stops there.)
func TestListSearcherAdvances(t *testing.T) {
	ix, r, m := smallShard(t)
	ctx := context.Background()
	opts := search.SearcherOptions{Score: "bm25"}
	for _, w := range []string{"低保", "接待", "审核", "没有这个词"} {
		tq := termQuery(w, fBody).(*query.TermQuery)
		tq.SetBoost(2)
		ours, err := ix.clauseSearcher(ctx, tq, r, m, opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ours.(*listSearcher); !ok {
			t.Fatalf("%s: %T, not a listSearcher", w, ours)
		}
		theirs, err := tq.Searcher(ctx, r, m, opts)
		if err != nil {
			t.Fatal(err)
		}
		ours.SetQueryNorm(0.3)
		theirs.SetQueryNorm(0.3)
		if ours.Count() != theirs.Count() || ours.Weight() != theirs.Weight() {
			t.Errorf("%s: count %d weight %v, bleve's %d %v", w, ours.Count(), ours.Weight(), theirs.Count(), theirs.Weight())
		}
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(4, 0)}
		describe := func(dm *search.DocumentMatch) any {
			if dm == nil {
				return nil
			}
			d, _ := docNumber(dm.IndexInternalID)
			return [2]any{d, dm.Score}
		}
		past := false // bleve's reader is past its last match
		for _, to := range []uint64{0, 3, 3, 4, 2, 0, 5, 9, 1 << 20} {
			if past {
				break // see above: from here on scorch's readers differ
			}
			a, err := ours.Advance(sctx, binaryID(to))
			if err != nil {
				t.Fatal(err)
			}
			b, err := theirs.Advance(sctx, binaryID(to))
			if err != nil {
				t.Fatal(err)
			}
			past = b == nil
			if got, want := describe(a), describe(b); got != want {
				t.Errorf("%s: advanced to %d: %v, bleve's %v", w, to, got, want)
			}
			for _, dm := range []*search.DocumentMatch{a, b} {
				if dm != nil {
					sctx.DocumentMatchPool.Put(dm)
				}
			}
		}
		ours.Close()
		theirs.Close()
	}
}

// TestConcurrentSearchesAgree: searches running at once on one index, while it warms,
// filling and sharing its postings cache, give what one search at a time without the
// cache gives.
func TestConcurrentSearchesAgree(t *testing.T) {
	small := openSmall(t)
	open := func() *Index {
		ix, err := Open(small.dir, small.syn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	queries := []string{"低保", "低保 审核", "养老 补贴", "公务接待 标准", "集体研究", "低保 -养老", `"公务接待"`, "审核 栏目:cases"}
	plain := open()
	plain.SetPostingsCacheBytes(0)
	want := map[string]string{}
	describe := func(r *Result) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%d:", r.Total)
		for _, h := range r.Hits {
			fmt.Fprintf(&b, " %s %.12g %s|", h.URL, h.Score, h.Snippet)
		}
		return b.String()
	}
	for _, q := range queries {
		r, err := plain.Search(context.Background(), Request{Query: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want[q] = describe(r)
	}
	shared := open()
	shared.postingsLeast = 1
	shared.Warm()
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(queries)*5)
	for g := range 8 {
		wg.Go(func() {
			for k := range 5 * len(queries) {
				q := queries[(g+k)%len(queries)]
				r, err := shared.Search(context.Background(), Request{Query: q, Limit: 10})
				if err != nil {
					errs <- err.Error()
					return
				}
				if got := describe(r); got != want[q] {
					errs <- fmt.Sprintf("%s:\n got  %s\n want %s", q, got, want[q])
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if shared.postings.bytes() == 0 {
		t.Error("nothing was cached")
	}
}
