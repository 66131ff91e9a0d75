package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"

	"jingjian/internal/textpos"
	"jingjian/render"
)

// Report prints each problem on its own line, then a count. A full disk is one
// line: nothing in the site is to be fixed.
func Report(w io.Writer, err error) {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "构建已中断；原有输出未改动。")
		return
	}
	if full, ok := errors.AsType[*render.DiskFullError](err); ok {
		fmt.Fprintln(w, full)
		return
	}
	if render.DiskFull(err) { // while indexing, say
		fmt.Fprintf(w, "磁盘空间不足：%v；请清理磁盘后重试。\n", err)
		return
	}
	var list textpos.List
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
		fmt.Fprintf(w, "构建失败：%d 个错误；请按上面的位置逐一修改后重试。\n", len(list.Errors()))
		return
	}
	fmt.Fprintln(w, "错误:", err)
}
