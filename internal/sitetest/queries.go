package sitetest

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A Judged query of testdata/search/laws-queries.jsonl, with the documents judged
// relevant (paths relative to content/).
type Judged struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	Query    string            `json:"query"`
	Relevant []string          `json:"relevant"`
	Anchors  map[string]string `json:"anchors"` // for kinds article and nav: path → 第X条
}

// JudgedQueries reads the dev split of the repository's judged query set over the laws
// corpus (testdata/search/METHOD.md).
func JudgedQueries(t testing.TB) []Judged { return readJudged(t, "laws-queries.jsonl") }

// HeldoutQueries reads the held-out split: score it, never read its misses.
func HeldoutQueries(t testing.TB) []Judged { return readJudged(t, "laws-heldout.jsonl") }

func readJudged(t testing.TB, name string) []Judged {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(here), "..", "..", "testdata", "search", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Judged
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var j Judged
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, j)
	}
	return out
}
