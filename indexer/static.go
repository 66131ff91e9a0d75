package indexer

import (
	"bytes"
	"encoding/base64"
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
// static-search.js), `jingjianSearch._load(name, "base64")`, which a <script> element
// loads from anywhere. The data is raw DEFLATE; the client inflates it with the browser's
// DecompressionStream.
//
// Terms are analysed as a browser repeats without a dictionary (staticTerms): Chinese as
// overlapping character pairs (a lone character as itself), Latin letters and digits as
// whole lower-cased words, so a number is matched whole. Postings are per document (on
// the laws corpus 5.6 million document–term pairs against 11.9 million at passage level:
// 8 MB of postings instead of 21); the client finds the answering passage in the text of
// the hits it shows, as the server reranks its first hits in their stored text. Files,
// under StaticDir:
//
//	meta.js   JSON: documents [url, title, section, date, status, current, length, first
//	          chunk, chunks, facet values], the facets and their values, the average
//	          length, the synonyms
//	t/N.js    binary: the postings of the terms whose FNV-1a hash is N modulo the shard
//	          count: (term, count, count × (document delta, tf×2 + in title)) as varints
//	c/N.js    JSON: [[document, [[label, anchor, text], …]], …], the passages of a run of
//	          documents, about staticChunkBytes of text per chunk
//
// A query loads meta.js once, one shard per distinct term and the chunks of the hits shown.

// StaticDir is the output folder of the static index.
const StaticDir = "_search"

// staticVersion changes whenever the files' format does; the client checks it.
const staticVersion = 1

const (
	staticShardBytes = 32 << 10 // aimed-for size of a shard's postings, before deflating
	staticChunkBytes = 48 << 10 // text per chunk, before deflating
)

// staticMeta is meta.js.
type staticMeta struct {
	V        int                 `json:"v"`
	Base     string              `json:"base"` // the site's base path, as in the documents' URLs
	Shards   int                 `json:"shards"`
	AvgLen   float64             `json:"avglen"`
	Docs     [][]any             `json:"docs"`
	Facets   []staticFacet       `json:"facets"`
	Synonyms map[string][]string `json:"synonyms"`
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
	meta := staticMeta{V: staticVersion, Base: base, Synonyms: map[string][]string{}}
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
		maps.Copy(meta.Synonyms, syn.also)
	}

	// Terms of each document, in parallel (the analysis is most of the work), a batch of
	// documents at a time: the counts of all documents at once took a gigabyte on the laws
	// corpus.
	type docTerms struct {
		tf    map[string]int
		title map[string]bool
		n     int
	}
	const batch = 64
	analysed := make([]docTerms, len(docs))
	analyse := func(from int) {
		var g errgroup.Group
		g.SetLimit(4)
		for i := from; i < min(from+batch, len(docs)); i++ {
			g.Go(func() error {
				dt := docTerms{title: map[string]bool{}}
				dt.tf, dt.n = countStaticTerms(docs[i].Body)
				for _, t := range staticTerms(docs[i].Title) {
					dt.title[t] = true
				}
				analysed[i] = dt
				return nil
			})
		}
		_ = g.Wait()
	}

	// Postings, and the documents' rows with their chunks.
	postings := map[string][]uint32{} // term → doc, tf×2+title, doc, …
	var chunks [][]any                // each: [[doc, [[label, anchor, text], …]], …]
	var cur []any
	curBytes, total := 0, 0
	for i, d := range docs {
		if i%batch == 0 {
			analyse(i)
		}
		dt := analysed[i]
		analysed[i] = docTerms{} // merged below: let it go
		total += dt.n
		// (Documents in order, so each term's list is in document order.)
		for t, tf := range dt.tf {
			v := uint32(tf) * 2
			if dt.title[t] {
				v |= 1
			}
			postings[t] = append(postings[t], uint32(i), v)
		}
		for t := range dt.title {
			if dt.tf[t] == 0 {
				postings[t] = append(postings[t], uint32(i), 1)
			}
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
		first, passages := len(chunks), 0
		var ps [][]string
		// keep puts the document's passages so far into the chunk being filled; flush
		// also closes that chunk.
		keep := func() {
			if len(ps) > 0 {
				cur = append(cur, []any{i, ps})
				ps = nil
			}
		}
		flush := func() {
			keep()
			if len(cur) > 0 {
				chunks = append(chunks, cur)
				cur, curBytes = nil, 0
			}
		}
		for _, sp := range spans(d.Body, d.Marks) {
			label, anchor := "", ""
			if sp.mark >= 0 {
				label, anchor = d.Marks[sp.mark].Label, d.Marks[sp.mark].ID
			}
			ps = append(ps, []string{label, anchor, d.Body[sp.start:sp.end]})
			passages++
			if curBytes += sp.end - sp.start; curBytes >= staticChunkBytes {
				flush()
			}
		}
		keep()
		// The document's passages start in the chunk being filled (or the next one).
		count := len(chunks) - first
		if len(cur) > 0 {
			count++
		}
		if passages == 0 {
			count = 0 // an empty body
		}
		meta.Docs = append(meta.Docs, []any{strings.TrimSuffix(base, "/") + d.URL, d.Title, d.SectionTitle, date, d.Status, d.Current, dt.n, first, count, fv})
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	meta.AvgLen = float64(total) / float64(max(len(docs), 1))

	// Shards: as many as make the average one about staticShardBytes of varints.
	size := 0
	for t, p := range postings {
		size += len(t) + 2*len(p)
	}
	meta.Shards = max(1, size/staticShardBytes)
	shards := make([][]string, meta.Shards)
	for t := range postings {
		s := staticShard(t, meta.Shards)
		shards[s] = append(shards[s], t)
	}

	out := map[string][]byte{}
	var mu sync.Mutex
	put := func(name string, b []byte) {
		mu.Lock()
		out[StaticDir+"/"+name+".js"] = b
		mu.Unlock()
	}
	var w errgroup.Group
	w.SetLimit(4)
	for n, terms := range shards {
		w.Go(func() error {
			slices.Sort(terms)
			var b []byte
			for _, t := range terms {
				p := postings[t]
				b = binary.AppendUvarint(b, uint64(len(t)))
				b = append(b, t...)
				b = binary.AppendUvarint(b, uint64(len(p)/2))
				prev := uint32(0)
				for k := 0; k < len(p); k += 2 {
					b = binary.AppendUvarint(b, uint64(p[k]-prev))
					b = binary.AppendUvarint(b, uint64(p[k+1]))
					prev = p[k]
				}
			}
			name := fmt.Sprintf("t/%d", n)
			s, err := staticScript(name, b)
			put(name, s)
			return err
		})
	}
	for n, c := range chunks {
		w.Go(func() error {
			raw, err := json.Marshal(c)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("c/%d", n)
			s, err := staticScript(name, raw)
			put(name, s)
			return err
		})
	}
	if err := w.Wait(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	s, err := staticScript("meta", raw)
	if err != nil {
		return nil, err
	}
	put("meta", s)
	return out, nil
}

// staticScript is one file of the static index: a call handing data, deflated and in
// base64, to the client.
func staticScript(name string, data []byte) ([]byte, error) {
	var z bytes.Buffer
	zw, _ := flate.NewWriter(&z, 6)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "jingjianSearch._load(%q,%q);\n", name, base64.StdEncoding.EncodeToString(z.Bytes())), nil
}

// staticShard is the shard of a term: FNV-1a of its UTF-8 bytes, as the client computes it.
func staticShard(term string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(term))
	return int(h.Sum32() % uint32(shards))
}

// countStaticTerms counts the terms of staticTerms(text), and returns how many there
// are, without making a string of every pair (a long law has hundreds of thousands).
func countStaticTerms(text string) (map[string]int, int) {
	// Sized for a text of Chinese: about one distinct pair for every 7 bytes (3476 laws:
	// 5.6 million document–pair counts over 58 MB), so long texts do not rehash as they go.
	pairs := make(map[[2]rune]int, len(text)/7)
	words := make(map[string]int, len(text)/7)
	n := 0
	var prev rune // the Han character before, or 0
	run := 0      // Han characters in the current run
	wordStart := -1
	endRun := func() {
		if run == 1 {
			words[string(prev)]++
			n++
		}
		run, prev = 0, 0
	}
	endWord := func(i int) {
		if wordStart >= 0 {
			words[strings.ToLower(text[wordStart:i])]++
			n++
			wordStart = -1
		}
	}
	for i, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			endWord(i)
			if run > 0 {
				pairs[[2]rune{prev, r}]++
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
	for p, c := range pairs {
		words[string(p[:])] += c
	}
	return words, n
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
