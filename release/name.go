package release

import (
	"cmp"
	"strconv"
	"strings"
	"time"
)

// stampLayout formats a release's time; it sorts as a string in time order.
const stampLayout = "20060102-150405"

// A name identifies a release: its stamp and its number among releases of that stamp,
// 1 for the first (written without a suffix), 2 for "-2", and so on.
type name struct {
	stamp string
	seq   int
}

// String returns the folder name.
func (n name) String() string {
	if n.seq <= 1 {
		return n.stamp
	}
	return n.stamp + "-" + strconv.Itoa(n.seq)
}

// compare orders names by time, then by number.
func (n name) compare(o name) int {
	if c := strings.Compare(n.stamp, o.stamp); c != 0 {
		return c
	}
	return cmp.Compare(n.seq, o.seq)
}

// time returns the local time the stamp records.
func (n name) time() time.Time {
	t, _ := time.ParseInLocation(stampLayout, n.stamp, time.Local)
	return t
}

// parseName reads a folder name written by String. Anything else (an admin's own folder
// in releases/) is not a release: it is never listed, rolled back to or pruned.
func parseName(s string) (name, bool) {
	if len(s) < len(stampLayout) {
		return name{}, false
	}
	stamp, rest := s[:len(stampLayout)], s[len(stampLayout):]
	t, err := time.ParseInLocation(stampLayout, stamp, time.Local)
	if err != nil || t.Format(stampLayout) != stamp {
		return name{}, false
	}
	if rest == "" {
		return name{stamp: stamp, seq: 1}, true
	}
	digits, ok := strings.CutPrefix(rest, "-")
	if !ok {
		return name{}, false
	}
	seq, err := strconv.Atoi(digits)
	// Only the canonical spelling: "-02" or "-+2" would be a second name for one release.
	if err != nil || seq < 2 || strconv.Itoa(seq) != digits {
		return name{}, false
	}
	return name{stamp: stamp, seq: seq}, true
}

// nextName names a release made at now that orders after newest, the newest name taken
// (ok false when there is none).
func nextName(now time.Time, newest name, ok bool) name {
	stamp := now.In(time.Local).Format(stampLayout)
	if !ok || newest.stamp < stamp {
		return name{stamp: stamp, seq: 1}
	}
	return name{stamp: newest.stamp, seq: newest.seq + 1}
}
