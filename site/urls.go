package site

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxSegmentBytes keeps every output file and folder name within common file system limits
// (255 bytes), with room for "index.html" style suffixes.
const maxSegmentBytes = 240

// URLSegment turns a file, folder, slug or term name into one URL path segment. Chinese and
// other letters stay as they are (browsers show them readably); characters that would break
// a path or a file name (/ \ ? # % control characters) are dropped; runs of spaces become
// "-". The result is never empty, ".", or "..".
func URLSegment(name string) string {
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`/\?#%"<>|*:`, r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte('-')
		}
		space = false
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), ".-")
	for len(s) > maxSegmentBytes {
		_, size := utf8.DecodeLastRuneInString(s)
		s = strings.Trim(s[:len(s)-size], ".-")
	}
	if s == "" {
		return "_"
	}
	return s
}

// validSegment reports whether name is already a clean URL segment.
func validSegment(name string) bool { return name != "" && URLSegment(name) == name }

// EscapePath percent-encodes a site-relative path segment by segment, as hrefs need it,
// and a #fragment after it; browsers decode both again in the address bar.
func EscapePath(p string) string {
	if p, frag, ok := strings.Cut(p, "#"); ok {
		return EscapePath(p) + "#" + url.PathEscape(frag)
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// joinURL builds a folder URL from segments: /a/b/.
func joinURL(segs ...string) string {
	var b strings.Builder
	b.WriteByte('/')
	for _, s := range segs {
		if s == "" {
			continue
		}
		b.WriteString(s)
		b.WriteByte('/')
	}
	return b.String()
}

// AliasURL turns a front matter alias ("/old/path", "旧地址") into the folder URL whose
// index.html redirects to the page; each segment is cleaned like any other.
func AliasURL(alias string) string {
	var segs []string
	for _, seg := range strings.Split(path.Clean("/"+alias), "/") {
		if seg != "" {
			segs = append(segs, URLSegment(seg))
		}
	}
	return joinURL(segs...)
}
