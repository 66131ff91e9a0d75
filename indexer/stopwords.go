package indexer

import (
	"strings"
)

// stopWords are dropped from both documents and queries: function words and the words of
// a question (怎么, 吗, 多少 …), so a question finds what its content words find.
var stopWords = func() map[string]bool {
	b, err := builtin.ReadFile("dict/stopwords.txt")
	if err != nil {
		panic(err) // embedded at build time; missing means a broken build
	}
	m := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()
