package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkTitleGeneratedLaws asks titles made from the laws corpus's own by rule, of the
// server's search (in process) and of the static index (window.jingjianSearch in headless
// Chromium over python3 -m http.server), and reports per set how many first hits are the
// title each engine should find, and the queries where the engines differ:
//
//   - short forms: 300 titles in force drawn with a fixed seed, of five to twelve
//     characters ending in 法, 条例, 办法 or 规定, shortened to two characters and the kind
//     (母婴保健法 → 母保法 or 母健法);
//   - titles typed: 300 titles in force, without 中华人民共和国, half of the longer ones
//     without their last two characters (most of a title).
//
// Made by rule, not judged by reading: some short forms fit several titles equally, so
// neither engine reaches 300; the two are compared. Run with:
//
//	go test ./cmd/jingjian -run XXX -bench TitleGeneratedLaws -benchtime 1x
func BenchmarkTitleGeneratedLaws(b *testing.B) {
	ix, bctx, s := bothEngines(b)
	rng := rand.New(rand.NewPCG(9, 9))
	type query struct{ set, text, title string }
	var qs []query
	seen := map[string]bool{}
	for tries := 0; len(qs) < 300 && tries < 100000; tries++ {
		p := s.Pages[rng.IntN(len(s.Pages))]
		core := []rune(strings.TrimPrefix(p.Title, "中华人民共和国"))
		if len(core) < 5 || len(core) > 12 || strings.ContainsAny(string(core), "（(《〈 ") || !p.IsCurrent() {
			continue
		}
		kind := ""
		for _, k := range []string{"法", "条例", "办法", "规定"} {
			if strings.HasSuffix(string(core), k) {
				kind = k
			}
		}
		if kind == "" {
			continue
		}
		body := core[:len(core)-len([]rune(kind))]
		short := string([]rune{body[0], body[len(body)-2]}) + kind // 母婴保健法 → 母保法
		if rng.IntN(2) == 1 {
			short = string([]rune{body[0], body[2]}) + kind // → 母健法
		}
		if !seen[short] {
			seen[short] = true
			qs = append(qs, query{"short", short, p.Title})
		}
	}
	for typed := len(qs) + 300; len(qs) < typed; {
		p := s.Pages[rng.IntN(len(s.Pages))]
		if !p.IsCurrent() || strings.Contains(p.Title, " ") {
			continue
		}
		t := []rune(strings.TrimPrefix(p.Title, "中华人民共和国"))
		if len(t) > 8 && rng.IntN(2) == 0 {
			t = t[:len(t)-2]
		}
		qs = append(qs, query{"typed", string(t), p.Title})
	}
	for b.Loop() {
		type count struct{ server, static, same, n int }
		sets := map[string]*count{"short": {}, "typed": {}}
		var differ []string
		for _, q := range qs {
			sh, th := firstHits(b, ix, bctx, q.text)
			c := sets[q.set]
			c.n++
			if sh.Title == q.title {
				c.server++
			}
			if th.Title == q.title {
				c.static++
			}
			if sh.Title == th.Title {
				c.same++
			} else {
				differ = append(differ, fmt.Sprintf("%s (%s): server %s, static %s", q.text, q.title, sh.Title, th.Title))
			}
		}
		for _, d := range differ {
			b.Log(d)
		}
		for name, c := range sets {
			b.ReportMetric(float64(c.server)/float64(c.n), name+"-server-on-title")
			b.ReportMetric(float64(c.static)/float64(c.n), name+"-static-on-title")
			b.ReportMetric(float64(c.same)/float64(c.n), name+"-same-first-hit")
		}
	}
}
