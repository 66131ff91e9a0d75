package indexer

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// A sumQuery is query.DisjunctionQuery (a document matches when any clause does; its score
// is the sum of the matching clauses' scores times the share of clauses matching) searched
// clause at a time: each clause's matches are added into an array by document number, and
// the array is read in order. bleve's disjunction merges its clauses' matches through a
// heap, comparing document IDs byte by byte, which for the hundred clauses of a question
// was a sixth of a first-time search; the clauses themselves are bleve's searchers.
//
// It needs scorch's document IDs, 8-byte big-endian numbers: over another kind of index it
// is bleve's disjunction.
type sumQuery struct {
	clauses []query.Query
	// scoring says the clauses score documents other clauses find (a boolean query's
	// should): each clause is moved to the next document asked about rather than read whole.
	scoring bool
	// ix, when set, reads term clauses from its postings cache (see clauseSearcher).
	ix *Index
}

func (q *sumQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	var ss []search.Searcher
	for _, c := range q.clauses {
		s, err := q.ix.clauseSearcher(ctx, c, r, m, opts)
		if err != nil {
			for _, s := range ss {
				_ = s.Close()
			}
			return nil, err
		}
		if s != nil {
			ss = append(ss, s)
		}
	}
	if len(ss) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	if _, ok := r.(*scorch.IndexSnapshot); !ok {
		return searcher.NewDisjunctionSearcher(ctx, r, ss, 0, opts)
	}
	out := &sumSearcher{ctx: ctx, clauses: ss}
	// As bleve's disjunction does; a boolean query above sets its own norm after.
	out.SetQueryNorm(1 / math.Sqrt(out.Weight()))
	if q.scoring {
		out.started, out.moving = true, true
		out.curs = make([]cursor, len(ss))
	}
	return out, nil
}

// A sumSearcher is the searcher of a sumQuery. Deciding which documents match (the
// query's words), it reads every clause into arrays on its first call and then walks them;
// scoring the documents others found (a scoring sumQuery: the common words and the version
// in force; or one whose first call is Advance), it moves each clause to the document
// asked about, comparing numbers rather than IDs.
type sumSearcher struct {
	ctx     context.Context
	clauses []search.Searcher
	started bool
	// After the clauses are read: the score sum and matching clauses of each document
	// number (12 bytes per document of the shard, per search: 210 KB on a shard of the 10×
	// corpus), and the next number to look at.
	sum  []float64
	hits []int32
	next int
	// Moving clause by clause: where each clause is, and the last document given.
	curs   []cursor
	last   uint64 // valid once moved
	moving bool
	moved  bool
}

// A cursor is one clause's current match while a sumSearcher moves clause by clause.
type cursor struct {
	at    uint64 // its document number
	score float64
	set   bool // a match was read
	done  bool // no match is left
}

// run reads every clause's matches into the arrays: a postings list's straight from its
// arrays, any other clause's through its searcher.
func (s *sumSearcher) run(ctx *search.SearchContext) error {
	s.started = true
	grow := func(d uint64) {
		if d >= uint64(len(s.sum)) {
			size := max(int(d)+1, 2*len(s.sum), 1024)
			s.sum = append(s.sum, make([]float64, size-len(s.sum))...)
			s.hits = append(s.hits, make([]int32, size-len(s.hits))...)
		}
	}
	for _, c := range s.clauses {
		if l, ok := c.(*listSearcher); ok {
			if s.ctx.Err() != nil {
				return s.ctx.Err()
			}
			nums := l.list.nums
			if len(nums) > 0 {
				grow(uint64(nums[len(nums)-1]))
			}
			for k, d := range nums {
				s.sum[d] += l.at(k)
				s.hits[d]++
			}
			continue
		}
		for n := 0; ; n++ {
			if n%checkEvery == 0 && s.ctx.Err() != nil {
				return s.ctx.Err()
			}
			m, err := c.Next(ctx)
			if err != nil {
				return err
			}
			if m == nil {
				break
			}
			d, err := docNumber(m.IndexInternalID)
			if err != nil {
				return err
			}
			grow(d)
			s.sum[d] += m.Score
			s.hits[d]++
			ctx.DocumentMatchPool.Put(m)
		}
	}
	return nil
}

// docNumber is the number of a scorch document ID.
func docNumber(id index.IndexInternalID) (uint64, error) {
	if len(id) != 8 {
		return 0, damaged("文档编号 %x 不是 8 字节", []byte(id))
	}
	d := binary.BigEndian.Uint64(id)
	if d > 1<<31 {
		return 0, damaged("文档编号 %d 过大", d)
	}
	return d, nil
}

func (s *sumSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.moving {
		if !s.moved {
			return s.moveTo(ctx, 0)
		}
		return s.moveTo(ctx, s.last+1)
	}
	if !s.started {
		if err := s.run(ctx); err != nil {
			return nil, err
		}
	}
	for ; s.next < len(s.hits); s.next++ {
		if s.hits[s.next] == 0 {
			continue
		}
		d := s.next
		s.next++
		m := ctx.DocumentMatchPool.Get()
		m.IndexInternalID = binary.BigEndian.AppendUint64(m.IndexInternalID[:0], uint64(d))
		m.Score = s.sum[d] * float64(s.hits[d]) / float64(len(s.clauses))
		return m, nil
	}
	return nil, nil
}

func (s *sumSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := docNumber(id)
	if err != nil {
		return nil, err
	}
	if !s.started {
		s.started, s.moving = true, true
		s.curs = make([]cursor, len(s.clauses))
	}
	if s.moving {
		return s.moveTo(ctx, d)
	}
	s.next = max(s.next, int(min(d, uint64(len(s.hits)))))
	return s.Next(ctx)
}

// moveTo moves every clause to its first match at or after document number d and gives
// the first document any of them is on.
func (s *sumSearcher) moveTo(ctx *search.SearchContext, d uint64) (*search.DocumentMatch, error) {
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	s.moved = true
	var target index.IndexInternalID
	first := uint64(1) << 63
	for i := range s.curs {
		c := &s.curs[i]
		if c.done {
			continue
		}
		if !c.set || c.at < d {
			c.set = true
			if l, ok := s.clauses[i].(*listSearcher); ok {
				l.seek(d)
				var more bool
				if c.at, c.score, more = l.take(); !more {
					c.done = true
					continue
				}
			} else {
				if target == nil {
					target = binary.BigEndian.AppendUint64(nil, d)
				}
				m, err := s.clauses[i].Advance(ctx, target)
				if err != nil {
					return nil, err
				}
				if m == nil {
					c.done = true
					continue
				}
				if c.at, err = docNumber(m.IndexInternalID); err != nil {
					return nil, err
				}
				c.score = m.Score
				ctx.DocumentMatchPool.Put(m)
			}
		}
		first = min(first, c.at)
	}
	if first == 1<<63 {
		return nil, nil
	}
	var sum float64
	n := 0
	for _, c := range s.curs {
		if !c.done && c.at == first {
			sum += c.score
			n++
		}
	}
	s.last = first
	m := ctx.DocumentMatchPool.Get()
	m.IndexInternalID = binary.BigEndian.AppendUint64(m.IndexInternalID[:0], first)
	m.Score = sum * float64(n) / float64(len(s.clauses))
	return m, nil
}

func (s *sumSearcher) Close() error {
	var first error
	for _, c := range s.clauses {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *sumSearcher) Weight() float64 {
	var w float64
	for _, c := range s.clauses {
		w += c.Weight()
	}
	return w
}

func (s *sumSearcher) SetQueryNorm(norm float64) {
	for _, c := range s.clauses {
		c.SetQueryNorm(norm)
	}
}

func (s *sumSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.clauses {
		n += c.Count()
	}
	return n
}

func (s *sumSearcher) Min() int { return 0 }

func (s *sumSearcher) Size() int {
	n := 64 + 12*len(s.sum)
	for _, c := range s.clauses {
		n += c.Size()
	}
	return n
}

func (s *sumSearcher) DocumentMatchPoolSize() int {
	n := len(s.clauses)
	for _, c := range s.clauses {
		n += c.DocumentMatchPoolSize()
	}
	return n
}
