package indexer

import (
	"os"
	"path/filepath"

	"jingjian/internal/textpos"
)

// SiteWords reads a site's own dictionary files (paths relative to the site folder).
func SiteWords(siteDir string, files []string) ([]Entry, error) {
	var all []Entry
	var errs textpos.List
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(siteDir, f))
		if err != nil {
			errs.Add(textpos.Pos{Path: f}, "无法读取词典文件（在 config.toml 的 [search] words 中声明）: %v", err)
			continue
		}
		entries, e := ParseWords(string(b), f)
		all = append(all, entries...)
		errs = append(errs, e...)
	}
	return all, errs.Err()
}

// SiteSynonyms returns the built-in synonym table extended by a site's own files.
func SiteSynonyms(siteDir string, files []string) (*Synonyms, error) {
	syn := BuiltinSynonyms()
	var errs textpos.List
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(siteDir, f))
		if err != nil {
			errs.Add(textpos.Pos{Path: f}, "无法读取同义词文件（在 config.toml 的 [search] synonyms 中声明）: %v", err)
			continue
		}
		s, e := ParseSynonyms(string(b), f)
		syn.Merge(s)
		errs = append(errs, e...)
	}
	return syn, errs.Err()
}
