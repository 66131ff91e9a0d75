package site

import (
	"context"
	"testing"
	"time"

	"jingjian/internal/sitetest"
)

func TestVersions(t *testing.T) {
	page := func(title, status string) string {
		fm := "---\ntitle: " + title + "\n"
		if status != "" {
			fm += "status: " + status + "\n"
		}
		return fm + "---\n第一条 正文。\n"
	}
	tests := []struct {
		name    string
		files   map[string]string
		current string            // path of the current version; "" for none
		status  map[string]string // path → Status()
		groups  int
	}{
		{
			name: "newest is current",
			files: map[string]string{
				"content/法律/监察法(2018-03-20).md": page("监察法", ""),
				"content/法律/监察法(2024-12-25).md": page("监察法", ""),
			},
			current: "法律/监察法(2024-12-25).md",
			status:  map[string]string{"法律/监察法(2018-03-20).md": StatusRevised, "法律/监察法(2024-12-25).md": StatusInForce},
			groups:  1,
		},
		{
			name: "stated status wins over dates",
			files: map[string]string{
				"content/r/办法(2019-05-10).md": page("办法", StatusInForce),
				"content/r/办法(2026-01-01).md": page("办法", StatusNotYet),
			},
			current: "r/办法(2019-05-10).md",
			status:  map[string]string{"r/办法(2026-01-01).md": StatusNotYet},
			groups:  1,
		},
		{
			name: "all repealed",
			files: map[string]string{
				"content/r/规定(2010-01-01).md": page("规定", StatusRevised),
				"content/r/规定(2015-01-01).md": page("规定", StatusRepealed),
			},
			groups: 1,
		},
		{
			name:    "a single repealed page has a group",
			files:   map[string]string{"content/r/旧规定.md": page("旧规定", StatusRepealed), "content/r/新规定.md": page("新规定", "")},
			status:  map[string]string{"r/旧规定.md": StatusRepealed, "r/新规定.md": ""},
			groups:  1,
			current: "",
		},
		{
			name: "same title in two sections is two documents",
			files: map[string]string{
				"content/a/办法.md": page("办法", ""),
				"content/b/办法.md": page("办法", ""),
			},
			groups: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(context.Background(), sitetest.Write(t, tt.files), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Versions) != tt.groups {
				t.Fatalf("%d groups, want %d", len(s.Versions), tt.groups)
			}
			if tt.groups == 1 {
				cur := ""
				if c := s.Versions[0].Current; c != nil {
					cur = c.Path
				}
				if cur != tt.current {
					t.Errorf("current %q, want %q", cur, tt.current)
				}
			}
			for _, p := range s.Pages {
				if want, ok := tt.status[p.Path]; ok && p.Status() != want {
					t.Errorf("%s: status %q, want %q", p.Path, p.Status(), want)
				}
				if p.IsCurrent() != (p.Versions() == nil && p.Status() != StatusRepealed || p.Versions() != nil && p.Versions().Current == p) {
					t.Errorf("%s: IsCurrent %v", p.Path, p.IsCurrent())
				}
			}
		})
	}
}

func TestVersionAt(t *testing.T) {
	s, err := Load(context.Background(), sitetest.Write(t, map[string]string{
		"content/法律/监察法(2018-03-20).md": "# 监察法\n\n第一条 旧。\n",
		"content/法律/监察法(2024-12-25).md": "# 监察法\n\n第一条 新。\n",
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := s.Versions[0]
	for _, tt := range []struct {
		day  string
		want string
	}{
		{"2020-06-01", "法律/监察法(2018-03-20).md"},
		{"2024-12-25", "法律/监察法(2024-12-25).md"},
		{"2025-01-01", "法律/监察法(2024-12-25).md"},
		{"2010-01-01", "法律/监察法(2024-12-25).md"}, // before any version: the current one
		{"", "法律/监察法(2024-12-25).md"},
	} {
		var d time.Time
		if tt.day != "" {
			d, _ = time.Parse(time.DateOnly, tt.day)
		}
		if got := g.At(d).Path; got != tt.want {
			t.Errorf("At(%s) = %s, want %s", tt.day, got, tt.want)
		}
	}
	if g.Older(g.Pages[0]) != g.Pages[1] || g.Newer(g.Pages[1]) != g.Pages[0] || g.Older(g.Pages[1]) != nil {
		t.Error("Older/Newer")
	}
}
