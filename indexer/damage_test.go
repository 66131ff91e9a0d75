package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"jingjian/internal/sitetest"
)

// damageQueries are asked of every damaged index; an answer must be the undamaged one or
// an error, never a wrong total.
var damageQueries = []string{"低保", "养老服务", "殡葬"}

// TestIndexDamage damages each kind of file of an index in several ways. Whatever the
// damage: no panic, neither in a search of an index opened before it (as a running server
// holds it) nor in opening it; Verify, Open and Current notice it unless the index still
// answers exactly as before; and the next Build rebuilds it whole.
func TestIndexDamage(t *testing.T) {
	files := map[string]string{}
	for i := range 1000 { // two shards on two cores and more: the alias searches them on goroutines
		topic := []string{"低保审核中优亲厚友", "养老服务补贴被套取", "殡葬改革中的违规收费"}[i%3]
		files[fmt.Sprintf("content/d%04d.md", i)] = fmt.Sprintf("# 第 %d 号案例\n\n某地%s，涉及资金 %d 万元。\n", i, topic, i)
	}
	siteDir := sitetest.Write(t, files)
	docs := loadDocs(t, siteDir)
	pre := Prepare(filepath.Join(t.TempDir(), "none"), nil) // one dictionary load for every rebuild
	good := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), good, docs, Options{Preload: pre, Input: "fp"}); err != nil {
		t.Fatal(err)
	}
	want := totals(t, good)
	shards, _ := filepath.Glob(filepath.Join(good, bleveDir, "shard-*"))
	t.Logf("%d shards, totals %v", len(shards), want)

	// Each damage gets the file's path inside the index.
	type damage func(t *testing.T, path string)
	garble := func(off, n int64) damage { // overwrite n bytes at off (negative: from the end)
		return func(t *testing.T, p string) {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			info, _ := f.Stat()
			if off < 0 {
				off = max(0, info.Size()+off)
			}
			n = min(n, info.Size()-off)
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(i*131 + 7)
			}
			if _, err := f.WriteAt(b, off); err != nil {
				t.Fatal(err)
			}
		}
	}
	blocks := func(t *testing.T, p string) { // three bad 512-byte blocks spread over the file
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, frac := range []int64{3, 2, 1} {
			garble(info.Size()*frac/4, 512)(t, p)
		}
	}
	truncate := func(t *testing.T, p string) {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, info.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	remove := func(t *testing.T, p string) {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	write := func(s string) damage {
		return func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	dropDoc := func(t *testing.T, p string) { // valid JSON that lists one document too few
		st, err := readState(filepath.Dir(p))
		if err != nil {
			t.Fatal(err)
		}
		for id := range st.Docs {
			delete(st.Docs, id)
			break
		}
		if err := writeState(filepath.Dir(p), st); err != nil {
			t.Fatal(err)
		}
	}
	zap := func(idx string) string {
		segs, _ := filepath.Glob(filepath.Join(idx, bleveDir, "shard-0", "store", "*.zap"))
		if len(segs) == 0 {
			t.Fatal("no segment")
		}
		return segs[0]
	}
	fixed := func(rel string) func(string) string {
		return func(idx string) string { return filepath.Join(idx, filepath.FromSlash(rel)) }
	}
	bolt := fixed(bleveDir + "/shard-0/store/root.bolt")
	meta := fixed(bleveDir + "/shard-0/index_meta.json")
	state, dict, titles := fixed(stateFile), fixed(dictFile), fixed(titleFile)
	tests := []struct {
		name   string
		file   func(idx string) string
		damage damage
	}{
		{"bolt garbled from the start", bolt, garble(0, 1<<20)},
		{"bolt bad blocks", bolt, blocks},
		{"bolt truncated", bolt, truncate},
		{"bolt missing", bolt, remove},
		{"bolt empty", bolt, write("")},
		{"zap bad blocks", zap, blocks},
		{"zap footer garbled", zap, garble(-20, 20)},
		{"zap header garbled", zap, garble(0, 64)},
		{"zap truncated", zap, truncate},
		{"zap missing", zap, remove},
		{"meta garbled", meta, write("{\"storage\":")},
		{"meta wrong storage", meta, write(`{"storage":"boltdb","index_type":"upside_down"}`)},
		{"meta missing", meta, remove},
		{"state garbled", state, garble(10, 40)},
		{"state truncated", state, truncate},
		{"state missing", state, remove},
		{"state lists a document too few", state, dropDoc},
		{"dictionary truncated", dict, truncate},
		{"dictionary bad blocks", dict, blocks},
		{"titles garbled", titles, blocks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := filepath.Join(t.TempDir(), "index")
			sitetest.CopyTree(t, good, idx)
			running, err := Open(idx, nil)
			if err != nil {
				t.Fatal(err)
			}
			tt.damage(t, tt.file(idx))

			// A running server's index answers right or fails cleanly.
			for i, q := range damageQueries {
				r, err := running.Search(context.Background(), Request{Query: q, Limit: 20})
				if err != nil && !errors.Is(err, ErrDamaged) {
					t.Errorf("running index, %s: %v", q, err)
				}
				if err == nil && r.Total != want[i] {
					t.Logf("running index, %s: total %d, want %d (damage under an open index)", q, r.Total, want[i])
				}
			}
			running.Close()

			// Opening it now: refused, or right answers.
			verr := Verify(idx)
			ix, oerr := Open(idx, nil)
			if oerr == nil {
				got := searchTotals(t, ix)
				ix.Close()
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("damaged index opened and answers %v, want %v (Verify: %v)", got, want, verr)
				}
			} else if !errors.Is(oerr, ErrDamaged) && !errors.Is(oerr, ErrNoIndex) {
				t.Errorf("Open: %v, want ErrDamaged or ErrNoIndex", oerr)
			}
			if (verr == nil) != (oerr == nil) && !errors.Is(verr, fs.ErrNotExist) {
				t.Errorf("Verify says %v, Open says %v", verr, oerr)
			}
			if verr != nil && Current(idx, "fp") {
				t.Errorf("Current reports a damaged index current (%v)", verr)
			}

			// The next build repairs it.
			st, err := Build(context.Background(), idx, docs, Options{Preload: pre, Input: "fp"})
			if err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if verr != nil && !st.Cold {
				t.Errorf("a damaged index was updated in place, not rebuilt: %+v", st)
			}
			if err := Verify(idx); err != nil {
				t.Errorf("after the build: %v", err)
			}
			if got := totals(t, idx); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("after the build: totals %v, want %v", got, want)
			}
			if !Current(idx, "fp") {
				t.Error("after the build: not current")
			}
		})
	}
}

// TestBuildRemovesStale: temporaries of killed builds go at the next build.
func TestBuildRemovesStale(t *testing.T) {
	siteDir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n\n低保审核。\n"})
	idx := filepath.Join(t.TempDir(), "index")
	docs := loadDocs(t, siteDir)
	if _, err := Build(context.Background(), idx, docs, Options{}); err != nil {
		t.Fatal(err)
	}
	stale := []string{
		filepath.Join(filepath.Dir(idx), ".index.tmp-123/scratch/scorch-offline-build456/x.zap"),
		filepath.Join(filepath.Dir(idx), ".index.tmp-9.old/state.json"),
		filepath.Join(idx, bleveDir, "shard-0.new/store/root.bolt"),
	}
	for _, p := range stale {
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Build(context.Background(), idx, docs, Options{}); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(idx), ".index.tmp-*"))
	if _, err := os.Stat(filepath.Join(idx, bleveDir, "shard-0.new")); err == nil {
		left = append(left, "shard-0.new")
	}
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// totals opens the index in dir and returns the total of each damageQueries query.
func totals(t *testing.T, dir string) []uint64 {
	t.Helper()
	ix, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	return searchTotals(t, ix)
}

func searchTotals(t *testing.T, ix *Index) []uint64 {
	t.Helper()
	var out []uint64
	for _, q := range damageQueries {
		r, err := ix.Search(context.Background(), Request{Query: q, Limit: 20})
		if err != nil {
			out = append(out, 1<<63) // an error is never a right answer
			continue
		}
		out = append(out, r.Total)
	}
	return out
}
