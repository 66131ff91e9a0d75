package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/go-ego/gse"
)

// Names under which the analysis is registered with bleve.
const (
	TokenizerName = "jingjian_gse"
	AnalyzerName  = "jingjian_zh"
	BigramName    = cjk.AnalyzerName // bleve's own: CJK bigrams, width folding, lower case
)

// Field names of an indexed document.
const (
	fTitle      = "title"
	fTitleBG    = "title_bg"
	fHeadings   = "headings"
	fBody       = "body"
	fBodyBG     = "body_bg"
	fSummary    = "summary"
	fSection    = "section"  // top-level section folder, keyword
	fDir        = "dir"      // full section folder, keyword
	fTags       = "tags"     // keyword
	fYear       = "year"     // keyword
	fDate       = "date"     // datetime
	fCurrent    = "current"  // "1" for the newest version of a title, keyword
	fPath       = "path"     // stored only
	fURL        = "url"      // stored only
	fText       = "text"     // stored only: plain text for snippets
	fMarks      = "marks"    // stored only: headings and articles, JSON
	fStatus     = "status_s" // stored only: 现行有效, 已修订 … (site.Page.Status)
	fieldPrefix = "f_"       // taxonomy and schema fields: f_领域 style keywords
)

// sources hands each tokenizer instance the segmenter it should use. A tokenizer is
// built by bleve from the mapping's config, which names a dictionary hash; whoever opens
// or builds an index with that dictionary registers how to get its segmenter first.
var sources sync.Map // dictionary hash → *segSource

// segSource provides a segmenter, loading it on first use.
type segSource struct {
	once sync.Once
	load func() (*gse.Segmenter, error)
	seg  *gse.Segmenter
	err  error
}

func (s *segSource) segmenter() (*gse.Segmenter, error) {
	s.once.Do(func() { s.seg, s.err = s.load() })
	return s.seg, s.err
}

// gseTokenizer is the bleve tokenizer: Analyze with the index's dictionary.
type gseTokenizer struct{ src *segSource }

func (t gseTokenizer) Tokenize(text []byte) analysis.TokenStream {
	seg, err := t.src.segmenter()
	if err != nil {
		// bleve's tokenizer interface cannot fail; indexing checks the source before it
		// starts, so this is a startup bug worth stopping on.
		panic(fmt.Sprintf("jingjian: dictionary unavailable while indexing: %v", err))
	}
	return tokenStream(Analyze(seg, text))
}

func init() {
	err := registry.RegisterTokenizer(TokenizerName, func(config map[string]any, _ *registry.Cache) (analysis.Tokenizer, error) {
		hash, _ := config["dictionary"].(string)
		src, ok := sources.Load(hash)
		if !ok {
			return nil, fmt.Errorf("jingjian: no segmenter registered for dictionary %q", hash)
		}
		return gseTokenizer{src: src.(*segSource)}, nil
	})
	if err != nil {
		panic(err) // registering twice is a programming error
	}
}

// register makes a dictionary's segmenter available to tokenizers built for it.
func register(hash string, load func() (*gse.Segmenter, error)) *segSource {
	src, _ := sources.LoadOrStore(hash, &segSource{load: load})
	return src.(*segSource)
}

// newMapping builds the index mapping for a dictionary and the site's keyword fields.
// Only what search needs is indexed: no term vectors on the segmented fields, positions
// (term vectors) on the bigram fields for exact phrases, and the plain text stored once
// for snippets.
func newMapping(dictHash string, keywordFields []string) (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	m.ScoringModel = index.BM25Scoring
	if err := m.AddCustomTokenizer("jingjian_tok", map[string]any{"type": TokenizerName, "dictionary": dictHash}); err != nil {
		return nil, err
	}
	if err := m.AddCustomAnalyzer(AnalyzerName, map[string]any{"type": custom.Name, "tokenizer": "jingjian_tok"}); err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = AnalyzerName
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false

	doc := mapping.NewDocumentStaticMapping()
	text := func(name, analyzer string, vectors bool) {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		f.DocValues = false
		doc.AddFieldMappingsAt(name, f)
	}
	text(fTitle, AnalyzerName, false)
	text(fHeadings, AnalyzerName, false)
	text(fBody, AnalyzerName, false)
	text(fSummary, AnalyzerName, false)
	text(fTitleBG, BigramName, false)
	text(fBodyBG, BigramName, false)

	kw := func(name string, store bool) {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = true // facets
		doc.AddFieldMappingsAt(name, f)
	}
	kw(fSection, false)
	kw(fDir, false)
	kw(fTags, false)
	kw(fYear, false)
	kw(fCurrent, true)
	for _, k := range keywordFields {
		kw(fieldPrefix+k, false)
	}
	date := mapping.NewDateTimeFieldMapping()
	date.Store = true
	date.IncludeInAll = false
	date.DocValues = true // sort:date
	doc.AddFieldMappingsAt(fDate, date)

	stored := func(name string) {
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		doc.AddFieldMappingsAt(name, f)
	}
	for _, name := range []string{fPath, fURL, fText, fMarks, fTitle + "_s", fSection + "_s", fStatus} {
		stored(name)
	}
	m.DefaultMapping = doc
	return m, m.Validate()
}

// mappingHash identifies a mapping, so an index built with another one is rebuilt.
func mappingHash(m *mapping.IndexMappingImpl) string {
	b, _ := json.Marshal(m)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
