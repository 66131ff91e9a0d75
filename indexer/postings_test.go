package indexer

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestListSearcherAdvances: a term's searcher over its cached postings list gives what
// bleve's term searcher gives when advanced forwards, onto the document it is on, back
// towards the start and past the last document. (Once past the last, scorch's reader
// stays there whatever it is asked, as its readers of some segments do not: no searcher
// asks.)
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
		for _, to := range []uint64{0, 3, 3, 4, 2, 0, 5, 9, 1 << 20} {
			a, err := ours.Advance(sctx, binaryID(to))
			if err != nil {
				t.Fatal(err)
			}
			b, err := theirs.Advance(sctx, binaryID(to))
			if err != nil {
				t.Fatal(err)
			}
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
