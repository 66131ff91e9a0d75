package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestCheckCommand: check's exit codes and formats, and that it writes nothing.
func TestCheckCommand(t *testing.T) {
	clean := map[string]string{"config.toml": "title = \"t\"\nbaseURL = \"https://example.gov.cn/\"\n", "content/a.md": "+++\ntitle = \"甲\"\n+++\n正文\n"}
	warned := map[string]string{"config.toml": "title = \"t\"\nbaseURL = \"https://example.gov.cn/\"\npaginat = 3\n", "content/a.md": "正文\n"}
	broken := map[string]string{"config.toml": "title = \"t\"\nbaseURL = \"https://example.gov.cn/\"\n", "content/a.md": "+++\ntitle = \"甲\"\ndraft = \"是\"\n+++\n正文\n"}
	for _, tt := range []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		out   string
	}{
		{"clean", clean, nil, exitOK, "检查完成：1 页，0 个错误，0 个警告"},
		{"warning only", warned, nil, exitOK, "config.toml:3:1: 警告: 未知配置项 \"paginat\""},
		{"warning, strict", warned, []string{"--strict"}, exitFailure, "0 个错误，1 个警告"},
		{"error", broken, nil, exitFailure, "content/a.md:3:1: 错误: draft 应为 true 或 false"},
		{"json", broken, []string{"--format", "json"}, exitFailure, `"level": "error"`},
		{"bad format", clean, []string{"--format", "xml"}, exitUsage, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := sitetest.Write(t, tt.files)
			code, stdout, stderr := runCLI(t, append([]string{"check", "-s", dir}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.out) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\nwant stdout to hold %q", code, tt.code, stdout, stderr, tt.out)
			}
			if tt.name == "json" {
				var list []map[string]any
				if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list) != 1 || list[0]["file"] != "content/a.md" || list[0]["line"] != 3.0 {
					t.Errorf("JSON report %s (%v); want one entry for content/a.md line 3", stdout, err)
				}
			}
			for _, out := range []string{"public", ".jingjian"} {
				if _, err := os.Stat(filepath.Join(dir, out)); err == nil {
					t.Errorf("check wrote %s into the site", out)
				}
			}
		})
	}
}
