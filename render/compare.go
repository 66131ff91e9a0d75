package render

import (
	"cmp"
	"fmt"
	"html/template"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
	"golang.org/x/text/width"

	"jingjian/site"
)

// compareThreshold is the least similarity (the Dice coefficient of the two texts'
// sets of character bigrams) at which an old and a new article are taken as one article
// revised. Below it they are shown as a removal and an addition: a reader learns more
// from two whole texts than from a diff that strikes out nearly everything. On the laws
// corpus 0.2% of unrelated article pairs (of one document's two versions) score 0.4 or
// more, and the alignment only pairs articles in order, between the unchanged ones.
const compareThreshold = 0.4

// moveThreshold is the least similarity at which a removed and an added article are
// taken as one article moved (0.004% of unrelated pairs score as much).
const moveThreshold = 0.75

// fullCells is the largest stretch of unaligned articles (old × new) whose every pair
// is scored. In a larger one (a law rewritten throughout) only pairs near the stretch's
// diagonal are, so the work stays proportional to its length; and moves are looked for
// among at most as many pairs of removed and added articles.
const (
	fullCells = 1 << 18
	band      = 64 // articles either side of the diagonal scored in a larger stretch
)

// A comparison is one version of a document set against the version before it,
// article by article: what the layout compare.html shows.
type comparison struct {
	Title              string // 《X》版本对照：2018年3月20日版 → 2024年12月25日版
	Old, New           *site.Page
	OldLabel, NewLabel string // 2018年3月20日版
	Unit               string // 条, or 段 for documents compared paragraph by paragraph

	Changed, Added, Removed, Moved, Unchanged int // articles (or paragraphs), the preamble not counted

	Runs []compareRun
}

// Summary is the line of counts: 3 条修改、2 条新增、1 条删除（150 条未变）, with 、2 条移位
// before the brackets when articles moved.
func (c *comparison) Summary() string {
	u := " " + c.Unit
	s := fmt.Sprintf("%d%s修改、%d%s新增、%d%s删除", c.Changed, u, c.Added, u, c.Removed, u)
	if c.Moved > 0 {
		s += fmt.Sprintf("、%d%s移位", c.Moved, u)
	}
	return s + fmt.Sprintf("（%d%s未变）", c.Unchanged, u)
}

// A compareRun is a stretch of rows: unchanged ones, collapsed by default, or others.
type compareRun struct {
	Same    bool   // every row is unchanged
	Summary string // for a Same run: 第五条至第七条未变（3 条）
	Rows    []compareRow
}

// A compareRow is one aligned pair: an article of the old version and its counterpart
// in the new one, either of them empty for a removed or an added article.
type compareRow struct {
	Kind     string // same, changed, added, removed, or moved (one row where it was, one where it is)
	Old, New compareCell
}

// A compareCell is one side of a row.
type compareCell struct {
	Label   string        // 第二十二条, 第3段, 正文前; "" for the empty side
	URL     string        // the article on its version page, anchor included; "" without one
	Text    template.HTML // the escaped text, changes marked with <del> (old) or <ins> (new)
	Note    string        // on the empty side: 新增, 删除, 移至第六十二条, 由第五十一条移来
	NoteURL string        // the moved article on its other version's page
}

// compareURL is the address of the comparison of older with newer, the version after
// it: under the newer version's page, named by the older one's last segment
// (/宪法相关法/监察法(2024-12-25)/对照/监察法(2018-03-20)/). Both pages' URLs are unique,
// so it is too, and it changes only when one of them does.
func compareURL(older, newer *site.Page) string {
	return newer.URL + "对照/" + path.Base(strings.TrimSuffix(older.URL, "/")) + "/"
}

// versionLabel names a version by its date: 2018年3月20日版.
func versionLabel(p *site.Page) string {
	d := p.VersionDate()
	if d.IsZero() {
		return "未注明日期版"
	}
	return d.Format("2006年1月2日") + "版"
}

// comparisonOutputs plans a comparison page for each two consecutive versions of every
// document with versions. Aligning and diffing happen when the page is made, in the
// build's workers; the page shows the text of both versions, so a Memo keys it by both
// (output.shows).
func comparisonOutputs(s *site.Site, layout func(section string) *template.Template) []*output {
	var outs []*output
	for _, g := range s.Versions {
		for i := 0; i+1 < len(g.Pages); i++ {
			newer, older := g.Pages[i], g.Pages[i+1]
			tmpl := layout(sectionTop(newer.Section))
			if tmpl == nil {
				return nil
			}
			u := compareURL(older, newer)
			trail := crumbs(s, newer.Section, "")
			trail = append(trail[:len(trail)-1], Crumb{Title: newer.Title, URL: newer.URL}, Crumb{Title: "版本对照"})
			outs = append(outs, &output{path: indexFile(u), shows: []*site.Page{older, newer}, make: func() ([]byte, error) {
				d := &data{Site: s, Kind: "compare", Page: newer, Section: newer.Section, Crumbs: trail, URL: u,
					Compare: compareVersions(older, newer)}
				b, err := execute(tmpl, d)
				if err != nil {
					return nil, fmt.Errorf("模板执行失败: %v", err)
				}
				return b, nil
			}})
		}
	}
	return outs
}

// A unit is what a comparison aligns: an article, or a paragraph of a document without
// articles.
type unit struct {
	label string // 第二十二条, 第3段
	id    string // the anchor on its page; "" for a paragraph
	text  string // without the article number
	grams []uint64
}

// compareVersions aligns the articles of two versions by their content and diffs each
// pair. Documents without articles (either of them) are compared paragraph by
// paragraph.
func compareVersions(older, newer *site.Page) *comparison {
	c := &comparison{Old: older, New: newer, OldLabel: versionLabel(older), NewLabel: versionLabel(newer), Unit: "条"}
	c.Title = "《" + newer.Title + "》版本对照：" + c.OldLabel + " → " + c.NewLabel
	oldPre, a := articleUnits(older)
	newPre, b := articleUnits(newer)
	if len(a) == 0 || len(b) == 0 {
		oldPre, newPre = "", ""
		a, b = paragraphUnits(older), paragraphUnits(newer)
		c.Unit = "段"
	}
	var rows []compareRow
	if oldPre != "" || newPre != "" {
		// Text before the first heading or article: enacting notes, revision history.
		rows = append(rows, pairRow(unit{label: "正文前", text: oldPre}, unit{label: "正文前", text: newPre}, "", ""))
	}
	pairs := align(a, b)
	moved := moves(a, b, pairs)
	for _, pr := range pairs {
		var r compareRow
		mv, isMove := moved[pr]
		switch {
		case pr[0] < 0 && isMove:
			from := a[mv[0]]
			_, text := markChanges(from.text, b[pr[1]].text)
			r = compareRow{Kind: "moved", Old: compareCell{Note: "由" + from.label + "移来", NoteURL: anchorURL(older.URL, from.id)},
				New: compareCell{Label: b[pr[1]].label, URL: anchorURL(newer.URL, b[pr[1]].id), Text: text}}
		case pr[1] < 0 && isMove:
			to := b[mv[1]]
			text, _ := markChanges(a[pr[0]].text, to.text)
			r = compareRow{Kind: "moved", Old: compareCell{Label: a[pr[0]].label, URL: anchorURL(older.URL, a[pr[0]].id), Text: text},
				New: compareCell{Note: "移至" + to.label, NoteURL: anchorURL(newer.URL, to.id)}}
			c.Moved++
		case pr[0] < 0:
			r = compareRow{Kind: "added", Old: compareCell{Note: "新增"}, New: plainCell(b[pr[1]], newer.URL)}
			c.Added++
		case pr[1] < 0:
			r = compareRow{Kind: "removed", Old: plainCell(a[pr[0]], older.URL), New: compareCell{Note: "删除"}}
			c.Removed++
		default:
			r = pairRow(a[pr[0]], b[pr[1]], older.URL, newer.URL)
			if r.Kind == "same" {
				c.Unchanged++
			} else {
				c.Changed++
			}
		}
		rows = append(rows, r)
	}
	c.Runs = runs(rows, c.Unit)
	return c
}

// moves finds, among the removed and the added units of an alignment, the ones that are
// one unit moved past others (which an alignment in order cannot pair): most similar
// first, each at most once, at moveThreshold or more. Both the removal and the addition
// map to the pair [i, j].
func moves(a, b []unit, pairs [][2]int) map[[2]int][2]int {
	var gone, added []int
	for _, pr := range pairs {
		switch {
		case pr[0] < 0:
			added = append(added, pr[1])
		case pr[1] < 0:
			gone = append(gone, pr[0])
		}
	}
	if len(gone)*len(added) > fullCells {
		return nil // a document rewritten throughout: its moves are not worth the time
	}
	type cand struct {
		i, j int
		sim  float64
	}
	var cands []cand
	for _, i := range gone {
		for _, j := range added {
			if sim := similarity(a[i].grams, b[j].grams, moveThreshold); sim >= moveThreshold {
				cands = append(cands, cand{i, j, sim})
			}
		}
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return cmp.Compare(y.sim, x.sim) })
	out := map[[2]int][2]int{}
	usedI, usedJ := map[int]bool{}, map[int]bool{}
	for _, c := range cands {
		if !usedI[c.i] && !usedJ[c.j] {
			usedI[c.i], usedJ[c.j] = true, true
			out[[2]int{c.i, -1}] = [2]int{c.i, c.j}
			out[[2]int{-1, c.j}] = [2]int{c.i, c.j}
		}
	}
	return out
}

// runs groups rows into stretches of unchanged rows and of the others.
func runs(rows []compareRow, unitName string) []compareRun {
	var out []compareRun
	for _, r := range rows {
		same := r.Kind == "same"
		if n := len(out); n == 0 || out[n-1].Same != same {
			out = append(out, compareRun{Same: same})
		}
		out[len(out)-1].Rows = append(out[len(out)-1].Rows, r)
	}
	for i, run := range out {
		if !run.Same {
			continue
		}
		first, last := run.Rows[0].New.Label, run.Rows[len(run.Rows)-1].New.Label
		span := first
		if len(run.Rows) > 1 {
			span += "至" + last
		}
		out[i].Summary = span + "未变（" + strconv.Itoa(len(run.Rows)) + " " + unitName + "）"
	}
	return out
}

func plainCell(u unit, pageURL string) compareCell {
	return compareCell{Label: u.label, URL: anchorURL(pageURL, u.id), Text: textHTML(u.text)}
}

func anchorURL(pageURL, id string) string {
	if id == "" {
		return ""
	}
	return pageURL + "#" + id
}

// pairRow shows two aligned units, their differences marked.
func pairRow(a, b unit, oldURL, newURL string) compareRow {
	r := compareRow{Kind: "same",
		Old: compareCell{Label: a.label, URL: anchorURL(oldURL, a.id)},
		New: compareCell{Label: b.label, URL: anchorURL(newURL, b.id)}}
	if a.text == b.text {
		r.Old.Text, r.New.Text = textHTML(a.text), textHTML(b.text)
		return r
	}
	r.Kind = "changed"
	r.Old.Text, r.New.Text = markChanges(a.text, b.text)
	return r
}

// articleUnits returns a regulation page's text before its first heading or article,
// and its articles, each running from its number to the next heading or article (see
// site's plainBody).
func articleUnits(p *site.Page) (string, []unit) {
	if len(p.Articles) == 0 {
		return "", nil
	}
	marks := p.Marks
	pre := p.Text
	if len(marks) > 0 {
		pre = p.Text[:marks[0].Offset]
	}
	var units []unit
	k := 0 // the next article to find among the marks
	for i, m := range marks {
		if k == len(p.Articles) {
			break
		}
		label, _, _ := strings.Cut(p.Articles[k].ID, "-")
		if m.Label != label || !strings.HasPrefix(p.Text[m.Offset:], label) {
			continue // a heading
		}
		end := len(p.Text)
		if i+1 < len(marks) {
			end = marks[i+1].Offset
		}
		text := strings.TrimSpace(strings.TrimPrefix(p.Text[m.Offset:end], label))
		units = append(units, newUnit(label, p.Articles[k].ID, text))
		k++
	}
	return strings.TrimSpace(pre), units
}

// paragraphUnits returns the blocks of a page's text, one a line.
func paragraphUnits(p *site.Page) []unit {
	var units []unit
	for line := range strings.Lines(p.Text) {
		if line = strings.TrimSpace(line); line != "" {
			units = append(units, newUnit("第"+strconv.Itoa(len(units)+1)+"段", "", line))
		}
	}
	return units
}

func newUnit(label, id, text string) unit {
	return unit{label: label, id: id, text: text, grams: bigrams(text)}
}

// bigrams returns the sorted set of a text's character bigrams, after folding full-width
// forms to half-width (a revision that only changes ":" to "：" is still one article)
// and dropping white space. A text of one character is its own bigram.
func bigrams(text string) []uint64 {
	rs := make([]rune, 0, len(text)/3)
	for _, r := range text {
		if !unicode.IsSpace(r) {
			if f := width.LookupRune(r).Folded(); f != 0 {
				r = f
			}
			rs = append(rs, r)
		}
	}
	if len(rs) == 1 {
		return []uint64{uint64(rs[0])}
	}
	grams := make([]uint64, 0, max(0, len(rs)-1))
	for i := 0; i+1 < len(rs); i++ {
		grams = append(grams, uint64(rs[i])<<32|uint64(rs[i+1]))
	}
	slices.Sort(grams)
	return slices.Compact(grams)
}

// similarity is the Dice coefficient of two bigram sets, from 0 (nothing shared) to 1;
// 0 too when it could not reach floor, which the sizes alone may tell.
func similarity(a, b []uint64, floor float64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	total := len(a) + len(b)
	if float64(2*min(len(a), len(b))) < floor*float64(total) {
		return 0
	}
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			shared++
			i++
			j++
		}
	}
	return 2 * float64(shared) / float64(total)
}

// align pairs the units of an old and a new version in order, by content: [i, j] for
// a[i] revised into b[j], [i, -1] for a removal, [-1, j] for an addition. Units whose
// text is the same and occurs once on each side are fixed first, the longest chain of
// them that keeps both orders (as patience diff does); the stretches between them are
// aligned by dynamic programming, maximizing the summed similarity of pairs scoring at
// least compareThreshold. An article moved far stays in place on neither side: it is
// removed there and added here.
func align(a, b []unit) [][2]int {
	var out [][2]int
	i0, j0 := 0, 0
	for _, anc := range anchors(a, b) {
		out = alignStretch(out, a, b, i0, anc[0], j0, anc[1])
		out = append(out, anc)
		i0, j0 = anc[0]+1, anc[1]+1
	}
	return alignStretch(out, a, b, i0, len(a), j0, len(b))
}

// anchors returns the pairs of units of identical text unique on both sides, the
// longest chain of them increasing on both.
func anchors(a, b []unit) [][2]int {
	count := func(us []unit) map[string]int {
		m := make(map[string]int, len(us))
		for i, u := range us {
			if _, seen := m[u.text]; seen {
				m[u.text] = -1
			} else {
				m[u.text] = i
			}
		}
		return m
	}
	inA, inB := count(a), count(b)
	var cand [][2]int // by i
	for i, u := range a {
		if inA[u.text] == i {
			if j, ok := inB[u.text]; ok && j >= 0 {
				cand = append(cand, [2]int{i, j})
			}
		}
	}
	// Longest increasing subsequence of j, by patience sorting.
	var tops []int // index into cand of the smallest last j of each length
	prev := make([]int, len(cand))
	for k, c := range cand {
		n := sort.Search(len(tops), func(x int) bool { return cand[tops[x]][1] >= c[1] })
		prev[k] = -1
		if n > 0 {
			prev[k] = tops[n-1]
		}
		if n == len(tops) {
			tops = append(tops, k)
		} else {
			tops[n] = k
		}
	}
	chain := make([][2]int, len(tops))
	for k, n := lastOr(tops), len(tops)-1; n >= 0; k, n = prev[k], n-1 {
		chain[n] = cand[k]
	}
	return chain
}

func lastOr(s []int) int {
	if len(s) == 0 {
		return -1
	}
	return s[len(s)-1]
}

// alignStretch appends the alignment of a[i0:i1] with b[j0:j1] to out. Between two
// pairs, removals come before additions.
func alignStretch(out [][2]int, a, b []unit, i0, i1, j0, j1 int) [][2]int {
	n, m := i1-i0, j1-j0
	if n == 0 || m == 0 {
		for i := i0; i < i1; i++ {
			out = append(out, [2]int{i, -1})
		}
		for j := j0; j < j1; j++ {
			out = append(out, [2]int{-1, j})
		}
		return out
	}
	const (
		up   = 1 // a[i-1] removed
		left = 2 // b[j-1] added
		diag = 3 // a[i-1] revised into b[j-1]
	)
	w := m + 1
	score := make([]float64, (n+1)*w)
	move := make([]uint8, (n+1)*w)
	for i := 1; i <= n; i++ {
		move[i*w] = up
	}
	for j := 1; j <= m; j++ {
		move[j] = left
	}
	full := n*m <= fullCells
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best, mv := score[(i-1)*w+j], uint8(up)
			if s := score[i*w+j-1]; s > best {
				best, mv = s, left
			}
			if full || abs(i*m-j*n) <= band*max(n, m) {
				if sim := similarity(a[i0+i-1].grams, b[j0+j-1].grams, compareThreshold); sim >= compareThreshold {
					if s := score[(i-1)*w+j-1] + sim; s >= best {
						best, mv = s, diag
					}
				}
			}
			score[i*w+j], move[i*w+j] = best, mv
		}
	}
	// Trace back, collecting the pairs; each stretch of unpaired units between two
	// pairs is put out as its removals, then its additions.
	var rev [][2]int
	var gone, added []int
	flush := func() { // both hold indices from the last down; rev is reversed at the end
		for _, j := range added {
			rev = append(rev, [2]int{-1, j})
		}
		for _, i := range gone {
			rev = append(rev, [2]int{i, -1})
		}
		gone, added = gone[:0], added[:0]
	}
	for i, j := n, m; i > 0 || j > 0; {
		switch move[i*w+j] {
		case diag:
			flush()
			rev = append(rev, [2]int{i0 + i - 1, j0 + j - 1})
			i, j = i-1, j-1
		case up:
			gone = append(gone, i0+i-1)
			i--
		default:
			added = append(added, j0+j-1)
			j--
		}
	}
	flush()
	slices.Reverse(rev)
	return append(out, rev...)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// markChanges diffs two texts character by character (Chinese has no spaces to split
// words at), cleans the diff up to whole phrases, and returns both texts escaped, the
// old one with deletions in <del>, the new one with insertions in <ins>.
func markChanges(old, new string) (oldHTML, newHTML template.HTML) {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // no deadline: a build makes the same bytes however busy the machine
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(old, new, false))
	var o, n strings.Builder
	for _, d := range diffs {
		t := string(textHTML(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			o.WriteString(t)
			n.WriteString(t)
		case diffmatchpatch.DiffDelete:
			o.WriteString("<del>" + t + "</del>")
		case diffmatchpatch.DiffInsert:
			n.WriteString("<ins>" + t + "</ins>")
		}
	}
	return template.HTML(o.String()), template.HTML(n.String())
}

// textHTML escapes plain text for HTML, a line break (between an article's paragraphs)
// becoming <br>.
func textHTML(s string) template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(s), "\n", "<br>"))
}
