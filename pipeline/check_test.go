package pipeline

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "update golden files")

// TestCheckGolden runs check on testdata/broken, a site where every rule fires once, and
// compares the text and JSON reports with their golden files. It also checks that check
// wrote nothing into the site.
func TestCheckGolden(t *testing.T) {
	dir := filepath.Join("testdata", "broken")
	before := listFiles(t, dir)
	r, err := Check(t.Context(), Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"check.golden", func(b *bytes.Buffer) error { return r.WriteText(b) }},
		{"check.json.golden", func(b *bytes.Buffer) error { return r.WriteJSON(b) }},
	} {
		var got bytes.Buffer
		if err := g.write(&got); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", g.file)
		if *update {
			if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./pipeline -update to create it)", err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s differs (go test ./pipeline -update rewrites it):\n%s", g.file, got.String())
		}
	}
	if after := listFiles(t, dir); after != before {
		t.Errorf("check wrote into the site:\nbefore %s\nafter  %s", before, after)
	}
}

// listFiles names every file under dir, for comparing before and after.
func listFiles(t *testing.T, dir string) string {
	var b bytes.Buffer
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		b.WriteString(p + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
