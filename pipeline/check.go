package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"jingjian/indexer"
	"jingjian/internal/textpos"
	"jingjian/site"
)

// A CheckReport is what jingjian check found: every problem a build would report, warnings
// included, sorted by file and position.
type CheckReport struct {
	Problems textpos.List
	Pages    int // the pages checked
}

// Errors counts the problems that fail a build.
func (r *CheckReport) Errors() int { return len(r.Problems.Errors()) }

// Warnings counts the rest.
func (r *CheckReport) Warnings() int { return len(r.Problems.Warnings()) }

// Check runs every validation of a build of the site of o — config, front matter,
// schemas, links, citations, the privacy lint of case sections, the site's dictionary and
// synonym files — and writes nothing: no output, no index, no lock. An error is returned
// only for what is no problem of a file (the site folder cannot be read).
func Check(ctx context.Context, o Options) (*CheckReport, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &CheckReport{}
	s, err := site.Load(ctx, o.Site, site.Options{Drafts: o.Drafts, BaseURL: o.BaseURL})
	if s != nil {
		r.Problems = append(r.Problems, s.Warnings...)
		if w := s.Config.RelativeBaseURLWarning(); w != nil {
			r.Problems = append(r.Problems, w)
		}
		r.Pages = len(s.Pages)
	}
	if err != nil && !r.collect(err) {
		return nil, err
	}
	if s != nil {
		if _, err := indexer.SiteWords(o.Site, s.Config.Search.Words); err != nil && !r.collect(err) {
			return nil, err
		}
		if _, err := indexer.SiteSynonyms(o.Site, s.Config.Search.Synonyms); err != nil && !r.collect(err) {
			return nil, err
		}
	}
	r.Problems.Sort()
	return r, nil
}

// collect adds the problems of err to the report; it reports false when err is not a
// problem of the site's files.
func (r *CheckReport) collect(err error) bool {
	if list, ok := errors.AsType[textpos.List](err); ok {
		r.Problems = append(r.Problems, list...)
		return true
	}
	if e, ok := errors.AsType[*textpos.Error](err); ok {
		r.Problems = append(r.Problems, e)
		return true
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	// A message naming a file without a position (no config.toml): one problem.
	r.Problems = append(r.Problems, &textpos.Error{Pos: textpos.Pos{Path: "config.toml"}, Msg: err.Error()})
	return true
}

// WriteText prints the report as people read it: one problem per line, then a count.
func (r *CheckReport) WriteText(w io.Writer) error {
	for _, p := range r.Problems {
		if _, err := fmt.Fprintln(w, p); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "检查完成：%d 页，%d 个错误，%d 个警告\n", r.Pages, r.Errors(), r.Warnings())
	return err
}

// A checkEntry is one problem in the JSON report, for CI annotations.
type checkEntry struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Level   string `json:"level"` // error or warning
	Message string `json:"message"`
}

// WriteJSON prints the report as a JSON list of {file, line, column, level, message}.
func (r *CheckReport) WriteJSON(w io.Writer) error {
	out := make([]checkEntry, 0, len(r.Problems))
	for _, p := range r.Problems {
		level := "error"
		if p.Warning {
			level = "warning"
		}
		out = append(out, checkEntry{File: filepath.ToSlash(p.Pos.Path), Line: p.Pos.Line, Column: p.Pos.Col, Level: level, Message: p.Msg})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
