package indexer

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// smallSite is a handful of documents covering the query language.
var smallSite = map[string]string{
	"config.toml": `title = "测试"
[taxonomies.field]
title = "领域"
[taxonomies.region]
title = "地区"
[sections.cases]
title = "典型案例"
sort = "date"
[sections.regulations]
title = "法规制度"
  [sections.regulations.fields.status]
  label = "时效性"
  allowed = ["现行有效", "已修订"]
`,
	"content/cases/低保案.md":                  "---\ntitle: 某社区书记在最低生活保障审核中优亲厚友案\ndate: 2023-04-01\nfield: [社会救助]\n---\n## 基本案情\n\n王某某为亲属违规办理低保，骗取资金3万元。\n",
	"content/cases/养老案.md":                  "---\ntitle: 某养老院院长套取运营补贴案\ndate: 2024-06-01\nfield: [养老服务]\n---\n张某某虚报床位，套取养老机构运营补贴12万元。\n",
	"content/cases/脚本案.md":                  "---\ntitle: 标题含<script>alert(1)</script>的案例\ndate: 2022-01-01\nfield: [养老服务]\n---\n正文里也有 x < y && z > w 的比较，以及集体研究决定。\n",
	"content/regulations/接待(2019-05-10).md": "---\ntitle: 公务接待管理办法\nstatus: 已修订\n---\n第一条 为规范公务接待，制定本办法。\n\n第二条 接待对象应当持公函。\n",
	"content/regulations/接待(2024-03-01).md": "---\ntitle: 公务接待管理办法\nstatus: 现行有效\n---\n第一条 为规范公务接待，制定本办法。\n\n第二条 接待对象应当持公函，严禁超标准接待。\n",
}

var (
	smallOnce sync.Once
	smallDir  string // removed by TestMain
	smallIx   *Index
	smallErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if smallIx != nil {
		smallIx.Close()
	}
	if passageIx != nil {
		passageIx.Close()
	}
	for _, dir := range []string{smallDir, passageDir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// openSmall builds (once) and opens an index of smallSite.
func openSmall(t *testing.T) *Index {
	t.Helper()
	smallOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jj-small-")
		if err != nil {
			smallErr = err
			return
		}
		smallDir = dir
		syn, _ := ParseSynonyms("低保, 最低生活保障\n养老院 => 养老机构\n", "test")
		smallIx, smallErr = indexFiles(dir, smallSite, syn)
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallIx
}

// indexFiles writes a site of files (name → content) into dir/site, indexes it into
// dir/index and opens the index with syn.
func indexFiles(dir string, files map[string]string, syn *Synonyms) (*Index, error) {
	siteDir := filepath.Join(dir, "site")
	if err := sitetest.WriteIn(siteDir, files); err != nil {
		return nil, err
	}
	return indexSite(siteDir, filepath.Join(dir, "index"), syn)
}

// indexSite indexes the site in siteDir into idx and opens the index with syn.
func indexSite(siteDir, idx string, syn *Synonyms) (*Index, error) {
	s, err := site.Load(context.Background(), siteDir, site.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := Build(context.Background(), idx, Docs(s), Options{Facets: Facets(s), Sections: SectionTitles(s)}); err != nil {
		return nil, err
	}
	return Open(idx, syn)
}

// openSite indexes the site in dir for one test and opens the index.
func openSite(t *testing.T, dir string) *Index {
	t.Helper()
	ix, err := indexSite(dir, filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func find(t *testing.T, req Request) *Result {
	t.Helper()
	if req.Limit == 0 {
		req.Limit = 10
	}
	res, err := openSmall(t).Search(context.Background(), req)
	if err != nil {
		t.Fatalf("%q: %v", req.Query, err)
	}
	return res
}

func paths(r *Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Path)
	}
	return out
}

func TestSearchLanguage(t *testing.T) {
	tests := []struct {
		query string
		first string // path of the first hit; "" for none
		total int    // -1: any
	}{
		{"优亲厚友", "cases/低保案.md", 1},
		{"低保", "cases/低保案.md", -1},
		{"最低生活保障", "cases/低保案.md", -1},
		{`"集体研究决定"`, "cases/脚本案.md", 1},
		{"套取 -养老", "", 0},
		{"领域:养老服务 套取", "cases/养老案.md", 1},
		{"领域:养老服务", "", 2},
		{"时效性:现行有效", "regulations/接待(2024-03-01).md", 1},
		{"公务接待", "regulations/接待(2024-03-01).md", 2},
		{"养老院", "cases/养老案.md", -1},
	}
	for _, tt := range tests {
		r := find(t, Request{Query: tt.query})
		if tt.total >= 0 && int(r.Total) != tt.total {
			t.Errorf("%q: total %d, want %d (%v)", tt.query, r.Total, tt.total, paths(r))
		}
		if tt.first != "" && (len(r.Hits) == 0 || r.Hits[0].Path != tt.first) {
			t.Errorf("%q: hits %v, want %s first", tt.query, paths(r), tt.first)
		}
	}
}

func TestSearchExplainsSynonyms(t *testing.T) {
	r := find(t, Request{Query: "低保 审核"})
	if len(r.Expanded) != 1 || r.Expanded[0].Term != "低保" || r.Expanded[0].Also[0] != "最低生活保障" {
		t.Errorf("expanded = %+v", r.Expanded)
	}
	if len(r.Terms) == 0 {
		t.Error("segmented terms are not reported")
	}
	// One way only: 养老机构 does not expand to 养老院.
	if r := find(t, Request{Query: "养老机构"}); len(r.Expanded) != 0 {
		t.Errorf("a one-way synonym expanded backwards: %+v", r.Expanded)
	}
}

func TestSearchSnippetsAreEscaped(t *testing.T) {
	r := find(t, Request{Query: "集体研究决定"})
	if len(r.Hits) == 0 {
		t.Fatal("no hits")
	}
	h := r.Hits[0]
	if strings.Contains(h.Snippet, "&& z >") || !strings.Contains(h.Snippet, "&amp;&amp; z &gt; w") {
		t.Errorf("snippet not escaped: %s", h.Snippet)
	}
	if !strings.Contains(h.Snippet, "<mark>集体研究决定</mark>") {
		t.Errorf("snippet lacks the highlighted phrase: %s", h.Snippet)
	}
	r = find(t, Request{Query: "公函"})
	if len(r.Hits) == 0 || !strings.HasPrefix(r.Hits[0].Snippet, "〔第二条〕") {
		t.Errorf("snippet does not name its article: %+v", r.Hits)
	}
}

func TestSearchBadInput(t *testing.T) {
	tests := []struct {
		req  Request
		note string // must appear in the notes
	}{
		{Request{Query: ""}, "请输入"},
		{Request{Query: "！？。，、"}, "请输入"},
		{Request{Query: strings.Repeat("低保审核", 2600)}, "查询过长"},
		{Request{Query: `"未闭合 低保`}, "引号没有配对"},
		{Request{Query: "部门:民政 低保"}, "没有名为“部门”的筛选字段"},
		{Request{Query: "低保", Limit: 100000}, "最多返回 100 条"},
	}
	for _, tt := range tests {
		r := find(t, tt.req)
		if !strings.Contains(strings.Join(r.Notes, "|"), tt.note) {
			t.Errorf("%.30q: notes %v, want %q", tt.req.Query, r.Notes, tt.note)
		}
	}
	r, err := openSmall(t).Search(context.Background(), Request{Query: "低保", Limit: -5, Offset: -1})
	if err != nil || len(r.Hits) != 0 || r.Total == 0 {
		t.Errorf("limit below zero should count without hits: %v %v", r, err)
	}
}

func TestSearchSortAndFacets(t *testing.T) {
	r := find(t, Request{Query: "sort:date 案"})
	for i := 1; i < len(r.Hits); i++ {
		if r.Hits[i].Date > r.Hits[i-1].Date {
			t.Errorf("not newest first: %v", paths(r))
		}
	}
	r = find(t, Request{Query: "领域:养老服务"})
	found := false
	for _, f := range r.Facets["领域"] {
		if f.Value == "养老服务" && f.Count == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("facets = %+v", r.Facets)
	}
	if got := r.Facets["栏目"]; len(got) != 1 || got[0].Value != "典型案例" {
		t.Errorf("section facet should use titles: %+v", got)
	}
	// Pages show facets in a fixed order, not the map's (by code point 地区 came first).
	r = find(t, Request{Query: "案"})
	if got := strings.Join(r.FacetOrder, " "); got != "栏目 年份 领域" {
		t.Errorf("facet order %q; want 栏目 年份 领域", got)
	}
}

func TestOpenMissingAndCorruptIndex(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "none"), nil); err == nil || !strings.Contains(err.Error(), "还没有搜索索引") {
		t.Errorf("missing index: %v", err)
	}
	// A corrupt index is reported, and the next build replaces it.
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n\n低保审核。\n"})
	s, err := site.Load(context.Background(), dir, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, "index")
	if _, err := Build(context.Background(), idx, Docs(s), Options{}); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(idx, bleveDir, "shard-0", "*"))
	for _, m := range matches {
		_ = os.RemoveAll(m)
	}
	if ix, err := Open(idx, nil); err == nil {
		ix.Close()
		t.Error("a corrupt index opened")
	}
	st, err := Build(context.Background(), idx, Docs(s), Options{})
	if err != nil || !st.Cold {
		t.Fatalf("the corrupt index was not rebuilt: %+v %v", st, err)
	}
	ix, err := Open(idx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if r, _ := ix.Search(context.Background(), Request{Query: "低保", Limit: 5}); r == nil || r.Total != 1 {
		t.Errorf("rebuilt index does not answer: %+v", r)
	}
}

func TestIncrementalBuild(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{"content/a.md": "# 甲\n\n低保审核。\n", "content/b.md": "# 乙\n\n养老补贴。\n", "content/c.md": "# 丙\n\n殡葬改革。\n"})
	idx := filepath.Join(dir, "index")
	load := func() []*Doc { return loadDocs(t, dir) }
	if st, err := Build(context.Background(), idx, load(), Options{}); err != nil || !st.Cold || st.Analysed != 3 {
		t.Fatalf("first build: %+v %v", st, err)
	}
	if st, err := Build(context.Background(), idx, load(), Options{}); err != nil || st.Cold || st.Analysed != 0 {
		t.Fatalf("unchanged build: %+v %v", st, err)
	}
	_ = os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte("# 乙\n\n养老服务驿站。\n"), 0o644)
	_ = os.Remove(filepath.Join(dir, "content", "c.md"))
	st, err := Build(context.Background(), idx, load(), Options{})
	if err != nil || st.Cold || st.Analysed != 1 || st.Deleted != 1 {
		t.Fatalf("one edit, one delete: %+v %v", st, err)
	}
	ix, err := Open(idx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for q, want := range map[string]uint64{"驿站": 1, "殡葬": 0, "补贴": 0, "低保": 1} {
		r, err := ix.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil || r.Total != want {
			t.Errorf("%s: total %v, want %d (%v)", q, r.Total, want, err)
		}
	}
}

// A filter on a taxonomy no page uses yet finds nothing, without an error: bleve is
// given length statistics for every field a query may name.
func TestSearchFilterOnUnusedField(t *testing.T) {
	for _, q := range []string{"地区:江北区", "低保 地区:江北区"} {
		r := find(t, Request{Query: q})
		if r.Total != 0 || len(r.Hits) != 0 {
			t.Errorf("%q: %d hits, want none", q, r.Total)
		}
	}
}

func TestFieldLengths(t *testing.T) {
	docs := []*Doc{
		{Title: strings.Repeat("法", 10), Body: strings.Repeat("条", 1000)},
		{Title: strings.Repeat("法", 20), Body: strings.Repeat("条", 3000)},
	}
	got := fieldLengths(docs)
	// 15 characters of 3 bytes on average in titles, 2000 in bodies.
	want := map[string]float64{
		fTitle: 45 * segmentedPerByte, fTitleBG: 45 * bigramPerByte,
		fBody: 6000 * segmentedPerByte, fBodyBG: 6000 * bigramPerByte,
		fHeadings: 0, fSummary: 0,
	}
	for f, w := range want {
		if g := got[f]; g < w-1e-9 || g > w+1e-9 {
			t.Errorf("%s: %.3f, want %.3f", f, g, w)
		}
	}
	if fieldLengths(nil) != nil {
		t.Error("no documents should give no estimate")
	}
	// Every field bleve may be asked about has a count, so it never reports a missing
	// statistic; text fields carry the estimate times the number of documents.
	ix := openSmall(t)
	st := ix.bm25
	if st == nil || int(st.DocCount) != len(ix.st.Docs) {
		t.Fatalf("stats %+v", st)
	}
	fields, _ := ix.shards[0].Fields()
	for _, f := range append(fields, fieldPrefix+"region") {
		if _, ok := st.FieldCardinality[f]; !ok {
			t.Errorf("no statistic for %s", f)
		}
	}
	if want := int(ix.st.Lengths[fBody] * st.DocCount); st.FieldCardinality[fBody] != max(want, len(ix.st.Docs)) {
		t.Errorf("body cardinality %d, want %d", st.FieldCardinality[fBody], want)
	}
}

// Many edits, one at a time as under serve --watch: every version is found while it is
// current, and the segments of the edits are merged among themselves, so a shard does
// not grow a file per edit.
func TestManyEdits(t *testing.T) {
	files := map[string]string{}
	for i := range 30 {
		files[fmt.Sprintf("content/p%02d.md", i)] = fmt.Sprintf("# 第%d篇\n\n低保审核材料。\n", i)
	}
	dir := sitetest.Write(t, files)
	idx := filepath.Join(dir, "index")
	load := func() []*Doc { return loadDocs(t, dir) }
	if _, err := Build(context.Background(), idx, load(), Options{}); err != nil {
		t.Fatal(err)
	}
	const edits = 40
	for i := range edits {
		word := fmt.Sprintf("edit%03d", i)
		_ = os.WriteFile(filepath.Join(dir, "content", "p07.md"), []byte("# 第7篇\n\n养老服务"+word+"。\n"), 0o644)
		st, err := Build(context.Background(), idx, load(), Options{})
		if err != nil || st.Cold || st.Analysed != 1 {
			t.Fatalf("edit %d: %+v %v", i, st, err)
		}
		if i%10 != 9 {
			continue
		}
		ix, err := Open(idx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]uint64{word: 1, fmt.Sprintf("edit%03d", i-1): 0, "低保": 29} {
			r, err := ix.Search(context.Background(), Request{Query: q, Limit: 50})
			if err != nil || r.Total != want {
				t.Errorf("edit %d, %s: total %v, want %d (%v)", i, q, r.Total, want, err)
			}
		}
		ix.Close()
	}
	var zaps []string
	_ = filepath.WalkDir(idx, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".zap") {
			zaps = append(zaps, p)
		}
		return nil
	})
	if len(zaps) == 0 || len(zaps) > 15 {
		t.Errorf("%d segment files after %d edits", len(zaps), edits)
	}
}

// loadDocs loads the site in dir and returns its index documents.
func loadDocs(t *testing.T, dir string) []*Doc {
	t.Helper()
	s, err := site.Load(context.Background(), dir, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Docs(s)
}

// A short title typed alone puts the document it stands for first: from the synonym
// table's full form (婚姻法 → 民法典 婚姻家庭编) or from the title's characters in order
// (民诉法 → 民事诉讼法), ahead of documents about it that repeat its name; a word that is
// itself a title (刑法) is not taken for a short form of another.
func TestShortTitlesFirst(t *testing.T) {
	interp := "# 最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释\n\n为正确审理婚姻家庭纠纷案件，根据民法典婚姻家庭编的规定，制定本解释。民法典婚姻家庭编第一千零四十二条所称……婚姻家庭编。\n"
	dir := sitetest.Write(t, map[string]string{
		"content/民法典/婚姻家庭编.md":   "# 中华人民共和国民法典\n\n# 婚姻家庭编\n\n第一千零四十条 本编调整因婚姻家庭产生的民事关系。\n",
		"content/解释/婚姻家庭编解释.md":  interp,
		"content/解释/婚姻家庭编解释二.md": strings.Replace(interp, "解释\n", "解释（二）\n", 1),
		"content/法律/民事诉讼法.md":    "# 中华人民共和国民事诉讼法\n\n第一条 民事诉讼。\n",
		"content/法律/民诉法解释.md":    "# 关于民诉法适用问题的说明\n\n民诉法、民诉法、民诉法的适用。\n",
		"content/法律/刑法.md":       "# 中华人民共和国刑法\n\n第一条 为了惩罚犯罪。\n",
		"content/法律/刑事诉讼法.md":    "# 中华人民共和国刑事诉讼法\n\n第一条 刑法的实施。刑法。刑法。\n",
	})
	ix := openSite(t, dir)
	for q, want := range map[string]string{
		"婚姻法": "民法典/婚姻家庭编.md",
		"民诉法": "法律/民事诉讼法.md",
		"刑法":  "法律/刑法.md",
	} {
		r, err := ix.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil || len(r.Hits) == 0 || r.Hits[0].Path != want {
			t.Errorf("%s: first %v, want %s (%v)", q, paths(r), want, err)
		}
	}
	// With other words the query is not a short title alone: ordinary ranking.
	r, _ := ix.Search(context.Background(), Request{Query: "民诉法 适用问题", Limit: 5})
	if len(r.Hits) == 0 || r.Hits[0].Path != "法律/民诉法解释.md" {
		t.Errorf("民诉法 适用问题: %v", paths(r))
	}
}

// TestCommonWordsMatch: a query whose words are in most pages of a site larger than
// commonLeast finds every page holding them, though its words only score the pages rarer
// words find: here there are none, or only words absent from the site (the synonym
// 最低生活保障 of 低保), or only a title's.
func TestCommonWordsMatch(t *testing.T) {
	files := map[string]string{"config.toml": smallSite["config.toml"]}
	const n = commonLeast + 40
	for i := range n {
		title := fmt.Sprintf("第%d号通报", i)
		if i < 3 {
			title = "审核工作通报" // 审核 is rare in titles, common in bodies
		}
		files[fmt.Sprintf("content/cases/p%03d.md", i)] = fmt.Sprintf("---\ntitle: %s\ndate: 2020-03-01\n---\n低保审核第%d件，养老补贴%d项。\n", title, i, i%7)
	}
	ix, err := indexSite(sitetest.Write(t, files), filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{"低保", "审核", "养老 补贴"} {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil || res.Total != n {
			t.Errorf("%s: %d of %d pages (%v)", q, res.Total, n, err)
		}
	}
}
