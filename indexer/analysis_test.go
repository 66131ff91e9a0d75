package indexer

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/go-ego/gse"
)

var (
	testDictOnce sync.Once
	testDict     *Dictionary
	testSeg      *gse.Segmenter
	testDictErr  error
)

// fullDict loads the full dictionary once for all tests (about a second).
func fullDict(t testing.TB) (*Dictionary, *gse.Segmenter) {
	t.Helper()
	testDictOnce.Do(func() { testDict, testSeg, testDictErr = LoadDictionary(nil) })
	if testDictErr != nil {
		t.Fatal(testDictErr)
	}
	return testDict, testSeg
}

func terms(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Term)
	}
	return out
}

func TestAnalyze(t *testing.T) {
	_, seg := fullDict(t)
	tests := []struct {
		in   string
		want []string // every term, in order
	}{
		{"落实三重一大决策制度", []string{"落实", "三重一大", "三重", "一大", "决策", "制度"}},
		{"一岗双责和四种形态", []string{"一岗双责", "四种形态", "四种", "形态"}},
		{"最低生活保障", []string{"最低生活保障", "最低", "生活", "保障"}},
		{"加班费怎么算？", []string{"加班费", "加班", "算"}},
		{"ＡＢＣ公司２０２３年", []string{"abc", "公司", "2023", "年"}},
		{"GDP增长", []string{"gdp", "增长"}},
		{"的了吗", nil},
	}
	for _, tt := range tests {
		got := terms(Analyze(seg, []byte(tt.in)))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Analyze(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAnalyzeOffsets checks that every token's offsets cut its own text out of the input,
// which highlighting relies on (the gse/bleve pitfall of search-mode offsets).
func TestAnalyzeOffsets(t *testing.T) {
	_, seg := fullDict(t)
	for _, in := range []string{"中华人民共和国最低生活保障条例第二十二条", "特困人员救助供养和临时救助", "2024年ＧＤＰ统计"} {
		text := []byte(in)
		for _, tok := range Analyze(seg, text) {
			if tok.Start < 0 || tok.End > len(text) || tok.Start >= tok.End {
				t.Fatalf("%q: bad offsets %+v", in, tok)
			}
			if got := strings.ToLower(string(text[tok.Start:tok.End])); got != tok.Term && !strings.Contains(in, "Ｇ") {
				t.Errorf("%q: token %q spans %q", in, tok.Term, got)
			}
		}
	}
}

// TestPartialDictionarySegmentsLikeFull is what makes fast cold queries safe: a partial
// dictionary must segment its texts exactly as the full one does.
func TestPartialDictionarySegmentsLikeFull(t *testing.T) {
	dict, seg := fullDict(t)
	texts := []string{
		"加班费的仲裁时效从什么时候开始算",
		"中华人民共和国个人信息保护法第十三条规定的处理个人信息的合法性基础",
		"纪律检查委员会对党员干部违反中央八项规定精神问题开展专项整治",
		"民政部门应当及时将符合条件的特困人员纳入救助供养范围",
		"ＡＢＣ公司在2023年虚开增值税专用发票",
	}
	// The first partial view scans the lines, later ones use an index: check both.
	for range 2 {
		part, err := dict.Partial(texts...)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			full := Analyze(seg, []byte(text))
			got := Analyze(part, []byte(text))
			if !reflect.DeepEqual(got, full) {
				t.Errorf("%q:\npartial %v\n   full %v", text, terms(got), terms(full))
			}
		}
	}
}

func BenchmarkPartial(b *testing.B) {
	dict, _ := fullDict(b)
	for b.Loop() {
		if _, err := dict.Partial("加班费的仲裁时效从什么时候开始算", "最低生活保障"); err != nil {
			b.Fatal(err)
		}
	}
}
