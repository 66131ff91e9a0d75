package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"jingjian/internal/textpos"
)

// A sourceFile is a file found under content/.
type sourceFile struct {
	abs string // path on disk (through symlinks as walked)
	rel string // slash-separated path relative to content/
}

// isMarkdown reports whether a content file is a page source.
func isMarkdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// ignored reports whether the walker skips a name: hidden files and editor leftovers.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"))
}

// walkContent lists the files under root, following symbolic links to files and folders.
// A link that points at one of its own ancestors is reported as a loop, not followed.
func walkContent(root, display string) ([]sourceFile, textpos.List) {
	var (
		files []sourceFile
		errs  textpos.List
	)
	info, err := os.Stat(root)
	if err != nil {
		errs.Add(textpos.Pos{Path: display}, "找不到内容目录：站点目录须包含 content/ 文件夹（%v）", err)
		return nil, errs
	}
	var walk func(dir, rel string, ancestors []os.FileInfo)
	walk = func(dir, rel string, ancestors []os.FileInfo) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			errs.Add(textpos.Pos{Path: path.Join(display, rel)}, "无法读取目录: %v", err)
			return
		}
		for _, e := range entries {
			name := e.Name()
			if ignored(name) {
				continue
			}
			abs := filepath.Join(dir, name)
			r := path.Join(rel, name)
			shown := textpos.Pos{Path: path.Join(display, r)}
			mode := e.Type()
			var fi os.FileInfo
			if mode&fs.ModeSymlink != 0 {
				fi, err = os.Stat(abs)
				if err != nil {
					target, _ := os.Readlink(abs)
					if errors.Is(err, fs.ErrNotExist) {
						errs.Add(shown, "符号链接指向不存在的 %q；请修复或删除该链接", target)
					} else {
						errs.Add(shown, "符号链接 %q 无法解析（可能是循环链接）: %v", target, err)
					}
					continue
				}
				mode = fi.Mode().Type()
			}
			switch {
			case mode.IsDir():
				if fi == nil {
					if fi, err = os.Stat(abs); err != nil {
						errs.Add(shown, "无法读取目录: %v", err)
						continue
					}
				}
				if slices.ContainsFunc(ancestors, func(a os.FileInfo) bool { return os.SameFile(a, fi) }) {
					target, _ := os.Readlink(abs)
					errs.Add(shown, "符号链接循环：%q 指回它自己的上级目录；请删除该链接", target)
					continue
				}
				walk(abs, r, append(ancestors[:len(ancestors):len(ancestors)], fi))
			case mode.IsRegular():
				files = append(files, sourceFile{abs: abs, rel: r})
			}
		}
	}
	walk(root, "", []os.FileInfo{info})
	slices.SortFunc(files, func(a, b sourceFile) int { return strings.Compare(a.rel, b.rel) })
	return files, errs
}

// decodeText turns a user's file into UTF-8 text with LF line ends. It removes a BOM,
// converts UTF-16 (with BOM) and GBK/GB18030, which Chinese office PCs still write, and
// reports a conversion as a note for a warning. Anything else that is not UTF-8 is an error.
func decodeText(src []byte) (text []byte, note string, err error) {
	switch {
	case bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}):
		src = src[3:]
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}), bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, derr := dec.Bytes(src)
		if derr != nil {
			return nil, "", fmt.Errorf("UTF-16 文本无法解码: %v；请另存为 UTF-8", derr)
		}
		src, note = out, "文件为 UTF-16 编码，已按 UTF-16 读取；建议另存为 UTF-8"
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := textpos.LineCol(src, i)
		return nil, "", fmt.Errorf("第 %d 行第 %d 列含有 NUL 字节，这不是文本文件；请确认文件没有损坏", line, col)
	}
	if !utf8.Valid(src) {
		if out, ok := fromGB18030(src); ok {
			src, note = out, "文件为 GBK/GB18030 编码，已自动转换为 UTF-8 读取（原文件未改动）；建议在编辑器中另存为 UTF-8"
		} else {
			off := firstInvalidUTF8(src)
			line, col := textpos.LineCol(src, off)
			return nil, "", fmt.Errorf("第 %d 行第 %d 列不是有效的 UTF-8 文本，也不是 GBK/GB18030；请用编辑器另存为 UTF-8", line, col)
		}
	}
	return normalizeNewlines(src), note, nil
}

// fromGB18030 decodes src as GB18030 (a superset of GBK and GB2312). It accepts the result
// only if every byte decoded and the text holds Chinese, so random binary is not taken as GBK.
func fromGB18030(src []byte) ([]byte, bool) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, false
	}
	han := 0
	for _, r := range string(out) {
		if r >= 0x4E00 && r <= 0x9FFF {
			han++
		}
	}
	return out, han > 0
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(src)
}

// normalizeNewlines turns CRLF and lone CR into LF, keeping line numbers unchanged.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}
