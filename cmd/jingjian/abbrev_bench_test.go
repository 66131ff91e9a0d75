package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkAbbrevGeneratedLaws asks short forms made from the laws corpus's own titles
// by rule — 300 titles in force drawn with a fixed seed, of five to twelve characters
// ending in 法, 条例, 办法 or 规定, shortened to two characters and the kind (母婴保健法 →
// 母保法 or 母健法) — of the server's search (in process) and of the static index
// (window.jingjianSearch in headless Chromium over python3 -m http.server), and reports
// how many first hits are the title each engine should find, and the queries where they
// differ. Made by rule, not judged by reading: some short forms fit several titles
// equally, so neither engine reaches 300; the two are compared. Run with:
//
//	go test ./cmd/jingjian -run XXX -bench AbbrevGeneratedLaws -benchtime 1x
func BenchmarkAbbrevGeneratedLaws(b *testing.B) {
	ix, bctx, s := bothEngines(b)
	rng := rand.New(rand.NewPCG(9, 9))
	type query struct{ text, title string }
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
			qs = append(qs, query{short, p.Title})
		}
	}
	for b.Loop() {
		serverOK, staticOK, same := 0, 0, 0
		var differ []string
		for _, q := range qs {
			sh, th := firstHits(b, ix, bctx, q.text)
			server, static := sh.Title, th.Title
			if server == q.title {
				serverOK++
			}
			if static == q.title {
				staticOK++
			}
			if server == static {
				same++
			} else {
				differ = append(differ, fmt.Sprintf("%s (%s): server %s, static %s", q.text, q.title, server, static))
			}
		}
		for _, d := range differ {
			b.Log(d)
		}
		b.ReportMetric(float64(serverOK)/float64(len(qs)), "server-on-title")
		b.ReportMetric(float64(staticOK)/float64(len(qs)), "static-on-title")
		b.ReportMetric(float64(same)/float64(len(qs)), "same-first-hit")
	}
}
