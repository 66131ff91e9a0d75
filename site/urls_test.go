package site

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestURLSegment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"监察法(2018-03-20)", "监察法(2018-03-20)"},
		{"关于 依法防控  疫情的决定", "关于-依法防控-疫情的决定"},
		{"a/b\\c?d#e%f", "abcdef"},
		{"..", "_"},
		{"../etc", "etc"},
		{"", "_"},
		{"   ", "_"},
		{"《监察法》第二十二条", "《监察法》第二十二条"},
		{"Case Study", "Case-Study"},
		{"x\x00y\ttab", "xy-tab"},
		{".hidden", "hidden"},
	}
	for _, tt := range tests {
		if got := URLSegment(tt.in); got != tt.want {
			t.Errorf("URLSegment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscapePath(t *testing.T) {
	got := EscapePath("/案例/劳动 人事/")
	if got != "/%E6%A1%88%E4%BE%8B/%E5%8A%B3%E5%8A%A8%20%E4%BA%BA%E4%BA%8B/" {
		t.Errorf("EscapePath = %q", got)
	}
	if back, _ := url.PathUnescape(got); back != "/案例/劳动 人事/" {
		t.Errorf("round trip = %q", back)
	}
	if got := EscapePath("/法规/监察法/#第二条"); got != "/%E6%B3%95%E8%A7%84/%E7%9B%91%E5%AF%9F%E6%B3%95/#%E7%AC%AC%E4%BA%8C%E6%9D%A1" {
		t.Errorf("fragment: %q", got)
	}
}

func TestAliasURL(t *testing.T) {
	for in, want := range map[string]string{
		"/old/path":       "/old/path/",
		"旧地址":             "/旧地址/",
		"/":               "/",
		"../../etc/x":     "/etc/x/",
		"/a b/?c":         "/a-b/c/",
		"/cases/甲案/index": "/cases/甲案/index/",
	} {
		if got := AliasURL(in); got != want {
			t.Errorf("AliasURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzURLSegment(f *testing.F) {
	for _, s := range []string{"监察法(2018-03-20)", "..", "a/b", " - ", "\xff\xfe", "第一条　总则", strings.Repeat("长", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := URLSegment(in)
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "/\\?#%\x00") {
			t.Fatalf("URLSegment(%q) = %q is not a safe path segment", in, s)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("URLSegment(%q) = %q is not UTF-8", in, s)
		}
		if len(s) > maxSegmentBytes {
			t.Fatalf("URLSegment(%q) is %d bytes, over the file name limit", in, len(s))
		}
		if again := URLSegment(s); again != s {
			t.Fatalf("URLSegment is not idempotent: %q → %q → %q", in, s, again)
		}
		// The escaped form decodes back to the segment.
		if back, err := url.PathUnescape(EscapePath(s)); err != nil || back != s {
			t.Fatalf("escape round trip of %q: %q, %v", s, back, err)
		}
	})
}
