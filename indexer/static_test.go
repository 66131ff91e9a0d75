package indexer

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// TestStaticTerms: the analysis static-search.js repeats in the browser.
func TestStaticTerms(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"低保审核", "低保 保审 审核"},
		{"税", "税"},
		{"第22条 ABC-12345", "第 22 条 abc 12345"},
		{"《监察法》第二十二条", "监察 察法 第二 二十 十二 二条"},
		{"12345热线", "12345 热线"},
	} {
		if got := strings.Join(staticTerms(tt.in), " "); got != tt.want {
			t.Errorf("staticTerms(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

var staticCall = regexp.MustCompile(`^jingjianSearch\._load\("([^"]+)","([A-Za-z0-9+/=]*)"\);\n$`)

// staticData reads a file of the static index back: its name and inflated data.
func staticData(t *testing.T, file []byte) (string, []byte) {
	t.Helper()
	m := staticCall.FindSubmatch(file)
	if m == nil {
		t.Fatalf("not a _load call: %.80q", file)
	}
	z, err := base64.StdEncoding.DecodeString(string(m[2]))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatal(err)
	}
	return string(m[1]), raw
}

// TestStaticFiles reads a small site's static index back as the client does: the
// documents and facets of meta.js, a term's postings in its shard, a passage in a chunk.
func TestStaticFiles(t *testing.T) {
	dir := sitetest.Write(t, smallSite)
	s, err := site.Load(context.Background(), dir, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs := Docs(s)
	files, err := StaticFiles(docs, Facets(s), BuiltinSynonyms(), "/")
	if err != nil {
		t.Fatal(err)
	}
	name, raw := staticData(t, files[StaticDir+"/meta.js"])
	var meta staticMeta
	if err := json.Unmarshal(raw, &meta); name != "meta" || err != nil {
		t.Fatalf("meta.js: %s %v", name, err)
	}
	if len(meta.Docs) != len(docs) || meta.V != staticVersion || len(meta.Synonyms) == 0 {
		t.Fatalf("meta: %d documents (want %d), version %d, %d synonyms", len(meta.Docs), len(docs), meta.V, len(meta.Synonyms))
	}
	if got := meta.Facets[2].Label; got != "领域" {
		t.Errorf("third facet %q; want 领域", got)
	}
	// 骗取 is in one document's body, not its title: its postings say which, with tf 1.
	term := "骗取"
	_, shard := staticData(t, files[StaticDir+"/t/"+strconv.Itoa(staticShard(term, meta.Shards))+".js"])
	found := false
	for len(shard) > 0 {
		n, k := binary.Uvarint(shard)
		tm := string(shard[k : k+int(n)])
		shard = shard[k+int(n):]
		count, k := binary.Uvarint(shard)
		shard = shard[k:]
		doc := uint64(0)
		for j := uint64(0); j < count; j++ {
			delta, k1 := binary.Uvarint(shard)
			v, k2 := binary.Uvarint(shard[k1:])
			shard = shard[k1+k2:]
			doc += delta
			if tm == term {
				found = true
				if url := meta.Docs[doc][0]; url != "/cases/低保案/" || v != 2 {
					t.Errorf("%s: document %v, value %d; want /cases/低保案/, tf 1 not in the title (2)", term, url, v)
				}
			}
		}
	}
	if !found {
		t.Errorf("%s not in its shard", term)
	}
	// The 2024 接待 regulation's 第二条 is in its chunk, with its anchor.
	for i, d := range meta.Docs {
		if d[0] != "/regulations/接待(2024-03-01)/" {
			continue
		}
		_, raw := staticData(t, files[StaticDir+"/c/"+strconv.Itoa(int(d[7].(float64)))+".js"])
		if !strings.Contains(string(raw), `"第二条","第二条","第二条 接待对象应当持公函，严禁超标准接待。`) || !strings.Contains(string(raw), "["+strconv.Itoa(i)+",") {
			t.Errorf("chunk of document %d lacks its 第二条: %s", i, raw)
		}
	}
}

// BenchmarkStaticFiles makes the laws corpus's static index and reports its size.
func BenchmarkStaticFiles(b *testing.B) {
	docs, s := lawsDocs(b)
	// (Not b.Loop: with it, Go 1.26.8's compiler crashed on this body.)
	for range b.N {
		start := time.Now()
		files, err := StaticFiles(docs, Facets(s), BuiltinSynonyms(), "/")
		if err != nil {
			b.Fatal(err)
		}
		total, chunks, shards := 0, 0, 0
		for n, f := range files {
			total += len(f)
			switch {
			case strings.Contains(n, "/c/"):
				chunks += len(f)
			case strings.Contains(n, "/t/"):
				shards += len(f)
			}
		}
		b.ReportMetric(time.Since(start).Seconds(), "s")
		b.ReportMetric(float64(total)/1e6, "MB")
		b.ReportMetric(float64(shards)/1e6, "postings-MB")
		b.ReportMetric(float64(chunks)/1e6, "text-MB")
		b.ReportMetric(float64(len(files[StaticDir+"/meta.js"]))/1e3, "meta-KB")
		b.ReportMetric(float64(len(files)), "files")
	}
}

// TestCountStaticTerms: the counting the writer uses agrees with staticTerms.
func TestCountStaticTerms(t *testing.T) {
	for _, text := range []string{"低保审核低保", "税 第22条 ABC-12345abc", "《监察法》第二十二条，监察法", "a", ""} {
		got, n := countStaticTerms(text)
		want := map[string]int{}
		for _, term := range staticTerms(text) {
			want[term]++
		}
		if !maps.Equal(got, want) || n != len(staticTerms(text)) {
			t.Errorf("countStaticTerms(%q) = %v, %d; want %v, %d", text, got, n, want, len(staticTerms(text)))
		}
	}
}
