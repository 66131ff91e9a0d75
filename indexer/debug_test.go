package indexer

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestDebugQuery explains the top hits of $JJ_QUERY against the index in $JJ_INDEX,
// building it there from the laws corpus if missing. A tool for tuning, skipped normally.
func TestDebugQuery(t *testing.T) {
	dir, qs := os.Getenv("JJ_INDEX"), os.Getenv("JJ_QUERY")
	if dir == "" || qs == "" {
		t.Skip("set JJ_INDEX and JJ_QUERY")
	}
	if _, err := os.Stat(dir); err != nil {
		docs, s := lawsDocs(t)
		if _, err := Build(context.Background(), dir, docs, Options{Facets: Facets(s), Sections: SectionTitles(s)}); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res := &Result{}
	q, _, err := ix.build(ParseQuery(qs), res)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("terms %v expanded %v", res.Terms, res.Expanded)
	sr := bleve.NewSearchRequestOptions(q, 3, 0, true)
	sr.Fields = []string{fPath}
	out, err := ix.idx.Search(sr)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range out.Hits {
		t.Logf("%s %.3f\n%s", h.Fields[fPath], h.Score, leaves(h.Expl))
	}
	if want := os.Getenv("JJ_WANT"); want != "" {
		// Explain a judged document too, wherever it ranks.
		sr := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{q, query.NewDocIDQuery([]string{want})}), 1, 0, true)
		out, err := ix.idx.Search(sr)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range out.Hits {
			t.Logf("wanted %s %.3f\n%s", h.ID, h.Score, leaves(h.Expl))
		}
	}
}

// leaves lists the weight queries of an explanation that scored, largest first, with the
// factor (coord) that scaled them.
func leaves(e *search.Explanation) string {
	type leaf struct {
		v float64
		m string
	}
	var out []leaf
	var walk func(e *search.Explanation)
	walk = func(e *search.Explanation) {
		if e == nil {
			return
		}
		if strings.HasPrefix(e.Message, "weight(") || len(e.Children) == 0 {
			out = append(out, leaf{e.Value, e.Message})
			return
		}
		if strings.HasPrefix(e.Message, "coord") {
			out = append(out, leaf{e.Value, e.Message})
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(e)
	sort.Slice(out, func(i, j int) bool { return out[i].v > out[j].v })
	var b strings.Builder
	for i, l := range out {
		if i == 25 {
			break
		}
		fmt.Fprintf(&b, "  %.3f %s\n", l.v, l.m)
	}
	return b.String()
}
