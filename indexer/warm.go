package indexer

import (
	"maps"
	"runtime/debug"
	"slices"
	"time"
)

// Warm decodes the index's documents into its document cache in the background, so that
// the first searches after an index opens find their hits decoded: on the laws corpus
// this takes about half a second of one core and brings the p99 of the first thousand
// first-time questions from 11–13 to 7.5–11 ms (BENCHMARKS.md §10). It steps aside while
// a search runs, and stops once the cache is nine-tenths full (a site larger than the
// cache keeps the documents searches ask for), when the index closes, or at a document
// that cannot be read (a search of it will say why).
func (ix *Index) Warm() {
	ix.warmOnce.Do(func() {
		ix.warming.Add(1)
		go ix.warm()
	})
}

func (ix *Index) warm() {
	defer ix.warming.Done()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true)) // a damaged shard, see safeShard
	defer func() { _ = recover() }()
	for _, id := range slices.Sorted(maps.Keys(ix.st.Docs)) {
		for ix.searching.Load() > 0 {
			select {
			case <-ix.closing:
				return
			case <-time.After(time.Millisecond):
			}
		}
		select {
		case <-ix.closing:
			return
		default:
		}
		if ix.docs.bytes() >= ix.docs.limit/10*9 {
			return
		}
		if _, err := ix.docInfo(id); err != nil {
			return
		}
	}
}
