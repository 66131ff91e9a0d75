package site

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"jingjian/internal/textpos"
)

// Section kinds (SectionConfig.Kind).
const (
	KindCase       = "case"       // warning cases: published de-identified (the privacy lint)
	KindPractice   = "practice"   // best practice from elsewhere
	KindRegulation = "regulation" // regulations, cited by article
	KindList       = "list"       // duty and negative lists
)

// Field types a section schema may declare.
const (
	TypeString = "string"
	TypeDate   = "date"
	TypeList   = "list"
	TypeLink   = "link"
)

// Config is a site's config.toml.
type Config struct {
	Title        string `toml:"title"`
	BaseURL      string `toml:"baseURL"`
	LanguageCode string `toml:"languageCode"`
	Description  string `toml:"description"`
	Paginate     int    `toml:"paginate"` // pages per list page
	Markup       struct {
		Unsafe bool `toml:"unsafe"` // allow raw HTML in Markdown
	} `toml:"markup"`
	Taxonomies map[string]*TaxonomyConfig `toml:"taxonomies"`
	Sections   map[string]*SectionConfig  `toml:"sections"`
	Params     map[string]any             `toml:"params"`
	Search     SearchConfig               `toml:"search"`
	// Stats configures the statistics page of the sections whose SectionConfig.Stats is
	// set (the section "cases" when none is): counts of their pages by year and by term.
	Stats struct {
		// URL is the page's site-relative folder; each chart's CSV lies in it as KEY.csv.
		URL string `toml:"url"`
		// Taxonomies are the keys charted, in order; empty means the year of the date and
		// every other taxonomy (but tags) the counted pages carry.
		Taxonomies []string `toml:"taxonomies"`
	} `toml:"stats"`
	// Robots says whether search engines may index the site: false (an internal site)
	// writes Disallow: / to robots.txt and a noindex meta tag into every page.
	Robots struct {
		Allow bool `toml:"allow"`
	} `toml:"robots"`
	// Privacy configures the privacy lint of case sections.
	Privacy struct {
		// AllowFile lists, one per line, numbers and names the lint must accept (a public
		// hotline, a name published on purpose); relative to the site. It may be absent.
		AllowFile string `toml:"allowFile"`
	} `toml:"privacy"`
	Build struct {
		// AllowLinksTo names folders outside the site that symbolic links under content/,
		// layouts/, static/ and assets/ may lead into (relative to the site, or absolute).
		AllowLinksTo []string `toml:"allowLinksTo"`
		// MaxFileSize is the largest Markdown file a build reads. Converting and indexing
		// a page take many times its size in memory (BENCHMARKS.md), so a larger file is
		// an error naming it, not an out-of-memory crash of the whole build.
		MaxFileSize ByteSize `toml:"maxFileSize"`
	} `toml:"build"`

	// Warnings are the problems of config.toml that do not stop a build (a misspelt key).
	Warnings textpos.List `toml:"-"`

	text []byte // config.toml as read, for positions

	// TaxonomyOrder and SectionOrder keep the order in which config.toml declares them.
	TaxonomyOrder []string `toml:"-"`
	SectionOrder  []string `toml:"-"`
}

// SearchConfig names the site's own search files, relative to the site.
type SearchConfig struct {
	Words    []string `toml:"words"`    // dictionary files
	Synonyms []string `toml:"synonyms"` // synonym files
	// Static writes a search index into the output (public/_search/) that the browser
	// queries itself: for static hosting and file://, where there is no jingjian serve.
	Static bool `toml:"static"`
}

// Files lists the dictionary files, then the synonym files.
func (c SearchConfig) Files() []string {
	return append(slices.Clone(c.Words), c.Synonyms...)
}

// TaxonomyConfig declares one taxonomy; its key in Config.Taxonomies is the front matter key.
type TaxonomyConfig struct {
	Title  string   `toml:"title"`
	From   string   `toml:"from"`   // "date": terms are the year of the page's date
	Values []string `toml:"values"` // allowed terms; empty allows any
}

// SectionConfig declares a top-level section (a folder under content/) and its schema.
type SectionConfig struct {
	Title string `toml:"title"`
	Sort  string `toml:"sort"`  // date, weight or title
	Stats bool   `toml:"stats"` // count its pages on the statistics page
	// Kind says what the section holds — KindCase, KindPractice, KindRegulation, KindList
	// or "" — for the privacy lint (cases) and the body skeleton of jingjian new.
	Kind       string                  `toml:"kind"`
	Fields     map[string]*FieldConfig `toml:"fields"`
	FieldOrder []string                `toml:"-"`
}

// FieldConfig is one front matter field of a section schema.
type FieldConfig struct {
	Label    string   `toml:"label"`
	Type     string   `toml:"type"`
	Required bool     `toml:"required"`
	Allowed  []string `toml:"allowed"`
	// Filter shows the field's value on list pages and lets readers filter the section's
	// list by it (单位, 岗位, 清单类型 of duty lists), as taxonomies are.
	Filter bool `toml:"filter"`
}

// DefaultConfig returns the configuration a site gets for every key it leaves out.
func DefaultConfig() *Config {
	c := &Config{
		Title:        "镜鉴",
		BaseURL:      "/",
		LanguageCode: "zh-CN",
		Paginate:     20,
	}
	c.Build.MaxFileSize = ByteSize{Bytes: 20_000_000}
	c.Stats.URL = "/统计/"
	c.Privacy.AllowFile = "privacy-allow.txt"
	c.Robots.Allow = true
	c.Search.Static = true
	return c
}

// A ByteSize is a number of bytes, written in config.toml with a unit — "20MB", "512 KB",
// "1.5GB" — or as a bare number of bytes. KB, MB and GB are powers of 1000, as in the
// build summary; KiB, MiB and GiB are powers of 1024.
type ByteSize struct {
	Bytes int64  // 0 when config.toml's text is not a size
	text  string // what config.toml says, for validate to report
}

var byteUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
}

// UnmarshalText reads a size from config.toml (TOML integers arrive here as text too).
// It does not fail: a value that is not a size is left 0 for validate, which reports it
// with the key's line together with every other problem of the file.
func (b *ByteSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	num := strings.TrimRight(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
	unit, ok := byteUnits[strings.ToLower(strings.TrimSpace(s[len(num):]))]
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	*b = ByteSize{text: s}
	if ok && err == nil && f*unit >= 1 && f*unit < math.MaxInt64 {
		b.Bytes = int64(math.Round(f * unit))
	}
	return nil
}

// String shows a size as people read it — "20 MB", "52.4 MB", "800 字节" — in the units
// config.toml is written in.
func (b ByteSize) String() string {
	for _, u := range []struct {
		name string
		size float64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}} {
		if float64(b.Bytes) >= u.size {
			return strings.TrimSuffix(strconv.FormatFloat(float64(b.Bytes)/u.size, 'f', 1, 64), ".0") + " " + u.name
		}
	}
	return strconv.FormatInt(b.Bytes, 10) + " 字节"
}

// LoadConfig reads SITE/config.toml over DefaultConfig and validates it.
// Every problem is reported, as a textpos.List.
func LoadConfig(path, display string) (*Config, error) {
	at := textpos.Pos{Path: display}
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, textpos.List{{Pos: at, Msg: "找不到站点配置文件；站点目录须包含 config.toml（至少写一行 title = \"站点名\"）"}}
	}
	if err != nil {
		return nil, textpos.List{{Pos: at, Msg: "读取失败: " + err.Error()}}
	}
	text, _, err := decodeText(src)
	if te, ok := errors.AsType[*textError](err); ok {
		return nil, textpos.List{te.at(display)}
	}
	if err != nil {
		return nil, textpos.List{{Pos: at, Msg: err.Error()}}
	}
	cfg := DefaultConfig()
	md, err := toml.Decode(string(text), cfg)
	var errs textpos.List
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			errs.Add(textpos.Pos{Path: display, Line: pe.Position.Line, Col: pe.Position.Col}, "TOML 语法错误: %s", translateParser(pe.Message))
		} else {
			errs.Add(textpos.Pos{Path: display}, "配置无法解析: %v", err)
		}
		return nil, errs
	}
	for _, k := range md.Undecoded() {
		if len(k) > 0 && k[0] == "params" {
			continue
		}
		at := tomlKeyPos(display, text, k...)
		if hint := didYouMean(k[len(k)-1], configKeys(k[:len(k)-1])); hint != "" {
			cfg.Warnings.Warn(at, "未知配置项 %q，已忽略%s", k.String(), hint)
		} else {
			cfg.Warnings.Warn(at, "未知配置项 %q，已忽略；请检查拼写（可用项：%s）", k.String(), strings.Join(configKeys(k[:len(k)-1]), "、"))
		}
	}
	for _, k := range md.Keys() {
		switch {
		case len(k) == 2 && k[0] == "taxonomies":
			cfg.TaxonomyOrder = append(cfg.TaxonomyOrder, k[1])
		case len(k) == 2 && k[0] == "sections":
			cfg.SectionOrder = append(cfg.SectionOrder, k[1])
		case len(k) == 4 && k[0] == "sections" && k[2] == "fields":
			if s := cfg.Sections[k[1]]; s != nil {
				s.FieldOrder = append(s.FieldOrder, k[3])
			}
		}
	}
	cfg.text = text
	cfg.validate(text, display, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *Config) validate(text []byte, display string, errs *textpos.List) {
	at := func(path ...string) textpos.Pos { return tomlKeyPos(display, text, path...) }
	if c.Paginate < 1 || c.Paginate > 1000 {
		errs.Add(at("paginate"), "paginate 须在 1 到 1000 之间（当前 %d）", c.Paginate)
	}
	if c.Build.MaxFileSize.Bytes < 1 {
		errs.Add(at("build", "maxFileSize"), "[build] maxFileSize 应写成 \"20MB\" 这样大于 0 的大小（单位 KB、MB、GB，或不写单位表示字节数）（当前 %q）", c.Build.MaxFileSize.text)
	}
	if !strings.HasPrefix(c.BaseURL, "/") && !strings.Contains(c.BaseURL, "://") {
		errs.Add(at("baseURL"), "baseURL 须以 / 开头或是完整网址，如 https://example.gov.cn/（当前 %q）", c.BaseURL)
	}
	if u := c.Stats.URL; !strings.HasPrefix(u, "/") || !strings.HasSuffix(u, "/") || u == "/" || !validStatsURL(u) {
		errs.Add(at("stats", "url"), "[stats] url 须是以 / 开头和结尾的站内路径，如 \"/统计/\"（当前 %q）", u)
	}
	for _, key := range c.Stats.Taxonomies {
		if c.Taxonomies[key] == nil {
			errs.Add(at("stats", "taxonomies"), "[stats] taxonomies 中的 %q 不是 [taxonomies] 声明的分类法", key)
		}
	}
	for _, key := range c.TaxonomyOrder {
		t := c.Taxonomies[key]
		if t.Title == "" {
			t.Title = key
		}
		if t.From != "" && t.From != "date" {
			errs.Add(at("taxonomies", key, "from"), "分类法 %s 的 from 只能是 \"date\"（按年份归类）（当前 %q）", key, t.From)
		}
		if !validSegment(key) {
			errs.Add(at("taxonomies", key), "分类法名 %q 不能用作网址路径", key)
		}
	}
	for _, name := range c.SectionOrder {
		s := c.Sections[name]
		if s.Title == "" {
			s.Title = name
		}
		switch s.Kind {
		case "", KindCase, KindPractice, KindRegulation, KindList:
		default:
			errs.Add(at("sections", name, "kind"), "栏目 %s 的 kind 只能是 case（典型案例）、practice（他山之石）、regulation（法规制度）或 list（职责清单）（当前 %q）", name, s.Kind)
		}
		switch s.Sort {
		case "":
			s.Sort = "weight"
		case "date", "weight", "title":
		default:
			errs.Add(at("sections", name, "sort"), "栏目 %s 的 sort 只能是 date、weight 或 title（当前 %q）", name, s.Sort)
		}
		for _, fname := range s.FieldOrder {
			f := s.Fields[fname]
			if f.Label == "" {
				f.Label = fname
			}
			switch f.Type {
			case "":
				f.Type = TypeString
			case TypeString, TypeDate, TypeList, TypeLink:
			default:
				errs.Add(at("sections", name, "fields", fname, "type"), "栏目 %s 字段 %s 的 type 只能是 string、date、list 或 link（当前 %q）", name, fname, f.Type)
			}
		}
	}
}

// validStatsURL reports whether every segment of the statistics page's folder can be
// a path segment of the output.
func validStatsURL(u string) bool {
	for _, seg := range strings.Split(strings.Trim(u, "/"), "/") {
		if !validSegment(seg) {
			return false
		}
	}
	return true
}

// keyLine finds the first line of a TOML or YAML document that assigns key, so errors
// about a key can point at it. It returns 0 if the key is not written out.
func keyLine(text []byte, key string) int {
	for i, line := range strings.Split(string(text), "\n") {
		l := strings.TrimLeft(line, " \t-")
		for _, k := range []string{key, `"` + key + `"`, `'` + key + `'`} {
			rest, ok := strings.CutPrefix(l, k)
			if !ok {
				continue
			}
			rest = strings.TrimLeft(rest, " \t")
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "]") {
				return i + 1
			}
		}
		if strings.HasPrefix(l, "[") && slices.Contains(strings.FieldsFunc(l, func(r rune) bool { return r == '[' || r == ']' || r == '.' }), key) {
			return i + 1
		}
	}
	return 0
}

// ownFiles are the files of the site config.toml names, relative to the site: the
// [search] words and synonyms and the privacy allow-list.
func (c *Config) ownFiles() []string {
	files := c.Search.Files()
	if c.Privacy.AllowFile != "" {
		files = append(files, c.Privacy.AllowFile)
	}
	return files
}

// CaseSections lists the top-level sections whose pages are warning cases: those of kind
// case, or the section "cases" when none is declared so.
func (c *Config) CaseSections() []string {
	var out []string
	for _, name := range c.SectionOrder {
		if c.Sections[name].Kind == KindCase {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		out = []string{"cases"}
	}
	return out
}

// RelativeBaseURLWarning is the warning of a site whose baseURL is no full address (the
// default "/"): its RSS feeds and sitemap can hold only relative links, which feed readers
// and crawlers reject. It is nil for a full address.
func (c *Config) RelativeBaseURLWarning() *textpos.Error {
	if strings.Contains(c.BaseURL, "://") {
		return nil
	}
	return &textpos.Error{Pos: tomlKeyPos("config.toml", c.text, "baseURL"), Warning: true,
		Msg: "baseURL 不是完整网址，RSS 订阅和网站地图中的链接只能是相对地址，阅读器和搜索引擎无法使用；请在 config.toml 写 baseURL = \"https://lzjy.example.gov.cn/\"，或构建时加 --base-url"}
}
