package indexer

import (
	"fmt"
	"time"

	index "github.com/blevesearch/bleve_index_api"

	"jingjian/site"
)

// A docInfo is what search needs of a hit's stored document, decoded once: a search asks
// bleve only for the IDs and scores of its best hits and takes the rest from here, so a
// document among the best of many queries (a long code) is read and decoded once, not
// per query.
type docInfo struct {
	id, url, title, section, status, date string
	text, lower                           string // plain text, and with ASCII lower-cased
	ltitle                                string // the title with ASCII lower-cased
	place                                 string // the place the title opens with, see titlePlace
	current                               bool
	marks                                 []site.Mark
	spans                                 []span      // passages of text, see spans
	byteCounts                            *[256]int32 // occurrences of each byte in lower, see rarestByte
	runes                                 *runeIndex  // where each character of lower is; nil for short texts
}

// rarestByte returns the index of the byte of p that occurs least often in the document's
// lower-cased text (the last of equals). In UTF-8 Chinese two bytes of three are one of
// 64 continuation bytes whose frequencies differ several-fold: a search looking for the
// rarest of a word's bytes stops far less often than one looking for its last byte.
func (d *docInfo) rarestByte(p string) int {
	best := len(p) - 1
	if d.byteCounts == nil || best < 0 {
		return best
	}
	for i := best - 1; i >= 0; i-- {
		if d.byteCounts[p[i]] < d.byteCounts[p[best]] {
			best = i
		}
	}
	return best
}

// docCacheBytes bounds the memory of decoded documents an index keeps. The laws corpus
// decoded (text, lower-cased text, marks, spans, and for its 1,441 texts over runeIndexMin
// their runeIndex, about 52 MB) fits in it: against 64 MB, first-time
// searches from 20 clients ran 445–467/s instead of 360–390/s (BENCHMARKS.md §10); a
// larger site keeps its most recently searched documents.
const docCacheBytes = 256 << 20

// A docCache keeps the most recently used docInfos, up to docCacheBytes.
type docCache = byteLRU[string, *docInfo]

func (d *docInfo) bytes() int {
	return len(d.text) + len(d.lower)*boolInt(len(d.lower) > 0 && d.lower != d.text) + len(d.marks)*64 + len(d.spans)*32 + 256 + 1024 + d.runes.bytes()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// docInfo returns the stored document id, from the cache or the shard that holds it.
func (ix *Index) docInfo(id string) (*docInfo, error) {
	if d, ok := ix.docs.get(id); ok {
		return d, nil
	}
	doc, err := ix.shards[shardOf(id, len(ix.shards))].Document(id)
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, fmt.Errorf("索引 %s: %w", ix.dir, damaged("文档 %s 缺失", id))
	}
	d := &docInfo{id: id}
	var marks string
	doc.VisitFields(func(f index.Field) {
		switch f.Name() {
		case fURL:
			d.url = string(f.Value())
		case fTitle + "_s":
			d.title = string(f.Value())
		case fSection + "_s":
			d.section = string(f.Value())
		case fStatus:
			d.status = string(f.Value())
		case fText:
			d.text = string(f.Value())
		case fMarks:
			marks = string(f.Value())
		case fCurrent:
			d.current = string(f.Value()) == "1"
		case fDate:
			if df, ok := f.(index.DateTimeField); ok {
				if t, _, err := df.DateTime(); err == nil {
					d.date = t.UTC().Format(time.DateOnly)
				}
			}
		}
	})
	if marks != "" {
		d.marks, _ = decodeMarks(marks)
	}
	d.lower, d.ltitle = asciiLower(d.text), asciiLower(d.title)
	d.place, _ = titlePlace(d.title)
	d.spans = spans(d.text, d.marks)
	d.byteCounts = new([256]int32)
	for i := 0; i < len(d.lower); i++ {
		d.byteCounts[d.lower[i]]++
	}
	if len(d.lower) >= runeIndexMin {
		d.runes = newRuneIndex(d.lower)
	}
	ix.docs.put(d.id, d, d.bytes())
	return d, nil
}
