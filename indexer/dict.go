package indexer

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"iter"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-ego/gse"

	"jingjian/internal/textpos"
)

// builtin holds the domain dictionary, the synonym table and the stop words that ship
// with the binary.
//
//go:embed dict/*.txt
var builtin embed.FS

// totalMarker is a dictionary entry no text contains. A partial dictionary carries it with
// the frequency that the full dictionary's other entries add up to, so gse computes the
// same word costs from either and segments any text the same way.
const totalMarker = "\uE000\uE001\uE002"

// A Dictionary is the word list the segmenter uses, as lines "词 频次 词性": the site's
// own words, the built-in domain dictionary and gse's simplified Chinese dictionary, in
// that order (the first entry of a word wins, as in gse).
type Dictionary struct {
	lines  string  // every entry gse accepted, one per line
	total  float64 // gse's total frequency over those entries
	maxLen int     // the longest entry, in characters
	Hash   string  // identifies the word list, so an index knows which one built it

	// A process that asks for more than one partial view (a server) indexes the lines
	// by word once, instead of scanning all of them per query.
	partials  atomic.Int32
	indexOnce sync.Once
	byWord    map[string]string
}

// newGse returns an empty segmenter configured the way jingjian always uses gse: no HMM
// guessing (it makes segmentation depend on more than the dictionary), no logging.
func newGse() *gse.Segmenter {
	return &gse.Segmenter{NotLoadHMM: true, SkipLog: true}
}

// LoadDictionary builds the full dictionary: a site's own words (extra, already read), the
// built-in domain words and gse's embedded simplified Chinese words. It takes about
// a second and a few hundred MB, so a process does it once, and only to index many
// documents; queries use Partial.
func LoadDictionary(extra []Entry) (*Dictionary, *gse.Segmenter, error) {
	domain, err := builtinEntries("dict/domain.txt")
	if err != nil {
		return nil, nil, err
	}
	// gse keeps the first entry of a word, so the site's words go in first, then the
	// domain words, then gse's own: a domain frequency beats a general one.
	seg := newGse()
	seg.Dict = gse.NewDict()
	seg.Init()
	for _, e := range append(extra, domain...) {
		_ = seg.AddToken(e.Word, e.Freq, e.Pos)
	}
	if err := seg.LoadDictEmbed("zh_s"); err != nil { // also computes the word costs
		return nil, nil, fmt.Errorf("加载 gse 内置词典失败: %w", err)
	}
	if seg.Dict.NumTokens() < 100000 {
		return nil, nil, fmt.Errorf("gse 内置词典未能加载（只有 %d 个词）", seg.Dict.NumTokens())
	}
	return dictionaryOf(seg), seg, nil
}

// dictionaryOf records the entries a loaded segmenter holds.
func dictionaryOf(seg *gse.Segmenter) *Dictionary {
	var b strings.Builder
	d := &Dictionary{total: seg.Dict.TotalFreq()}
	for i := range seg.Dict.Tokens {
		t := &seg.Dict.Tokens[i]
		w := t.Text()
		if n := len([]rune(w)); n > d.maxLen {
			d.maxLen = n
		}
		b.WriteString(w)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatFloat(t.Freq(), 'g', -1, 64))
		if t.Pos() != "" {
			b.WriteByte(' ')
			b.WriteString(t.Pos())
		}
		b.WriteByte('\n')
	}
	d.lines = b.String()
	sum := sha256.Sum256([]byte(d.lines))
	d.Hash = hex.EncodeToString(sum[:8])
	return d
}

// Full returns a segmenter with every entry of the dictionary.
func (d *Dictionary) Full() (*gse.Segmenter, error) {
	seg := newGse()
	if err := seg.LoadDictStr(d.lines); err != nil {
		return nil, err
	}
	return seg, nil
}

// Save writes the dictionary beside an index, so queries segment with exactly it.
func (d *Dictionary) Save(path string) error {
	header := fmt.Sprintf("# jingjian dictionary %s total=%s max=%d\n", d.Hash, strconv.FormatFloat(d.total, 'g', -1, 64), d.maxLen)
	return os.WriteFile(path, []byte(header+d.lines), 0o644)
}

// ReadDictionary reads a dictionary saved by Save.
func ReadDictionary(path string) (*Dictionary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	header, lines, ok := strings.Cut(string(b), "\n")
	d := &Dictionary{lines: lines}
	var total string
	if !ok || func() bool {
		_, err := fmt.Sscanf(header, "# jingjian dictionary %s total=%s max=%d", &d.Hash, &total, &d.maxLen)
		return err != nil
	}() {
		return nil, fmt.Errorf("%s: 不是 jingjian 词典文件", path)
	}
	if d.total, err = strconv.ParseFloat(total, 64); err != nil || d.total <= 0 || math.IsInf(d.total, 0) {
		return nil, fmt.Errorf("%s: 词典总频次无效", path)
	}
	return d, nil
}

// Partial returns a segmenter holding only the dictionary words that occur in texts. It
// segments those texts exactly as the full dictionary would (same words, same costs,
// same search-mode parts) and loads in milliseconds, which is what lets a cold
// `jingjian search` answer fast.
func (d *Dictionary) Partial(texts ...string) (*gse.Segmenter, error) {
	want := substrings(texts, d.maxLen)
	var b strings.Builder
	var sum float64
	add := func(line string) {
		_, freq, _ := strings.Cut(line, " ")
		f, _, _ := strings.Cut(freq, " ")
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return
		}
		sum += v
		b.WriteString(line)
		b.WriteByte('\n')
	}
	if d.partials.Add(1) == 1 {
		// One query in a fresh process: a single pass beats building an index.
		for rest := d.lines; rest != ""; {
			line, next, _ := strings.Cut(rest, "\n")
			rest = next
			if word, _, _ := strings.Cut(line, " "); want[word] {
				add(line)
			}
		}
	} else {
		d.indexOnce.Do(d.index)
		for w := range want {
			if line, ok := d.byWord[w]; ok {
				add(line)
			}
		}
	}
	if rest := d.total - sum; rest > 0 {
		fmt.Fprintf(&b, "%s %s\n", totalMarker, strconv.FormatFloat(rest, 'g', -1, 64))
	}
	seg := newGse()
	if err := seg.LoadDictStr(b.String()); err != nil {
		return nil, err
	}
	return seg, nil
}

// index maps every word to its line.
func (d *Dictionary) index() {
	d.byWord = make(map[string]string, strings.Count(d.lines, "\n"))
	for rest := d.lines; rest != ""; {
		line, next, _ := strings.Cut(rest, "\n")
		rest = next
		word, _, _ := strings.Cut(line, " ")
		d.byWord[word] = line
	}
}

// substrings returns every substring of up to n characters of the texts' words.
func substrings(texts []string, n int) map[string]bool {
	set := map[string]bool{}
	for _, t := range texts {
		r := []rune(t)
		for i := range r {
			for j := i + 1; j <= len(r) && j-i <= n; j++ {
				set[string(r[i:j])] = true
			}
		}
	}
	return set
}

// An Entry is one line of a word list: a word, its frequency and its part of speech.
type Entry struct {
	Word string
	Freq float64
	Pos  string
}

func builtinEntries(name string) ([]Entry, error) {
	b, err := builtin.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("内置词典 %s 缺失: %w", name, err)
	}
	entries, errs := ParseWords(string(b), name)
	if len(errs) > 0 {
		return nil, errs // a startup bug, not user input: the built-in files are tested
	}
	return entries, nil
}

// ParseWords reads a word list: one "词 [频次] [词性]" per line, # comments, blank lines.
// A word without a frequency gets 1000, enough to beat the general dictionary's splits;
// frequencies below 2 are raised to 2, gse's floor, so every dictionary view agrees.
func ParseWords(text, display string) ([]Entry, textpos.List) {
	var out []Entry
	var errs textpos.List
	for line, l := range contentLines(text) {
		f := strings.Fields(l)
		e := Entry{Word: f[0], Freq: 1000}
		if len(f) > 1 {
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil || v <= 0 {
				errs.Add(textpos.Pos{Path: display, Line: line}, "词频 %q 应为正数；格式为“词语 频次 词性”，如 三重一大 1000 n", f[1])
				continue
			}
			e.Freq = max(v, 2)
		}
		if len(f) > 2 {
			e.Pos = f[2]
		}
		if len(f) > 3 {
			errs.Add(textpos.Pos{Path: display, Line: line}, "一行只能写一个词（词语 频次 词性）；词语中不能有空格")
			continue
		}
		out = append(out, e)
	}
	return out, errs
}

// contentLines yields the 1-based number and trimmed text of each line of a word list
// that is neither blank nor a # comment.
func contentLines(text string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		sc := bufio.NewScanner(strings.NewReader(text))
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for line := 1; sc.Scan(); line++ {
			l := strings.TrimSpace(sc.Text())
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			if !yield(line, l) {
				return
			}
		}
	}
}
