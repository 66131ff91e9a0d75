package indexer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Bounds on what one search may ask for.
const (
	DefaultLimit = 10
	MaxLimit     = 100
	MaxOffset    = 1000
	MaxFilters   = 10
	facetSize    = 100 // values per facet: every 问题类型 of a site, not the first dozen
)

// Field weights: a word in the title counts most, then headings, summary, body.
const (
	boostTitle    = 2.0
	boostHeadings = 2.0
	boostSummary  = 1.5
	boostBody     = 1.0
	boostBigram   = 0.6 // substring match where segmentation differs
	boostPart     = 0.3 // a part of a long word
	boostSynonym  = 0.8 // what a synonym finds, relative to the typed word
	boostPhrase   = 3.0 // the whole run of Chinese typed, found exactly
	boostCurrent  = 1.5 // the version of a regulation in force
	boostBag      = 0.5 // each bigram of the typed text on its own
	bagMinRunes   = 5   // the shortest text searched bigram by bigram
	boostAbbrev   = 8.0 // a title the typed word abbreviates
	boostSingle   = 0.2 // a single Chinese character, relative to a word
	boostLiteral  = 0.3 // the pieces of a recognised short form, relative to a word
)

// ErrNoIndex means the site has not been built with an index yet.
var ErrNoIndex = errors.New("还没有搜索索引")

// An Index is an open search index.
type Index struct {
	dir        string
	idx        bleve.IndexAlias
	shards     []bleve.Index
	dict       *Dictionary
	st         *state
	syn        *Synonyms
	titlesOnce sync.Once
	titles     []titleEntry // for matchAbbreviation, read on first use
	// bigrams is bleve's CJK bigram analyzer, the one the bigram fields are indexed with.
	bigrams    analysis.Analyzer
	bm25       *search.BM25Stats // document count and field lengths, see bm25Stats
	placesOnce sync.Once
	places     map[string]string // short name → place a title opens with, see queryPlaces
	regions    map[string]string // place → the province its documents are filed with, see placeRegions
	docs       docCache          // decoded documents of hits, see docInfo
	postings   postingsCache     // decoded postings of terms searched, see postingsCache
	// postingsLeast is the fewest postings of a list kept: postingsCacheLeast but in tests.
	postingsLeast int
	dfCache       dfs     // document frequencies, see docFreq
	rank          ranking // weights of rerank, defaultRanking but in tests
	facetMu       sync.Mutex
	facetCols     map[index.IndexReader]*facetColumns // per shard, see facetColumnsOf
	searching     atomic.Int32                        // searches in progress, which Warm steps aside for
	warmOnce      sync.Once
	warming       sync.WaitGroup
	closing       chan struct{} // closed by Close, which then waits for Warm to stop
	closeOnce     sync.Once
	afterRun      func() // in tests: called when bleve's part of a search is done
}

// Open opens the index in dir read-only. syn is the synonym table to expand queries with
// (built-in plus the site's own).
func Open(dir string, syn *Synonyms) (ix *Index, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			ix, err = nil, fmt.Errorf("索引 %s: %w", dir, panicked(r))
		}
	}()
	return open(dir, syn)
}

func open(dir string, syn *Synonyms) (*Index, error) {
	st, err := readState(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w：%s 不存在", ErrNoIndex, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("索引 %s: %w", dir, damaged("%s 无法读取（%v）", stateFile, err))
	}
	dict, err := ReadDictionary(filepath.Join(dir, dictFile))
	if err != nil || dict.Hash != st.Dictionary {
		return nil, fmt.Errorf("索引 %s: %w", dir, damaged("词典 %s 缺失或与索引不一致", dictFile))
	}
	// Tokenizers for the stored mapping resolve to this dictionary; queries never need
	// the full one, so it loads only if something asks bleve to analyse Chinese.
	register(dict.Hash, dict.Full)
	if err := verify(dir, st); err != nil {
		return nil, fmt.Errorf("索引 %s: %w", dir, err)
	}
	var shards []bleve.Index
	for i := range max(1, st.Shards) {
		idx, err := openShard(shardPath(dir, i), map[string]any{"read_only": true})
		if err != nil {
			for _, s := range shards {
				s.Close()
			}
			return nil, fmt.Errorf("索引 %s: %w", dir, err)
		}
		shards = append(shards, idx)
	}
	idx := bleve.NewIndexAlias(shards...)
	// With the mapping the alias knows scoring is BM25 and gathers term statistics from
	// every shard first, so a term's weight does not depend on which shard holds a page.
	if err := idx.SetIndexMapping(shards[0].Mapping()); err != nil {
		idx.Close()
		return nil, err
	}
	if syn == nil {
		syn = BuiltinSynonyms()
	}
	bigrams := shards[0].Mapping().AnalyzerNamed(BigramName)
	if bigrams == nil {
		idx.Close()
		return nil, fmt.Errorf("bleve 的 %s 分析器不可用", BigramName)
	}
	fields := map[string]bool{}
	for _, s := range shards {
		fs, err := s.Fields()
		if err != nil {
			idx.Close()
			return nil, fmt.Errorf("索引 %s: %w", dir, damaged("字段表无法读取（%v）", err))
		}
		for _, f := range fs {
			fields[f] = true
		}
	}
	ix := &Index{dir: dir, idx: idx, shards: shards, dict: dict, st: st, syn: syn, bigrams: bigrams, rank: defaultRanking, closing: make(chan struct{})}
	ix.docs.limit, ix.postings.limit, ix.postingsLeast = docCacheBytes, postingsCacheBytes, postingsCacheLeast
	ix.bm25 = ix.bm25Stats(slices.Collect(maps.Keys(fields)))
	return ix, nil
}

// Close releases the index.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() { close(ix.closing) })
	ix.warming.Wait()
	var errs []error
	for _, s := range ix.shards {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// A Request is one search.
type Request struct {
	Query   string
	Filters []Filter // extra filters, as from --filter KEY=VALUE
	Limit   int      // hits to return; 0 means none (counts and facets only)
	Offset  int
	Sort    string // "date" or ""
	// NoFacets leaves the counts per field out: search-as-you-type shows none, and
	// counting every match's values (facets.go) costs a little.
	NoFacets bool
}

// A Result is what a search returns, as `jingjian search --json` prints it.
type Result struct {
	Query  string             `json:"query"`
	Total  uint64             `json:"total"`
	TookMS float64            `json:"took_ms"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Facet `json:"facets"`
	// FacetOrder names the facets of Facets in the order pages show them: 栏目, 年份, then
	// the site's in config.toml's order (a map has none). Not part of the JSON.
	FacetOrder []string    `json:"-"`
	Terms      []string    `json:"terms"`    // the segmented words searched
	Expanded   []Expansion `json:"expanded"` // synonyms searched as well
	Notes      []string    `json:"notes,omitempty"`
}

// A Hit is one matching document. URL links to the article or section the query's words
// are concentrated in (監察法/#第二十二条) when there is one, else it is PageURL.
type Hit struct {
	URL      string    `json:"url"`
	PageURL  string    `json:"page_url"`
	Passages []Passage `json:"passages,omitempty"` // where in the page the words are, best first
	Path     string    `json:"path"`
	Title    string    `json:"title"`
	Section  string    `json:"section"`
	Score    float64   `json:"score"`
	Snippet  string    `json:"snippet"`
	Date     string    `json:"date,omitempty"`
	Status   string    `json:"status,omitempty"` // 已修订, 已废止 …: a version out of force says so
}

// A Facet is one value of a field among the results, with how many results have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Search runs a query. Bad syntax never fails: it degrades to plain words, with a note.
// A damaged index makes it return an error wrapping ErrDamaged, never panic.
func (ix *Index) Search(ctx context.Context, req Request) (res *Result, err error) {
	ix.searching.Add(1)
	defer ix.searching.Add(-1)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true)) // see safeShard
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, panicked(r)
		}
	}()
	return ix.search(ctx, req)
}

func (ix *Index) search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	q := ParseQuery(req.Query)
	res := &Result{Query: req.Query, Notes: q.Notes, Hits: []Hit{}, Facets: map[string][]Facet{}, Terms: []string{}, Expanded: []Expansion{}}
	if req.Sort != "" {
		q.Sort = req.Sort
	}
	q.NoFacets = req.NoFacets
	q.Filters = append(q.Filters, req.Filters...)
	if len(q.Filters) > MaxFilters {
		q.Filters = q.Filters[:MaxFilters]
		res.Notes = append(res.Notes, fmt.Sprintf("筛选条件过多，只使用了前 %d 个", MaxFilters))
	}
	limit := req.Limit
	if limit > MaxLimit {
		limit = MaxLimit
		res.Notes = append(res.Notes, fmt.Sprintf("每次最多返回 %d 条结果", MaxLimit))
	}
	limit = max(limit, 0)
	offset := min(max(req.Offset, 0), MaxOffset)
	if q.Empty() {
		res.Notes = append(res.Notes, "请输入要搜索的词语，例如：三重一大、低保 优亲厚友、\"集体研究决定\"")
		res.TookMS = ms(time.Since(start))
		return res, nil
	}

	// The first hits (ranking.window) are reranked by their passages, so they are fetched
	// whole whatever page is asked for; later pages come in bleve's order.
	rerank := limit > 0 && q.Sort != "date" && offset < ix.rank.window
	from, size := offset, limit
	if rerank {
		from, size = 0, max(ix.rank.window, offset+limit)
	}
	out, pl, facets, err := ix.run(ctx, q, res, size, from)
	if err != nil {
		return nil, err
	}
	if ix.afterRun != nil {
		ix.afterRun()
	}
	if out.Total == 0 && len(q.Phrases) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, timedOut(err)
		}
		// Quoted words people remember loosely: search them as words rather than nothing.
		res.Notes = append(res.Notes, "没有找到与引号内文字完全一致的内容，已改为普通搜索")
		q.Words, q.Phrases = append(q.Words, q.Phrases...), nil
		res.Terms, res.Expanded = res.Terms[:0], res.Expanded[:0]
		if out, pl, facets, err = ix.run(ctx, q, res, size, from); err != nil {
			return nil, err
		}
	}
	res.Total = out.Total
	var cands []*candidate
	for _, h := range out.Hits {
		d, err := ix.docInfo(h.ID)
		if err != nil {
			return nil, err
		}
		if !containsAll(d.lower, d.ltitle, q.Phrases) {
			res.Total-- // the bigrams matched, the exact phrase does not
			continue
		}
		cands = append(cands, &candidate{docInfo: d, h: h, score: h.Score})
	}
	if rerank {
		if err := ix.rerank(ctx, cands, pl); err != nil {
			return nil, timedOut(err)
		}
		cands = cands[min(offset, len(cands)):min(offset+limit, len(cands))]
	} else {
		if offset == 0 && q.Sort != "date" {
			pinFirst(cands, pl.pinned)
		}
		if !pl.versioned {
			currentFirst(cands)
		}
		if err := ix.locate(ctx, cands, pl); err != nil {
			return nil, timedOut(err)
		}
	}
	for _, c := range cands {
		// The deadline holds for the snippets too: a long text full of the terms takes a
		// while, and a hundred of them far longer than bleve's search.
		if err := ctx.Err(); err != nil {
			return nil, timedOut(err)
		}
		hit, err := ix.hit(ctx, c, pl.highlight, pl.asked)
		if err != nil {
			return nil, timedOut(err)
		}
		res.Hits = append(res.Hits, hit)
	}
	for name, values := range facets {
		if name == "栏目" {
			for i := range values {
				values[i].Value = ix.sectionTitle(values[i].Value)
			}
		}
		if name == "年份" { // years read in order, newest first, not by count
			slices.SortFunc(values, func(a, b Facet) int { return strings.Compare(b.Value, a.Value) })
		}
		res.Facets[name] = values
	}
	for _, f := range ix.facetFields() {
		if _, ok := res.Facets[f.label]; ok {
			res.FacetOrder = append(res.FacetOrder, f.label)
		}
	}
	res.TookMS = ms(time.Since(start))
	return res, nil
}

// run builds and executes the bleve search for a parsed query; it returns the facets
// (nil for q.NoFacets) by label.
func (ix *Index) run(ctx context.Context, q Query, res *Result, limit, offset int) (*bleve.SearchResult, *plan, map[string][]Facet, error) {
	built, pl, err := ix.build(q, res)
	if err != nil {
		return nil, nil, nil, err
	}
	bq := built
	var counting *countingQuery
	if !q.NoFacets {
		counting = &countingQuery{Query: bq, ix: ix}
		bq = counting
	}
	// No stored fields: the hits' documents come from ix.docInfo, decoded once.
	sr := bleve.NewSearchRequestOptions(bq, limit, offset, false)
	if q.Sort == "date" {
		sr.SortBy([]string{"-" + fDate, "-_score"})
	}
	// Document count and field lengths over all shards, not per shard: a page's score must
	// not depend on where it was filed.
	if ix.bm25 != nil {
		sr.PreSearchData = map[string]any{search.BM25PreSearchDataKey: ix.bm25}
	} else {
		ctx = context.WithValue(ctx, search.SearchTypeKey, search.GlobalScoring)
	}
	out, err := ix.idx.SearchInContext(ctx, sr)
	if err == nil {
		err = shardFailure(out)
	}
	if err == nil && offset == 0 && q.Sort != "date" {
		err = ix.addPinned(ctx, out, built, pl.pinned, sr.PreSearchData)
	}
	if err == nil && ctx.Err() != nil {
		// Shards that ran out of time are left out of bleve's merged result without an
		// error: a partial answer, not to be given or kept as the whole one.
		err = ctx.Err()
	}
	if err != nil && ctx.Err() != nil {
		err = timedOut(ctx.Err())
	}
	if err != nil || counting == nil {
		return out, pl, nil, err
	}
	return out, pl, counting.facets(), nil
}

// addPinned adds to the first page's hits the pinned documents (the title a short form
// stands for, the regulation a navigational query names) that match the query but scored
// below the hits fetched: bleve's score of a short form's title is its literal pieces'
// (母保法: 保法, which 母婴保健法 lacks), and pinFirst can only move hits that are there.
func (ix *Index) addPinned(ctx context.Context, out *bleve.SearchResult, bq query.Query, pinned []string, pre map[string]any) error {
	var missing []string
	for _, id := range pinned {
		if !slices.ContainsFunc(out.Hits, func(h *search.DocumentMatch) bool { return h.ID == id }) && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sr := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(missing), bq}), len(missing), 0, false)
	sr.PreSearchData = pre
	more, err := ix.idx.SearchInContext(ctx, sr)
	if err == nil {
		err = shardFailure(more)
	}
	if err != nil {
		return err
	}
	out.Hits = append(out.Hits, more.Hits...)
	return nil
}

// ErrTimeout means a search did not finish within its context's deadline; it wraps the
// context's error (context.DeadlineExceeded, or context.Canceled).
var ErrTimeout = errors.New("搜索未能在限定时间内完成")

// timedOut wraps the error of an ended context as ErrTimeout.
func timedOut(err error) error {
	if errors.Is(err, ErrTimeout) {
		return err
	}
	return fmt.Errorf("%w：%w", ErrTimeout, err)
}

// citeForms gives, for a 引用: filter whose document is written shorter than the index
// keeps it, the full titles it may stand for: those ending with it (公务接待管理办法 for
// 青川市民政局公务接待管理办法), each with the same #第X条.
func (ix *Index) citeForms(field, v string) []string {
	if field != fieldPrefix+citesField {
		return nil
	}
	doc, art, hasArt := strings.Cut(v, "#")
	if utf8.RuneCountInString(doc) < 4 {
		return nil
	}
	var out []string
	for _, t := range ix.titleList() {
		full, _, _ := strings.Cut(t.title, " ")
		if full == doc || !strings.HasSuffix(full, doc) {
			continue
		}
		k := full
		if hasArt {
			k += "#" + art
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// titleList returns the index's titles, read on first use.
func (ix *Index) titleList() []titleEntry {
	ix.titlesOnce.Do(func() { ix.titles, _ = readTitles(filepath.Join(ix.dir, titleFile)) })
	return ix.titles
}

// titled gives the documents (every version) whose title the query is, as typed
// (brackets or not: 刑法修正案十一): 保险法 is the 中华人民共和国保险法, before the
// interpretations and local measures that name it in theirs; with a year (2018年公司法),
// the version of that year, and true.
func (ix *Index) titled(q Query) ([]string, bool) {
	if len(q.Words) == 0 || len(q.Phrases) > 0 {
		return nil, false
	}
	of := func(joined, spaced string) []string {
		var ids []string
		bj, bs := unbracket.Replace(joined), unbracket.Replace(spaced)
		for _, t := range ix.titleList() {
			if t.core == joined || t.core == spaced || t.bare == bj || t.bare == bs { // (民法典 婚姻家庭编)
				ids = append(ids, t.id)
			}
		}
		return ids
	}
	text := strings.Join(q.Words, " ")
	if ids := of(titleCore(strings.Join(q.Words, "")), titleCore(text)); len(ids) > 0 {
		return ids, false
	}
	// A version named by its year: 2018年公司法, 公司法（2018）.
	if rest, year := splitVersion(text); year != "" {
		if ids := of(titleCore(strings.ReplaceAll(rest, " ", "")), titleCore(rest)); len(ids) > 0 {
			return ix.ofYear(ids, year)
		}
	}
	return nil, false
}

// isTitle reports whether w is itself the title of a document (刑法), not a short form.
func isTitle(w string, titles []titleEntry) bool {
	return slices.ContainsFunc(titles, func(t titleEntry) bool { return t.core == w })
}

// containsAll reports whether every phrase occurs in the text or the title (both
// lower-cased as asciiLower does), ignoring ASCII case.
func containsAll(lower, ltitle string, phrases []string) bool {
	for _, p := range phrases {
		if p = asciiLower(p); !strings.Contains(lower, p) && !strings.Contains(ltitle, p) {
			return false
		}
	}
	return true
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// A plan is what a query asks of the hits beyond bleve's score.
type plan struct {
	highlight []string // the words to mark in snippets
	// pinned are the documents shown first: those of the one short title a query consists
	// of (婚姻法, 个保法), or those a navigational query names (监察法 第二十二条).
	pinned []string
	terms  []qterm  // the words passages are scored by, weighted before their rarity
	runs   []string // pieces of Chinese typed, for contiguity
	nav    string   // the article a navigational query names (第二十二条), see navigation
	places []string // the places a query names (重庆市), see queryPlaces
	asked  []int    // the answer types the query asks for (answerTypes), see askFor
	// versioned: the query names a version by its year (2017年行政复议法), pinned: it comes
	// first, not the version in force.
	versioned bool
}

// build makes the bleve query for q and the plan for its hits.
func (ix *Index) build(q Query, res *Result) (bq query.Query, pl *plan, err error) {
	pl = &plan{}
	var highlight []string
	var texts []string
	texts = append(texts, q.Words...)
	var expansions []Expansion
	for _, w := range q.Words {
		for _, e := range ix.syn.Find(w) {
			expansions = append(expansions, e)
			texts = append(texts, e.Also...)
		}
	}
	texts = append(texts, q.Exclude...)
	seg, err := ix.dict.Partial(texts...)
	if err != nil {
		return nil, nil, err
	}

	var must, should, mustNot []query.Query
	var words []query.Query
	for _, w := range q.Words {
		toks := Analyze(seg, []byte(w))
		for _, t := range toks {
			if !slices.Contains(res.Terms, t.Term) {
				res.Terms = append(res.Terms, t.Term)
			}
		}
		// A short form of a title (个保法) is searched as the titles it stands for; its
		// literal pieces (保法) would mostly find other laws, so they count less.
		literal := 1.0
		if looksAbbreviated(w) {
			groups := matchAbbreviation(w, ix.titleList())
			// One short title alone: its likeliest full form first. Not for two characters:
			// 方法, 做法 are words, and would pin 地方…组织法.
			if len(groups) > 0 && len(q.Words) == 1 && len(q.Phrases) == 0 && utf8.RuneCountInString(w) >= 3 && !isTitle(w, ix.titleList()) {
				pl.pinned = groups[0]
			}
			for _, e := range expansions {
				if e.Term == w { // the synonym table knows this short title's full form
					full := slices.DeleteFunc(slices.Clone(e.Also), func(a string) bool { return a == w })
					known := matchFullForm(full, ix.titleList())
					// (Two characters too: the table says 消法 is a title's short form.)
					if len(known) > 0 && len(q.Words) == 1 && len(q.Phrases) == 0 {
						pl.pinned = known[0]
					}
					groups = append(known, groups...)
				}
			}
			for i, ids := range groups {
				d := query.NewDocIDQuery(ids)
				d.SetBoost(boostAbbrev / float64(int(1)<<min(i, 3))) // the likeliest full form first
				words = append(words, d)
				literal = boostLiteral
			}
		}
		words = append(words, ix.wordQueries(toks, literal)...)
		if utf8.RuneCountInString(w) >= bagMinRunes {
			// Only longer text is a description or a question whose words a page may
			// share without its exact phrasing; for a short term the bag would mostly add
			// pages sharing one bigram.
			words = append(words, ix.bigramBag(w, literal)...)
		}
		highlight = append(highlight, termsOf(toks)...)
		pl.addWords(toks, 1)
		// A run of Chinese typed as one piece is likely a phrase: reward finding it exactly.
		if run := strings.TrimSpace(w); utf8.RuneCountInString(run) >= 3 && isMostlyHan(run) {
			words = append(words, boosted(ix.phrase(run, fTitleBG), boostPhrase*boostTitle), boosted(ix.phrase(run, fBodyBG), boostPhrase))
			highlight = append(highlight, run)
			pl.runs = append(pl.runs, run)
		}
	}
	if len(q.Words) > 1 {
		// 公务员 兼职 企业 typed with spaces is still one run for contiguity.
		if run := strings.Join(q.Words, ""); isMostlyHan(run) {
			pl.runs = append(pl.runs, run)
		}
	}
	pl.places = ix.queryPlaces(q)
	pl.askFor(strings.Join(q.Words, ""))
	if ids, article, versioned := ix.navigation(q); len(ids) > 0 {
		d := query.NewDocIDQuery(ids)
		d.SetBoost(boostAbbrev * 2)
		words = append(words, d)
		pl.pinned, pl.nav, pl.versioned = append(pl.pinned, ids...), article, versioned
	} else if ids, versioned := ix.titled(q); len(ids) > 0 {
		pl.pinned, pl.versioned = append(pl.pinned, ids...), versioned
	}
	for _, e := range expansions {
		for _, a := range e.Also {
			toks := Analyze(seg, []byte(a))
			pl.addTerm(a, boostSynonym)
			words = append(words, ix.wordQueries(toks, boostSynonym)...)
			words = append(words, boosted(ix.phrase(a, fTitleBG), boostSynonym*boostTitle), boosted(ix.phrase(a, fBodyBG), boostSynonym))
			highlight = append(highlight, a)
		}
		res.Expanded = append(res.Expanded, e)
	}
	if len(words) > 0 {
		// Words in most documents (可以, 规定, 应当) decide which documents match only at
		// great cost: every one of their postings goes through the disjunction. They are
		// scored on the documents the rarer words find instead.
		rare, common := ix.splitCommon(words)
		must = append(must, &sumQuery{clauses: rare, ix: ix})
		should = append(should, common...)
	}
	for _, p := range q.Phrases {
		must = append(must, query.NewDisjunctionQuery([]query.Query{ix.phrase(p, fTitleBG), ix.phrase(p, fBodyBG)}))
		highlight = append(highlight, p)
		pl.addTerm(p, 1)
	}
	for _, x := range q.Exclude {
		mustNot = append(mustNot, ix.phrase(x, fTitleBG), ix.phrase(x, fBodyBG))
	}
	for _, f := range q.Filters {
		field, ok := ix.filterField(f.Key)
		if !ok {
			res.Notes = append(res.Notes, fmt.Sprintf("没有名为“%s”的筛选字段，已忽略；可用：%s", f.Key, strings.Join(ix.filterNames(), "、")))
			continue
		}
		v := f.Value
		if field == fSection {
			v = ix.sectionDir(v)
		}
		var alts []query.Query
		for _, v := range append([]string{v}, ix.citeForms(field, v)...) {
			t := query.NewTermQuery(v)
			t.SetField(field)
			alts = append(alts, t)
		}
		if len(alts) == 1 {
			must = append(must, alts[0])
		} else {
			must = append(must, query.NewDisjunctionQuery(alts))
		}
	}
	if len(must) == 0 {
		must = append(must, query.NewMatchAllQuery())
	}
	cur := query.NewTermQuery("1")
	cur.SetField(fCurrent)
	cur.SetBoost(boostCurrent)
	should = append(should, cur)
	pl.highlight = highlight
	// Both disjunctions as sumQuery: the same scores as bleve's, without its heap.
	return query.NewBooleanQuery(must, []query.Query{&sumQuery{clauses: should, scoring: true, ix: ix}}, mustNot), pl, nil
}

// wordQueries searches each word in the segmented fields and, for Chinese words, as a
// bigram substring; parts of long words count a little.
func (ix *Index) wordQueries(toks []Token, weight float64) []query.Query {
	var out []query.Query
	byPos := map[int][]Token{}
	var order []int
	for _, t := range toks {
		if _, ok := byPos[t.Position]; !ok {
			order = append(order, t.Position)
		}
		byPos[t.Position] = append(byPos[t.Position], t)
	}
	for _, pos := range order {
		group := byPos[pos]
		// The longest token at a position is the word; the others are its parts.
		slices.SortStableFunc(group, func(a, b Token) int { return len(b.Term) - len(a.Term) })
		word := group[0].Term
		w := weight
		if utf8.RuneCountInString(word) == 1 && isMostlyHan(word) {
			w *= boostSingle // a lone character matches nearly everything
		}
		for _, f := range []struct {
			name  string
			boost float64
		}{{fTitle, boostTitle}, {fHeadings, boostHeadings}, {fSummary, boostSummary}, {fBody, boostBody}} {
			out = append(out, boosted(termQuery(word, f.name), f.boost*w))
		}
		if utf8.RuneCountInString(word) >= 2 && isMostlyHan(word) {
			out = append(out, boosted(ix.phrase(word, fBodyBG), boostBigram*weight), boosted(ix.phrase(word, fTitleBG), boostBigram*boostTitle*weight))
		}
		for _, part := range group[1:] {
			out = append(out, boosted(termQuery(part.Term, fBody), boostPart*weight))
		}
	}
	return out
}

// bigramBag matches every bigram of a run of text on its own, as a plain bigram search
// engine would: a long question or description in a user's own words then still finds
// the documents that share most of its pieces, whatever the segmenter made of them.
func (ix *Index) bigramBag(text string, weight float64) []query.Query {
	var out []query.Query
	seen := map[string]bool{}
	for _, tok := range ix.bigrams.Analyze([]byte(text)) {
		t := string(tok.Term)
		if seen[t] || utf8.RuneCountInString(t) < 2 || stopWords[t] {
			continue
		}
		seen[t] = true
		out = append(out, boosted(termQuery(t, fBodyBG), boostBag*weight), boosted(termQuery(t, fTitleBG), boostBag*weight*boostTitle/2))
	}
	return out
}

// commonShare is the share of documents beyond which a term is common, see splitCommon:
// of 0.4, 0.2, 0.1, 0.05 and 0.02 on the judged queries, 0.1 is as fast as the smaller ones
// and scores as well (BENCHMARKS.md §10).
const commonShare = 0.1

// commonLeast is the fewest documents a common term is in: in a small site every word
// is in a large share of the pages, and none is common.
const commonLeast = 200

// splitCommon separates the single-term clauses whose term is in more than commonShare of
// the documents (and at least commonLeast) from the rest. When no single-term clause on
// the body that matches anything is left among the rest, all stay: the rest alone would match only phrases, or
// only the few pages holding the words in a title, heading or summary (应当 alone found 5
// of the laws corpus's pages).
func (ix *Index) splitCommon(words []query.Query) (rare, common []query.Query) {
	limit := max(commonShare*float64(len(ix.st.Docs)), commonLeast)
	terms := 0
	for _, w := range words {
		t, ok := w.(*query.TermQuery)
		df := 0.0
		if ok {
			df = ix.docFreq(context.Background(), t.Term, t.FieldVal)
		}
		if ok && df > limit {
			common = append(common, w)
			continue
		}
		if ok && df > 0 && (t.FieldVal == fBody || t.FieldVal == fBodyBG) {
			terms++
		}
		rare = append(rare, w)
	}
	if terms == 0 {
		return words, nil
	}
	return rare, common
}

func termsOf(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Term)
	}
	return out
}

func termQuery(t, field string) query.Query {
	q := query.NewTermQuery(t)
	q.SetField(field)
	return q
}

// phrase matches documents whose bigram field holds every bigram of text: for Chinese,
// nearly always the text itself. (The bigram fields keep no positions, which halves
// indexing time; Search checks quoted phrases against the text of the hits it returns.)
func (ix *Index) phrase(text, field string) query.Query {
	var parts []query.Query
	seen := map[string]bool{}
	for _, tok := range ix.bigrams.Analyze([]byte(text)) {
		t := string(tok.Term)
		if seen[t] {
			continue
		}
		seen[t] = true
		parts = append(parts, termQuery(t, field))
	}
	switch len(parts) {
	case 0:
		return query.NewMatchNoneQuery()
	case 1:
		return parts[0]
	}
	return query.NewConjunctionQuery(parts)
}

type boostable interface {
	query.Query
	SetBoost(float64)
}

// boosted sets q's boost to b. A conjunction (a phrase over a bigram field) has its terms
// boosted instead: bleve's conjunction query ignores its own boost, which left every
// phrase of two bigrams or more at 1 whatever it was given (honouring it: MRR@10 0.932 →
// 0.936 dev, 0.871 → 0.875 held-out, BENCHMARKS.md §10).

func boosted(q query.Query, b float64) query.Query {
	if c, ok := q.(*query.ConjunctionQuery); ok {
		for _, p := range c.Conjuncts {
			boosted(p, b)
		}
		return q
	}
	if bq, ok := q.(boostable); ok {
		bq.SetBoost(b)
	}
	return q
}

func isMostlyHan(s string) bool {
	han, other := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			other++
		}
	}
	return han > 0 && han >= other
}

type facetField struct{ field, label string }

// facetFields lists the fields results are counted by.
func (ix *Index) facetFields() []facetField {
	out := []facetField{{fSection, "栏目"}, {fYear, "年份"}}
	for _, f := range ix.st.Facets {
		out = append(out, facetField{fieldPrefix + f.Key, f.Label})
	}
	return out
}

// filterField resolves a filter name (key or label, any case) to an index field.
func (ix *Index) filterField(name string) (string, bool) {
	switch strings.ToLower(name) {
	case "section", "栏目":
		return fSection, true
	case "year", "年份":
		return fYear, true
	case "tags", "tag", "标签":
		return fTags, true
	case "cites", "引用":
		return fieldPrefix + citesField, true
	}
	for _, f := range ix.st.Facets {
		if strings.EqualFold(name, f.Key) || name == f.Label {
			return fieldPrefix + f.Key, true
		}
	}
	return "", false
}

func (ix *Index) filterNames() []string {
	names := []string{"栏目", "年份", "标签", "引用"}
	for _, f := range ix.st.Facets {
		names = append(names, f.Label)
	}
	return names
}

func (ix *Index) sectionTitle(dir string) string {
	if t := ix.st.Sections[dir]; t != "" {
		return t
	}
	return dir
}

func (ix *Index) sectionDir(v string) string {
	for dir, title := range ix.st.Sections {
		if v == title {
			return dir
		}
	}
	return v
}
