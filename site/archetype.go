package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// A NewPage is the file jingjian new writes: its path under the site and its text.
type NewPage struct {
	Rel  string // slash-separated, relative to the site: content/cases/标题.md
	Text []byte
}

// archetypeData is what a site's archetype template (archetypes/SECTION.md) is given.
type archetypeData struct {
	Title       string // the title asked for
	Name        string // the file's name without .md (Hugo archetypes use .Name)
	Date        string // today, 2006-01-02
	Section     string // the section's folder, cases/专题
	FrontMatter string // the generated front matter lines, without the +++ around them
	Body        string // the generated body skeleton
}

// Archetype makes the file for a new page titled title in section (a folder under content/
// such as cases or cases/专题, or the title config.toml gives a top-level section, such as
// 典型案例) of the site in dir: TOML front matter with every field of the section's
// schema, its comment naming the label and the allowed values, today's date, draft = true,
// and a body skeleton for the section's kind. A site's archetypes/TOP.md (or
// archetypes/default.md) replaces it: a text/template given archetypeData.
func Archetype(dir string, cfg *Config, section, title string, now time.Time) (*NewPage, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New("标题不能为空；用法: jingjian new 栏目 标题，如 jingjian new cases 某局某某违规收受礼金案")
	}
	section = strings.Trim(path.Clean("/"+filepath.ToSlash(section)), "/")
	for _, name := range cfg.SectionOrder { // 典型案例 → cases
		if cfg.Sections[name].Title == section {
			section = name
		}
	}
	if section == "" || section == "." {
		return nil, errors.New("请指定栏目，如 jingjian new cases 标题")
	}
	top, _, _ := strings.Cut(section, "/")
	sc := cfg.Sections[top]
	if sc == nil && !isDir(filepath.Join(dir, "content", filepath.FromSlash(section))) {
		return nil, fmt.Errorf("没有栏目 %q；config.toml 声明的栏目有：%s（也可以是 content/ 下已有的目录）", section, sectionList(cfg))
	}
	name := fileName(title)
	data := archetypeData{Title: title, Name: name, Date: now.Format("2006-01-02"), Section: section,
		FrontMatter: frontMatterFor(cfg, sc, title, now), Body: bodyFor(sc)}
	text, err := siteArchetype(dir, top, data)
	if err != nil {
		return nil, err
	}
	if text == nil {
		text = []byte("+++\n" + data.FrontMatter + "+++\n\n" + data.Body)
	}
	return &NewPage{Rel: "content/" + section + "/" + name + ".md", Text: text}, nil
}

// siteArchetype executes archetypes/TOP.md or archetypes/default.md of the site, if it has
// one; it returns nil text when it has none.
func siteArchetype(dir, top string, data archetypeData) ([]byte, error) {
	for _, name := range []string{top + ".md", "default.md"} {
		rel := "archetypes/" + name
		src, err := os.ReadFile(filepath.Join(dir, "archetypes", name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: 读取失败: %w", rel, err)
		}
		text, _, err := decodeText(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		t, err := template.New(rel).Option("missingkey=error").Parse(string(text))
		if err != nil {
			return nil, fmt.Errorf("%s: 模板有误: %w；可用 {{.Title}}、{{.Name}}、{{.Date}}、{{.Section}}、{{.FrontMatter}}、{{.Body}}", rel, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, fmt.Errorf("%s: 模板无法执行: %w", rel, err)
		}
		return b.Bytes(), nil
	}
	return nil, nil
}

// frontMatterFor writes the TOML lines of a new page's front matter.
func frontMatterFor(cfg *Config, sc *SectionConfig, title string, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title = %s\n", strconv.Quote(title))
	b.WriteString("# 写完并运行 jingjian check 无误后，删除下面这一行（或改为 false）即可发布\n")
	b.WriteString("draft = true\n")
	written := map[string]bool{"title": true, "draft": true}
	if sc != nil {
		for _, key := range sc.FieldOrder {
			f := sc.Fields[key]
			written[key] = true
			b.WriteString(fieldComment(cfg, key, f))
			switch {
			case key == "date":
				fmt.Fprintf(&b, "date = %s\n", now.Format("2006-01-02"))
			case f.Type == TypeList || f.Type == TypeLink:
				fmt.Fprintf(&b, "%s = []\n", key)
			default:
				fmt.Fprintf(&b, "%s = \"\"\n", key)
			}
		}
	}
	if !written["date"] {
		fmt.Fprintf(&b, "date = %s\n", now.Format("2006-01-02"))
		written["date"] = true
	}
	for _, key := range cfg.TaxonomyOrder { // taxonomies the schema leaves out, tags say
		tc := cfg.Taxonomies[key]
		if written[key] || tc.From == "date" {
			continue
		}
		line := "# " + tc.Title
		if len(tc.Values) > 0 {
			line += "，可选：" + valueList(tc.Values)
		}
		fmt.Fprintf(&b, "%s\n%s = []\n", line, key)
	}
	return b.String()
}

// fieldComment is the comment line above a schema field: its label, whether it is
// required, and the values it allows (its own, or its taxonomy's).
func fieldComment(cfg *Config, key string, f *FieldConfig) string {
	parts := []string{f.Label}
	if f.Required {
		parts = append(parts, "必填")
	}
	switch f.Type {
	case TypeDate:
		parts = append(parts, "日期，写作 2024-03-15")
	case TypeList:
		parts = append(parts, "可填多项，写作 [\"第一项\", \"第二项\"]")
	case TypeLink:
		parts = append(parts, "链接到法规条款，写作 [\"regulations/文件名#第五条\"]")
	}
	allowed := f.Allowed
	if tc := cfg.Taxonomies[key]; len(allowed) == 0 && tc != nil {
		allowed = tc.Values
	}
	if len(allowed) > 0 {
		parts = append(parts, "可选："+valueList(allowed))
	}
	return "# " + strings.Join(parts, "；") + "\n"
}

// valueList names allowed values, at most 20 of them.
func valueList(values []string) string {
	if len(values) > 20 {
		return strings.Join(values[:20], "、") + " 等（全部取值见 config.toml）"
	}
	return strings.Join(values, "、")
}

// bodyFor is the body skeleton of a new page of a section of the given kind.
func bodyFor(sc *SectionConfig) string {
	kind := ""
	if sc != nil {
		kind = sc.Kind
	}
	switch kind {
	case KindCase:
		return "## 基本案情\n\n（人物写作“张某某”，不写身份证号、手机号、银行卡号等个人信息。）\n\n" +
			"## 查处情况\n\n\n## 案件剖析\n\n\n## 警示启示\n\n"
	case KindPractice:
		return "## 主要做法\n\n\n## 取得成效\n\n\n## 经验启示\n\n"
	case KindRegulation:
		return "## 第一章 总则\n\n第一条 为了……，根据……，结合本单位实际，制定本办法。\n\n第二条 \n\n" +
			"## 第二章 附则\n\n第三条 本办法自印发之日起施行。\n"
	case KindList:
		return "| 序号 | 职责事项 | 履职要求 | 风险点 | 防控措施 |\n|---|---|---|---|---|\n| 1 |  |  |  |  |\n"
	}
	return "正文。\n"
}

// fileName makes a file name of a title: the characters file systems refuse become ＿.
func fileName(title string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '＿'
		}
		return r
	}, title)
}

func sectionList(cfg *Config) string {
	var out []string
	for _, name := range cfg.SectionOrder {
		out = append(out, name+"（"+cfg.Sections[name].Title+"）")
	}
	if len(out) == 0 {
		return "无"
	}
	return strings.Join(out, "、")
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
