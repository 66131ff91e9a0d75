package indexer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// lawsDocs loads the shared laws corpus as index documents.
func lawsDocs(tb testing.TB) ([]*Doc, *site.Site) {
	corpus := sitetest.LawsCorpus(tb)
	dir := sitetest.Write(tb, map[string]string{"config.toml": "title = \"法律法规库\"\n"})
	if err := os.Symlink(corpus, filepath.Join(dir, "content")); err != nil {
		tb.Fatal(err)
	}
	s, err := site.Load(context.Background(), dir, site.Options{})
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
