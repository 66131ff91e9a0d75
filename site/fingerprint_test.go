package site

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

// TestFingerprintCoversInputs: changing any input of a build changes the fingerprint.
func TestFingerprintCoversInputs(t *testing.T) {
	tests := []struct {
		name   string
		change string // file rewritten, relative to the site
	}{
		{"content", "content/a.md"},
		{"layout", "layouts/_default/single.html"},
		{"static", "static/logo.txt"},
		{"asset", "assets/site.css"},
		{"config", "config.toml"},
		{"dictionary file", "dict/words.txt"},
		{"synonym file", "dict/syn.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sitetest.Write(t, map[string]string{
				"config.toml":                  "title = \"t\"\n[search]\nwords = [\"dict/words.txt\"]\nsynonyms = [\"dict/syn.txt\"]\n",
				"content/a.md":                 "# 甲\n",
				"layouts/_default/single.html": "{{ .Title }}",
				"static/logo.txt":              "logo",
				"assets/site.css":              "body{}",
				"dict/words.txt":               "三重一大\n",
				"dict/syn.txt":                 "纪委, 纪律检查委员会\n",
			})
			before, err := Fingerprint(dir, Options{}, "")
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, filepath.FromSlash(tt.change))
			if err := os.WriteFile(p, []byte("changed\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(time.Second)
			_ = os.Chtimes(p, later, later)
			after, err := Fingerprint(dir, Options{}, "")
			if err != nil {
				t.Fatal(err)
			}
			if before == after {
				t.Errorf("changing %s left the fingerprint as it was", tt.change)
			}
		})
	}
}
