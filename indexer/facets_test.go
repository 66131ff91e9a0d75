package indexer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"jingjian/internal/sitetest"
)

// bleveFacets counts the facets of a query with bleve's own facet builder, the way search
// did before it counted them from columns in memory, in the shape Result.Facets has.
func bleveFacets(t *testing.T, ix *Index, text string) map[string][]Facet {
	t.Helper()
	q := ParseQuery(text)
	bq, _, err := ix.build(q, &Result{})
	if err != nil {
		t.Fatal(err)
	}
	sr := bleve.NewSearchRequestOptions(bq, 10, 0, false)
	for _, f := range ix.facetFields() {
		sr.AddFacet(f.label, bleve.NewFacetRequest(f.field, facetSize))
	}
	sr.PreSearchData = map[string]any{search.BM25PreSearchDataKey: ix.bm25}
	out, err := ix.idx.SearchInContext(context.Background(), sr)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]Facet{}
	for name, fr := range out.Facets {
		for _, tf := range fr.Terms.Terms() {
			v := tf.Term
			if name == "栏目" {
				v = ix.sectionTitle(v)
			}
			got[name] = append(got[name], Facet{Value: v, Count: tf.Count})
		}
		if name == "年份" {
			slices.SortFunc(got[name], func(a, b Facet) int { return strings.Compare(b.Value, a.Value) })
		}
	}
	return got
}

// TestFacetsAgreeWithBleve: the counts search takes from its columns are the ones bleve's
// facet builder gives, for every facet (multi-valued taxonomies too), on an index whose
// segments hold deleted documents (an incremental build over edits and removals).
func TestFacetsAgreeWithBleve(t *testing.T) {
	files := map[string]string{"config.toml": smallSite["config.toml"]}
	fields := []string{"社会救助", "养老服务", "殡葬管理"}
	regions := []string{"东城", "西城"}
	// More documents than updateMergeDocs, so that the update never merges away the
	// first segment's deleted documents.
	const n = updateMergeDocs + 40
	for i := range n {
		sec := []string{"cases", "regulations", "news"}[i%3]
		field := fmt.Sprintf("[%s]", fields[i%3])
		if i%4 == 0 {
			field = fmt.Sprintf("[%s, %s]", fields[i%3], fields[(i+1)%3])
		}
		files[fmt.Sprintf("content/%s/p%02d.md", sec, i)] = fmt.Sprintf("---\ntitle: 第%d号通报\ndate: %d-03-01\nfield: %s\nregion: [%s]\n---\n低保审核第%d件，养老补贴%d项。\n",
			i, 2018+i%6, field, regions[i%2], i, i%7)
	}
	dir := sitetest.Write(t, files)
	idx := filepath.Join(t.TempDir(), "index")
	if _, err := indexSite(dir, idx, nil); err != nil {
		t.Fatal(err)
	}
	// Edits and removals leave deleted documents in the first segment.
	for i := 0; i < n; i += 5 {
		sec := []string{"cases", "regulations", "news"}[i%3]
		path := filepath.Join(dir, "content", sec, fmt.Sprintf("p%02d.md", i))
		if i%10 == 0 {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(path, []byte(fmt.Sprintf("---\ntitle: 第%d号通报（修订）\ndate: 2025-01-01\nfield: [殡葬管理, 社会救助]\n---\n低保审核改正。\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := indexSite(dir, idx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{"低保", "养老 补贴", "审核 -养老", "领域:殡葬管理", "栏目:cases 低保", "年份:2025", "通报 sort:date", `"养老补贴3项"`} {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		want := bleveFacets(t, ix, q)
		if len(want) == 0 || res.Total == 0 {
			t.Fatalf("%s: no matches, nothing compared (total %d)", q, res.Total)
		}
		if !reflect.DeepEqual(res.Facets, want) {
			t.Errorf("%s:\n got  %v\n want %v", q, res.Facets, want)
		}
	}
	// The columns did skip deleted documents' numbers.
	numbers, live := 0, 0
	for _, c := range ix.facetCols {
		numbers += len(c.off) - 1
	}
	for _, s := range ix.shards {
		n, _ := s.DocCount()
		live += int(n)
	}
	if numbers <= live {
		t.Errorf("columns cover %d document numbers for %d documents: no deleted ones to skip", numbers, live)
	}
	res, err := ix.Search(context.Background(), Request{Query: "低保", Limit: 5, NoFacets: true})
	if err != nil || len(res.Facets) != 0 || res.Total == 0 {
		t.Errorf("NoFacets: %v facets, total %d, %v", res.Facets, res.Total, err)
	}
}
