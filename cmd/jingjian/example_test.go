package main

import (
	"context"
	"path/filepath"
	"testing"

	"jingjian/site"
)

// TestExampleSite loads the repository's own example site: it must build without errors
// or warnings and carry the sample content the README promises.
func TestExampleSite(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.Load(context.Background(), root, site.Options{})
	if err != nil {
		t.Fatalf("the example site has errors:\n%v", err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("the example site has warnings:\n%v", s.Warnings)
	}
	min := map[string]int{"cases": 20, "practices": 10, "regulations": 10, "lists": 3}
	for _, sec := range s.Home.Sections {
		if want, ok := min[sec.Page.Dir]; ok {
			if sec.Total < want {
				t.Errorf("section %s has %d documents, want at least %d", sec.Page.Dir, sec.Total, want)
			}
			delete(min, sec.Page.Dir)
		}
	}
	for dir := range min {
		t.Errorf("section %s is missing", dir)
	}
	if len(s.Pages) < 40 {
		t.Errorf("%d documents, want at least 40", len(s.Pages))
	}
	// Every case cites rules that resolve to real articles.
	cited := 0
	for _, p := range s.Pages {
		for _, f := range p.Fields {
			cited += len(f.Links)
		}
	}
	if cited == 0 {
		t.Error("no case cites a regulation")
	}
}
