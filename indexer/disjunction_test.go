package indexer

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"jingjian/internal/sitetest"
)

// asBleve rewrites a query with bleve's disjunction wherever it has a sumQuery.
func asBleve(q query.Query) query.Query {
	all := func(qs []query.Query) []query.Query {
		var out []query.Query
		for _, c := range qs {
			out = append(out, asBleve(c))
		}
		return out
	}
	switch q := q.(type) {
	case *sumQuery:
		return query.NewDisjunctionQuery(all(q.clauses))
	case *query.BooleanQuery:
		out := *q
		for _, p := range []*query.Query{&out.Must, &out.Should, &out.MustNot} {
			if *p != nil {
				*p = asBleve(*p)
			}
		}
		return &out
	case *query.ConjunctionQuery:
		out := *q
		out.Conjuncts = all(q.Conjuncts)
		return &out
	case *query.DisjunctionQuery:
		out := *q
		out.Disjuncts = all(q.Disjuncts)
		return &out
	}
	return q
}

// TestSumQueryScoresAsBleve: the queries search builds find the same documents with the
// same scores through sumQuery as through bleve's disjunction, whether its clauses are read
// whole or moved document by document, on an index whose document numbers have gaps; with
// the term clauses read from the postings cache, from a cache that keeps one list only and
// from bleve's searchers.
func TestSumQueryScoresAsBleve(t *testing.T) {
	files := map[string]string{"config.toml": smallSite["config.toml"]}
	words := []string{"低保", "审核", "养老", "补贴", "殡葬", "改革", "集体", "研究", "决定", "公务", "接待", "标准"}
	for i := range 80 {
		var body []string
		for k := range 3 + i%5 {
			body = append(body, words[(i*k+k)%len(words)]+words[(i+k)%len(words)])
		}
		files[fmt.Sprintf("content/cases/p%02d.md", i)] = fmt.Sprintf("---\ntitle: 第%d号%s通报\ndate: 2020-01-01\n---\n%s。\n", i, words[i%len(words)], strings.Join(body, "，"))
	}
	dir := sitetest.Write(t, files)
	idx := filepath.Join(t.TempDir(), "index")
	if _, err := indexSite(dir, idx, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 80; i += 3 { // gaps in the document numbers
		files[fmt.Sprintf("content/cases/p%02d.md", i)] = fmt.Sprintf("---\ntitle: 第%d号通报（改）\n---\n低保审核，养老补贴。\n", i)
	}
	if err := sitetest.WriteIn(dir, files); err != nil {
		t.Fatal(err)
	}
	ix, err := indexSite(dir, idx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.postingsLeast = 1 // the test's lists are short
	for _, limit := range []int{postingsCacheBytes, 1, 0} {
		ix.postings.limit = limit
		sumQueryAsBleve(t, ix)
	}
	if ix.postings.bytes() == 0 {
		t.Error("no postings list was kept")
	}
}

func sumQueryAsBleve(t *testing.T, ix *Index) {
	for _, text := range []string{
		"低保", "低保 审核", "养老补贴 殡葬改革", "集体研究决定公务接待标准的低保审核养老补贴殡葬改革",
		"低保 -养老", `"养老补贴" 审核`, "审核 栏目:cases", "低保审核 sort:date", "低保 审核",
	} {
		q := ParseQuery(text)
		bq, _, err := ix.build(q, &Result{})
		if err != nil {
			t.Fatal(err)
		}
		run := func(bq query.Query) *bleve.SearchResult {
			sr := bleve.NewSearchRequestOptions(bq, 100, 0, false)
			sr.PreSearchData = map[string]any{search.BM25PreSearchDataKey: ix.bm25}
			out, err := ix.idx.SearchInContext(context.Background(), sr)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		got, want := run(bq), run(asBleve(bq))
		if got.Total != want.Total || got.Total == 0 {
			t.Errorf("%s (cache of %d bytes): %d matches, bleve's disjunction %d", text, ix.postings.limit, got.Total, want.Total)
			continue
		}
		score := map[string]float64{}
		for _, h := range want.Hits {
			score[h.ID] = h.Score
		}
		for _, h := range got.Hits {
			w, ok := score[h.ID]
			if !ok || math.Abs(h.Score-w) > 1e-9*math.Max(1, w) {
				t.Errorf("%s (cache of %d bytes): %s scores %v, with bleve's disjunction %v (found %v)", text, ix.postings.limit, h.ID, h.Score, w, ok)
			}
		}
	}
}

// TestSumSearcherMoves: read whole or moved document by document, its clauses through
// bleve's searchers or from the postings cache, a sumSearcher gives what bleve's
// disjunction gives for Next and for Advance, scores included.
func TestSumSearcherMoves(t *testing.T) {
	ix, r, m := smallShard(t)
	var clauses []query.Query
	for _, w := range []string{"低保", "养老", "接待", "补贴", "审核", "公函", "集体"} {
		clauses = append(clauses, termQuery(w, fBody), ix.phrase(w, fBodyBG))
	}
	ctx := context.Background()
	opts := search.SearcherOptions{Score: "bm25"}
	type match struct {
		id    string
		score float64
	}
	// walk gives the matches of s: by Next (how 0); by Advance to every document number
	// in turn, each match once (how 1); by Next once and then Advance past every other
	// document (how 2).
	walk := func(s search.Searcher, how int) []match {
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
		var out []match
		for d := uint64(0); ; d++ {
			var dm *search.DocumentMatch
			var err error
			if how == 0 || how == 2 && len(out) == 0 {
				dm, err = s.Next(sctx)
			} else {
				dm, err = s.Advance(sctx, binaryID(d))
			}
			if err != nil {
				t.Fatal(err)
			}
			if dm == nil {
				return out
			}
			got, _ := docNumber(dm.IndexInternalID)
			if how > 0 && got < d {
				t.Fatalf("Advance to %d gave %d", d, got)
			}
			d = got
			if how == 2 {
				d++ // skips the next document
			}
			out = append(out, match{string(dm.IndexInternalID), dm.Score})
			sctx.DocumentMatchPool.Put(dm)
		}
	}
	for how := range 3 {
		for _, scoring := range []bool{false, true} {
			for _, cache := range []*Index{nil, ix} {
				ours, err := (&sumQuery{clauses: clauses, scoring: scoring, ix: cache}).Searcher(ctx, r, m, opts)
				if err != nil {
					t.Fatal(err)
				}
				theirs, err := query.NewDisjunctionQuery(clauses).Searcher(ctx, r, m, opts)
				if err != nil {
					t.Fatal(err)
				}
				got, want := walk(ours, how), walk(theirs, how)
				if len(want) < 3 || len(got) != len(want) {
					t.Fatalf("walk %d, scoring %v, cached %v: %d matches, bleve's %d", how, scoring, cache != nil, len(got), len(want))
				}
				for i := range got {
					if got[i].id != want[i].id || math.Abs(got[i].score-want[i].score) > 1e-9 {
						t.Errorf("walk %d, scoring %v, cached %v: match %d is %v, bleve's %v", how, scoring, cache != nil, i, got[i], want[i])
					}
				}
				ours.Close()
				theirs.Close()
			}
		}
	}
}

// smallShard opens the small test site's index and a reader of its first shard (closed
// when the test ends), with the shard's mapping.
func smallShard(t *testing.T) (*Index, index.IndexReader, mapping.IndexMapping) {
	ix := openSmall(t)
	adv, err := ix.shards[0].Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return ix, r, ix.shards[0].Mapping()
}

func binaryID(d uint64) []byte {
	return []byte{byte(d >> 56), byte(d >> 48), byte(d >> 40), byte(d >> 32), byte(d >> 24), byte(d >> 16), byte(d >> 8), byte(d)}
}
