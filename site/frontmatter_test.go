package site

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		fm       string
		format   Format
		body     string
		bodyLine int
		errLine  int // 0: no error
	}{
		{"none", "# 标题\n正文\n", "", FormatNone, "# 标题\n正文\n", 1, 0},
		{"yaml", "---\ntitle: 案例\n---\n正文\n", "title: 案例\n", FormatYAML, "正文\n", 4, 0},
		{"toml", "+++\ntitle = \"案例\"\n+++\n正文", "title = \"案例\"\n", FormatTOML, "正文", 4, 0},
		{"closing at end of file", "---\ntitle: x\n---", "title: x\n", FormatYAML, "", 4, 0},
		{"empty block", "---\n---\nbody", "", FormatYAML, "body", 3, 0},
		{"trailing spaces on delimiters", "---  \na: 1\n--- \nb", "a: 1\n", FormatYAML, "b", 4, 0},
		{"toml closer does not close yaml", "---\na: 1\n+++\n", "", FormatYAML, "", 0, 1},
		{"unclosed", "+++\ntitle = \"x\"\n正文\n", "", FormatTOML, "", 0, 1},
		{"delimiter not on first line", "\n---\na: 1\n---\n", "", FormatNone, "\n---\na: 1\n---\n", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, format, body, bodyLine, err := SplitFrontMatter([]byte(tt.in))
			if tt.errLine > 0 {
				var fe *FrontMatterError
				if !errors.As(err, &fe) || fe.Line != tt.errLine {
					t.Fatalf("err = %v, want a FrontMatterError on line %d", err, tt.errLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(fm) != tt.fm || format != tt.format || string(body) != tt.body || bodyLine != tt.bodyLine {
				t.Errorf("got (%q, %v, %q, %d), want (%q, %v, %q, %d)", fm, format, body, bodyLine, tt.fm, tt.format, tt.body, tt.bodyLine)
			}
		})
	}
}

func TestParseFrontMatterErrorsPointAtFileLines(t *testing.T) {
	tests := []struct {
		name   string
		fm     string
		format Format
		line   int
	}{
		{"toml missing quotes", "title = 案例\n", FormatTOML, 2},
		{"toml bad third line", "title = \"a\"\ndate = 2024-01-01\nweight = = 3\n", FormatTOML, 4},
		{"yaml bad indent", "title: a\ntags:\n  - x\n - y\n", FormatYAML, 4}, // yaml names the block that broke
		{"yaml tab", "title: a\n\tdate: 2024-01-01\n", FormatYAML, 3},
		{"yaml list at top", "- a\n- b\n", FormatYAML, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFrontMatter([]byte(tt.fm), tt.format, 2)
			var fe *FrontMatterError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want FrontMatterError", err)
			}
			if fe.Line != tt.line {
				t.Errorf("line = %d (%s), want %d", fe.Line, fe.Msg, tt.line)
			}
		})
	}
}

func TestParseFrontMatterValues(t *testing.T) {
	m, err := ParseFrontMatter([]byte("title = \"甲\"\ndate = 2024-03-15\ntags = [\"八项规定\", \"四风\"]\nweight = 3\n"), FormatTOML, 2)
	if err != nil {
		t.Fatal(err)
	}
	d, err := parseDate(m["date"])
	if err != nil || d.Format(time.DateOnly) != "2024-03-15" {
		t.Errorf("date = %v, %v", d, err)
	}
	tags, err := stringList(m["tags"])
	if err != nil || len(tags) != 2 || tags[1] != "四风" {
		t.Errorf("tags = %v, %v", tags, err)
	}
	y, err := ParseFrontMatter([]byte("title: 乙\ndate: 2024-03-15\ntags: 八项规定\n"), FormatYAML, 2)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := parseDate(y["date"]); err != nil || d.Day() != 15 {
		t.Errorf("yaml date = %v, %v", d, err)
	}
	if tags, _ := stringList(y["tags"]); len(tags) != 1 {
		t.Errorf("a single tag string should become one tag, got %v", tags)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   any
		want string
		ok   bool
	}{
		{"2024-03-15", "2024-03-15", true},
		{"2024/3/5", "2024-03-05", true},
		{"2024年3月5日", "2024-03-05", true},
		{"2024-03-15T09:30:00+08:00", "2024-03-15", true},
		{"2024.03.15", "2024-03-15", true},
		{"三月", "", false},
		{int64(2024), "", false},
	}
	for _, tt := range tests {
		d, err := parseDate(tt.in)
		if (err == nil) != tt.ok || tt.ok && d.Format(time.DateOnly) != tt.want {
			t.Errorf("parseDate(%v) = %v, %v; want %s ok=%t", tt.in, d, err, tt.want, tt.ok)
		}
	}
}

func TestDateAndTitleFromName(t *testing.T) {
	tests := []struct {
		name, date, title string
	}{
		{"老年人权益保障法(2018-12-29).md", "2018-12-29", "老年人权益保障法"},
		{"老年人权益保障法（2018-12-29）.md", "2018-12-29", "老年人权益保障法"},
		{"2018-12-29-会议纪要.md", "2018-12-29", "会议纪要"},
		{"2018-12-29_会议纪要.md", "2018-12-29", "会议纪要"},
		{"监察法.md", "", "监察法"},
		{"关于(试行)的规定.md", "", "关于(试行)的规定"},
		{"(2018-12-29).md", "2018-12-29", "(2018-12-29)"},
		{"2018-13-45-坏日期.md", "", "坏日期"},
	}
	for _, tt := range tests {
		d := DateFromName(tt.name)
		got := ""
		if !d.IsZero() {
			got = d.Format(time.DateOnly)
		}
		if got != tt.date {
			t.Errorf("DateFromName(%q) = %q, want %q", tt.name, got, tt.date)
		}
		if title := TitleFromName(tt.name); title != tt.title {
			t.Errorf("TitleFromName(%q) = %q, want %q", tt.name, title, tt.title)
		}
	}
}

func FuzzSplitFrontMatter(f *testing.F) {
	for _, seed := range []string{"", "---\n", "---\na: 1\n---\nbody", "+++\na = 1\n+++\n", "+++\r\n+++", "---\n---", "# t\n", "---\n\n---\n---\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fm, format, body, bodyLine, err := SplitFrontMatter(in)
		if err != nil {
			var fe *FrontMatterError
			if !errors.As(err, &fe) || fe.Line != 1 {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if format == FormatNone {
			if !bytes.Equal(body, in) || bodyLine != 1 {
				t.Fatalf("no front matter must return the input unchanged")
			}
			return
		}
		// The block and the body are both taken from the input, in order, and the body
		// starts on the line the splitter says.
		if !bytes.Contains(in, fm) || !bytes.HasSuffix(in, body) {
			t.Fatalf("fm %q / body %q not from input %q", fm, body, in)
		}
		prefix := in[:len(in)-len(body)]
		if got := bytes.Count(prefix, []byte("\n")) + 1; len(body) > 0 && got != bodyLine {
			t.Fatalf("bodyLine = %d, want %d", bodyLine, got)
		}
		// Parsing never panics, whatever the block holds.
		_, _ = ParseFrontMatter(fm, format, 2)
	})
}
