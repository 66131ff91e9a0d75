package render

import (
	"bytes"
	"context"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

func TestCountDim(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	terms := func(names ...string) map[string][]*site.Term {
		var ts []*site.Term
		for _, n := range names {
			ts = append(ts, &site.Term{Name: n})
		}
		return map[string][]*site.Term{"field": ts}
	}
	pages := []*site.Page{
		{Date: day(2019), Terms: terms("养老服务", "社会救助")},
		{Date: day(2022), Terms: terms("社会救助")},
		{Date: day(2022), Terms: terms("社会救助", "社会救助")}, // a term written twice counts once
		{Date: day(2024)},
		{}, // no date, no terms
	}
	for _, tc := range []struct {
		name       string
		key        string
		years      bool
		want       []statsRow
		wantTagged int
	}{
		{"years with zeros", "year", true, []statsRow{
			{Value: "2019", Count: 1}, {Value: "2020"}, {Value: "2021"},
			{Value: "2022", Count: 2}, {Value: "2023"}, {Value: "2024", Count: 1},
		}, 4},
		{"terms by count then name", "field", false, []statsRow{
			{Value: "社会救助", Count: 3}, {Value: "养老服务", Count: 1},
		}, 3},
		{"absent taxonomy", "region", false, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, tagged := countDim(pages, tc.key, tc.years)
			if !reflect.DeepEqual(got, tc.want) || tagged != tc.wantTagged {
				t.Errorf("countDim = %v, %d; want %v, %d", got, tagged, tc.want, tc.wantTagged)
			}
		})
	}
	if rows, n := countDim(pages[4:], "year", true); rows != nil || n != 0 {
		t.Errorf("no dates: %v, %d", rows, n)
	}
}

func TestStatsCSVQuoting(t *testing.T) {
	b, err := statsCSV(&statsDim{Key: "region", Title: "地区", Rows: []statsRow{{Value: `青川市,"东湖区"`, Count: 2}, {Value: "北山县", Count: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "\xEF\xBB\xBF地区,案例数\r\n\"青川市,\"\"东湖区\"\"\",2\r\n北山县,1\r\n"
	if string(b) != want {
		t.Errorf("csv = %q, want %q", b, want)
	}
}

// TestStatsMatchContent builds the example site and compares every CSV with counts the
// test makes itself from the front matter of the files under content/cases.
func TestStatsMatchContent(t *testing.T) {
	root := filepath.Join("..")
	s, err := site.Load(context.Background(), root, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), s, Options{Dest: dest, Fingerprint: "test"}); err != nil {
		t.Fatal(err)
	}

	want := map[string]map[string]int{"year": {}, "field": {}, "violations": {}, "region": {}}
	files := 0
	err = filepath.WalkDir(filepath.Join(root, "content", "cases"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || d.Name() == "_index.md" {
			return err
		}
		fm := frontMatter(t, p)
		if fm.Draft {
			return nil
		}
		files++
		want["year"][strconv.Itoa(fm.Date.Year())]++
		want["region"][fm.Region]++
		for _, v := range fm.Field {
			want["field"][v]++
		}
		for _, v := range fm.Violations {
			want["violations"][v]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 30 {
		t.Errorf("the example site has %d cases; the charts want at least 30", files)
	}
	for key, counts := range want {
		b := []byte(read(t, dest, "统计/"+key+".csv"))
		if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
			t.Errorf("%s.csv has no byte order mark", key)
		}
		rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatalf("%s.csv: %v", key, err)
		}
		got := map[string]int{}
		for _, r := range rows[1:] {
			n, err := strconv.Atoi(r[1])
			if err != nil {
				t.Fatalf("%s.csv: %v", key, err)
			}
			if n > 0 {
				got[r[0]] = n
			}
		}
		if !reflect.DeepEqual(got, counts) {
			t.Errorf("%s.csv counts %v; the content has %v", key, got, counts)
		}
		if key == "year" && len(rows)-1 != 2026-2019+1 {
			t.Errorf("year.csv has %d years, want every year 2019–2026", len(rows)-1)
		}
	}
	page := read(t, dest, "统计/index.html")
	if !strings.Contains(page, "共 "+strconv.Itoa(files)+" 件") {
		t.Errorf("the stats page does not state %d cases", files)
	}
	if home := read(t, dest, "index.html"); !strings.Contains(home, `href="/%E7%BB%9F%E8%AE%A1/">案例统计`) {
		t.Error("the home page does not link the stats page")
	}
}

// caseMatter is the part of a case's front matter the counts are made of.
type caseMatter struct {
	Date       time.Time `toml:"date" yaml:"date"`
	Draft      bool      `toml:"draft" yaml:"draft"`
	Region     string    `toml:"region" yaml:"region"`
	Field      []string  `toml:"field" yaml:"field"`
	Violations []string  `toml:"violations" yaml:"violations"`
}

func frontMatter(t *testing.T, path string) caseMatter {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	var fm caseMatter
	for _, delim := range []string{"+++", "---"} {
		rest, ok := strings.CutPrefix(text, delim+"\n")
		if !ok {
			continue
		}
		head, _, ok := strings.Cut(rest, "\n"+delim+"\n")
		if !ok {
			t.Fatalf("%s: unterminated front matter", path)
		}
		if delim == "+++" {
			_, err = toml.Decode(head, &fm)
		} else {
			err = yaml.Unmarshal([]byte(head), &fm)
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return fm
	}
	t.Fatalf("%s: no front matter", path)
	return fm
}

// TestStatsGolden compares the golden test site's statistics page and one CSV with
// golden files (go test ./render -update refreshes them).
func TestStatsGolden(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, "testdata/site", dest); err != nil {
		t.Fatal(err)
	}
	for out, name := range map[string]string{"统计/index.html": "stats.html", "统计/field.csv": "stats-field.csv"} {
		got := read(t, dest, out)
		p := filepath.Join("testdata", "golden", name+".golden")
		if *update {
			if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (run go test ./render -update to create golden files)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test ./render -update\n--- got ---\n%s", out, p, got)
		}
	}
}

func TestStatsConfig(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml": "title = \"t\"\n[stats]\nurl = \"/stats/\"\ntaxonomies = [\"field\"]\n" +
			"[taxonomies.field]\ntitle = \"领域\"\n[sections.practices]\nstats = true\n",
		"content/practices/a.md": "---\ntitle: 甲\ndate: 2020-01-02\nfield: [养老服务]\n---\n",
		"content/cases/b.md":     "---\ntitle: 乙\ndate: 2021-01-02\nfield: [社会救助]\n---\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := buildSite(t, dir, dest); err != nil {
		t.Fatal(err)
	}
	if got := read(t, dest, "stats/field.csv"); got != "\xEF\xBB\xBF领域,案例数\r\n养老服务,1\r\n" {
		t.Errorf("field.csv = %q: want only the section marked stats = true", got)
	}
	if _, err := os.Stat(filepath.Join(dest, "stats", "year.csv")); err == nil {
		t.Error("a year chart although [stats] taxonomies names only field")
	}
}
