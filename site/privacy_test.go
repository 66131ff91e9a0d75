package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestScanPrivacy is the detector's table of true and false positives: each text is
// scanned alone, and what it finds is listed as kind:text.
func TestScanPrivacy(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string // kind:text, comma-separated; "" finds nothing
	}{
		// ID numbers: the check character is verified.
		{"身份证号510823198706151236。", "id:510823198706151236"},
		{"身份证号11010519491231002X，", "id:11010519491231002X"},
		{"身份证号11010519491231002x", "id:11010519491231002x"},
		{"510823198706151237", ""},                      // wrong check digit
		{"510823198713151230", ""},                      // month 13
		{"合同编号 5108231987061512361", ""},                // 19 digits, not Luhn
		{"订单 510823198706151236ab", ""},                 // part of an identifier
		{"文号 2021 0615 1236 5108 23", ""},               // short groups do not join into one number
		{"金额 510,823,198,706,151,236 元", ""},            // thousands separators: an amount
		{"手机 13812345678。", "mobile:13812345678"},       // mobile numbers
		{"电话：138-1234-5678", "mobile:138-1234-5678"},    //
		{"电话 138 1234 5678）", "mobile:138 1234 5678"},   //
		{"热线 12345，座机 0571-88888888", ""},               // hotline and landline
		{"12812345678", ""},                             // 12x is no mobile prefix
		{"2021年10月19日，共计46.8万元", ""},                    // dates and amounts
		{"卡号6222021234567894", "card:6222021234567894"}, // bank cards: Luhn
		{"卡号 6222 0212 3456 7894 转入", "card:6222 0212 3456 7894"},
		{"卡号621700001234567893", "card:621700001234567893"},
		{"卡号6222021234567895", ""}, // fails Luhn
		{"流水号 1234567812345678 9", ""},
		// Names where the convention writes 某某.
		{"陈明，男，1987年出生", "name:陈明"},
		{"原科长王建国，男，汉族", "name:王建国"},
		{"欧阳明（女，1979年出生）", "name:欧阳明"},
		{"陈某，男，1987年出生", ""},
		{"张某某，女，1975年出生", ""},
		{"李某甲，男，", ""},
		{"刘德华同志", "name:刘德华"},
		{"全体党员同志", ""},
		{"街道分管负责同志作出书面检查", ""},
		{"被告人赵明在任职期间", "name:赵明"},
		{"被告人赵某某在任职期间", ""},
		{"男，女，不限", ""},
		{"按男、女分别统计", ""},
	} {
		var got []string
		for _, f := range scanPrivacy([]byte(tc.text)) {
			got = append(got, fmt.Sprintf("%s:%s", [...]string{"id", "mobile", "card", "name"}[f.kind], f.text))
		}
		if g := strings.Join(got, ","); g != tc.want {
			t.Errorf("scanPrivacy(%q) = %q; want %q", tc.text, g, tc.want)
		}
	}
}

// TestScanPrivacyPositions checks the line, the column in characters, and the marker.
func TestScanPrivacyPositions(t *testing.T) {
	text := "+++\ntitle = \"某案\"\n+++\n\n陈某，男。手机13812345678\n热线13900001111 <!-- privacy:allow -->\n"
	got := scanPrivacy([]byte(text))
	if len(got) != 2 {
		t.Fatalf("found %d; want 2: %+v", len(got), got)
	}
	if f := got[0]; f.line != 5 || f.col != 8 || f.allowed {
		t.Errorf("first finding at %d:%d allowed=%t; want 5:8, not allowed", f.line, f.col, f.allowed)
	}
	if f := got[1]; f.line != 6 || !f.allowed {
		t.Errorf("second finding at line %d allowed=%t; want line 6, allowed by its marker", f.line, f.allowed)
	}
}

// TestPrivacyLint: a case section refuses the numbers (errors) and warns of a name; other
// sections are not linted; the allow-list and the marker accept a finding.
func TestPrivacyLint(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":       "title = \"t\"\n[sections.cases]\ntitle = \"典型案例\"\nkind = \"case\"\n",
		"privacy-allow.txt": "# 公开的监督电话\n139 0000 1111\n",
		"content/cases/a.md": "+++\ntitle = \"甲案\"\n+++\n\n陈明，男，1987年出生，身份证号510823198706151236。\n" +
			"监督电话13900001111。举报电话13800002222 <!-- privacy:allow -->\n",
		"content/regulations/b.md": "+++\ntitle = \"乙\"\n+++\n\n联系电话13812345678，陈明，男。\n",
	})
	s, err := Load(t.Context(), dir, Options{})
	if err == nil {
		t.Fatal("Load succeeded; want the ID number refused")
	}
	want := "content/cases/a.md:5:18: 错误: 案例中出现身份证号 510823198706151236"
	if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("errors:\n%v\nwant exactly one, beginning %q", err, want)
	}
	if len(s.Warnings) != 1 || !strings.HasPrefix(s.Warnings[0].Error(), "content/cases/a.md:5:1: 警告: 疑似真实姓名“陈明”") {
		t.Errorf("warnings %v; want one, of the name 陈明 at 5:1", s.Warnings)
	}
}

// BenchmarkScanPrivacy scans the laws corpus: every page of a site is scanned while it is
// read, so the scan must cost little beside reading and converting.
func BenchmarkScanPrivacy(b *testing.B) {
	var texts [][]byte
	var size int64
	_ = filepath.WalkDir(sitetest.LawsCorpus(b), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			if src, err := os.ReadFile(p); err == nil {
				texts = append(texts, src)
				size += int64(len(src))
			}
		}
		return nil
	})
	b.SetBytes(size)
	for b.Loop() {
		for _, t := range texts {
			scanPrivacy(t)
		}
	}
}
