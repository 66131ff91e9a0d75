package indexer

import (
	"encoding/json"
	"reflect"
	"testing"

	"jingjian/site"
)

// FuzzDecodeMarks: stored marks read back as encoding/json reads them, whatever the labels
// hold, and text that is not such JSON fails as it fails there.
func FuzzDecodeMarks(f *testing.F) {
	f.Add(0, "第一条", "第一条", false, 57, "第一章 总则", "", true)
	f.Add(3, `含"引号"与<标签>`, "a\\b", false, 9, "", "", false)
	f.Add(-1, "\xff", "\u2028", true, 1<<40, "}],", `","ID":"`, false)
	f.Add(1, `[{"Offset":01,"Label":"a"}]`, "\x01", false, 2, `[{"Offset":1,"Label":"\x01"}]`, "", false)
	f.Fuzz(func(t *testing.T, o1 int, l1, id1 string, h1 bool, o2 int, l2, id2 string, h2 bool) {
		marks := []site.Mark{{Offset: o1, Label: l1, ID: id1, Heading: h1}, {Offset: o2, Label: l2, ID: id2, Heading: h2}}
		for _, ms := range [][]site.Mark{marks, marks[:1], {}} {
			b, _ := json.Marshal(ms)
			var want []site.Mark
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			got, err := decodeMarks(string(b))
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: %+v, %v; encoding/json: %+v", b, got, err, want)
			}
		}
		// Not JSON of marks: an error, as from encoding/json, or the same marks.
		for _, s := range []string{l1, l2 + id2} {
			var want []site.Mark
			werr := json.Unmarshal([]byte(s), &want)
			got, err := decodeMarks(s)
			if (err == nil) != (werr == nil) || err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: %+v, %v; encoding/json: %+v, %v", s, got, err, want, werr)
			}
		}
	})
}

// TestDecodeMarksFast: the marks build writes are read without encoding/json.
func TestDecodeMarksFast(t *testing.T) {
	b, _ := json.Marshal([]site.Mark{{Offset: 0, Label: "第一章 总则", Heading: true}, {Offset: 57, Label: "第一条", ID: "第一条"}})
	if _, ok := decodeMarksFast(string(b)); !ok {
		t.Errorf("%s went to encoding/json", b)
	}
}
