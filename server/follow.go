package server

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Follow lets a production server (no live preview) notice builds made by another
// process — the README's deployment: `jingjian build` from CI or cron, `jingjian serve`
// running all along. Every interval it looks at files (the output's marker, the index's
// state); when one of them changed it asks probe what is built now, and when that differs
// from what is served (and is not "", which means a build is under way or stopped
// halfway) it calls swap, which opens the new index and swaps it in: queries running on
// the old one finish there. A swap that fails (a damaged index, say) is logged once; the
// server keeps answering from what it had, and tries again when the files next change.
func (s *Server) Follow(ctx context.Context, every time.Duration, files []string, probe func() string, swap func() error) {
	serving := probe()
	stamp := stamps(files)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			now := stamps(files)
			if now == stamp {
				continue
			}
			stamp = now
			built := probe()
			if built == "" || built == serving {
				continue
			}
			if err := swap(); err != nil {
				s.log.Printf("发现新的构建，但无法启用，继续使用原来的索引：%v", err)
				serving = built // not retried until the next build
				continue
			}
			serving = built
			s.log.Printf("已启用新的构建（索引与输出）")
		}
	}()
}

// stamps sums up the files' sizes and times: a build writes both files anew.
func stamps(files []string) string {
	out := ""
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			out += "-|"
			continue
		}
		out += fmt.Sprintf("%d.%d|", info.Size(), info.ModTime().UnixNano())
	}
	return out
}
