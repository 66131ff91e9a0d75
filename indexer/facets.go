package indexer

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Facets (the counts per 栏目, 年份 and the site's fields among all matches) are counted by
// the search itself from columns held in memory, not by bleve's facet builder: that one
// reads and decompresses the doc values of every matching document, a tenth of a
// first-time search (BENCHMARKS.md §10). A countingQuery wraps the query; its searcher
// counts each match bleve's collector takes, by the match's document number.

// facetColumns are the facet values of every document of one shard: the values of document
// number n (scorch's, see docNumber) are values[off[n]:off[n+1]], ids into terms.
type facetColumns struct {
	off    []int32
	values []int32
	terms  []facetTerm
}

type facetTerm struct {
	field int // index into the fields counted
	term  string
}

// number returns the document number of an internal ID, or -1.
func (c *facetColumns) number(id index.IndexInternalID) int {
	n, err := docNumber(id)
	if err != nil || n >= uint64(len(c.off)-1) {
		return -1
	}
	return int(n)
}

// buildFacetColumns reads the values of fields of every document of a shard.
func buildFacetColumns(ctx context.Context, r index.IndexReader, fields []string) (*facetColumns, error) {
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer ids.Close()
	dvr, err := r.DocValueReader(fields)
	if err != nil {
		return nil, err
	}
	field := map[string]int{}
	for i, f := range fields {
		field[f] = i
	}
	termID := map[facetTerm]int32{}
	c := &facetColumns{off: []int32{0}}
	// Documents come in the order of their numbers; numbers of deleted ones hold nothing.
	for k := 0; ; k++ {
		if k%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		id, err := ids.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			return c, nil
		}
		n, err := docNumber(id)
		if err != nil {
			return nil, err
		}
		for uint64(len(c.off)-1) < n {
			c.off = append(c.off, int32(len(c.values)))
		}
		err = dvr.VisitDocValues(id, func(f string, term []byte) {
			t := facetTerm{field[f], string(term)}
			v, ok := termID[t]
			if !ok {
				v = int32(len(c.terms))
				termID[t] = v
				c.terms = append(c.terms, t)
			}
			c.values = append(c.values, v)
		})
		if err != nil {
			return nil, err
		}
		c.off = append(c.off, int32(len(c.values)))
	}
}

// facetColumnsOf returns the columns of the shard a reader reads, read on first use. An
// open index never changes, so each shard's reader is the same snapshot every search.
func (ix *Index) facetColumnsOf(ctx context.Context, r index.IndexReader) (*facetColumns, error) {
	ix.facetMu.Lock()
	defer ix.facetMu.Unlock()
	if c, ok := ix.facetCols[r]; ok {
		return c, nil
	}
	var fields []string
	for _, f := range ix.facetFields() {
		fields = append(fields, f.field)
	}
	c, err := buildFacetColumns(ctx, r, fields)
	if err != nil {
		return nil, err
	}
	if ix.facetCols == nil || len(ix.facetCols) >= 4*len(ix.shards) {
		ix.facetCols = map[index.IndexReader]*facetColumns{}
	}
	ix.facetCols[r] = c
	return c, nil
}

// A countingQuery is a query whose searchers count the facet values of their matches.
type countingQuery struct {
	query.Query
	ix   *Index
	mu   sync.Mutex
	runs []*facetRun // one per shard searched
}

type facetRun struct {
	cols   *facetColumns
	counts []int32 // per term of cols
}

func (q *countingQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	cols, err := q.ix.facetColumnsOf(ctx, r)
	if err != nil {
		return nil, err
	}
	s, err := q.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	run := &facetRun{cols: cols, counts: make([]int32, len(cols.terms))}
	q.mu.Lock()
	q.runs = append(q.runs, run)
	q.mu.Unlock()
	return &countingSearcher{Searcher: s, run: run}, nil
}

// facets returns the counts of each facet, most frequent value first (of equal counts
// the smaller), at most facetSize values each; by label.
func (q *countingQuery) facets() map[string][]Facet {
	fields := q.ix.facetFields()
	counts := make([]map[string]int, len(fields))
	q.mu.Lock()
	for _, run := range q.runs {
		for v, n := range run.counts {
			if n == 0 {
				continue
			}
			t := run.cols.terms[v]
			if counts[t.field] == nil {
				counts[t.field] = map[string]int{}
			}
			counts[t.field][t.term] += int(n)
		}
	}
	q.mu.Unlock()
	out := map[string][]Facet{}
	for i, f := range fields {
		var values []Facet
		for v, n := range counts[i] {
			values = append(values, Facet{Value: v, Count: n})
		}
		slices.SortFunc(values, func(a, b Facet) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value)) })
		if len(values) > 0 {
			out[f.label] = values[:min(len(values), facetSize)]
		}
	}
	return out
}

// A countingSearcher counts the facet values of each match it gives the collector.
type countingSearcher struct {
	search.Searcher
	run *facetRun
}

func (s *countingSearcher) count(m *search.DocumentMatch) {
	if m == nil {
		return
	}
	c := s.run.cols
	if n := c.number(m.IndexInternalID); n >= 0 {
		for _, v := range c.values[c.off[n]:c.off[n+1]] {
			s.run.counts[v]++
		}
	}
}

func (s *countingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Next(ctx)
	s.count(m)
	return m, err
}

func (s *countingSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Advance(ctx, id)
	s.count(m)
	return m, err
}
