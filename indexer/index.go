// Package indexer builds the bleve search index of a site and answers queries: gse
// segmentation with a domain dictionary, CJK bigrams, synonyms, and a query language
// for people.
package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/go-ego/gse"
	"golang.org/x/sync/errgroup"
)

// formatVersion changes whenever text extraction or analysis changes in a way that makes
// old indexes wrong; an index of another version is rebuilt from scratch.
const formatVersion = 3

// Files inside an index folder.
const (
	bleveDir  = "bleve"
	dictFile  = "dictionary.txt"
	titleFile = "titles.txt"
	stateFile = "state.json"
)

// state records what an index holds, so the next build can update it in place.
type state struct {
	Format     int                `json:"format"`
	Analysis   string             `json:"analysis"`   // analysisHash of the build
	Mapping    string             `json:"mapping"`    // mapping hash
	Dictionary string             `json:"dictionary"` // dictionary hash
	Docs       map[string]string  `json:"docs"`       // doc ID → doc hash
	Shards     int                `json:"shards"`     // documents are split by shardOf
	Facets     []FacetDef         `json:"facets"`
	Input      string             `json:"input"`     // fingerprint of the build's inputs, see Current
	Content    string             `json:"content"`   // fingerprint of the site's sources alone, see Indexed
	Sections   map[string]string  `json:"sections"`  // top-level folder → title
	Lengths    map[string]float64 `json:"lengths"`   // text field → average tokens per document, see fieldLengths
	Checksums  map[string]uint32  `json:"checksums"` // CRC-32 of the index's own files, see Verify
	Built      time.Time          `json:"built"`
}

// Stats says what a build did.
type Stats struct {
	Docs     int  // documents in the index
	Analysed int  // documents analysed and written this time
	Deleted  int  // documents removed
	Cold     bool // the index was built from scratch
}

// Options tune a build.
type Options struct {
	Preload  *Preload          // a dictionary load started earlier, see Prepare
	Input    string            // fingerprint of the build's inputs, see Current
	Content  string            // fingerprint of the site's sources, see Indexed
	Words    []Entry           // the site's own dictionary words
	Facets   []FacetDef        // see Facets
	Sections map[string]string // see SectionTitles
	Progress func(done, total int)
}

// smallChange is the most text an in-place update analyses with a partial dictionary;
// beyond it, loading the full dictionary once is cheaper.
const smallChange = 2 << 20

// Build brings the index in dir up to date with docs: in place when only some documents
// changed (analysing just those), from scratch when the index is missing, unreadable or
// was made with another mapping, dictionary or format.
//
// The caller holds the site's build lock: Build first deletes what killed or failed builds
// left beside dir.
func Build(ctx context.Context, dir string, docs []*Doc, opts Options) (Stats, error) {
	removeStale(dir)
	want := make(map[string]string, len(docs))
	for _, d := range docs {
		want[d.ID] = d.hash()
	}
	st, err := readState(dir)
	if err == nil {
		stats, err := update(ctx, dir, st, docs, want, opts)
		if err == nil {
			return stats, nil
		}
		if errors.Is(err, context.Canceled) {
			return stats, err
		}
		// Fall through: rebuild from scratch.
	}
	return rebuild(ctx, dir, docs, want, opts)
}

// Current reports whether the index in dir was last built from inputs with fingerprint fp
// and is whole (see Verify): a build skips only an index it need not repair.
func Current(dir, fp string) bool {
	st, err := readState(dir)
	return err == nil && fp != "" && st.Input == fp && verify(dir, st) == nil
}

// Built returns the fingerprint of the inputs the index in dir was last built from, or "".
func Built(dir string) string {
	st, err := readState(dir)
	if err != nil {
		return ""
	}
	return st.Input
}

// StateFile is the file that changes whenever a build updates the index in dir.
func StateFile(dir string) string { return filepath.Join(dir, stateFile) }

// Indexed reports whether the index in dir was built from sources with fingerprint fp.
func Indexed(dir, fp string) bool {
	st, err := readState(dir)
	return err == nil && fp != "" && st.Content == fp
}

func readState(dir string) (*state, error) {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return nil, err
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, err
	}
	if st.Format != formatVersion {
		return nil, fmt.Errorf("index format %d, want %d", st.Format, formatVersion)
	}
	return &st, nil
}

var errRebuild = errors.New("index needs a full rebuild")

// update changes only the documents whose hash differs.
func update(ctx context.Context, dir string, st *state, docs []*Doc, want map[string]string, opts Options) (Stats, error) {
	if st.Analysis != analysisHash(opts.Words) {
		return Stats{}, errRebuild
	}
	dict, err := ReadDictionary(filepath.Join(dir, dictFile))
	if err != nil || dict.Hash != st.Dictionary {
		return Stats{}, errRebuild
	}
	var texts []string // set below: what a partial dictionary must cover
	src := &segSource{load: func() (*gse.Segmenter, error) {
		if texts != nil {
			return dict.Partial(texts...)
		}
		return dict.Full()
	}}
	sources.Store(dict.Hash, src)
	defer sources.Delete(dict.Hash)
	m, err := newMapping(dict.Hash, fieldKeys(docs))
	if err != nil || mappingHash(m) != st.Mapping {
		return Stats{}, errRebuild
	}
	if verify(dir, st) != nil {
		return Stats{}, errRebuild // a damaged index is rebuilt, never updated
	}
	var changed []*Doc
	size := 0
	for _, d := range docs {
		if st.Docs[d.ID] != want[d.ID] {
			changed = append(changed, d)
			size += len(d.Body) + len(d.Title) + len(d.Headings) + len(d.Summary)
		}
	}
	var deleted []string
	for id := range st.Docs {
		if _, ok := want[id]; !ok {
			deleted = append(deleted, id)
		}
	}
	stats := Stats{Docs: len(docs), Analysed: len(changed), Deleted: len(deleted)}
	if len(changed) == 0 && len(deleted) == 0 {
		st.Facets, st.Sections, st.Input, st.Content, st.Lengths = opts.Facets, opts.Sections, opts.Input, opts.Content, fieldLengths(docs)
		return stats, writeState(dir, st)
	}
	if size <= smallChange {
		for _, d := range changed {
			texts = append(texts, d.Title, d.Headings, d.Body, d.Summary)
		}
	}
	batches := map[int][]func(*bleve.Batch) error{}
	for _, d := range changed {
		i := shardOf(d.ID, st.Shards)
		batches[i] = append(batches[i], func(b *bleve.Batch) error { return b.Index(d.ID, d.data()) })
	}
	for _, id := range deleted {
		i := shardOf(id, st.Shards)
		batches[i] = append(batches[i], func(b *bleve.Batch) error { b.Delete(id); return nil })
	}
	for i, ops := range batches {
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		if err := applyBatch(shardPath(dir, i), ops); err != nil {
			return stats, err
		}
	}
	if err := writeTitles(filepath.Join(dir, titleFile), docs); err != nil {
		return stats, err
	}
	if st.Checksums, err = checksums(dir); err != nil {
		return stats, err
	}
	st.Docs, st.Facets, st.Sections, st.Input, st.Content, st.Built = want, opts.Facets, opts.Sections, opts.Input, opts.Content, time.Now()
	st.Lengths = fieldLengths(docs)
	return stats, writeState(dir, st)
}

// builderBatch is how many documents an offline builder holds before writing a segment:
// larger batches mean fewer segments to merge, smaller ones less memory.
const builderBatch = 150

// shardCount splits a site into one shard per core once it is big enough for the
// parallel build to pay; small sites get one shard.
func shardCount(docs int) int {
	return max(1, min(runtime.GOMAXPROCS(0), docs/500))
}

// shardPath is the folder of shard i of the index in dir.
func shardPath(dir string, i int) string {
	return filepath.Join(dir, bleveDir, fmt.Sprintf("shard-%d", i))
}

// shardOf picks the shard of a document: stable, and even across shards.
func shardOf(id string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

// applyBatch applies index and delete operations to one shard, copy on write: the shard
// is copied beside itself (its immutable segment files hard-linked), the copy updated
// and renamed over the original. Readers that hold the old shard open (a running server,
// a search) keep reading it undisturbed and never block the update.
// updateConfig keeps an update from merging the shard's large segments: by default scorch
// merges the one-document segment of an edit into the shard's main segment, copying every
// stored text of the shard (80 ms of a 185 ms update on the laws corpus), and Close waits
// for that merge. Segments of more than updateMergeDocs documents are left alone; the small
// segments of edits still merge among themselves, and a full rebuild starts afresh.
var updateConfig = map[string]any{"scorchMergePlanOptions": map[string]any{"MaxSegmentSize": updateMergeDocs}}

const updateMergeDocs = 200

func applyBatch(path string, ops []func(*bleve.Batch) error) error {
	tmp := path + ".new"
	_ = os.RemoveAll(tmp)
	if err := copyShard(path, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return errRebuild
	}
	idx, err := openShard(tmp, updateConfig)
	if err != nil {
		_ = os.RemoveAll(tmp)
		return errRebuild
	}
	b := idx.NewBatch()
	for _, op := range ops {
		if err := op(b); err != nil {
			idx.Close()
			_ = os.RemoveAll(tmp)
			return err
		}
	}
	err = idx.Batch(b)
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	return replace(tmp, path)
}

// copyShard copies a scorch index folder: segment files (never changed once written) as
// hard links, everything else (the root bolt file) as copies.
func copyShard(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if strings.HasSuffix(p, ".zap") && os.Link(p, dst) == nil {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// rebuild builds a new index beside dir with bleve's offline builder, then swaps it in.
func rebuild(ctx context.Context, dir string, docs []*Doc, want map[string]string, opts Options) (Stats, error) {
	dict, seg, err := opts.Preload.wait(opts.Words)
	if err != nil {
		return Stats{}, err
	}
	src := &segSource{load: func() (*gse.Segmenter, error) { return seg, nil }}
	sources.Store(dict.Hash, src)
	defer sources.Delete(dict.Hash)
	m, err := newMapping(dict.Hash, fieldKeys(docs))
	if err != nil {
		return Stats{}, err
	}

	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return Stats{}, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), tmpPrefix(dir))
	if err != nil {
		return Stats{}, err
	}
	defer os.RemoveAll(tmp)
	// bleve's builder writes its segments in a scratch folder, by default under $TMPDIR, and
	// renames them into the index: across file systems (a tmpfs /tmp, a site on its own
	// partition) that fails. Scratch space goes beside the index, inside tmp.
	scratch := filepath.Join(tmp, "scratch")
	if err := os.Mkdir(scratch, 0o755); err != nil {
		return Stats{}, err
	}

	// bleve's offline builder analyses and writes segments on one goroutine, so the
	// documents are split into one shard per core, each built by its own builder; search
	// reads them together through an index alias, with BM25 statistics taken over all.
	n := shardCount(len(docs))
	counts := make([]int, n)
	for _, d := range docs {
		counts[shardOf(d.ID, n)]++
	}
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for i := range n {
		g.Go(func() error {
			if counts[i] == 0 { // bleve's builder cannot write an empty index
				idx, err := bleve.New(shardPath(tmp, i), m)
				if err != nil {
					return err
				}
				return idx.Close()
			}
			b, err := bleve.NewBuilder(shardPath(tmp, i), m, map[string]any{"batchSize": builderBatch, "buildPathPrefix": scratch})
			if err != nil {
				return err
			}
			for _, d := range docs {
				if shardOf(d.ID, n) != i {
					continue
				}
				if err := gctx.Err(); err != nil {
					_ = b.Close()
					return err
				}
				if err := b.Index(d.ID, d.data()); err != nil {
					_ = b.Close()
					return fmt.Errorf("索引 %s: %w", d.ID, err)
				}
				if opts.Progress != nil {
					opts.Progress(int(done.Add(1)), len(docs))
				}
			}
			return b.Close()
		})
	}
	if err := g.Wait(); err != nil {
		return Stats{}, err
	}
	if err := os.RemoveAll(scratch); err != nil {
		return Stats{}, err
	}
	if err := writeTitles(filepath.Join(tmp, titleFile), docs); err != nil {
		return Stats{}, err
	}
	if err := dict.Save(filepath.Join(tmp, dictFile)); err != nil {
		return Stats{}, err
	}
	sums, err := checksums(tmp)
	if err != nil {
		return Stats{}, err
	}
	st := &state{Checksums: sums, Format: formatVersion, Analysis: analysisHash(opts.Words), Mapping: mappingHash(m), Dictionary: dict.Hash, Docs: want, Shards: n,
		Facets: opts.Facets, Sections: opts.Sections, Input: opts.Input, Content: opts.Content, Built: time.Now(), Lengths: fieldLengths(docs)}
	if err := writeState(tmp, st); err != nil {
		return Stats{}, err
	}
	if err := replace(tmp, dir); err != nil {
		return Stats{}, err
	}
	return Stats{Docs: len(docs), Analysed: len(docs), Cold: true}, nil
}

// A Preload is the full dictionary loading in the background.
type Preload struct {
	done chan struct{}
	dict *Dictionary
	seg  *gse.Segmenter
	err  error
}

// Prepare starts loading the full dictionary (a few seconds of one core) if the index in
// dir will need a full rebuild, so the load overlaps reading the site. It returns nil when
// the index looks reusable; Build then loads what it needs itself.
func Prepare(dir string, words []Entry) *Preload {
	if st, err := readState(dir); err == nil && st.Analysis == analysisHash(words) {
		return nil
	}
	p := &Preload{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.dict, p.seg, p.err = LoadDictionary(words)
	}()
	return p
}

// wait returns the preloaded dictionary, or loads it now when nothing was preloaded.
func (p *Preload) wait(words []Entry) (*Dictionary, *gse.Segmenter, error) {
	if p == nil {
		return LoadDictionary(words)
	}
	<-p.done
	return p.dict, p.seg, p.err
}

// analysisHash identifies everything analysis depends on besides the program's own index
// format: gse's version, the built-in word lists and the site's own words.
func analysisHash(words []Entry) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00", formatVersion, gse.GetVersion())
	for _, name := range []string{"dict/domain.txt", "dict/stopwords.txt"} { // synonyms apply at query time
		b, _ := builtin.ReadFile(name)
		h.Write(b)
	}
	for _, w := range words {
		fmt.Fprintf(h, "%s\x00%g\x00%s\n", w.Word, w.Freq, w.Pos)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func writeState(dir string, st *state) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, stateFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, stateFile))
}

// tmpPrefix names the temporary folders made beside the index in dir.
func tmpPrefix(dir string) string { return "." + filepath.Base(dir) + ".tmp-" }

// removeStale deletes the temporaries of builds that were killed or failed: new indexes
// (with their scratch segments) and replaced ones not yet deleted beside dir, and shard
// copies of updates inside it.
func removeStale(dir string) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), tmpPrefix(dir)+"*"))
	copies, _ := filepath.Glob(filepath.Join(dir, bleveDir, "shard-*.new"))
	for _, p := range append(stale, copies...) {
		_ = os.RemoveAll(p)
	}
}

// replace swaps a finished index folder in for dir.
func replace(tmp, dir string) error {
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.Rename(old, dir)
		return err
	}
	return os.RemoveAll(old)
}
