package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

func TestSearchCommand(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":        "title = \"测试\"\n[search]\nsynonyms = [\"同义词.txt\"]\n",
		"同义词.txt":            "# 本站同义词\n救助站, 救助管理站\n",
		"content/cases/a.md": "---\ntitle: 救助管理站站长违规发放津补贴案\ndate: 2024-05-01\n---\n## 基本案情\n\n某救助管理站站长违规发放津补贴。\n",
		"content/rules/b.md": "# 财务管理制度\n\n第一条 严禁设立小金库。\n",
	})
	if code, _, stderr := runCLI(t, "search", "-s", dir, "低保"); code != exitFailure || !strings.Contains(stderr, "请先运行 jingjian build") {
		t.Errorf("search before build: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "build", "-s", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	code, stdout, stderr := runCLI(t, "search", "-s", dir, "--json", "--limit", "5", "救助站")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var res struct {
		Total  int     `json:"total"`
		TookMS float64 `json:"took_ms"`
		Hits   []struct {
			URL, Path, Title, Section, Snippet string
			Score                              float64
		} `json:"hits"`
		Facets   map[string][]struct{ Value string } `json:"facets"`
		Expanded []struct{ Term string }             `json:"expanded"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].Path != "cases/a.md" || res.Hits[0].URL != "/cases/a/" ||
		res.Hits[0].Section != "cases" || res.Hits[0].Score <= 0 || !strings.Contains(res.Hits[0].Snippet, "<mark>") {
		t.Errorf("result = %+v", res)
	}
	if len(res.Expanded) != 1 || res.Expanded[0].Term != "救助站" {
		t.Errorf("the site's own synonym was not used: %+v", res.Expanded)
	}
	if res.Facets == nil || res.TookMS <= 0 {
		t.Errorf("facets %v, took %v", res.Facets, res.TookMS)
	}
	// Flags after the words, filters, plain output.
	code, stdout, _ = runCLI(t, "search", "-s", dir, "小金库", "--filter", "栏目=rules")
	if code != exitOK || !strings.Contains(stdout, "共 1 条结果") || !strings.Contains(stdout, "【小金库】") {
		t.Errorf("plain output: %s", stdout)
	}
	for _, bad := range [][]string{{"--limit", "-1", "x"}, {"--filter", "无等号", "x"}, {"--sort", "title", "x"}} {
		if code, _, _ := runCLI(t, append([]string{"search", "-s", dir}, bad...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

func TestBadWordFilesFailTheBuild(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"config.toml":  "title = \"测试\"\n[search]\nwords = [\"词典.txt\"]\nsynonyms = [\"同义词.txt\"]\n",
		"词典.txt":       "三重一大 1000 n\n坏词 很多\n",
		"同义词.txt":      "# 注释\n只有一个词\n",
		"content/a.md": "正文",
	})
	code, _, stderr := runCLI(t, "build", "-s", dir, "-q")
	if code != exitFailure || !strings.Contains(stderr, "词典.txt:2: 错误: 词频 \"很多\" 应为正数") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	_ = os.WriteFile(filepath.Join(dir, "词典.txt"), []byte("三重一大 1000 n\n"), 0o644)
	code, _, stderr = runCLI(t, "build", "-s", dir, "-q")
	if code != exitFailure || !strings.Contains(stderr, "同义词.txt:2: 错误: 同义词一行至少两个词") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
