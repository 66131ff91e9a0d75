package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

func TestMaxFileSize(t *testing.T) {
	limited := "title = \"x\"\n[build]\nmaxFileSize = \"1KB\"\n"
	tests := []struct {
		name  string
		files map[string]string
		big   map[string]int64 // sparse files of these sizes, all NUL bytes: never read
		want  []string         // every line of the error, in order
	}{
		{
			name:  "over the default limit",
			files: map[string]string{"content/小.md": "第一条 甲\n"},
			big:   map[string]int64{"content/法规/大.md": 52_400_000},
			want:  []string{"content/法规/大.md: 错误: 文件大小 52.4 MB 超过上限 20 MB；请拆分文件，或在 config.toml 的 [build] 中调大 maxFileSize"},
		},
		{
			name: "over a configured limit, other errors still reported",
			files: map[string]string{
				"config.toml":  limited,
				"content/a.md": strings.Repeat("第一条 甲\n", 200), // 2,800 bytes
				"content/b.md": "---\ntitle: 乙\ndraft: 是\n---\n",
				"content/c.md": strings.Repeat("甲", 333) + "\n", // 1,000 bytes: at the limit is allowed
			},
			want: []string{
				"content/a.md: 错误: 文件大小 2.8 KB 超过上限 1 KB；请拆分文件，或在 config.toml 的 [build] 中调大 maxFileSize",
				"content/b.md:3:1: 错误: draft 应为 true 或 false（当前 是）",
			},
		},
		{
			name:  "sizes that would read alike are given in bytes",
			files: map[string]string{"config.toml": limited, "content/a.md": strings.Repeat("甲", 333) + "\n\n"},
			want:  []string{"content/a.md: 错误: 文件大小 1001 字节 超过上限 1000 字节；请拆分文件，或在 config.toml 的 [build] 中调大 maxFileSize"},
		},
		{
			name: "a limit that is not a size",
			files: map[string]string{
				"config.toml":  "title = \"x\"\npaginate = 0\n[build]\nmaxFileSize = \"20XB\"\n",
				"content/a.md": "甲",
			},
			want: []string{
				"config.toml:2:1: 错误: paginate 须在 1 到 1000 之间（当前 0）",
				`config.toml:4:1: 错误: [build] maxFileSize 应写成 "20MB" 这样大于 0 的大小（单位 KB、MB、GB，或不写单位表示字节数）（当前 "20XB"）`,
			},
		},
		{
			name:  "a limit of nothing",
			files: map[string]string{"config.toml": "[build]\nmaxFileSize = 0\n", "content/a.md": "甲"},
			want:  []string{`config.toml:2:1: 错误: [build] maxFileSize 应写成 "20MB" 这样大于 0 的大小（单位 KB、MB、GB，或不写单位表示字节数）（当前 "0"）`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.files["config.toml"] == "" {
				tt.files["config.toml"] = "title = \"x\"\n"
			}
			dir := sitetest.Write(t, tt.files)
			for rel, size := range tt.big {
				sparseFile(t, filepath.Join(dir, rel), size)
			}
			_, err := Load(context.Background(), dir, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", err, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestMaxFileSizeCached: a page read before the limit was lowered is not taken from the
// cache once it is over the limit.
func TestMaxFileSizeCached(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":  "title = \"x\"\n",
		"content/a.md": strings.Repeat("第一条 甲\n", 200),
	})
	cache := NewCache()
	if _, err := Load(context.Background(), dir, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte("title = \"x\"\n[build]\nmaxFileSize = \"2 KB\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(context.Background(), dir, Options{Cache: cache})
	if want := "content/a.md: 错误: 文件大小 2.8 KB 超过上限 2 KB；"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s…", err, want)
	}
}

func sparseFile(t *testing.T, name string, size int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{
		"20MB": 20_000_000, "20 mb": 20_000_000, " 1.5GB ": 1_500_000_000, "512KiB": 512 << 10,
		"3 MiB": 3 << 20, "800": 800, "800B": 800, "2k": 2000,
		"20XB": 0, "0": 0, "-1MB": 0, "MB": 0, "": 0, "NaN": 0, "1e400GB": 0, "2 MB MB": 0,
	} {
		var b ByteSize
		if err := b.UnmarshalText([]byte(in)); err != nil {
			t.Fatal(err)
		}
		if b.Bytes != want || b.text != strings.TrimSpace(in) {
			t.Errorf("%q: got %+v, want %d bytes", in, b, want)
		}
	}
	for n, want := range map[int64]string{20_000_000: "20 MB", 52_400_000: "52.4 MB", 999: "999 字节", 1500: "1.5 KB", 2_000_000_000: "2 GB"} {
		if got := (ByteSize{Bytes: n}).String(); got != want {
			t.Errorf("%d bytes shown as %q, want %q", n, got, want)
		}
	}
}

func TestSplitBody(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"paragraphs and headings", "第一条 甲\n\n## 第二章\n\n第二条 乙\n", []string{"第一条 甲\n\n", "## 第二章\n\n", "第二条 乙\n"}},
		{"no cut without a blank line", "第一条 甲\n第二条 乙\n", []string{"第一条 甲\n第二条 乙\n"}},
		{"no cut before a list item or an indented line", "- 甲\n\n- 乙\n\n  第一条\n", []string{"- 甲\n\n- 乙\n\n  第一条\n"}},
		{"a list ends at a line of text", "- 甲\n\n第一条 乙\n", []string{"- 甲\n\n", "第一条 乙\n"}},
		{"fenced code is followed", "```\n\n# 代码\n```\n\n第一条\n", []string{"```\n\n# 代码\n```\n\n", "第一条\n"}},
		{"a fence closes with a run at least as long", "````\n```\n\n# 代码\n````\n\n第一条\n", []string{"````\n```\n\n# 代码\n````\n\n", "第一条\n"}},
		{"an indented fence stops the cutting", "  ```\n\n# 代码\n\n第一条\n", []string{"  ```\n\n# 代码\n\n第一条\n"}},
		{"an HTML block stops the cutting", "甲\n\n乙\n\n<pre>\n\n# 代码\n\n</pre>\n\n第一条\n", []string{"甲\n\n", "乙\n\n<pre>\n\n# 代码\n\n</pre>\n\n第一条\n"}},
		{"a one-line comment does not", "<!-- INFO END -->\n\n第一条\n", []string{"<!-- INFO END -->\n\n", "第一条\n"}},
		{"a reference definition keeps the body whole", "[甲][1]\n\n第一条\n\n[1]: /x\n", []string{"[甲][1]\n\n第一条\n\n[1]: /x\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range splitBody([]byte(tt.body), 1) {
				got = append(got, string(p))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestConvertInPieces: a long regulation converted 64 KB at a time comes out as it does
// converted whole.
func TestConvertInPieces(t *testing.T) {
	body := []byte("# 某某监督条例\n\n# 实施细则\n\n" + regulation(600_000))
	whole, pieces := newMarkdown(false), newMarkdown(false)
	whole.chunk = 0
	if n := len(splitBody(body, pieces.chunk)); n < 5 {
		t.Fatalf("%d pieces", n)
	}
	a, err := whole.convert(body, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := pieces.convert(body, "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("converting in pieces changed the page")
	}
	if a.FirstTitle != "某某监督条例 实施细则" || len(a.Articles) < 1000 {
		t.Errorf("title %q, %d articles", a.FirstTitle, len(a.Articles))
	}
}

func TestHeadingIDRepeats(t *testing.T) {
	ids := newHeadingIDs()
	var got []string
	for _, h := range []string{"说明", "说明", "说明-1", "说明", "说明"} {
		got = append(got, string(ids.Generate([]byte(h), 0)))
	}
	if want := []string{"说明", "说明-1", "说明-1-1", "说明-2", "说明-3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestWriteRegulation writes a regulation of $JJ_REGULATION_SIZE bytes to the file
// $JJ_REGULATION_OUT, for measuring whole builds (BENCHMARKS.md, section 7); it is
// skipped otherwise.
func TestWriteRegulation(t *testing.T) {
	out := os.Getenv("JJ_REGULATION_OUT")
	if out == "" {
		t.Skip("JJ_REGULATION_OUT is not set")
	}
	size, err := strconv.Atoi(os.Getenv("JJ_REGULATION_SIZE"))
	if err != nil {
		t.Fatalf("JJ_REGULATION_SIZE: %v", err)
	}
	if err := os.WriteFile(out, []byte("# 某某监督条例\n\n"+regulation(size)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// regulation returns about size bytes of a regulation's text: chapters, sections,
// articles of short lines, enumerations and definitions.
func regulation(size int) string {
	phrases := []string{"依法履职，", "不得谋利。", "进行监察，", "调查职务犯罪，", "廉政建设，",
		"维护法律尊严。", "责令改正；", "依法给予处分。", "**集体研究**的，", "按照《监察法》办理。"}
	var b strings.Builder
	for art, ch, p := 1, 1, 0; b.Len() < size; art++ {
		if art%40 == 1 {
			fmt.Fprintf(&b, "## 第%s章 总则之%s\n\n", chineseNumber(ch), chineseNumber(ch))
			ch++
		}
		if art%10 == 5 {
			fmt.Fprintf(&b, "### 第%s节 监督检查\n\n", chineseNumber(art/10+1))
		}
		fmt.Fprintf(&b, "第%s条　%s\n%s\n%s\n\n", chineseNumber(art), phrases[p%10], phrases[(p+1)%10], phrases[(p+2)%10])
		p += 2
		if art%3 == 0 {
			for i := 1; i <= 4; i++ {
				fmt.Fprintf(&b, "- （%s）%s\n\n", chineseNumber(i), phrases[(p+i)%10])
			}
		}
		if art%2 == 0 {
			b.WriteString("所称*公职人员*，\n是指\n公职人员。\n\n")
		}
	}
	return b.String()
}

// chineseNumber writes 1 ≤ n < 10000 as article numbers do: 一百二十三, 一千零五.
func chineseNumber(n int) string {
	digits := []rune("零一二三四五六七八九")
	var b strings.Builder
	zero := false
	for _, u := range []struct {
		v    int
		name string
	}{{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}} {
		d := n / u.v % 10
		switch {
		case d == 0:
			zero = b.Len() > 0
		default:
			if zero {
				b.WriteRune('零')
				zero = false
			}
			if !(u.v == 10 && d == 1 && b.Len() == 0) {
				b.WriteRune(digits[d])
			}
			b.WriteString(u.name)
		}
	}
	return b.String()
}

// BenchmarkLoadLargeFile loads a site of one long regulation and reports, per byte of
// the file, the bytes allocated and the most heap in use while loading: both should stay
// flat as the file grows.
func BenchmarkLoadLargeFile(b *testing.B) {
	for _, size := range []int{1 << 20, 8 << 20} {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			text := regulation(size)
			dir := sitetest.Write(b, map[string]string{"config.toml": "title = \"x\"\n", "content/big.md": text})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			stop := watchHeap()
			for b.Loop() {
				if _, err := Load(context.Background(), dir, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			peak := stop()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(text)), "alloc-B/srcB")
			b.ReportMetric(float64(peak-before.HeapAlloc)/float64(len(text)), "peak-B/srcB")
		})
	}
}

// watchHeap samples the heap every millisecond until the returned function is called,
// which returns the largest sample.
func watchHeap() func() uint64 {
	var (
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Go(func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}
