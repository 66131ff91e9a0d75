package indexer

import (
	"slices"
	"testing"
)

// TestBuiltinWordLists checks the shipped dictionary and synonym table: they parse, they
// are broad, and the pairs cadres rely on are there.
func TestBuiltinWordLists(t *testing.T) {
	b, err := builtin.ReadFile("dict/domain.txt")
	if err != nil {
		t.Fatal(err)
	}
	words, errs := ParseWords(string(b), "domain.txt")
	if len(errs) > 0 || len(words) < 1000 {
		t.Errorf("domain.txt: %d words, errors %v", len(words), errs)
	}
	for _, w := range []string{"三重一大", "一岗双责", "四种形态", "八项规定", "政务处分", "特困人员", "小微权力"} {
		if !slices.ContainsFunc(words, func(e Entry) bool { return e.Word == w }) {
			t.Errorf("domain.txt lacks %s", w)
		}
	}
	syn := BuiltinSynonyms()
	if syn.Len() < 1000 {
		t.Errorf("only %d terms have synonyms", syn.Len())
	}
	for term, want := range map[string]string{
		"纪委": "纪律检查委员会", "低保": "最低生活保障", "人大": "人民代表大会", "发改委": "发展和改革委员会",
		"残联": "残疾人联合会", "社工": "社会工作者",
	} {
		found := syn.Find(term)
		if len(found) != 1 || !slices.Contains(found[0].Also, want) {
			t.Errorf("%s expands to %+v, want %s among them", term, found, want)
		}
	}
}
