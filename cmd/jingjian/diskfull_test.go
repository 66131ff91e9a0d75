package main

import (
	"bytes"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"jingjian/pipeline"
	"jingjian/render"
)

func TestPrintErrorsDiskFullOnce(t *testing.T) {
	for _, err := range []error{
		&render.DiskFullError{Dest: "/srv/lz/public", Need: 12_300_000, Free: 400_000, Err: syscall.ENOSPC},
		fmt.Errorf("建立搜索索引失败: %w", syscall.ENOSPC),
	} {
		var b bytes.Buffer
		pipeline.Report(&b, err)
		out := b.String()
		if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "磁盘空间不足：") || strings.Contains(out, "逐一修改") {
			t.Errorf("pipeline.Report(%v) printed %q; want one line beginning 磁盘空间不足", err, out)
		}
	}
}
