package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"jingjian/indexer"
	"jingjian/site"
)

// OpenIndex opens the site's search index with the site's synonyms.
func OpenIndex(siteDir string) (*indexer.Index, error) {
	cfg, err := site.LoadConfig(filepath.Join(siteDir, "config.toml"), "config.toml")
	if err != nil {
		return nil, err
	}
	syn, err := indexer.SiteSynonyms(siteDir, cfg.Search.Synonyms)
	if err != nil {
		return nil, err
	}
	ix, err := indexer.Open(IndexPath(siteDir), syn)
	if errors.Is(err, indexer.ErrNoIndex) {
		return nil, fmt.Errorf("%w；请先运行 jingjian build -s %s 构建站点和索引", err, siteDir)
	}
	return ix, err
}

// Search opens the site's index and runs one query, with a deadline.
func Search(ctx context.Context, siteDir string, req indexer.Request) (*indexer.Result, error) {
	ix, err := OpenIndex(siteDir)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := ix.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	// Say so when the content changed after the last build (only file times are read).
	if fp, err := site.Fingerprint(siteDir, site.Options{}, ""); err == nil && !indexer.Indexed(IndexPath(siteDir), fp) {
		res.Notes = append(res.Notes, "站点内容在上次构建后有改动，搜索结果可能不是最新的；运行 jingjian build 更新索引")
	}
	return res, nil
}
