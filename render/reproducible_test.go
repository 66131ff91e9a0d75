package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree reads every file under dir, hidden ones included, keyed by slash path; folders
// are keyed with a trailing slash.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			files[rel+"/"] = nil
			return nil
		}
		b, err := os.ReadFile(p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameTree(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[p]; !ok {
			t.Errorf("%s lacks %s", what, p)
		} else if !bytes.Equal(g, want[p]) {
			t.Errorf("%s: %s differs\n--- first ---\n%.600s\n--- then ---\n%.600s", what, p, want[p], g)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s has an extra %s", what, p)
		}
	}
}

// TestIdenticalBuildsAreIdentical: the same site built twice, into fresh folders and over
// its own previous output, gives the same bytes in every file, marker and manifest too.
func TestIdenticalBuildsAreIdentical(t *testing.T) {
	a := filepath.Join(t.TempDir(), "public")
	b := filepath.Join(t.TempDir(), "public")
	for _, dest := range []string{a, b} {
		if _, err := buildSite(t, "testdata/site", dest); err != nil {
			t.Fatal(err)
		}
	}
	first := tree(t, a)
	for _, name := range []string{markerName, manifestName} {
		if _, ok := first[name]; !ok {
			t.Fatalf("the output has no %s", name)
		}
	}
	sameTree(t, "a second fresh build", first, tree(t, b))

	// Rebuilt twice in place: once from links to the served output, once into .prev.
	for i := range 2 {
		if _, err := buildSite(t, "testdata/site", a); err != nil {
			t.Fatal(err)
		}
		sameTree(t, fmt.Sprintf("rebuild %d over the output", i+1), first, tree(t, a))
	}
}

func TestWriteManifestIsSorted(t *testing.T) {
	m := manifest{}
	for i := range 500 {
		p := fmt.Sprintf("页%03d/index.html", (i*7919)%500)
		if i%3 == 0 {
			p = fmt.Sprintf("css/%d.css", i)
		}
		m[p] = sum([]byte(p))
	}
	path := filepath.Join(t.TempDir(), manifestName)
	for range 3 {
		if err := writeManifest(path, m); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		paths := make([]string, len(lines))
		for i, l := range lines {
			_, paths[i], _ = strings.Cut(l, "\t")
		}
		if len(paths) != len(m) || !slices.IsSorted(paths) {
			t.Fatalf("manifest lines are not one per path in path order:\n%.400s", b)
		}
		back, err := readManifest(path)
		if err != nil || !maps.Equal(back, m) {
			t.Fatalf("the manifest does not read back: %v", err)
		}
	}
}
