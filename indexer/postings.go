package indexer

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// postingsCacheBytes bounds the memory of decoded postings an index keeps. A first-time
// question still shares most of its terms with earlier ones (the words and bigrams of the
// language, 规定, 应当, 工作), and a term's postings read from memory cost neither scorch's
// dictionary lookup nor its decoding nor scoring each posting again: 12 bytes a posting.
const postingsCacheBytes = 64 << 20

// postingsCacheLeast is the fewest postings a list the cache keeps has. Half the lists a
// search reads are empty (a word absent from a shard's field) and most others short, cheap
// to read again, while every list kept is objects the garbage collector marks on each
// cycle. After 6,000 first-time laws questions, the lists of 256 postings and more are
// 4,800 in 34 MB and give the whole gain (searches 1.23× as fast in process as without a
// cache); from 16 up they were 22,000 in 52 MB, no faster, and GC's marking took twice as
// long, slowing answers given from the answer cache by about a tenth.
const postingsCacheLeast = 256

// A postingsCache keeps decoded postings lists by shard reader, field, term and the
// statistics their scores were computed with.
type postingsCache = byteLRU[postingsKey, *postingList]

type postingsKey struct {
	r     index.IndexReader
	field string
	term  string
	total uint64  // document count, see scoreMetrics
	avg   float64 // average field length
}

// A postingList is one term's postings in one field of one shard: document numbers in
// order, each with what bleve's term scorer gives the posting before the query's weight
// multiplies it (BM25 of the term's frequency and the field's length).
type postingList struct {
	nums  []uint32
	base  []float64
	count uint64 // the reader's Count, which the term's idf is computed from
}

func (l *postingList) bytes() int { return 4*cap(l.nums) + 8*cap(l.base) + 128 }

// postingList returns the postings of term in field of the shard r reads, scored with
// document count total and average field length avg, decoded on first use and then, if
// there are ix.postingsLeast or more, kept in ix.postings.
func (ix *Index) postingList(ctx context.Context, r index.IndexReader, term, field string, total uint64, avg float64, opts search.SearcherOptions) (*postingList, error) {
	k := postingsKey{r, field, term, total, avg}
	if l, ok := ix.postings.get(k); ok {
		return l, nil
	}
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, false)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	l := &postingList{count: tfr.Count()}
	// A scorer not yet given the query's norm has a query weight of 1: its score is the
	// posting's own part.
	sc := scorer.NewTermQueryScorer([]byte(term), field, 1, total, l.count, avg, opts)
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(1, 0)}
	n := int(min(l.count, 1<<16))
	l.nums, l.base = make([]uint32, 0, n), make([]float64, 0, n)
	var tfd index.TermFieldDoc
	for i := 0; ; i++ {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		m, err := tfr.Next(tfd.Reset())
		if err != nil {
			return nil, err
		}
		if m == nil {
			break
		}
		d, err := docNumber(m.ID)
		if err != nil {
			return nil, err
		}
		dm := sc.Score(sctx, m)
		l.nums = append(l.nums, uint32(d))
		l.base = append(l.base, dm.Score)
		sctx.DocumentMatchPool.Put(dm)
	}
	if len(l.nums) >= ix.postingsLeast {
		ix.postings.put(k, l, l.bytes())
	}
	return l, nil
}

// clauseSearcher is c's searcher, with a term's postings read from ix.postings when c is
// a term query or a conjunction of term queries (a phrase over a bigram field) and r a
// scorch snapshot; otherwise, or when the search asks for explanations, term vectors or
// bleve's own synonyms, or the cache may hold nothing, bleve's searcher.
func (ix *Index) clauseSearcher(ctx context.Context, c query.Query, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if ix == nil || ix.postings.capacity() == 0 || opts.Explain || opts.IncludeTermVectors || opts.Score == "none" || ctx.Value(search.FieldTermSynonymMapKey) != nil {
		return c.Searcher(ctx, r, m, opts)
	}
	if _, ok := r.(*scorch.IndexSnapshot); !ok {
		return c.Searcher(ctx, r, m, opts)
	}
	switch c := c.(type) {
	case *query.TermQuery:
		if c.FieldVal != "" {
			return ix.listSearcher(ctx, r, c, opts)
		}
	case *query.ConjunctionQuery:
		terms := make([]*query.TermQuery, len(c.Conjuncts))
		for i, q := range c.Conjuncts {
			t, ok := q.(*query.TermQuery)
			if !ok || t.FieldVal == "" {
				return c.Searcher(ctx, r, m, opts)
			}
			terms[i] = t
		}
		// As query.ConjunctionQuery's Searcher: its boost is not applied.
		var ss []search.Searcher
		for _, t := range terms {
			s, err := ix.listSearcher(ctx, r, t, opts)
			if err != nil {
				for _, s := range ss {
					_ = s.Close()
				}
				return nil, err
			}
			ss = append(ss, s)
		}
		return searcher.NewConjunctionSearcher(ctx, r, ss, opts)
	}
	return c.Searcher(ctx, r, m, opts)
}

// listSearcher is the searcher of term query t over its postings list: the matches and
// scores of bleve's term searcher.
func (ix *Index) listSearcher(ctx context.Context, r index.IndexReader, t *query.TermQuery, opts search.SearcherOptions) (search.Searcher, error) {
	if err := search.RecordTermSearcher(ctx); err != nil {
		return nil, err
	}
	total, avg, err := scoreMetrics(ctx, r, t.FieldVal)
	if err != nil {
		return nil, err
	}
	l, err := ix.postingList(ctx, r, t.Term, t.FieldVal, total, avg, opts)
	if err != nil {
		return nil, err
	}
	return &listSearcher{list: l, boost: t.BoostVal.Value(), idf: idf(total, l.count, avg), weight: 1}, nil
}

// idf is a term's inverse document frequency as bleve's term scorer computes it: of BM25
// when the field has an average length, else of TF-IDF.
func idf(total, count uint64, avg float64) float64 {
	if avg > 0 {
		return math.Log(1 + (float64(total)-float64(count)+0.5)/(float64(count)+0.5))
	}
	return 1.0 + math.Log(float64(total)/float64(count+1.0))
}

// scoreMetrics gives a term scorer in field the document count and average field length
// bleve's term searcher gives it: under BM25 from the statistics the search carries (an
// index alias gathers them over every shard) or else from the shard, and under TF-IDF
// the shard's document count.
func scoreMetrics(ctx context.Context, r index.IndexReader, field string) (uint64, float64, error) {
	model := ""
	if f, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); ok {
		model = f()
	}
	if model != index.BM25Scoring {
		n, err := r.DocCount()
		return n, 0, err
	}
	var count uint64
	var cardinality int
	if st, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
		count = uint64(st.DocCount)
		if cardinality, ok = st.FieldCardinality[field]; !ok {
			return 0, 0, fmt.Errorf("field stat for bm25 not present %s", field)
		}
	} else {
		var err error
		if count, err = r.DocCount(); err != nil {
			return 0, 0, err
		}
		if br, ok := r.(index.BM25Reader); ok {
			if cardinality, err = br.FieldCardinality(field); err != nil {
				return 0, 0, err
			}
		}
	}
	if count == 0 && cardinality == 0 {
		return 0, 0, nil
	}
	return count, math.Ceil(float64(cardinality) / float64(count)), nil
}

// A listSearcher walks a postingList; each match's score is the posting's own part times
// the query weight, as bleve's term scorer multiplies them.
type listSearcher struct {
	list   *postingList
	boost  float64
	idf    float64
	weight float64 // boost × idf × query norm, once the norm is set
	i      int     // the next posting
}

// at gives the score of posting i.
func (s *listSearcher) at(i int) float64 {
	if s.weight != 1.0 {
		return s.list.base[i] * s.weight
	}
	return s.list.base[i]
}

// take gives the next posting's document number and score and moves past it; false when
// none is left.
func (s *listSearcher) take() (uint64, float64, bool) {
	if s.i >= len(s.list.nums) {
		return 0, 0, false
	}
	s.i++
	return uint64(s.list.nums[s.i-1]), s.at(s.i - 1), true
}

func (s *listSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, score, ok := s.take()
	if !ok {
		return nil, nil
	}
	m := ctx.DocumentMatchPool.Get()
	m.IndexInternalID = binary.BigEndian.AppendUint64(m.IndexInternalID[:0], d)
	m.Score = score
	return m, nil
}

// Advance gives the first match at or after id, as scorch's reader: from the start when
// id is not after the last match given.
func (s *listSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := docNumber(id)
	if err != nil {
		return nil, err
	}
	s.seek(d)
	return s.Next(ctx)
}

// seek moves to the first posting at or after document number d.
func (s *listSearcher) seek(d uint64) {
	nums := s.list.nums
	from := s.i
	if from > 0 && uint64(nums[from-1]) >= d {
		from = 0
	}
	// Galloping: the next document asked about is usually near.
	step, to := 1, from
	for to < len(nums) && uint64(nums[to]) < d {
		from, to = to+1, to+step
		step *= 2
	}
	to = min(to, len(nums)-1) + 1
	k, _ := slices.BinarySearch(nums[from:to], uint32(d))
	s.i = from + k
}

func (s *listSearcher) SetQueryNorm(norm float64) { s.weight = s.boost * s.idf * norm }

// Weight is what bleve's term scorer gives: the square of boost × idf.
func (s *listSearcher) Weight() float64 {
	w := s.boost * s.idf
	return w * w
}

func (s *listSearcher) Close() error               { return nil }
func (s *listSearcher) Count() uint64              { return s.list.count }
func (s *listSearcher) Min() int                   { return 0 }
func (s *listSearcher) Size() int                  { return 64 }
func (s *listSearcher) DocumentMatchPoolSize() int { return 1 }

// SetPostingsCacheBytes bounds the postings cache at n bytes instead of
// postingsCacheBytes; 0 turns it off (term clauses are then bleve's searchers). For
// measuring what the cache gives (BenchmarkPostingsCache) and for a server short of memory.
func (ix *Index) SetPostingsCacheBytes(n int) {
	ix.postings.setCapacity(max(n, 0))
}
