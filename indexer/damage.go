package indexer

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/blevesearch/bleve/v2"
)

// ErrDamaged means the index on disk is damaged: a file is missing, truncated or garbled.
// No command panics on it; the next build finds it and rebuilds the index.
var ErrDamaged = errors.New("搜索索引已损坏")

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w：%s；运行 jingjian build 会自动重建", ErrDamaged, fmt.Sprintf(format, args...))
}

// Verify checks the index in dir as far as can be done without reading every posting:
// the state file, the dictionary and title files against the checksums the state records,
// every segment file against the CRC-32 in its footer, and every shard opening and holding
// the documents the state lists. On the laws corpus (89 MB of index) it takes some 40 ms.
// It never panics: damage is an error wrapping ErrDamaged; a missing index is
// fs.ErrNotExist.
func Verify(dir string) error {
	st, err := readState(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err != nil {
		return damaged("%s 无法读取（%v）", stateFile, err)
	}
	return verify(dir, st)
}

func verify(dir string, st *state) error {
	for name, want := range st.Checksums {
		sum, err := fileCRC(filepath.Join(dir, name))
		if err != nil {
			return damaged("%s 无法读取（%v）", name, err)
		}
		if sum != want {
			return damaged("%s 的校验和不符", name)
		}
	}
	dict, err := ReadDictionary(filepath.Join(dir, dictFile))
	if err != nil || dict.Hash != st.Dictionary {
		return damaged("词典 %s 缺失或与索引不一致", dictFile)
	}
	// Opening a shard builds its tokenizer, which asks for the dictionary by hash: the
	// full one loads only if something is analysed, which counting documents is not.
	register(dict.Hash, dict.Full)
	want := make([]uint64, max(1, st.Shards))
	for id := range st.Docs {
		want[shardOf(id, st.Shards)]++
	}
	for i, n := range want {
		if err := verifyShard(shardPath(dir, i), n); err != nil {
			return err
		}
	}
	return nil
}

// verifyShard checks one shard's segment files, then opens it and counts its documents.
func verifyShard(path string, want uint64) error {
	if err := checkSegments(path); err != nil {
		return err
	}
	idx, err := openShard(path, map[string]any{"read_only": true})
	if err != nil {
		return err
	}
	defer idx.Close()
	n, err := idx.DocCount()
	if err != nil {
		return err
	}
	if n != want {
		return damaged("%s 有 %d 篇文档，应为 %d 篇", shardName(path), n, want)
	}
	return nil
}

// zapTail is the smallest possible zap footer: CRC, version, chunk mode and four offsets.
const zapTail = 4 + 4 + 4 + 8 + 8 + 8 + 8

// checkSegments checks every zap segment of a shard against its footer: zap ends with the
// CRC-32 (IEEE, big-endian) of all the bytes before it. bleve itself never checks it, and a
// damaged segment makes searches panic or quietly return wrong totals.
func checkSegments(path string) error {
	segs, err := filepath.Glob(filepath.Join(path, "store", "*.zap"))
	if err != nil {
		return err
	}
	for _, seg := range segs {
		if err := checkSegment(seg); err != nil {
			return err
		}
	}
	return nil
}

func checkSegment(seg string) error {
	f, err := os.Open(seg)
	if err != nil {
		return damaged("%s 无法读取（%v）", shardName(seg), err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return damaged("%s 无法读取（%v）", shardName(seg), err)
	}
	if info.Size() < zapTail {
		return damaged("%s 只有 %d 字节，已被截断", shardName(seg), info.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, info.Size()-4); err != nil {
		return damaged("%s 无法读取（%v）", shardName(seg), err)
	}
	var tail [4]byte
	if _, err := io.ReadFull(f, tail[:]); err != nil {
		return damaged("%s 无法读取（%v）", shardName(seg), err)
	}
	if h.Sum32() != binary.BigEndian.Uint32(tail[:]) {
		return damaged("%s 的校验和不符（文件内容已损坏）", shardName(seg))
	}
	return nil
}

// shardName names a file of an index by its last three path elements, enough to find it.
func shardName(p string) string {
	a, b := filepath.Split(p)
	a, c := filepath.Split(filepath.Clean(a))
	_, d := filepath.Split(filepath.Clean(a))
	return filepath.Join(d, c, b)
}

func fileCRC(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, f); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}

// checksums records the CRC-32 of the index's own files besides bleve's.
func checksums(dir string) (map[string]uint32, error) {
	out := map[string]uint32{}
	for _, name := range []string{dictFile, titleFile} {
		sum, err := fileCRC(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out[name] = sum
	}
	return out, nil
}

// openShard opens one shard, turning a panic of bleve or bolt on a damaged file (bolt
// asserts on garbled pages) into an error, and wraps it so that its searches cannot crash
// the process either.
func openShard(path string, config map[string]any) (idx bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			idx, err = nil, damaged("%s 打不开（%v）", shardName(filepath.Join(path, "store")), r)
		}
	}()
	i, err := bleve.OpenUsing(path, config)
	if err != nil {
		return nil, damaged("%s 打不开（%v）", shardName(filepath.Join(path, "store")), err)
	}
	return safeShard{i}, nil
}

// safeShard is a shard whose searches return an error instead of panicking. A damaged
// segment makes bleve index past a slice's end inside the goroutine an index alias starts
// for each shard, where no caller could recover it: one bad block would stop the server.
// A segment file truncated under the open index faults in its memory map (SIGBUS): with
// SetPanicOnFault that too is a panic, recovered here.
type safeShard struct{ shard }

// shard names bleve.Index for embedding: its method Index would clash with a field Index.
type shard = bleve.Index

func (s safeShard) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (res *bleve.SearchResult, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, panicked(r)
		}
	}()
	return s.shard.SearchInContext(ctx, req)
}

func (s safeShard) DocCount() (n uint64, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, panicked(r)
		}
	}()
	return s.shard.DocCount()
}

// panicked turns a recovered panic of a search into ErrDamaged, keeping the stack for logs.
func panicked(r any) error {
	return &panicError{value: r, stack: debug.Stack()}
}

type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string {
	return fmt.Sprintf("%v：读取索引时出错（%v）；运行 jingjian build 会自动重建", ErrDamaged, e.value)
}

func (e *panicError) Unwrap() error { return ErrDamaged }

// Stack is where the panic happened, for a log.
func (e *panicError) Stack() []byte { return e.stack }

// shardFailure returns the error of a shard that failed in a search over the alias, or
// nil. bleve leaves failed shards out of the merged result and reports them only in its
// status, so a damaged shard would otherwise read as a smaller total with no error.
func shardFailure(out *bleve.SearchResult) error {
	if out == nil || out.Status == nil || len(out.Status.Errors) == 0 {
		return nil
	}
	var first error
	for _, err := range out.Status.Errors {
		if errors.Is(err, ErrDamaged) {
			return err
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return err // out of time, not damaged
		}
		first = err
	}
	// A read-only shard that fails where the others answer ("index read inconsistency
	// detected" on garbled bytes) is damaged.
	return damaged("%d 个索引分片搜索失败（%v）", len(out.Status.Errors), first)
}
