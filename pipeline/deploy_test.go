package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jingjian/internal/sitetest"
)

// TestDeploy publishes two builds, refuses a broken third without touching current, and
// rolls back to the first.
func TestDeploy(t *testing.T) {
	siteDir := sitetest.Write(t, map[string]string{
		"config.toml":  "title = \"t\"\n",
		"content/a.md": "+++\ntitle = \"甲\"\n+++\n第一版\n",
	})
	dest := filepath.Join(t.TempDir(), "www")
	o := Options{Site: siteDir}
	page := func() string {
		b, err := os.ReadFile(filepath.Join(dest, "current", "a", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if err := Deploy(t.Context(), o, dest, 0, false); err != nil {
		t.Fatal(err)
	}
	first, _ := os.Readlink(filepath.Join(dest, "current"))
	if err := os.WriteFile(filepath.Join(siteDir, "content/a.md"), []byte("+++\ntitle = \"甲\"\n+++\n第二版\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Deploy(t.Context(), o, dest, 0, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page(), "第二版") {
		t.Fatal("current does not serve the second build")
	}
	second, _ := os.Readlink(filepath.Join(dest, "current"))
	if err := Deploy(t.Context(), o, dest, 0, false); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dest, "releases")); len(entries) != 2 {
		t.Errorf("a deploy with nothing changed made a release: %d in releases/; want 2", len(entries))
	}
	if err := os.WriteFile(filepath.Join(siteDir, "content/a.md"), []byte("+++\ntitle = \"甲\"\ndate = 2024-13-40\n+++\n第三版\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Deploy(t.Context(), o, dest, 0, false)
	if err == nil || !strings.Contains(err.Error(), "content/a.md:3:") {
		t.Fatalf("broken build deployed: %v", err)
	}
	if now, _ := os.Readlink(filepath.Join(dest, "current")); now != second || !strings.Contains(page(), "第二版") {
		t.Fatalf("after a failed build current is %s; want %s, serving the second build", now, second)
	}
	entries, _ := os.ReadDir(filepath.Join(dest, "releases"))
	if len(entries) != 2 {
		t.Errorf("releases/ holds %d entries after the failed build; want the 2 published", len(entries))
	}
	if err := Deploy(t.Context(), o, dest, 0, true); err != nil {
		t.Fatal(err)
	}
	if now, _ := os.Readlink(filepath.Join(dest, "current")); now != first || !strings.Contains(page(), "第一版") {
		t.Fatalf("after rollback current is %s; want %s, serving the first build", now, first)
	}
}
