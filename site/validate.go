package site

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"jingjian/internal/textpos"
)

// standardKeys are front matter keys every page may carry, whatever its section schema.
var standardKeys = map[string]bool{
	"title": true, "date": true, "draft": true, "tags": true, "weight": true, "slug": true,
	"summary": true, "description": true, "aliases": true, "lastmod": true, "author": true,
	"keywords": true, "url": true, "layout": true, "type": true,
}

// validate checks every regular page against its section's schema and resolves link fields.
// It is the one validation path: build and check both run it.
func (s *Site) validate(errs *textpos.List) {
	byPath := map[string]*Page{}
	for _, p := range s.Pages {
		byPath[strings.TrimSuffix(p.Path, path.Ext(p.Path))] = p
	}
	for _, p := range s.Pages {
		schema := p.Section.Schema
		if schema == nil {
			continue
		}
		display := p.display()
		for _, key := range schema.FieldOrder {
			f := schema.Fields[key]
			v, ok := p.Params[key]
			fv := FieldValue{Key: key, Label: f.Label, Type: f.Type}
			if _, isTax := s.Config.Taxonomies[key]; isTax {
				fv.Term = key
			}
			at := p.keyPos(display, key)
			if slices.Contains(p.badKeys, key) {
				continue // reported with the page's standard keys
			}
			if !ok || v == nil || v == "" {
				if f.Required {
					errs.Add(textpos.Pos{Path: display, Line: 1, Col: 1}, "缺少必填字段 %s（%s）；请在前言中补上，例如 %s", key, f.Label, example(key, f, p.fmFormat))
				}
				continue
			}
			var values []string
			switch f.Type {
			case TypeDate:
				t, err := parseDate(v)
				if err != nil {
					errs.Add(at, "字段 %s（%s）: %v", key, f.Label, err)
					continue
				}
				values = []string{t.Format("2006-01-02")}
			case TypeString:
				str, ok := scalarString(v)
				if !ok {
					errs.Add(at, "字段 %s（%s）应为一段文字，不是列表；如需多个值，请在 config.toml 中把 type 改为 list", key, f.Label)
					continue
				}
				values = []string{strings.TrimSpace(str)}
			case TypeList, TypeLink:
				l, err := stringList(v)
				if err != nil {
					errs.Add(at, "字段 %s（%s）%v", key, f.Label, err)
					continue
				}
				values = l
			}
			for _, val := range values {
				if len(f.Allowed) > 0 && !slices.Contains(f.Allowed, val) {
					errs.Add(at, "字段 %s（%s）的取值 %q 不在允许范围内；可用: %s", key, f.Label, val, strings.Join(f.Allowed, "、"))
				}
			}
			if f.Type == TypeLink {
				for _, raw := range values {
					l, err := resolveLink(raw, byPath)
					if err != nil {
						errs.Add(at, "字段 %s（%s）: %v", key, f.Label, err)
						continue
					}
					fv.Links = append(fv.Links, l)
				}
			}
			if len(values) == 0 || values[0] == "" {
				if f.Required {
					errs.Add(at, "必填字段 %s（%s）不能为空", key, f.Label)
				}
				continue
			}
			fv.Values = values
			p.Fields = append(p.Fields, fv)
		}
		for key := range p.Params {
			_, inSchema := schema.Fields[key]
			_, isTax := s.Config.Taxonomies[key]
			if !inSchema && !isTax && !standardKeys[strings.ToLower(key)] {
				known := slices.Concat(schema.FieldOrder, s.Config.TaxonomyOrder, slices.Sorted(maps.Keys(standardKeys)))
				if hint := didYouMean(key, known); hint != "" {
					errs.Warn(p.keyPos(display, key), "字段 %s 不在栏目 %s 的字段表中%s", key, schema.Title, hint)
					continue
				}
				errs.Warn(p.keyPos(display, key), "字段 %s 不在栏目 %s 的字段表中，可能是拼写错误；如确需此字段，请在 config.toml 的 [sections.%s.fields] 中声明", key, schema.Title, p.Section.top())
			}
		}
	}
}

// top returns the top-level folder of a section.
func (sec *Section) top() string {
	top, _, _ := strings.Cut(sec.Page.Dir, "/")
	return top
}

// resolveLink finds the page (and article) a link field names: a path relative to
// content/, with or without ".md", optionally followed by #第X条 or a heading anchor.
func resolveLink(raw string, byPath map[string]*Page) (*Link, error) {
	target, anchor, _ := strings.Cut(strings.TrimSpace(raw), "#")
	target = strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(target, "content/")), "/")
	target = strings.TrimSuffix(target, path.Ext(target))
	p := byPath[target]
	if p == nil {
		return nil, fmt.Errorf("找不到 %q 指向的页面 content/%s.md；链接写作 栏目/文件名#第X条，如 regulations/财务管理制度#第十二条", raw, target)
	}
	l := &Link{Raw: raw, Target: p, Anchor: anchor}
	if anchor != "" &&
		!slices.ContainsFunc(p.Articles, func(a Article) bool { return a.ID == anchor }) &&
		!slices.ContainsFunc(p.TOC, func(h Heading) bool { return h.ID == anchor }) {
		return nil, fmt.Errorf("%s 中没有 %q 这一条或这一标题；请核对条号", p.display(), anchor)
	}
	return l, nil
}

// example shows how to write a missing field in the page's front matter language, for
// error messages: TOML (region = "……") or YAML (region: ……), YAML for a page without.
func example(key string, f *FieldConfig, format Format) string {
	var v string
	switch {
	case len(f.Allowed) > 0:
		v = f.Allowed[0]
	case f.Type == TypeDate:
		return keyValue(key, "2024-03-15", format)
	case f.Type == TypeList:
		v = "[第一项, 第二项]"
		if format == FormatTOML {
			v = `["第一项", "第二项"]`
		}
		return keyValue(key, v, format)
	case f.Type == TypeLink:
		v = "[regulations/文件名#第五条]"
		if format == FormatTOML {
			v = `["regulations/文件名#第五条"]`
		}
		return keyValue(key, v, format)
	default:
		v = "……"
	}
	if format == FormatTOML {
		v = strconv.Quote(v)
	}
	return keyValue(key, v, format)
}

func keyValue(key, v string, format Format) string {
	if format == FormatTOML {
		return key + " = " + v
	}
	return key + ": " + v
}

// buildTaxonomies groups pages into the taxonomies config.toml declares (tags by default)
// and checks their values against any allowed list.
func (s *Site) buildTaxonomies(errs *textpos.List) {
	cfg := s.Config
	if len(cfg.TaxonomyOrder) == 0 {
		cfg.Taxonomies = map[string]*TaxonomyConfig{"tags": {Title: "标签"}}
		cfg.TaxonomyOrder = []string{"tags"}
	}
	for _, key := range cfg.TaxonomyOrder {
		tc := cfg.Taxonomies[key]
		tax := &Taxonomy{Key: key, Title: tc.Title, URL: joinURL(URLSegment(key))}
		terms := map[string]*Term{}
		for _, p := range s.Pages {
			var values []string
			if tc.From == "date" {
				if p.Date.IsZero() {
					continue
				}
				values = []string{strconv.Itoa(p.Date.Year())}
			} else {
				v, ok := p.Params[key]
				if !ok {
					continue
				}
				l, err := stringList(v)
				if err != nil {
					if !s.inSchema(p, key) { // the schema check already reported it
						errs.Add(p.keyPos(p.display(), key), "%s（%s）%v", key, tc.Title, err)
					}
					continue
				}
				values = l
			}
			for _, val := range values {
				if len(tc.Values) > 0 && !slices.Contains(tc.Values, val) {
					errs.Add(p.keyPos(p.display(), key), "%s（%s）的取值 %q 不在 config.toml 声明的范围内；请改用已有取值，或在 [taxonomies.%s] 的 values 中添加", key, tc.Title, val, key)
					continue
				}
				t := terms[val]
				if t == nil {
					t = &Term{Name: val, Taxonomy: tax, URL: tax.URL + URLSegment(val) + "/"}
					terms[val] = t
					tax.Terms = append(tax.Terms, t)
				}
				if !slices.Contains(t.Pages, p) {
					t.Pages = append(t.Pages, p)
				}
				if p.Terms == nil {
					p.Terms = map[string][]*Term{}
				}
				p.Terms[key] = append(p.Terms[key], t)
			}
		}
		for _, t := range tax.Terms {
			slices.SortStableFunc(t.Pages, func(a, b *Page) int { return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Path, b.Path)) })
		}
		if tc.From == "date" {
			slices.SortFunc(tax.Terms, func(a, b *Term) int { return cmp.Compare(b.Name, a.Name) })
		} else {
			slices.SortStableFunc(tax.Terms, func(a, b *Term) int {
				return cmp.Or(cmp.Compare(len(b.Pages), len(a.Pages)), cmp.Compare(a.Name, b.Name))
			})
		}
		if len(tax.Terms) > 0 { // an unused taxonomy gets no empty pages
			s.Taxonomies = append(s.Taxonomies, tax)
		}
	}
}

func (s *Site) inSchema(p *Page, key string) bool {
	if p.Section.Schema == nil {
		return false
	}
	_, ok := p.Section.Schema.Fields[key]
	return ok
}
