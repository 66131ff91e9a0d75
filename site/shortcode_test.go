package site

import (
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestStripShortcodes: pairs keep their content, lone tags go, ref/relref leave their
// path, escaped ones show literally, line breaks stay.
func TestStripShortcodes(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		count    int
	}{
		{"无短代码 {{ .Title }}", "无短代码 {{ .Title }}", 0},
		{"前{{< note >}}提示内容{{< /note >}}后", "前提示内容后", 2},
		{"{{% warning %}}**加粗**{{% /warning %}}", "**加粗**", 2},
		{"图{{< img src=\"a.png\" />}}尾", "图尾", 1},
		{"新{{< new-in 0.120.0 >}}功能", "新功能", 1},
		{"见[此页]({{< ref \"other.md\" >}})", "见[此页](other.md)", 1},
		{"见[此页]({{< relref `/docs/x.md#第五条` >}})", "见[此页](/docs/x.md#第五条)", 1},
		{"写法 {{</* note */>}}", "写法 {{< note >}}", 0},
		{"{{< code-toggle\n  file=hugo >}}\nx = 1\n{{< /code-toggle >}}\n第三行", "\n\nx = 1\n\n第三行", 2},
		{"a {{<}} b", "a {{<}} b", 0},
	} {
		got, n, _, _ := stripShortcodes([]byte(tt.in))
		if string(got) != tt.want || n != tt.count {
			t.Errorf("stripShortcodes(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.count)
		}
	}
}

// TestShortcodesWarnOnce: a page with shortcodes gets one warning at the first, and none
// of their delimiters reach its HTML.
func TestShortcodesWarnOnce(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":  "title = \"t\"\n",
		"content/b.md": "# 乙\n\n正文。\n",
		"content/a.md": "+++\ntitle = \"甲\"\n+++\n\n第一段。\n\n{{< note >}}注意{{< /note >}} 见[乙]({{< ref \"b.md\" >}})。\n{{< youtube abc >}}\n",
	})
	s, err := Load(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 1 || !strings.HasPrefix(s.Warnings[0].Error(), "content/a.md:7:1: 警告: 文件中有 4 处 Hugo 短代码（note、ref、youtube）") {
		t.Errorf("warnings %v; want one at content/a.md:7:1", s.Warnings)
	}
	for _, p := range s.Pages {
		if strings.Contains(string(p.Content), "{{") {
			t.Errorf("%s: shortcode delimiters in the HTML: %s", p.Path, p.Content)
		}
		if p.Path == "a.md" && !strings.Contains(string(p.Content), `href="/b/"`) {
			t.Errorf("the ref link does not lead to b: %s", p.Content)
		}
	}
}
