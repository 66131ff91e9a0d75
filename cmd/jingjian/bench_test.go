package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"jingjian/internal/sitetest"
	"jingjian/render"
	"jingjian/site"
)

// lawsSite makes a site folder whose content/ is the shared laws corpus.
func lawsSite(b *testing.B) string {
	corpus := sitetest.LawsCorpus(b)
	dir := sitetest.Write(b, map[string]string{"config.toml": "title = \"法律法规库\"\n"})
	if err := os.Symlink(corpus, filepath.Join(dir, "content")); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoadLaws measures reading, decoding and converting the laws corpus.
func BenchmarkLoadLaws(b *testing.B) {
	dir := lawsSite(b)
	for b.Loop() {
		if _, err := site.Load(context.Background(), dir, site.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildLaws measures a cold build of the laws corpus: load, render, write, swap.
func BenchmarkBuildLaws(b *testing.B) {
	dir := lawsSite(b)
	dest := filepath.Join(dir, "public")
	for b.Loop() {
		s, err := site.Load(context.Background(), dir, site.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := render.Build(context.Background(), s, render.Options{Dest: dest}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnchangedLaws measures the check that skips a build when nothing changed.
func BenchmarkUnchangedLaws(b *testing.B) {
	dir := lawsSite(b)
	for b.Loop() {
		if _, err := site.Fingerprint(dir, site.Options{}, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
