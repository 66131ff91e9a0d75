// Package textpos reports problems in user files as path:line:col: message.
package textpos

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a user's file.
type Pos struct {
	Path string // file path as the user should see it (relative to the site)
	Line int    // line number, starting at 1; 0 when unknown
	Col  int    // column in characters, starting at 1; 0 when unknown
}

// String formats p the way editors and compilers do: path:line:col.
func (p Pos) String() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.Path, p.Line)
	default:
		return p.Path
	}
}

// An Error is one problem found in a user's file.
type Error struct {
	Pos     Pos
	Msg     string
	Warning bool // a warning is reported but does not fail the build
}

// Error formats the problem as every command prints it: path:line:col: 错误|警告: message.
func (e *Error) Error() string {
	return e.Pos.String() + ": " + e.Level() + ": " + e.Msg
}

// Level is 错误 or 警告.
func (e *Error) Level() string {
	if e.Warning {
		return "警告"
	}
	return "错误"
}

// A List collects every problem of a run, so one bad file does not hide the others.
type List []*Error

// Add appends an error at pos.
func (l *List) Add(pos Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Warn appends a warning at pos.
func (l *List) Warn(pos Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// Sort orders the list by path, line and column, keeping insertion order for ties.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Path, b.Pos.Path),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
		)
	})
}

// Errors returns the entries that are not warnings.
func (l List) Errors() List {
	var out List
	for _, e := range l {
		if !e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns the entries that are warnings.
func (l List) Warnings() List {
	var out List
	for _, e := range l {
		if e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Err returns the list's errors (warnings left out) as an error, or nil if there are none.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

// Error prints one problem per line.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find a single *Error in the list.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// LineCol converts a byte offset in src to a 1-based line and a 1-based column counted in
// characters (runes), which is what editors show for Chinese text.
func LineCol(src []byte, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line = 1 + strings.Count(string(src[:off]), "\n")
	start := strings.LastIndexByte(string(src[:off]), '\n') + 1
	col = 1 + len([]rune(string(src[start:off])))
	return line, col
}

// LineCols is LineCol for many offsets in ascending order, in one pass over src: each
// entry is {line, col}.
func LineCols(src []byte, offs []int) [][2]int {
	out := make([][2]int, len(offs))
	line, start, at := 1, 0, 0
	for i, off := range offs {
		off = min(max(off, at), len(src))
		for j := at; j < off; j++ {
			if src[j] == '\n' {
				line, start = line+1, j+1
			}
		}
		at = off
		out[i] = [2]int{line, 1 + utf8.RuneCount(src[start:off])}
	}
	return out
}
