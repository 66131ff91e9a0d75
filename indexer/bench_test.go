package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// lawsDocs loads the shared laws corpus as index documents.
func lawsDocs(tb testing.TB) ([]*Doc, *site.Site) {
	s, err := site.Load(context.Background(), sitetest.LawsSite(tb), site.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return Docs(s), s
}

// BenchmarkIndexLaws measures a cold index build of the laws corpus.
func BenchmarkIndexLaws(b *testing.B) {
	docs, s := lawsDocs(b)
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "index")
		if _, err := Build(context.Background(), dir, docs, Options{Facets: Facets(s), Sections: SectionTitles(s)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexOneChange measures an index update after one document of the laws corpus
// changed: find what changed, analyse that document with a partial dictionary, write it.
func BenchmarkIndexOneChange(b *testing.B) {
	docs, s := lawsDocs(b)
	dir := filepath.Join(b.TempDir(), "index")
	opts := Options{Facets: Facets(s), Sections: SectionTitles(s)}
	if _, err := Build(context.Background(), dir, docs, opts); err != nil {
		b.Fatal(err)
	}
	d := docs[len(docs)/2]
	body := d.Body
	i := 0
	for b.Loop() {
		i++
		d.Body = body + "\n第九百九十九条 基准测试追加的一条" + strconv.Itoa(i) + "。"
		d.SourceHash = strconv.Itoa(i) // as a changed file has
		st, err := Build(context.Background(), dir, docs, opts)
		if err != nil || st.Analysed != 1 {
			b.Fatalf("%+v %v", st, err)
		}
	}
}

// BenchmarkSearchJudged runs the judged queries of both splits in process, one after
// another, against the laws index in $JJ_INDEX (built there if missing): the cost of a
// search without the server's answer cache. Run with:
//
//	JJ_INDEX=/tmp/idx go test ./indexer -run XXX -bench SearchJudged -cpuprofile cpu.prof
func BenchmarkSearchJudged(b *testing.B) {
	dir := os.Getenv("JJ_INDEX")
	if dir == "" {
		b.Skip("set JJ_INDEX to a folder for the laws index")
	}
	if _, err := os.Stat(StateFile(dir)); err != nil {
		docs, s := lawsDocs(b)
		if _, err := Build(context.Background(), dir, docs, Options{Facets: Facets(s), Sections: SectionTitles(s)}); err != nil {
			b.Fatal(err)
		}
	}
	ix, err := Open(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	var queries []string
	for _, q := range append(sitetest.JudgedQueries(b), sitetest.HeldoutQueries(b)...) {
		queries = append(queries, q.Query)
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := ix.Search(context.Background(), Request{Query: queries[i%len(queries)], Limit: 10}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
