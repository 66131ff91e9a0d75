package site

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Statuses a regulation's front matter may state (the example site's 时效性 field).
const (
	StatusInForce  = "现行有效"
	StatusRevised  = "已修订"
	StatusRepealed = "已废止"
	StatusNotYet   = "尚未生效"
	statusKey      = "status" // the front matter key stating it
)

// A VersionGroup is the versions of one document: the pages of one top-level section that
// share a title (监察法(2018-03-20) and 监察法(2024-12-25)). Render, the index and check all
// take versions from here.
type VersionGroup struct {
	Title   string
	Pages   []*Page // newest first; undated pages last
	Current *Page   // the version in force, nil when every version is repealed or not yet in force
}

// Versions returns the group of p's versions, or nil when p has no other version and no
// status saying it is out of force.
func (p *Page) Versions() *VersionGroup { return p.versions }

// Status is the page's time validity: as its front matter states it, else derived from its
// versions (the current one 现行有效, an older one 已修订); "" for a page without versions.
func (p *Page) Status() string {
	if s := p.statedStatus(); s != "" {
		return s
	}
	g := p.versions
	switch {
	case g == nil || len(g.Pages) < 2:
		return ""
	case g.Current == p:
		return StatusInForce
	case g.Current != nil && versionDate(p).Before(versionDate(g.Current)):
		return StatusRevised
	}
	return ""
}

// IsCurrent reports whether p is in force: the current version of its group, or a page
// without versions and without a status saying otherwise.
func (p *Page) IsCurrent() bool {
	if p.versions == nil {
		s := p.statedStatus()
		return s != StatusRepealed && s != StatusRevised && s != StatusNotYet
	}
	return p.versions.Current == p
}

// VersionDate is the date a version is known by: its date, else its 施行日期 (effective) or
// 印发日期 (issued) field.
func (p *Page) VersionDate() time.Time { return versionDate(p) }

// At returns the version in force on day d: the newest dated on or before d that was not
// yet replaced then, else the current one. A zero d means today: the current version.
func (g *VersionGroup) At(d time.Time) *Page {
	if d.IsZero() {
		return g.Current
	}
	for _, p := range g.Pages { // newest first
		if vd := versionDate(p); !vd.IsZero() && !vd.After(d) && p.statedStatus() != StatusNotYet {
			return p
		}
	}
	return g.Current
}

// Older returns the version just before p in g, or nil.
func (g *VersionGroup) Older(p *Page) *Page {
	i := slices.Index(g.Pages, p)
	if i < 0 || i+1 >= len(g.Pages) {
		return nil
	}
	return g.Pages[i+1]
}

// Newer returns the version just after p in g, or nil.
func (g *VersionGroup) Newer(p *Page) *Page {
	i := slices.Index(g.Pages, p)
	if i <= 0 {
		return nil
	}
	return g.Pages[i-1]
}

func (p *Page) statedStatus() string {
	s, _ := p.Params[statusKey].(string)
	return strings.TrimSpace(s)
}

func versionDate(p *Page) time.Time {
	if !p.Date.IsZero() {
		return p.Date
	}
	for _, key := range []string{"effective", "issued"} {
		switch v := p.Params[key].(type) {
		case time.Time:
			return v
		case string:
			if t, err := time.Parse(time.DateOnly, strings.TrimSpace(v)); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

// groupVersions makes the version groups of the site: pages sharing a title within a
// top-level section, newest first. The current version is the newest one stating
// 现行有效, else the newest one stating no status that puts it out of force; a stated
// status wins over dates. A page alone gets a group only when its status says it is out of
// force, so that it can say so.
func (s *Site) groupVersions() {
	byKey := map[string][]*Page{}
	var keys []string
	for _, p := range s.Pages {
		top, _, _ := strings.Cut(p.Dir, "/")
		k := top + "\x00" + p.Title
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], p)
	}
	s.Versions = s.Versions[:0]
	for _, k := range keys {
		pages := byKey[k]
		if len(pages) == 1 {
			st := pages[0].statedStatus()
			if st != StatusRepealed && st != StatusRevised && st != StatusNotYet {
				continue
			}
		}
		slices.SortStableFunc(pages, func(a, b *Page) int {
			da, db := versionDate(a), versionDate(b)
			switch {
			case da.IsZero() != db.IsZero():
				if da.IsZero() {
					return 1
				}
				return -1
			}
			return cmp.Or(db.Compare(da), cmp.Compare(a.Path, b.Path))
		})
		g := &VersionGroup{Title: pages[0].Title, Pages: pages}
		for _, p := range pages { // newest first: the first match wins
			if p.statedStatus() == StatusInForce {
				g.Current = p
				break
			}
		}
		if g.Current == nil {
			for _, p := range pages {
				if st := p.statedStatus(); st == "" {
					g.Current = p
					break
				}
			}
		}
		for _, p := range pages {
			p.versions = g
		}
		s.Versions = append(s.Versions, g)
	}
}
