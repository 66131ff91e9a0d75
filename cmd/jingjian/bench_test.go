package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"jingjian/internal/sitetest"
	"jingjian/render"
	"jingjian/site"
)

// BenchmarkLoadLaws measures reading, decoding and converting the laws corpus.
func BenchmarkLoadLaws(b *testing.B) {
	dir := sitetest.LawsSite(b)
	for b.Loop() {
		if _, err := site.Load(context.Background(), dir, site.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildLaws measures a cold build of the laws corpus: load, render, write, swap.
func BenchmarkBuildLaws(b *testing.B) {
	dir := sitetest.LawsSite(b)
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
	dir := sitetest.LawsSite(b)
	for b.Loop() {
		if _, err := site.Fingerprint(dir, site.Options{}, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOneEditLaws measures what serve --watch does before reloading the browsers
// after one page's text changed: load the site through the page cache, render through
// the memo. It works on a copy of the laws corpus.
func BenchmarkOneEditLaws(b *testing.B) {
	corpus := sitetest.LawsCorpus(b)
	dir := sitetest.Write(b, map[string]string{"config.toml": "title = \"法律法规库\"\n"})
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(corpus)); err != nil {
		b.Fatal(err)
	}
	dest := filepath.Join(dir, "public")
	cache, memo := site.NewCache(), render.NewMemo()
	build := func() render.Result {
		s, err := site.Load(context.Background(), dir, site.Options{Cache: cache})
		if err != nil {
			b.Fatal(err)
		}
		res, err := render.Build(context.Background(), s, render.Options{Dest: dest, Memo: memo})
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	build()
	file := filepath.Join(dir, "content", "行政法规", "工伤保险条例(2010-12-20).md")
	if m, _ := filepath.Glob(filepath.Join(dir, "content", "*", "行政法规", "工伤保险条例(2010-12-20).md")); len(m) > 0 {
		file = m[0] // a scaled copy (JINGJIAN_CORPUS)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(file, append(body, fmt.Sprintf("\n\n第%d次修改。\n", i)...), 0o644); err != nil {
			b.Fatal(err)
		}
		if res := build(); res.Reused < 3000 {
			b.Fatalf("only %d outputs reused", res.Reused)
		}
	}
}
