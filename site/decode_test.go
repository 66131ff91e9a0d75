package site

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"
)

// TestDecodeText: the encodings office PCs write are read as text; binary is refused.
func TestDecodeText(t *testing.T) {
	const text = "# 某局公务接待管理办法\n\n第一条 为规范公务接待（2019 年修订），制定本办法。\n"
	utf16 := func(order textunicode.Endianness, bom textunicode.BOMPolicy) string {
		s, err := textunicode.UTF16(order, bom).NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(text)
	tests := []struct {
		name, src string
		note, err string // substrings; empty means none
	}{
		{"utf-8", text, "", ""},
		{"utf-8 with BOM", "\ufeff" + text, "", ""},
		{"crlf", strings.ReplaceAll(text, "\n", "\r\n"), "", ""},
		{"gbk", gbk, "GBK/GB18030", ""},
		{"utf-16le with BOM", utf16(textunicode.LittleEndian, textunicode.UseBOM), "UTF-16", ""},
		{"utf-16be with BOM", utf16(textunicode.BigEndian, textunicode.UseBOM), "UTF-16", ""},
		{"utf-16le without BOM", utf16(textunicode.LittleEndian, textunicode.IgnoreBOM), "无 BOM 的 UTF-16", ""},
		{"utf-16be without BOM", utf16(textunicode.BigEndian, textunicode.IgnoreBOM), "无 BOM 的 UTF-16", ""},
		{"utf-16le crlf without BOM", strings.ReplaceAll(utf16(textunicode.LittleEndian, textunicode.IgnoreBOM), "\n\x00", "\r\x00\n\x00"), "无 BOM 的 UTF-16", ""},
		{"NUL in text", "# 标题\n正文\x00\n", "", "2:3: 含有 NUL 字节"},
		{"NUL in UTF-8 of even length", "# 标题\n正文\x00。\n", "", "2:3: 含有 NUL 字节"}, // not UTF-16 without BOM
		{"binary with NULs", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "", "NUL 字节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, note, err := decodeText([]byte(tt.src))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != text {
				t.Errorf("text = %q", out)
			}
			if tt.note == "" && note != "" || !strings.Contains(note, tt.note) {
				t.Errorf("note = %q, want %q", note, tt.note)
			}
		})
	}
}
