package indexer

import (
	"github.com/blevesearch/bleve/v2/search"
)

// Tokens per byte of UTF-8 text, measured on the laws corpus: gse's search mode makes
// about one token for every two Chinese characters (words plus their parts), the bigram
// analyzer about one per character. A Chinese character is three bytes.
const (
	segmentedPerByte = 0.17
	bigramPerByte    = 0.29
)

// fieldLengths estimates the average length in tokens of each text field over docs.
//
// BM25 divides a field's length by the average length of that field. bleve estimates the
// average as the number of distinct terms in the field divided by the number of
// documents: about 20 for the laws corpus's bodies, whose real average is near 2,800
// tokens. Every long law then scored as if it were a hundred times too long, and a title
// sharing one common word with a query outranked the law that answers it. Search passes
// these estimates to bleve instead. They take the byte length of each field, not a count
// of its tokens, so they cost nothing to keep up to date; an error of a few per cent in
// an average moves no ranking.
func fieldLengths(docs []*Doc) map[string]float64 {
	if len(docs) == 0 {
		return nil
	}
	var title, headings, summary, body float64
	for _, d := range docs {
		title += float64(len(d.Title))
		headings += float64(len(d.Headings))
		summary += float64(len(d.Summary))
		body += float64(len(d.Body))
	}
	n := float64(len(docs))
	return map[string]float64{
		fTitle:    title * segmentedPerByte / n,
		fHeadings: headings * segmentedPerByte / n,
		fSummary:  summary * segmentedPerByte / n,
		fBody:     body * segmentedPerByte / n,
		fTitleBG:  title * bigramPerByte / n,
		fBodyBG:   body * bigramPerByte / n,
	}
}

// bm25Stats is what bleve needs to score with the true average field lengths: a document
// count and, per field, a "cardinality" it divides by that count to get the average.
// Fields without an estimate (keywords) count one token per document. fields are those
// the shards hold. Open makes it once; searches only read it.
func (ix *Index) bm25Stats(fields []string) *search.BM25Stats {
	n := len(ix.st.Docs)
	if n == 0 || ix.st.Lengths == nil {
		return nil
	}
	fc := make(map[string]int, len(fields))
	for _, f := range fields {
		fc[f] = n
	}
	// A filter may name a field no document has a value for yet.
	for _, f := range append(ix.facetFields(), facetField{field: fDir}, facetField{field: fTags}, facetField{field: fCurrent}) {
		fc[f.field] = n
	}
	for f, avg := range ix.st.Lengths {
		fc[f] = max(n, int(avg*float64(n)))
	}
	return &search.BM25Stats{DocCount: float64(n), FieldCardinality: fc}
}
