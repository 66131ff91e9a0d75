package indexer

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

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

var staticCall = regexp.MustCompile(`^jingjianSearch\._load\("([^"]+)",([0-9]+),"([^"'\\]*)"\);\n$`)

// staticBytes decodes staticText's encoding, as the client does.
func staticBytes(t testing.TB, text []byte, n int) []byte {
	t.Helper()
	var out []byte
	acc, bits := uint32(0), 0
	for i := 0; i+1 < len(text) && len(out) < n; i += 2 {
		lo, hi := strings.IndexByte(staticAlphabet, text[i]), strings.IndexByte(staticAlphabet, text[i+1])
		if lo < 0 || hi < 0 {
			t.Fatalf("%q: not of the alphabet", text[i:i+2])
		}
		acc |= uint32(lo+hi*91) << bits
		for bits += 13; bits >= 8 && len(out) < n; bits -= 8 {
			out = append(out, byte(acc))
			acc >>= 8
		}
	}
	if len(out) != n {
		t.Fatalf("%d bytes decoded; want %d", len(out), n)
	}
	return out
}

// staticData reads a file of the static index back: its name and inflated data.
func staticData(t *testing.T, file []byte) (string, []byte) {
	t.Helper()
	m := staticCall.FindSubmatch(file)
	if m == nil {
		t.Fatalf("not a _load call: %.80q", file)
	}
	n, _ := strconv.Atoi(string(m[2]))
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(staticBytes(t, m[3], n))))
	if err != nil {
		t.Fatal(err)
	}
	return string(m[1]), raw
}

// TestStaticText: every byte sequence comes back, whatever its length.
func TestStaticText(t *testing.T) {
	for _, in := range [][]byte{{}, {0}, {255}, {1, 2}, []byte("镜鉴静态搜索"), bytes.Repeat([]byte{0xff, 0, 0x5c, 0x22}, 100)} {
		enc := staticText(in)
		if bytes.ContainsAny(enc, "\"'\\\n") {
			t.Errorf("%q: encoding %q holds a quote or backslash", in, enc)
		}
		if got := staticBytes(t, enc, len(in)); !bytes.Equal(got, in) {
			t.Errorf("%q: decoded %q", in, got)
		}
	}
}

// staticHeadOf reads head.js back.
func staticHeadOf(t *testing.T, files map[string][]byte) staticHead {
	t.Helper()
	_, raw := staticData(t, files[StaticDir+"/head.js"])
	var head staticHead
	if err := json.Unmarshal(raw, &head); err != nil {
		t.Fatalf("head.js: %v", err)
	}
	return head
}

func staticMetaOf(t *testing.T, files map[string][]byte) staticMeta {
	t.Helper()
	name, raw := staticData(t, files[StaticDir+"/meta.js"])
	var meta staticMeta
	if err := json.Unmarshal(raw, &meta); name != "meta" || err != nil {
		t.Fatalf("meta.js: %s %v", name, err)
	}
	return meta
}

// staticURL is document i's URL, as the client makes it from meta (see staticFolders).
func staticURL(meta staticMeta, i uint64) string {
	d := meta.Docs[i]
	u := d[0].([]any)
	folder := meta.Folders[int(u[0].(float64))]
	switch rest := u[1].(type) {
	case float64:
		if rest == 2 {
			return folder + d[1].(string) + "(" + d[3].(string) + ")/"
		}
		return folder + d[1].(string) + "/"
	default:
		return folder + rest.(string)
	}
}

// staticPostings reads a shard back as the client does: each term's postings as
// document, value[, mask] (the mask for a document of more than one block).
func staticPostings(t *testing.T, shard []byte, meta staticMeta) map[string][]uint64 {
	t.Helper()
	n, k := binary.Uvarint(shard)
	names, cols := strings.Split(string(shard[k:k+int(n)]), "\n"), shard[k+int(n):]
	type term struct {
		name  string
		count int
	}
	var terms []term
	for _, name := range names {
		c, k := binary.Uvarint(cols)
		cols = cols[k:]
		terms = append(terms, term{name, int(c)})
	}
	next := func() uint64 {
		v, k := binary.Uvarint(cols)
		if k <= 0 {
			t.Fatal("shard ends early")
		}
		cols = cols[k:]
		return v
	}
	out := map[string][]uint64{}
	var docs []uint64
	for _, tm := range terms {
		doc := uint64(0)
		for range tm.count {
			doc += next()
			docs = append(docs, doc)
		}
	}
	var vals []uint64
	for range docs {
		vals = append(vals, next())
	}
	i := 0
	for _, tm := range terms {
		for range tm.count {
			out[tm.name] = append(out[tm.name], docs[i], vals[i])
			i++
		}
	}
	for _, tm := range terms {
		p := out[tm.name]
		var withMasks []uint64
		for j := 0; j < len(p); j += 2 {
			withMasks = append(withMasks, p[j], p[j+1])
			if meta.Docs[p[j]][8].(float64) > 1 {
				withMasks = append(withMasks, next())
			}
		}
		out[tm.name] = withMasks
	}
	if len(cols) > 0 {
		t.Fatalf("%d bytes left over in the shard", len(cols))
	}
	return out
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
	meta := staticMetaOf(t, files)
	head := staticHeadOf(t, files)
	if len(meta.Docs) != len(docs) || meta.V != staticVersion || head.V != staticVersion || len(head.Synonyms) == 0 || head.Shards < 1 {
		t.Fatalf("meta: %d documents (want %d), version %d and %d, %d synonyms, %d shards", len(meta.Docs), len(docs), meta.V, head.V, len(head.Synonyms), head.Shards)
	}
	if got := meta.Facets[2].Label; got != "领域" {
		t.Errorf("third facet %q; want 领域", got)
	}
	// 骗取 is in one document's body, not its title: its postings say which, with tf 1.
	term := "骗取"
	_, shard := staticData(t, files[StaticDir+"/t/"+strconv.Itoa(staticShard(term, head.Shards))+".js"])
	p := staticPostings(t, shard, meta)["骗取"]
	found := len(p) > 0
	if found && (staticURL(meta, p[0]) != "/cases/低保案/" || p[1] != 2 || len(p) != 2) {
		t.Errorf("骗取: postings %v of %v; want /cases/低保案/, tf 1 not in the title (2)", p, staticURL(meta, p[0]))
	}
	if !found {
		t.Errorf("%s not in its shard", term)
	}
	// The 2024 接待 regulation's 第二条 is in its chunk, with its anchor.
	for i, d := range meta.Docs {
		if staticURL(meta, uint64(i)) != "/regulations/接待(2024-03-01)/" {
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

// TestStaticBlocks: a long document is cut into blocks at its passages' ends, block k in
// chunk first + k, and a term's posting says which blocks hold it; a short document after
// it shares the long one's last chunk or starts its own.
func TestStaticBlocks(t *testing.T) {
	var body strings.Builder
	var marks []site.Mark
	for n := 1; n <= 80; n++ {
		label := fmt.Sprintf("第%d条", n)
		marks = append(marks, site.Mark{Offset: body.Len(), Label: label, ID: label})
		body.WriteString(label + " " + strings.Repeat("国家机关工作人员应当依法履行职责。", 12))
		if n == 70 {
			body.WriteString("严禁骗取低保金。")
		}
		body.WriteString("\n")
	}
	docs := []*Doc{
		{URL: "/laws/long/", Title: "长法", SectionTitle: "法规", Body: body.String(), Marks: marks},
		{URL: "/laws/short/", Title: "短法", SectionTitle: "法规", Body: "第一条 骗取低保金的，依法追回。\n", Marks: []site.Mark{{Offset: 0, Label: "第一条", ID: "第一条"}}},
	}
	files, err := StaticFiles(docs, nil, nil, "/")
	if err != nil {
		t.Fatal(err)
	}
	meta := staticMetaOf(t, files)
	first, blocks := int(meta.Docs[0][7].(float64)), int(meta.Docs[0][8].(float64))
	if want := body.Len() / staticBlockBytes; blocks != want && blocks != want+1 {
		t.Fatalf("%d bytes in %d blocks; want about %d", body.Len(), blocks, want)
	}
	// Which chunk holds 第70条, and is it block k of the document?
	want := -1
	for k := range blocks {
		name := fmt.Sprintf("%s/c/%d.js", StaticDir, first+k)
		_, raw := staticData(t, files[name])
		var chunk [][]json.RawMessage
		if err := json.Unmarshal(raw, &chunk); err != nil {
			t.Fatal(err)
		}
		if len(raw) > staticBlockBytes*3/2+passageMaxBytes+1000 {
			t.Errorf("%s: %d bytes", name, len(raw))
		}
		if string(chunk[0][0]) != "0" {
			t.Errorf("%s starts with document %s; want 0", name, chunk[0][0])
		}
		if strings.Contains(string(raw), "骗取低保金") {
			want = k
		}
	}
	if want < 0 {
		t.Fatal("第70条 in none of the document's chunks")
	}
	// The postings of 骗取: the long document with the mask of block want alone, then the
	// short one without a mask.
	_, shard := staticData(t, files[StaticDir+"/t/"+strconv.Itoa(staticShard("骗取", staticHeadOf(t, files).Shards))+".js"])
	if got, w := staticPostings(t, shard, meta)["骗取"], []uint64{0, 2, 1 << want, 1, 2}; !slices.Equal(got, w) {
		t.Errorf("postings of 骗取 %v; want %v (doc 0, tf 1, blocks; doc 1, tf 1)", got, w)
	}
}

// TestStaticStop: the stop words the client cuts out of a question are the Chinese ones
// of two characters or more, longest first.
func TestStaticStop(t *testing.T) {
	stop := staticStop()
	for _, w := range []string{"能不能", "怎么", "多少"} {
		if !slices.Contains(stop, w) {
			t.Errorf("%s missing from %v", w, stop)
		}
	}
	for _, w := range []string{"的", "在", "the", "吗？"} {
		if slices.Contains(stop, w) {
			t.Errorf("%s in %v", w, stop)
		}
	}
	for i := 1; i < len(stop); i++ {
		if len([]rune(stop[i])) > len([]rune(stop[i-1])) {
			t.Errorf("%s after the shorter %s", stop[i], stop[i-1])
		}
	}
}

// TestStaticFolders: a URL is its folder's number and what follows, the title (1) or the
// title and date (2) when it is that.
func TestStaticFolders(t *testing.T) {
	f := &staticFolders{ids: map[string]int{}}
	for _, tt := range []struct {
		url, title, date string
		want             []any
	}{
		{"/法律/监察法(2018-03-20)/", "监察法", "2018-03-20", []any{0, 2}},
		{"/法律/民法典/", "民法典", "", []any{0, 1}},
		{"/lz/cases/a/", "低保案", "", []any{1, "a/"}},
		{"/about.html", "关于", "", []any{2, "about.html"}},
		{"/法律/监察法/", "监察法", "2024-12-25", []any{0, 1}},
	} {
		if got := f.url(tt.url, tt.title, tt.date); !slices.Equal(got, tt.want) {
			t.Errorf("url(%q, %q, %q) = %v; want %v", tt.url, tt.title, tt.date, got, tt.want)
		}
	}
	if want := []string{"/法律/", "/lz/cases/", "/"}; !slices.Equal(f.list, want) {
		t.Errorf("folders %q; want %q", f.list, want)
	}
}

// TestStaticPlacesAndCores: meta.js carries each title's place and core as the server
// works them out (titlePlace, titleCore), a place listed once however many titles open
// with it.
func TestStaticPlacesAndCores(t *testing.T) {
	titles := []string{"中华人民共和国监察法", "重庆市物业管理条例", "农产品市场管理办法", "重庆市安全生产条例", "最高人民法院关于审理买卖合同纠纷案件适用法律问题的解释"}
	var docs []*Doc
	for i, title := range titles {
		docs = append(docs, &Doc{ID: fmt.Sprint(i, ".md"), URL: fmt.Sprint("/d/", i, "/"), Title: title, Body: title + "。"})
	}
	files, err := StaticFiles(docs, nil, BuiltinSynonyms(), "/")
	if err != nil {
		t.Fatal(err)
	}
	meta := staticMetaOf(t, files)
	if want := [][3]string{{"重庆市", "重庆", ""}}; !slices.Equal(meta.Places, want) {
		t.Errorf("places %v; want %v", meta.Places, want)
	}
	for i, want := range []struct {
		place float64
		core  any
	}{{0, "监察法"}, {1, float64(0)}, {0, float64(0)}, {1, float64(0)}, {0, "买卖合同纠纷案件适用法律问题的解释"}} {
		if row := meta.Docs[i]; row[10] != want.place || row[11] != want.core {
			t.Errorf("%s: place %v, core %v; want %v, %v", titles[i], row[10], row[11], want.place, want.core)
		}
	}
}

// TestIsHan: the fast path agrees with unicode.Is for every rune.
func TestIsHan(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isHan(r) != unicode.Is(unicode.Han, r) {
			t.Fatalf("isHan(%U) = %v", r, isHan(r))
		}
	}
}
