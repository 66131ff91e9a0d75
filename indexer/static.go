package indexer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"golang.org/x/sync/errgroup"
)

// The static index lets a site without jingjian serve search in the browser: on nginx or
// IIS serving plain files, or opened from file://, where browsers refuse fetch. So every
// file is a script handing its data to the client (themes/default/assets/js/
// static-search.js), `jingjianSearch._load(name, length, "text")`, which a <script>
// element loads from anywhere. The data is raw DEFLATE, as text (staticText); the client
// inflates it with the browser's DecompressionStream.
//
// Terms are analysed as a browser repeats without a dictionary (staticTerms): Chinese as
// overlapping character pairs (a lone character as itself), Latin letters and digits as
// whole lower-cased words, so a number is matched whole. Postings are per document (on
// the laws corpus 5.6 million document–term pairs against 11.9 million at passage level:
// 8 MB of postings instead of 21). A document's text is cut, at its passages' ends, into
// blocks of about staticBlockBytes, each in a chunk file of its own or shared with short
// documents; a term's posting in a document of several blocks says which blocks hold it,
// so the client fetches only the block whose passage answers (and checks a phrase only in
// the blocks that hold all its pairs). Files, under StaticDir:
//
//	head.js   JSON: the shard count, the synonyms, the stop words, the answer types: all
//	          a query needs to know its shards, which it loads while meta.js comes
//	meta.js   JSON: documents [url (see staticFolders), title, section, date, status,
//	          current, length, first chunk, blocks, facet values, place (1 + its index
//	          in places, or 0), the title's core (titleCore; 0 when it is the title)],
//	          the facets and their values, the average length, the URLs' folders, the
//	          places titles open with ([full, short, province]: titlePlace,
//	          placeRegions; province "" when none is known). Block k of a document
//	          is in chunk first + k.
//	t/N.js    binary: the postings of the terms whose FNV-1a hash is N modulo the shard
//	          count, in columns: the bytes of the terms' text (a varint), the terms
//	          joined by newlines, each term's count of postings (a varint); then, of all
//	          postings in the terms' order, varints of the document (a delta from the
//	          term's previous one), then of the value (tf×2 + in title), then of the block
//	          mask (bit k: block k holds the term) of those whose document has more than
//	          one block
//	c/N.js    JSON: [[document, [[label, anchor, text], …]], …], one block of a document,
//	          or the blocks of a run of short documents, about staticBlockBytes of text
//
// A query loads head.js and meta.js once, one shard per distinct term and one chunk per
// hit shown.

// StaticDir is the output folder of the static index.
const StaticDir = "_search"

// staticVersion changes whenever the files' format does; the client checks it.
const staticVersion = 5

const (
	staticShardBytes = 12 << 10 // aimed-for size of a shard's postings, before deflating
	staticBlockBytes = 16 << 10 // text per block (and chunk), before deflating
	staticMaxBlocks  = 52       // a block mask fits a JavaScript number's 53 bits
)

// staticHead is head.js: what a query needs to know which shards to load, so that the
// client loads them while meta.js is still on its way (or being parsed).
type staticHead struct {
	V        int                 `json:"v"`
	Shards   int                 `json:"shards"`
	Synonyms map[string][]string `json:"synonyms"`
	Stop     []string            `json:"stop"` // cut out of a query's words: see staticStop
	// Answers are the answer types (answerTypes): what a question asking for each holds,
	// and the units a number giving it ends with.
	Answers [][2][]string `json:"answers"`
}

// staticMeta is meta.js.
type staticMeta struct {
	V       int           `json:"v"`
	Base    string        `json:"base"` // the site's base path, as in the documents' URLs
	AvgLen  float64       `json:"avglen"`
	Docs    [][]any       `json:"docs"`
	Facets  []staticFacet `json:"facets"`
	Folders []string      `json:"folders"` // of the documents' URLs: see staticFolders
	// Places and the titles' cores are the server's (titlePlace, titleCore), worked out
	// here once rather than by every browser's first query (20 ms on the laws corpus).
	Places [][3]string `json:"places"`
}

type staticFacet struct {
	Label  string   `json:"label"`
	Values []string `json:"values"`
}

// StaticFiles makes the static index of docs, with the facets and synonyms the server's
// search uses: output paths (under StaticDir) and their bytes. baseURL is the site's
// (config.toml's baseURL): documents' addresses carry its path ("/lz/cases/某案/").
func StaticFiles(docs []*Doc, facets []FacetDef, syn *Synonyms, baseURL string) (map[string][]byte, error) {
	base := "/"
	if u, err := url.Parse(baseURL); err == nil && u.Path != "" {
		base = strings.TrimSuffix(u.Path, "/") + "/"
	}
	meta := staticMeta{V: staticVersion, Base: base}
	head := staticHead{V: staticVersion, Synonyms: map[string][]string{}, Stop: staticStop()}
	for _, a := range answerTypes {
		head.Answers = append(head.Answers, [2][]string{a.asks, a.units})
	}
	folders := &staticFolders{ids: map[string]int{}}
	meta.Facets = []staticFacet{{Label: "栏目"}, {Label: "年份"}}
	for _, f := range facets {
		meta.Facets = append(meta.Facets, staticFacet{Label: f.Label})
	}
	valueIDs := make([]map[string]int, len(meta.Facets))
	for i := range valueIDs {
		valueIDs[i] = map[string]int{}
	}
	value := func(facet int, v string) int {
		id, ok := valueIDs[facet][v]
		if !ok {
			id = len(meta.Facets[facet].Values)
			valueIDs[facet][v] = id
			meta.Facets[facet].Values = append(meta.Facets[facet].Values, v)
		}
		return id
	}
	if syn != nil {
		maps.Copy(head.Synonyms, syn.also)
	}

	// Blocks and terms of each document, in parallel (the analysis is most of the work),
	// a batch of documents at a time: the counts of all documents at once took a
	// gigabyte on the laws corpus.
	const batch = 64
	analysed := make([]staticDoc, len(docs))
	analyse := func(from int) {
		var g errgroup.Group
		g.SetLimit(4)
		for i := from; i < min(from+batch, len(docs)); i++ {
			g.Go(func() error {
				analysed[i] = analyseStatic(docs[i])
				return nil
			})
		}
		_ = g.Wait()
	}

	// Postings, and the documents' rows with their chunks: a document's blocks go into
	// consecutive chunks, block k into chunk first + k. Every block but a document's last
	// holds staticBlockBytes or more, so it closes its chunk; a last block (a short
	// document's only one) may share its chunk with the next documents'.
	// Pairs are keyed by their two characters until the shards are made (a string key per
	// posting, 5.6 million on the laws corpus, put hashing and comparing strings at the top
	// of this function's profile), and the lists are held in one slice, the maps giving
	// their index (a map of pointers cost a cache miss more per posting).
	var lists []staticList
	pairPostings := map[[2]rune]int32{}
	wordPostings := map[string]int32{}
	out := map[string][]byte{}
	var mu sync.Mutex
	put := func(name string, b []byte) {
		mu.Lock()
		out[StaticDir+"/"+name+".js"] = b
		mu.Unlock()
	}
	// Chunks are written as they fill, beside the analysis: holding the passages of every
	// chunk until the end took a few hundred megabytes on the 10× corpus.
	var w errgroup.Group
	w.SetLimit(4)
	var cur []any // [[doc, [[label, anchor, text], …]], …]
	chunks, curBytes, total := 0, 0, 0
	flush := func() {
		if len(cur) > 0 {
			c, name := cur, fmt.Sprintf("c/%d", chunks)
			w.Go(func() error {
				raw, err := json.Marshal(c)
				if err != nil {
					return err
				}
				s, err := staticScript(name, raw)
				put(name, s)
				return err
			})
			chunks++
			cur, curBytes = nil, 0
		}
	}
	placeIDs := map[string]int{} // place → 1 + its index in meta.Places
	titles := make([]titleEntry, len(docs))
	for i, d := range docs {
		place, _ := titlePlace(d.Title)
		titles[i] = titleEntry{id: d.ID, place: place}
	}
	regions := placeRegions(titles)
	for i, d := range docs {
		if i%batch == 0 {
			analyse(i)
		}
		dt := analysed[i]
		analysed[i] = staticDoc{} // merged below: let it go
		total += dt.n
		multi := len(dt.blocks) > 1
		// (Documents in order, so each term's list is in document order.)
		for k, c := range dt.pairs {
			addPosting(pairPostings, &lists, k, i, c, multi)
		}
		for t, c := range dt.words {
			addPosting(wordPostings, &lists, t, i, c, multi)
		}
		var fv []int
		fv = append(fv, 0, value(0, d.SectionTitle))
		if !d.Date.IsZero() {
			fv = append(fv, 1, value(1, fmt.Sprint(d.Date.Year())))
		}
		for k, f := range facets {
			for _, v := range d.Fields[f.Key] {
				fv = append(fv, k+2, value(k+2, v))
			}
		}
		date := ""
		if !d.Date.IsZero() {
			date = d.Date.Format("2006-01-02")
		}
		// A short document starts a chunk of its own rather than make one far over the
		// block size.
		if len(dt.blocks) > 0 && curBytes > 0 && curBytes+dt.blocks[0].bytes > staticBlockBytes*3/2 {
			flush()
		}
		first := chunks
		for _, bl := range dt.blocks {
			cur = append(cur, []any{i, bl.passages})
			if curBytes += bl.bytes; curBytes >= staticBlockBytes {
				flush()
			}
		}
		place := 0
		if full := titles[i].place; full != "" {
			if place = placeIDs[full]; place == 0 {
				_, short := titlePlace(d.Title)
				meta.Places = append(meta.Places, [3]string{full, short, regions[full]})
				place = len(meta.Places)
				placeIDs[full] = place
			}
		}
		var core any = 0
		if c := titleCore(d.Title); c != d.Title {
			core = c
		}
		meta.Docs = append(meta.Docs, []any{folders.url(strings.TrimSuffix(base, "/")+d.URL, d.Title, date), d.Title, d.SectionTitle, date, d.Status, d.Current, dt.n, first, len(dt.blocks), fv, place, core})
	}
	flush()
	meta.AvgLen = float64(total) / float64(max(len(docs), 1))
	meta.Folders = folders.list

	postings := make(map[string]*staticList, len(lists))
	for t, at := range wordPostings {
		postings[t] = &lists[at]
	}
	for k, at := range pairPostings {
		postings[string(k[:])] = &lists[at]
	}
	pairPostings, wordPostings = nil, nil

	// Shards: as many as make the average one about staticShardBytes of varints.
	size := 0
	for t, p := range postings {
		size += len(t) + len(p.docs) + len(p.vals) + len(p.masks)
	}
	head.Shards = max(1, size/staticShardBytes)
	shards := make([][]string, head.Shards)
	for t := range postings {
		s := staticShard(t, head.Shards)
		shards[s] = append(shards[s], t)
	}

	for n, terms := range shards {
		w.Go(func() error {
			slices.Sort(terms)
			// Columns: the terms, then every term's count, then every posting's document
			// delta, then every value, then every mask: alike next to alike deflates a
			// tenth smaller, and the client decodes the terms' text in one call.
			var countsCol, docsCol, valsCol, masksCol []byte
			for _, t := range terms {
				p := postings[t]
				countsCol = binary.AppendUvarint(countsCol, uint64(p.count))
				docsCol = append(docsCol, p.docs...)
				valsCol = append(valsCol, p.vals...)
				masksCol = append(masksCol, p.masks...)
			}
			text := strings.Join(terms, "\n") // (no term holds a newline: see staticTerms)
			b := slices.Concat(binary.AppendUvarint(nil, uint64(len(text))), []byte(text), countsCol, docsCol, valsCol, masksCol)
			name := fmt.Sprintf("t/%d", n)
			s, err := staticScript(name, b)
			put(name, s)
			return err
		})
	}
	if err := w.Wait(); err != nil {
		return nil, err
	}
	for name, v := range map[string]any{"meta": meta, "head": head} {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		s, err := staticScript(name, raw)
		if err != nil {
			return nil, err
		}
		put(name, s)
	}
	return out, nil
}

// staticFolders writes documents' URLs short, as most are their folder and title
// (/法律/监察法(2018-03-20)/ of the 监察法 of that date): [folder, 1] when the URL is the
// folder, the title and a slash, [folder, 2] when it is the folder, the title, the date in
// brackets and a slash, else [folder, rest]; folders are numbered in meta's folders. On the
// laws corpus this took 260 KB (a third) out of meta.js before compression, which the first
// query parses.
type staticFolders struct {
	ids  map[string]int
	list []string
}

func (f *staticFolders) url(u, title, date string) []any {
	cut := strings.LastIndexByte(strings.TrimSuffix(u, "/"), '/') + 1
	folder, rest := u[:cut], u[cut:]
	id, ok := f.ids[folder]
	if !ok {
		id = len(f.list)
		f.ids[folder] = id
		f.list = append(f.list, folder)
	}
	switch {
	case rest == title+"/":
		return []any{id, 1}
	case date != "" && rest == title+"("+date+")/":
		return []any{id, 2}
	}
	return []any{id, rest}
}

// staticDoc is a document as the static index holds it.
type staticDoc struct {
	blocks []staticBlock
	pairs  map[[2]rune]staticCount // the body's and the title's pairs of Chinese characters
	words  map[string]staticCount  // their other terms
	n      int                     // terms in the body
}

// staticList is a term's postings as they are written, in columns of varints:
// documents (deltas, in order), values, masks (for documents of several blocks). Held
// encoded: on the 10× corpus, 56 million postings as uint64s took gigabytes.
type staticList struct {
	docs, vals, masks []byte
	last              uint64 // the last document added
	count             int
}

func (p *staticList) add(doc, v, mask uint64, multi bool) {
	p.docs = binary.AppendUvarint(p.docs, doc-p.last)
	p.vals = binary.AppendUvarint(p.vals, v)
	if multi {
		p.masks = binary.AppendUvarint(p.masks, mask)
	}
	p.last = doc
	p.count++
}

// staticCount is a term's count in a document, the blocks holding it (bit k: block k) and
// whether the title holds it.
type staticCount struct {
	tf    int
	mask  uint64
	title bool // in the title
}

// addPosting adds document doc's count of term k to the term's list in lists, whose
// index ids gives (a new list if none).
func addPosting[K comparable](ids map[K]int32, lists *[]staticList, k K, doc int, c staticCount, multi bool) {
	at, ok := ids[k]
	if !ok {
		at = int32(len(*lists))
		*lists = append(*lists, staticList{})
		ids[k] = at
	}
	(*lists)[at].add(uint64(doc), c.value(), c.mask, multi)
}

// value is a posting's value: tf×2 + in the title.
func (c staticCount) value() uint64 {
	v := uint64(c.tf) * 2
	if c.title {
		v |= 1
	}
	return v
}

// staticBlock is a run of a document's passages: [label, anchor, text] each.
type staticBlock struct {
	passages [][]string
	bytes    int
}

// analyseStatic cuts a document into blocks of its passages, staticBlockBytes or more
// each but the last (more for a document so long it would have over staticMaxBlocks),
// and counts the terms of each.
func analyseStatic(d *Doc) staticDoc {
	var sd staticDoc
	size := max(staticBlockBytes, len(d.Body)/staticMaxBlocks+1)
	// Terms are counted passage by passage: a pair across two passages, which end at a
	// line's end or a heading, is no word.
	pairs := make(map[[2]rune]staticCount, len(d.Body)/7)
	words := map[string]staticCount{}
	var bl staticBlock
	for _, sp := range spans(d.Body, d.Marks) {
		label, anchor := "", ""
		if sp.mark >= 0 {
			label, anchor = d.Marks[sp.mark].Label, d.Marks[sp.mark].ID
		}
		text := d.Body[sp.start:sp.end]
		bl.passages = append(bl.passages, []string{label, anchor, text})
		bl.bytes += len(text)
		sd.n += addStaticTerms(text, uint64(1)<<len(sd.blocks), pairs, words)
		if bl.bytes >= size {
			sd.blocks = append(sd.blocks, bl)
			bl = staticBlock{}
		}
	}
	if len(bl.passages) > 0 {
		sd.blocks = append(sd.blocks, bl)
	}
	sd.pairs, sd.words = pairs, words
	// The title's terms, flagged here in parallel rather than looked up per posting later.
	for _, t := range staticTerms(d.Title) {
		if r := []rune(t); len(r) == 2 && unicode.Is(unicode.Han, r[0]) && unicode.Is(unicode.Han, r[1]) {
			k := [2]rune{r[0], r[1]}
			c := pairs[k]
			c.title = true
			pairs[k] = c
			continue
		}
		c := words[t]
		c.title = true
		words[t] = c
	}
	return sd
}

// staticStop lists the stop words the client cuts out of a query's long words before
// making their pairs, as the server drops them after segmenting: the Chinese ones of two
// characters or more (能不能, 怎么, 多少), longest first. One character (的, 在, 有) cannot
// be told apart from the words it opens or ends (目的, 存在, 有限) without a dictionary;
// cutting the safest of them too (的, 了, 吗 …) cost topics 0.05 MRR@10 (BENCHMARKS.md §11).
func staticStop() []string {
	var out []string
	for w := range stopWords {
		han := !strings.ContainsFunc(w, func(r rune) bool { return !unicode.Is(unicode.Han, r) })
		if han && utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if d := utf8.RuneCountInString(b) - utf8.RuneCountInString(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return out
}

// staticScript is one file of the static index: a call handing data, deflated and in
// staticText's encoding, to the client, with the deflated data's length.
func staticScript(name string, data []byte) ([]byte, error) {
	var z bytes.Buffer
	zw := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(zw)
	zw.Reset(&z)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "jingjianSearch._load(%q,%d,\"%s\");\n", name, z.Len(), staticText(z.Bytes())), nil
}

// deflaters are reused: a new one allocates about a megabyte, which for the 46,000 files
// of the 10× corpus's index cost a tenth of the writing. Level 6: 9 saves 3 % (1.1 MB on
// the laws corpus) in twice the time.
var deflaters = sync.Pool{New: func() any { zw, _ := flate.NewWriter(nil, 6); return zw }}

// staticAlphabet is the printable ASCII that a JavaScript string in double quotes takes
// as it is: all but ", ' and \. 91 of them: two hold 13 bits (91² = 8281 ≥ 8192).
const staticAlphabet = "!#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"

// staticText encodes bytes 13 bits to two characters of staticAlphabet, low bits first:
// 1.23 characters a byte where base64 takes 1.33 (on the laws corpus 3 MB less). The
// last pair may carry padding bits: the client stops at the length it is given.
func staticText(b []byte) []byte {
	out := make([]byte, 0, (len(b)*8+12)/13*2)
	acc, bits := uint32(0), 0
	for _, c := range b {
		acc |= uint32(c) << bits
		bits += 8
		if bits >= 13 {
			v := acc & 8191
			acc >>= 13
			bits -= 13
			out = append(out, staticAlphabet[v%91], staticAlphabet[v/91])
		}
	}
	if bits > 0 {
		out = append(out, staticAlphabet[acc%91], staticAlphabet[acc/91])
	}
	return out
}

// staticShard is the shard of a term: FNV-1a of its UTF-8 bytes, as the client computes it.
func staticShard(term string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(term))
	return int(h.Sum32() % uint32(shards))
}

// countStaticTerms counts the terms of staticTerms(text), and returns how many there
// are.
func countStaticTerms(text string) (map[string]int, int) {
	pairs := make(map[[2]rune]staticCount, len(text)/7)
	words := map[string]staticCount{}
	n := addStaticTerms(text, 0, pairs, words)
	out := make(map[string]int, len(pairs)+len(words))
	for w, c := range words {
		out[w] = c.tf
	}
	for p, c := range pairs {
		out[string(p[:])] = c.tf
	}
	return out, n
}

// isHan is unicode.Is(unicode.Han, r), the common characters first (a tenth of the
// analysis went to looking them up in the table).
func isHan(r rune) bool {
	if r >= 0x4e00 && r <= 0x9fff {
		return true
	}
	return r >= 0x2e80 && unicode.Is(unicode.Han, r)
}

// addStaticTerms counts the terms of staticTerms(text) into pairs (of Chinese
// characters) and words (the rest), adding block to their masks, and returns how many
// there are, without making a string of every pair (a long law has hundreds of
// thousands). Maps for a text of Chinese want room for about one distinct pair every 7
// bytes (3476 laws: 5.6 million document–pair counts over 58 MB).
func addStaticTerms(text string, block uint64, pairs map[[2]rune]staticCount, words map[string]staticCount) int {
	n := 0
	var prev rune // the Han character before, or 0
	run := 0      // Han characters in the current run
	wordStart := -1
	count := func(w string) {
		c := words[w]
		c.tf++
		c.mask |= block
		words[w] = c
		n++
	}
	endRun := func() {
		if run == 1 {
			count(string(prev))
		}
		run, prev = 0, 0
	}
	endWord := func(i int) {
		if wordStart >= 0 {
			count(strings.ToLower(text[wordStart:i]))
			wordStart = -1
		}
	}
	for i, r := range text {
		switch {
		case isHan(r):
			endWord(i)
			if run > 0 {
				k := [2]rune{prev, r}
				c := pairs[k]
				c.tf++
				c.mask |= block
				pairs[k] = c
				n++
			}
			prev = r
			run++
		case r < utf8.RuneSelf && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			endRun()
			if wordStart < 0 {
				wordStart = i
			}
		default:
			endRun()
			endWord(i)
		}
	}
	endRun()
	endWord(len(text))
	return n
}

// staticTerms analyses text as the static index does (and static-search.js repeats):
// runs of Chinese characters as overlapping pairs, a lone character as itself; runs of
// ASCII letters and digits as whole lower-cased words; everything else separates.
func staticTerms(text string) []string {
	var out []string
	var han []rune
	var word strings.Builder
	flushHan := func() {
		switch len(han) {
		case 0:
		case 1:
			out = append(out, string(han))
		default:
			for i := 0; i+1 < len(han); i++ {
				out = append(out, string(han[i:i+2]))
			}
		}
		han = han[:0]
	}
	flushWord := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case r < utf8.RuneSelf && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z'):
			flushHan()
			word.WriteRune(r)
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			flushHan()
			word.WriteRune(r + 'a' - 'A')
		default:
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
	return out
}
