package site

import (
	"bytes"
	"slices"
	"strings"
)

// Hugo trees carry shortcodes — {{< name args >}}, {{% name %}}…{{% /name %}} — which are
// Go templates this program does not run. Rather than print their delimiters into the
// page, stripShortcodes keeps what a reader can use: the inner content of a pair, the
// path of a ref or relref (a link then resolves as a link to a Markdown file does), and
// an escaped one ({{</* x */>}}) as the literal text it shows; a lone shortcode is
// dropped. Lines are kept: a tag spanning lines leaves its line breaks, so the positions
// of later problems stay true.

// A shortcodeTag is one {{< … >}} or {{% … %}} in a body.
type shortcodeTag struct {
	start, end int    // byte offsets of the whole tag
	name       string // without the leading / of a closing tag
	closing    bool   // {{< /name >}}
	selfClose  bool   // {{< name />}}
	args       string
	escaped    bool // {{</* name */>}}: shown literally
}

// stripShortcodes returns body without its shortcodes, how many it had, the names of
// the first few, and the byte offset of the first.
func stripShortcodes(body []byte) (out []byte, count int, names []string, first int) {
	if !bytes.Contains(body, []byte("{{<")) && !bytes.Contains(body, []byte("{{%")) {
		return body, 0, nil, -1
	}
	tags := findShortcodes(body)
	if len(tags) == 0 {
		return body, 0, nil, -1
	}
	var b bytes.Buffer
	b.Grow(len(body))
	at := 0
	for _, t := range tags {
		b.Write(body[at:t.start])
		raw := body[t.start:t.end]
		switch {
		case t.escaped:
			b.WriteString(strings.NewReplacer("/*", "", "*/", "").Replace(string(raw)))
		case (t.name == "ref" || t.name == "relref") && !t.closing:
			b.WriteString(firstArg(t.args))
		} // else the tag goes: a pair leaves its inner content, a lone tag nothing
		if !t.escaped {
			b.Write(bytes.Repeat([]byte("\n"), bytes.Count(raw, []byte("\n"))))
			count++
			if len(names) < 5 && !t.closing && !slices.Contains(names, t.name) {
				names = append(names, t.name)
			}
		}
		at = t.end
	}
	b.Write(body[at:])
	return b.Bytes(), count, names, tags[0].start
}

// findShortcodes lists the shortcode tags of body in order.
func findShortcodes(body []byte) []shortcodeTag {
	var tags []shortcodeTag
	for i := 0; i+3 <= len(body); {
		k := bytes.Index(body[i:], []byte("{{"))
		if k < 0 || i+k+2 >= len(body) {
			break
		}
		start := i + k
		delim := body[start+2]
		if delim != '<' && delim != '%' {
			i = start + 2
			continue
		}
		closer := []byte("%}}")
		if delim == '<' {
			closer = []byte(">}}")
		}
		e := bytes.Index(body[start+3:], closer)
		if e < 0 {
			break
		}
		end := start + 3 + e + len(closer)
		inner := strings.TrimSpace(string(body[start+3 : end-len(closer)]))
		t := shortcodeTag{start: start, end: end}
		if strings.HasPrefix(inner, "/*") && strings.HasSuffix(inner, "*/") {
			t.escaped = true
			tags = append(tags, t)
			i = end
			continue
		}
		if rest, ok := strings.CutPrefix(inner, "/"); ok {
			t.closing, inner = true, strings.TrimSpace(rest)
		}
		if rest, ok := strings.CutSuffix(inner, "/"); ok {
			t.selfClose, inner = true, strings.TrimSpace(rest)
		}
		name, args, _ := strings.Cut(inner, " ")
		if name == "" || strings.ContainsAny(name, "{}<>%\"") {
			i = start + 2 // no shortcode: {{<}} in prose, say
			continue
		}
		t.name, t.args = name, strings.TrimSpace(args)
		tags = append(tags, t)
		i = end
	}
	return tags
}

// firstArg is the first argument of a shortcode, unquoted: ref "x.md" → x.md.
func firstArg(args string) string {
	args = strings.TrimSpace(args)
	if args == "" {
		return ""
	}
	if q := args[0]; q == '"' || q == '`' {
		if end := strings.IndexByte(args[1:], q); end >= 0 {
			return args[1 : 1+end]
		}
	}
	f, _, _ := strings.Cut(args, " ")
	return f
}
