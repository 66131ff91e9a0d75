package indexer

import (
	"os"
	"path/filepath"

	"jingjian/internal/textpos"
)

// readSiteFiles reads each file a site's config.toml names and parses it with parse,
// collecting every problem; what says which config key named them, for messages.
func readSiteFiles(siteDir string, files []string, what string, parse func(text, display string) textpos.List) error {
	var errs textpos.List
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(siteDir, f))
		if err != nil {
			errs.Add(textpos.Pos{Path: f}, "无法读取文件（在 config.toml 的 [search] %s 中声明）: %v", what, err)
			continue
		}
		errs = append(errs, parse(string(b), f)...)
	}
	return errs.Err()
}

// SiteWords reads a site's own dictionary files (paths relative to the site folder).
func SiteWords(siteDir string, files []string) ([]Entry, error) {
	var all []Entry
	err := readSiteFiles(siteDir, files, "words", func(text, display string) textpos.List {
		entries, errs := ParseWords(text, display)
		all = append(all, entries...)
		return errs
	})
	return all, err
}

// SiteSynonyms returns the built-in synonym table extended by a site's own files.
func SiteSynonyms(siteDir string, files []string) (*Synonyms, error) {
	syn := BuiltinSynonyms()
	err := readSiteFiles(siteDir, files, "synonyms", func(text, display string) textpos.List {
		s, errs := ParseSynonyms(text, display)
		syn.Merge(s)
		return errs
	})
	return syn, err
}
