package indexer

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"jingjian/site"
)

// A Passage is one article (第X条) or heading section of a hit where the query's words
// were found: the places a hit's sub-results link to.
type Passage struct {
	Anchor  string  `json:"anchor"`            // the id in the page, "" for text without one
	Label   string  `json:"label"`             // 第二十二条, 第三章 监察权限
	Heading string  `json:"heading,omitempty"` // the headings above it: 第三章 监察权限
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
}

// Passage scoring. A long code answers a question in one of its articles; scored as a
// whole, BM25 dilutes that article's words among a thousand others, and a short document
// sharing more of the words overall wins. Search therefore reranks the best documents by
// the evidence of their best passage as well: BM25 over the passage's words, with each
// word weighted by its rarity in the index.
const (
	passageMaxBytes = 1800 // a longer stretch without marks is cut into pieces this long
	passageAvgRunes = 140  // about the length of an article
	passageK1       = 1.2
	passageB        = 0.5
	contigMinRunes  = 10   // the shortest verbatim run of typed text that counts
	deepCoverage    = 0.34 // share of the words beyond the title a passage must hold to be linked
	maxPassages     = 3    // sub-results per hit
)

// ranking holds the weights of rerank; BENCHMARKS.md §8 measures each against the judged
// queries with it switched off.
type ranking struct {
	window     int     // the first hits reranked
	passage    float64 // the best passage's share of the score
	contig     float64 // a long run of the query found verbatim, see contiguity
	repealed   float64 // factor for a text marked 已废止 or 已失效
	otherPlace float64 // factor for a local regulation of a place other than the one a query names
	shortQuery float64 // the least share of passage evidence, for the shortest queries: see passageShare
	answer     float64 // the weight of an answer type asked for, in the query's average words: see answerTypes
}

var defaultRanking = ranking{window: 40, passage: 2, contig: 3, repealed: 0.5, otherPlace: 0.6, shortQuery: 0.25, answer: 1}

// A span is one passage of a text: bytes [start, end), under marks[mark] (-1 for the text
// before the first mark).
type span struct {
	start, end, mark int
	runes            int // characters in text[start:end]
}

// spans cuts a text into passages at its marks: each heading or article runs to the next
// mark. Text before the first mark is a passage of its own; a stretch longer than
// passageMaxBytes is cut at line ends into pieces, each keeping its mark.
func spans(text string, marks []site.Mark) []span {
	var out []span
	add := func(start, end, mark int) {
		for start < end {
			cut := end
			if end-start > passageMaxBytes {
				cut = start + passageMaxBytes
				if nl := strings.LastIndexByte(text[start+passageMaxBytes/2:cut], '\n'); nl >= 0 {
					cut = start + passageMaxBytes/2 + nl + 1
				} else {
					cut = runeStart(text, cut)
				}
			}
			if strings.TrimSpace(text[start:cut]) != "" {
				out = append(out, span{start, cut, mark, utf8.RuneCountInString(text[start:cut])})
			}
			start = cut
		}
	}
	prev, mark := 0, -1
	for i, m := range marks {
		if m.Offset < prev || m.Offset > len(text) {
			continue // marks out of order would be a bug upstream; never slice backwards
		}
		add(prev, m.Offset, mark)
		prev, mark = m.Offset, i
	}
	add(prev, len(text), mark)
	return out
}

// A qterm is one word of a query as passage scoring looks for it in text.
type qterm struct {
	text   string  // lower-cased as asciiLower does
	weight float64 // typed 1, a synonym's word less; times the word's rarity
	answer int     // 1 + the answer type (answerTypes) this term stands for; 0 for a word
}

// dfs caches document frequencies of terms; an open index never changes.
type dfs struct {
	mu sync.Mutex
	m  map[string]float64 // field + "\x00" + term → documents
}

// idf is BM25's inverse document frequency of a word over the documents' bodies: of the
// segmented field when the word is one of its terms, else of the rarest bigram it holds.
func (ix *Index) idf(ctx context.Context, word string) float64 {
	n := float64(len(ix.st.Docs))
	df := ix.docFreq(ctx, word, fBody)
	if df == 0 && isMostlyHan(word) {
		df = n
		for _, tok := range ix.bigrams.Analyze([]byte(word)) {
			if utf8.RuneCount(tok.Term) == 2 {
				df = min(df, ix.docFreq(ctx, string(tok.Term), fBodyBG))
			}
		}
	}
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// docFreq counts the documents of all shards holding term in field.
func (ix *Index) docFreq(ctx context.Context, term, field string) float64 {
	key := field + "\x00" + term
	ix.dfCache.mu.Lock()
	v, ok := ix.dfCache.m[key]
	ix.dfCache.mu.Unlock()
	if ok {
		return v
	}
	var n uint64
	for _, s := range ix.shards {
		adv, err := s.Advanced()
		if err != nil {
			continue
		}
		r, err := adv.Reader()
		if err != nil {
			continue
		}
		if tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false); err == nil {
			n += tfr.Count()
			tfr.Close()
		}
		r.Close()
	}
	v = float64(n)
	ix.dfCache.mu.Lock()
	if ix.dfCache.m == nil || len(ix.dfCache.m) > 200_000 {
		ix.dfCache.m = map[string]float64{}
	}
	ix.dfCache.m[key] = v
	ix.dfCache.mu.Unlock()
	return v
}

// evidence is what passage scoring found in one document.
type evidence struct {
	best     []scoredSpan // the best passages, best first, at most maxPassages
	title    float64      // the title's score as a passage
	coverage float64      // share of the weight of the query's words in the text but not the title that the best passage holds
	contig   float64      // longest verbatim run of the query in the title or a best passage, as a share of it
}

type scoredSpan struct {
	span
	score float64
}

// passageEvidence scores every passage of a document's text against the query's words
// and keeps the best. runs are the pieces of Chinese typed (for contiguity).
func passageEvidence(ctx context.Context, d *docInfo, terms []qterm, runs []string) evidence {
	var ev evidence
	sp := d.spans
	if len(sp) == 0 || len(terms) == 0 {
		return ev
	}
	lower, ltitle := d.lower, d.ltitle
	// A word of the title counts in every passage, as if each began with the title: the
	// article of 日照市物业管理条例 on cutting the water is the answer to 日照 物业 停水.
	inTitle := make([]bool, len(terms))
	for k, t := range terms {
		inTitle[k] = t.answer == 0 && strings.Contains(ltitle, t.text)
	}
	tf := make([][]int, len(terms)) // occurrences of each term per span
	starts := make([]int, len(sp))
	for i, s := range sp {
		starts[i] = s.start
	}
	for k, t := range terms {
		tf[k] = make([]int, len(sp))
		n := 0
		found := d.occurrences(t.text)
		if t.answer > 0 {
			found = spanStarts(d.answers(t.answer - 1))
		}
		for at := range found {
			if n++; n%checkEvery == 0 && ctx.Err() != nil {
				return ev
			}
			j := sort.SearchInts(starts, at+1) - 1
			if j >= 0 && at < sp[j].end {
				tf[k][j]++
			}
		}
		if ctx.Err() != nil {
			return ev
		}
	}
	// bm25 scores a passage of length characters holding term k f(k) times.
	bm25 := func(length int, f func(k int) int) float64 {
		norm := passageK1 * (1 - passageB + passageB*float64(length)/passageAvgRunes)
		var score float64
		for k, t := range terms {
			if n := float64(f(k)); n > 0 {
				score += t.weight * n * (passageK1 + 1) / (n + norm)
			}
		}
		return score
	}
	// The title is a passage too: a query the title answers (消法 for the 消费者权益保护法)
	// is about the document as a whole, not about a text that cites it in every article.
	ev.title = bm25(utf8.RuneCountInString(d.title), func(k int) int { return boolInt(inTitle[k]) })
	// The best maxPassages passages, best first; of equal scores the earlier. Spans come
	// in text order, so a later one displaces only a strictly better one.
	best := make([]scoredSpan, 0, maxPassages)
	for j, s := range sp {
		score := bm25(s.runes, func(k int) int { return tf[k][j] + boolInt(inTitle[k]) })
		if score <= 0 || len(best) == maxPassages && score <= best[maxPassages-1].score {
			continue
		}
		i := len(best)
		if i < maxPassages {
			best = append(best, scoredSpan{})
		} else {
			i--
		}
		for ; i > 0 && best[i-1].score < score; i-- {
			best[i] = best[i-1]
		}
		best[i] = scoredSpan{s, score}
	}
	if len(best) == 0 {
		return ev
	}
	ev.best = best
	// How much of what the text adds to the title is in the best passage: its share of
	// the weight of the words the text holds and the title lacks. Words the document
	// lacks altogether (算不算, a synonym it does not use) are not held against it.
	b := slices.Index(sp, ev.best[0].span)
	var rest, held float64
	for k, t := range terms {
		if inTitle[k] || !slices.ContainsFunc(tf[k], func(n int) bool { return n > 0 }) {
			continue
		}
		rest += t.weight
		if tf[k][b] > 0 {
			held += t.weight
		}
	}
	if rest > 0 {
		ev.coverage = held / rest
	}
	ev.contig = contiguity(ltitle, lower, ev.best, runs)
	return ev
}

// contiguity is the longest run of any typed piece of Chinese (of contigMinRunes or more
// characters) found verbatim in the title or one of the best passages, as a share of the
// piece, squared: 1 when the whole piece is there, 0 when no run of contigMinRunes or of
// three quarters of the piece is. A question shares a few words in a row with many texts; a remembered
// sentence is there nearly whole.
func contiguity(title, text string, best []scoredSpan, runs []string) float64 {
	var share float64
	for _, run := range runs {
		r := []rune(asciiLower(run))
		if len(r) < contigMinRunes {
			continue
		}
		// Only a run of three quarters of the piece counts, and every run that long holds
		// the piece's middle: a place without it is not searched run by run.
		least := max(contigMinRunes, (3*len(r)+3)/4)
		middle := string(r[len(r)-least : least])
		places := []string{title}
		for _, b := range best {
			places = append(places, text[b.start:b.end])
		}
		longest := 0
		for _, p := range places {
			if indexText(p, middle) >= 0 {
				longest = max(longest, longestRun(r, p, max(longest+1, least)))
			}
		}
		if longest >= least {
			f := float64(longest) / float64(len(r))
			share = max(share, f*f)
		}
	}
	return share
}

// longestRun is the length of the longest piece of q, at least least characters long,
// found in text; 0 if there is none. For each start it grows the piece while it is found.
func longestRun(q []rune, text string, least int) int {
	best := 0
	for i := 0; i+least <= len(q); i++ {
		n := max(best+1, least)
		if i+n > len(q) || indexText(text, string(q[i:i+n])) < 0 {
			continue
		}
		for i+n < len(q) && indexText(text, string(q[i:i+n+1])) >= 0 {
			n++
		}
		best = n
	}
	return best
}

// markLabel gives a span's label, anchor and the headings above it.
func markLabel(marks []site.Mark, s span) (label, anchor, heading string) {
	if s.mark < 0 {
		return "", "", ""
	}
	m := marks[s.mark]
	if !m.Heading {
		// The nearest heading above the article: 第三章 监察权限.
		for i := s.mark - 1; i >= 0; i-- {
			if marks[i].Heading {
				heading = marks[i].Label
				break
			}
		}
	}
	return m.Label, m.ID, heading
}

// indexByByte is strings.Index looking for the byte p[at] first: of a word of Chinese, the
// byte rarest in the text searched makes the fewest false starts (see rarestByte).
func indexByByte(s, p string, at int) int {
	n := len(p)
	if n < 2 || at < 0 || at >= n {
		return indexText(s, p)
	}
	c, tail := p[at], n-1-at
	for i := at; i < len(s)-tail; i++ {
		j := strings.IndexByte(s[i:len(s)-tail], c)
		if j < 0 {
			return -1
		}
		i += j
		if s[i-at:i-at+n] == p {
			return i - at
		}
	}
	return -1
}

// indexText is strings.Index for Chinese text. strings.Index looks for a pattern's first
// byte, and in UTF-8 Chinese the lead bytes E4–E9 are every third byte; this looks for
// its last byte instead, for Chinese a continuation byte of 64 possible values, and
// compares only there. Three to four times faster on the laws corpus.
func indexText(s, p string) int {
	n := len(p)
	if n < 2 {
		return strings.Index(s, p)
	}
	last := p[n-1]
	for i := n - 1; i < len(s); i++ {
		j := strings.IndexByte(s[i:], last)
		if j < 0 {
			return -1
		}
		i += j
		if s[i-n+1:i+1] == p {
			return i - n + 1
		}
	}
	return -1
}
