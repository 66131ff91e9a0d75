package render

import (
	"context"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// Articles of a small regulation and their revisions, for the alignment tests.
const (
	artA  = "为了规范公务接待管理，厉行勤俭节约，反对铺张浪费，制定本办法。"
	artB  = "本办法适用于本单位各部门、各下属单位的国内公务接待活动。"
	artC  = "公务接待应当坚持有利公务、务实节俭、严格标准、简化礼仪的原则。"
	artC2 = "公务接待应当坚持有利公务、务实节俭、严格标准、简化礼仪、高效透明的原则。"
	artD  = "接待单位应当严格控制陪餐人数。接待对象在十人以内的，陪餐人数不得超过三人；超过十人的，不得超过接待对象人数的三分之一。"
	artE  = "本办法自印发之日起施行。"
	artX  = "接待单位不得超标准接待，不得组织旅游和与公务活动无关的参观，不得安排娱乐活动。"
	artZ  = "各部门应当建立公务接待审批控制制度，对无公函的公务活动不予接待。"
	artR  = "（删去）"
)

func testUnits(texts ...string) []unit {
	us := make([]unit, len(texts))
	for i, t := range texts {
		us[i] = newUnit("第"+string(rune('一'+i))+"条", "", t)
	}
	return us
}

func TestAlign(t *testing.T) {
	cases := []struct {
		name     string
		old, new []string
		want     [][2]int
	}{
		{"identical", []string{artA, artB, artC, artD, artE}, []string{artA, artB, artC, artD, artE},
			[][2]int{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}}},
		// A new article shifts the numbers of all after it: pairs follow content.
		{"inserted article renumbers", []string{artA, artB, artC, artD, artE}, []string{artA, artB, artX, artC2, artD, artE},
			[][2]int{{0, 0}, {1, 1}, {-1, 2}, {2, 3}, {3, 4}, {4, 5}}},
		{"removed article renumbers", []string{artA, artB, artC, artD, artE}, []string{artA, artC2, artD, artE},
			[][2]int{{0, 0}, {1, -1}, {2, 1}, {3, 2}, {4, 3}}},
		// Below the threshold a rewrite is a removal and an addition, the removal first.
		{"heavily rewritten", []string{artA, artB, artC}, []string{artA, artZ, artC},
			[][2]int{{0, 0}, {1, -1}, {-1, 1}, {2, 2}}},
		// An article split in two pairs with the part most like it; the other part is new.
		{"split", []string{artA, artC + artD, artE}, []string{artA, artC, artD, artE},
			[][2]int{{0, 0}, {-1, 1}, {1, 2}, {2, 3}}},
		// Texts that repeat are no anchors, but still pair in order.
		{"repeated texts", []string{artA, artR, artB, artR, artC}, []string{artA, artR, artB, artR, artX, artC},
			[][2]int{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {-1, 4}, {4, 5}}},
		// Two articles changing places: one stays paired, the other is removed and added.
		{"swapped", []string{artA, artB, artC, artD, artE}, []string{artA, artD, artB, artC, artE},
			[][2]int{{0, 0}, {-1, 1}, {1, 2}, {2, 3}, {3, -1}, {4, 4}}},
		{"all new", nil, []string{artA, artB}, [][2]int{{-1, 0}, {-1, 1}}},
		{"all gone", []string{artA, artB}, nil, [][2]int{{0, -1}, {1, -1}}},
		{"both empty", nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := align(testUnits(c.old...), testUnits(c.new...)); !slices.Equal(got, c.want) {
				t.Errorf("align = %v, want %v", got, c.want)
			}
		})
	}
	if s := similarity(testUnits(artB)[0].grams, testUnits(artZ)[0].grams, 0); s >= compareThreshold {
		t.Errorf("the rewrite scores %.2f, not below the threshold", s)
	}
}

// A long stretch without anchors is aligned within a band around its diagonal, still
// finding the revised articles.
func TestAlignLongStretch(t *testing.T) {
	var old, new []string
	for i := range 600 {
		text := strings.Repeat(string(rune('甲'+i%50)), 3) + "第" + string(rune('一'+i)) + "项规定应当遵守" + string(rune(0x4e00+i*7)) + string(rune(0x4e00+i*11))
		old = append(old, text)
		new = append(new, text+"。") // every article changed a little: no anchor at all
	}
	got := align(testUnits(old...), testUnits(new...))
	if len(got) != 600 {
		t.Fatalf("%d pairs, want 600", len(got))
	}
	for i, p := range got {
		if p != [2]int{i, i} {
			t.Fatalf("pair %d is %v", i, p)
		}
	}
}

func TestMarkChanges(t *testing.T) {
	cases := []struct {
		old, new         string
		wantOld, wantNew string
	}{
		{artC, artC2,
			"公务接待应当坚持有利公务、务实节俭、严格标准、简化礼仪的原则。",
			"公务接待应当坚持有利公务、务实节俭、严格标准、简化礼仪<ins>、高效透明</ins>的原则。"},
		{"陪餐人数不得超过三人。", "陪餐人数不得超过二人。",
			"陪餐人数不得超过<del>三</del>人。", "陪餐人数不得超过<ins>二</ins>人。"},
		// Text is escaped, inside marks and out; line breaks between paragraphs are <br>.
		{"甲<script>alert(1)</script>\n第二款", "乙<script>alert(1)</script>\n第二款 & 第三款",
			"<del>甲</del>&lt;script&gt;alert(1)&lt;/script&gt;<br>第二款",
			"<ins>乙</ins>&lt;script&gt;alert(1)&lt;/script&gt;<br>第二款<ins> &amp; 第三款</ins>"},
		{"<b>", "<i>", "&lt;<del>b</del>&gt;", "&lt;<ins>i</ins>&gt;"},
	}
	for _, c := range cases {
		o, n := markChanges(c.old, c.new)
		if string(o) != c.wantOld || string(n) != c.wantNew {
			t.Errorf("markChanges(%q, %q)\n got %s | %s\nwant %s | %s", c.old, c.new, o, n, c.wantOld, c.wantNew)
		}
	}
}

// compareSite is a site with a regulation in two versions: the 2024 one renumbers by
// inserting an article, revises two, removes one and rewrites another.
func compareSite() map[string]string {
	return map[string]string{
		"config.toml": "title = \"对照测试\"\nbaseURL = \"/lz/\"\n",
		"content/法规/公务接待管理办法(2019-03-01).md": "# 公务接待管理办法\n\n2019年3月1日局务会议通过\n\n" +
			"## 第一章 总则\n\n" +
			"第一条 " + artA + "\n\n" +
			"第二条 " + artB + "\n\n" +
			"## 第二章 接待标准\n\n" +
			"第三条 " + artC + "\n\n" +
			"第四条 " + artD + "\n\n工作餐标准为每人每餐不超过 50 元 & 不提供酒水。\n\n" +
			"第五条 " + artZ + "\n\n" +
			"第六条 接待单位应当如实填写接待清单，注明“A<B”类事项。\n\n" +
			"第七条 " + artE + "\n",
		"content/法规/公务接待管理办法(2024-06-01).md": "# 公务接待管理办法\n\n2019年3月1日局务会议通过，2024年6月1日修订\n\n" +
			"## 第一章 总则\n\n" +
			"第一条 " + artA + "\n\n" +
			"第二条 " + artB + "\n\n" +
			"## 第二章 接待标准\n\n" +
			"第三条 " + artX + "\n\n" +
			"第四条 " + artC2 + "\n\n" +
			"第五条 " + artD + "\n\n工作餐标准为每人每餐不超过 60 元 & 不提供酒水。\n\n" +
			"第六条 各单位应当公开公务接待费用，接受监督。\n\n" +
			"第七条 " + artE + "\n",
		"content/法规/其他规定.md": "# 其他规定\n\n第一条 无关。\n",
	}
}

const (
	newerPage   = "法规/公务接待管理办法(2024-06-01)/index.html"
	olderPage   = "法规/公务接待管理办法(2019-03-01)/index.html"
	comparePage = "法规/公务接待管理办法(2024-06-01)/对照/公务接待管理办法(2019-03-01)/index.html"
)

// TestCompareGolden renders the comparison page of a small site and compares it with a
// golden file; both version pages link to it.
func TestCompareGolden(t *testing.T) {
	dir := sitetest.Write(t, compareSite())
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	got := read(t, dest, comparePage)
	golden := filepath.Join("testdata", "golden", "compare.html.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(golden); err != nil {
		t.Fatalf("%v (run go test ./render -update to create golden files)", err)
	} else if got != string(want) {
		t.Errorf("%s differs from %s; if the change is intended, run go test ./render -update\n--- got ---\n%s", comparePage, golden, got)
	}

	for _, want := range []string{
		"<title>《公务接待管理办法》版本对照：2019年3月1日版 → 2024年6月1日版 - 对照测试</title>",
		"2 条修改、2 条新增、2 条删除（3 条未变）",
		// 第三条 (2019) is 第四条 (2024): one row, numbers linked to the articles.
		`<tr class="changed"><td><a class="article-no" href="/lz/` + escaped("法规/公务接待管理办法(2019-03-01)/#第三条") + `">第三条</a>`,
		`<del>5</del>`, `<ins>6</ins>`, "&amp; 不提供酒水", "“A&lt;B”类",
		`<span class="change-note">新增</span>`, `<span class="change-note">删除</span>`,
		`<tbody class="unchanged">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("comparison page lacks %s", want)
		}
	}
	// One row per aligned pair: of 7 old and 7 new articles 5 pair, 2 are removed and 2
	// added; and the text before the articles.
	if n := strings.Count(got, `<tr class="`) - strings.Count(got, `<tr class="skip"`); n != 5+2+2+1 {
		t.Errorf("%d rows", n)
	}
	if strings.Contains(got, " style=") || strings.Contains(got, "<script>") {
		t.Error("the comparison page has an inline style or script")
	}
	link := regexp.MustCompile(`<a href="([^"]+)">与 ([^<]+)对照</a>`)
	for page, label := range map[string]string{newerPage: "2019年3月1日版", olderPage: "2024年6月1日版"} {
		m := link.FindStringSubmatch(read(t, dest, page))
		if m == nil || m[2] != label {
			t.Errorf("%s has no link 与 %s对照 (%v)", page, label, m)
			continue
		}
		if want := "/lz/" + escaped(strings.TrimSuffix(comparePage, "index.html")); m[1] != want {
			t.Errorf("%s links the comparison as %s, want %s", page, m[1], want)
		}
	}
}

func escaped(p string) string { return site.EscapePath(p) }

func loadSite(t *testing.T, dir string, opts site.Options) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// compareFirst compares the two newest versions of the site's first version group.
func compareFirst(t *testing.T, dir string) *comparison {
	t.Helper()
	g := loadSite(t, dir, site.Options{}).Versions[0]
	return compareVersions(g.Pages[1], g.Pages[0])
}

// A comparison is made again when either version changes, and reused otherwise.
func TestCompareMemo(t *testing.T) {
	files := compareSite()
	dir := sitetest.Write(t, files)
	dest := filepath.Join(t.TempDir(), "public")
	memo, cache := NewMemo(), site.NewCache()
	build := func() Result {
		t.Helper()
		res, err := Build(context.Background(), loadSite(t, dir, site.Options{Cache: cache}), Options{Dest: dest, Fingerprint: "memo", Memo: memo})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	edit := func(name, body string) {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		writeFile(t, p, body)
		later := time.Now().Add(time.Hour) // a new time, whatever the file system's resolution
		_ = os.Chtimes(p, later, later)
	}
	build()
	all := build().Reused
	// Below the first paragraph of the other page: the comparison stays.
	edit("法规/其他规定.md", "# 其他规定\n\n第一条 无关。\n\n第二条 也无关。\n")
	if res := build(); res.Reused != all-1 {
		t.Errorf("after editing an unrelated page %d reused, want %d", res.Reused, all-1)
	}
	// The old version's text: its page and the comparison.
	name := "法规/公务接待管理办法(2019-03-01).md"
	edit(name, strings.Replace(files["content/"+name], "不超过 50 元", "不超过 40 元", 1))
	if res := build(); res.Reused != all-2 {
		t.Errorf("after editing the old version %d reused, want %d", res.Reused, all-2)
	}
	if !strings.Contains(read(t, dest, comparePage), "<del>4</del>") {
		t.Error("the comparison is stale")
	}
}

// An article moved past others, which the alignment in order cannot pair, is marked as
// moved on both rows and counted once.
func TestCompareMoved(t *testing.T) {
	doc := func(texts ...string) string {
		var b strings.Builder
		b.WriteString("# 办法\n\n")
		for i, text := range texts {
			b.WriteString("第" + string([]rune("一二三四五")[i]) + "条 " + text + "\n\n")
		}
		return b.String()
	}
	dir := sitetest.Write(t, map[string]string{
		"content/法规/办法(2023-01-01).md": doc(artA, artB, artC, artD, artE),
		"content/法规/办法(2024-01-01).md": doc(artA, artD, artB, artC, artE),
	})
	c := compareFirst(t, dir)
	if got, want := c.Summary(), "0 条修改、0 条新增、0 条删除、1 条移位（4 条未变）"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	var notes []string
	for _, run := range c.Runs {
		for _, r := range run.Rows {
			if r.Kind == "moved" {
				notes = append(notes, r.Old.Note+r.New.Note)
			}
		}
	}
	if want := []string{"由第四条移来", "移至第二条"}; !slices.Equal(notes, want) {
		t.Errorf("moved rows say %q, want %q", notes, want)
	}
}

// Documents without articles are compared paragraph by paragraph.
func TestCompareParagraphs(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"content/通知/会议通知(2023-01-01).md": "# 会议通知\n\n请各部门于周一上午参加廉政教育会议。\n\n会议地点：三楼会议室。\n",
		"content/通知/会议通知(2024-01-01).md": "# 会议通知\n\n请各部门于周一上午参加廉政警示教育会议。\n\n会议地点：三楼会议室。\n\n请提前十分钟到场。\n",
	})
	c := compareFirst(t, dir)
	if got, want := c.Summary(), "1 段修改、1 段新增、0 段删除（1 段未变）"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// On the laws corpus every version group gets its comparisons, and 监察法 pairs its 2018
// article on 留置 (第二十二条) with the 2024 one (第二十四条).
func TestCompareLaws(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the laws corpus")
	}
	s := loadSite(t, sitetest.LawsSite(t), site.Options{})
	th, a, err := loadTheme(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := plan(s, th, a)
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]*output{}
	for _, o := range outs {
		if len(o.shows) == 2 {
			made[o.path] = o
		}
	}
	groups, pairs := 0, 0
	for _, g := range s.Versions {
		if len(g.Pages) < 2 {
			continue
		}
		groups++
		for i := 0; i+1 < len(g.Pages); i++ {
			pairs++
			if made[indexFile(compareURL(g.Pages[i+1], g.Pages[i]))] == nil {
				t.Errorf("no comparison of %s with %s", g.Pages[i+1].Path, g.Pages[i].Path)
			}
		}
	}
	if len(made) != pairs || groups < 90 {
		t.Errorf("%d comparisons for %d pairs of versions in %d groups", len(made), pairs, groups)
	}
	t.Logf("%d version groups, %d comparisons", groups, pairs)

	var older, newer *site.Page
	for _, p := range s.Pages {
		switch p.Path {
		case "宪法相关法/监察法(2018-03-20).md":
			older = p
		case "宪法相关法/监察法(2024-12-25).md":
			newer = p
		}
	}
	if older == nil || newer == nil {
		t.Fatal("the corpus lacks 监察法(2018-03-20) or 监察法(2024-12-25)")
	}
	c := compareVersions(older, newer)
	found := false
	for _, run := range c.Runs {
		for _, r := range run.Rows {
			if r.Old.Label == "第二十二条" {
				found = true
				if r.New.Label != "第二十四条" || r.Kind != "changed" {
					t.Errorf("2018 第二十二条 is in a %s row with %q", r.Kind, r.New.Label)
				}
			}
		}
	}
	if !found {
		t.Error("no row holds 2018 第二十二条")
	}
	o := made[indexFile(compareURL(older, newer))]
	b, err := o.produce()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "《中华人民共和国监察法》版本对照：2018年3月20日版 → 2024年12月25日版") {
		t.Error("the 监察法 comparison page lacks its title")
	}
	t.Logf("监察法: %s", c.Summary())
}

// BenchmarkCompareLaws makes every comparison page of the laws corpus, one after another:
// what the comparisons add to a build's work.
func BenchmarkCompareLaws(b *testing.B) {
	s, err := site.Load(context.Background(), sitetest.LawsSite(b), site.Options{})
	if err != nil {
		b.Fatal(err)
	}
	th, _, err := loadTheme(s, nil)
	if err != nil {
		b.Fatal(err)
	}
	outs := comparisonOutputs(s, func(section string) *template.Template { return th.lookup(section, "compare") })
	b.ResetTimer()
	for b.Loop() {
		for _, o := range outs {
			if _, err := o.produce(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(outs)), "pages")
}
