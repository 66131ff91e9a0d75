package site

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	yaml "go.yaml.in/yaml/v3"
)

// Format is the language of a front matter block.
type Format int

const (
	FormatNone Format = iota
	FormatTOML        // between +++ lines
	FormatYAML        // between --- lines
)

func (f Format) String() string {
	switch f {
	case FormatTOML:
		return "TOML"
	case FormatYAML:
		return "YAML"
	}
	return "none"
}

// A FrontMatterError is a problem in a front matter block, at a line of the whole file.
type FrontMatterError struct {
	Line, Col int // 1-based, in the whole file; Col 0 when unknown
	Msg       string
}

func (e *FrontMatterError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// SplitFrontMatter separates a leading front matter block from the body of a page.
// The block opens with "+++" (TOML) or "---" (YAML) as the first line and closes with the
// same delimiter on a line of its own. bodyLine is the file line on which body starts.
// text must already have LF line ends.
func SplitFrontMatter(text []byte) (fm []byte, format Format, body []byte, bodyLine int, err error) {
	first, rest, _ := bytes.Cut(text, []byte("\n"))
	delim := string(bytes.TrimRight(first, " \t"))
	switch delim {
	case "+++":
		format = FormatTOML
	case "---":
		format = FormatYAML
	default:
		return nil, FormatNone, text, 1, nil
	}
	line := 2
	for off := 0; off <= len(rest); line++ {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		next := len(rest) + 1
		if end >= 0 {
			l, next = rest[off:off+end], off+end+1
		} else {
			l = rest[off:]
		}
		if string(bytes.TrimRight(l, " \t")) == delim {
			if next > len(rest) {
				next = len(rest)
			}
			return rest[:off], format, rest[next:], line + 1, nil
		}
		if end < 0 {
			break
		}
		off = next
	}
	return nil, format, nil, 0, &FrontMatterError{Line: 1, Col: 1,
		Msg: fmt.Sprintf("前言（front matter）以 %s 开始，但找不到结束的 %s 行；请在前言末尾单独写一行 %s", delim, delim, delim)}
}

var yamlLineRE = regexp.MustCompile(`line (\d+)(?:, column (\d+))?:?\s*`)

// ParseFrontMatter decodes a front matter block into a map. fmLine is the file line on
// which the block starts, so errors point at lines of the whole file.
func ParseFrontMatter(fm []byte, format Format, fmLine int) (map[string]any, error) {
	m := map[string]any{}
	switch format {
	case FormatNone:
		return m, nil
	case FormatTOML:
		if _, err := toml.Decode(string(fm), &m); err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return nil, &FrontMatterError{Line: fmLine + pe.Position.Line - 1, Col: pe.Position.Col,
					Msg: "TOML 前言语法错误: " + translateParser(pe.Message) + "；字符串值须加引号，如 title = \"标题\""}
			}
			return nil, &FrontMatterError{Line: fmLine, Msg: "TOML 前言无法解析: " + err.Error()}
		}
	case FormatYAML:
		var node yaml.Node
		if err := yaml.Unmarshal(fm, &node); err != nil {
			return nil, yamlError(err, fmLine)
		}
		if len(node.Content) == 0 {
			return m, nil
		}
		doc := node.Content[0]
		if doc.Kind != yaml.MappingNode {
			return nil, &FrontMatterError{Line: fmLine + doc.Line - 1, Col: doc.Column,
				Msg: "YAML 前言必须是“键: 值”形式的映射，例如 title: 标题"}
		}
		if err := doc.Decode(&m); err != nil {
			return nil, yamlError(err, fmLine)
		}
	}
	return m, nil
}

func yamlError(err error, fmLine int) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	line, col := fmLine, 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		line = fmLine + n - 1
		if m[2] != "" {
			col, _ = strconv.Atoi(m[2])
		}
		msg = strings.Replace(msg, m[0], "", 1)
	}
	return &FrontMatterError{Line: line, Col: col, Msg: "YAML 前言语法错误: " + translateParser(msg) + "；注意冒号后要有空格，缩进用空格不用 Tab"}
}
