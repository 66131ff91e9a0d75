package indexer

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

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
