package indexer

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/blevesearch/bleve/v2"
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
		b, _ := json.MarshalIndent(h.Expl, "", " ")
		t.Logf("%s %.3f\n%s", h.Fields[fPath], h.Score, shortExpl(string(b)))
	}
}

func shortExpl(s string) string {
	if len(s) > 6000 {
		return s[:6000]
	}
	return s
}
