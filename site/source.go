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
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"

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

// inputDirs are the folders of a site whose files go into a build.
var inputDirs = []string{"content", "layouts", "static", "assets"}

// Inputs lists everything a build of the site in dir reads, as absolute paths: its
// config.toml, the folders content/, layouts/, static/ and assets/ (whether or not they
// exist), and the files cfg names: [search] words and synonyms, the privacy allow-list
// (none when cfg is nil). The fingerprint covers
// the same inputs, and live preview watches them.
func Inputs(dir string, cfg *Config) []string {
	out := []string{filepath.Join(dir, "config.toml")}
	for _, name := range inputDirs {
		out = append(out, filepath.Join(dir, name))
	}
	if cfg != nil {
		for _, p := range cfg.ownFiles() {
			out = append(out, filepath.Join(dir, filepath.FromSlash(p)))
		}
	}
	return out
}

// walkInput lists the files under SITE/name (display names it in messages), following
// symbolic links to files and folders. A link may lead only into the site folder or into
// one of the folders of allowed (real paths, see linkRoots): git carries symbolic links,
// and a link to /etc/passwd must not publish the build machine's files. A link elsewhere,
// a missing target, a loop, a device, FIFO or socket, and a file name that is not text are
// errors; a Markdown file hidden by a leading dot is a warning. allowed == nil follows
// every link (the fingerprint's walk, which Load's checks back). A missing folder lists
// nothing unless required.
func walkInput(siteDir, name string, allowed []string, required bool) ([]sourceFile, textpos.List) {
	var (
		files []sourceFile
		errs  textpos.List
	)
	root := filepath.Join(siteDir, name)
	top := textpos.Pos{Path: name}
	info, err := os.Stat(root)
	if err != nil {
		if _, lerr := os.Lstat(root); lerr == nil || required || !errors.Is(err, fs.ErrNotExist) {
			target, _ := os.Readlink(root)
			switch {
			case lerr == nil && target != "":
				errs.Add(top, "符号链接指向不存在的 %q；请修复或删除该链接", target)
			case name == "content":
				errs.Add(top, "找不到内容目录：站点目录须包含 content/ 文件夹（%v）", err)
			default:
				errs.Add(top, "无法读取: %v", err)
			}
		}
		return nil, errs
	}
	if !info.IsDir() {
		errs.Add(top, "%s 应是一个文件夹，却是一个文件；请改名或删除它", name)
		return nil, errs
	}
	// outside reports where a link at p leads when that is outside the site and allowed.
	outside := func(p string) (string, bool) {
		if allowed == nil {
			return "", false
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return "", false // reported by the caller's Stat
		}
		for _, r := range allowed {
			if real == r || Within(r, real) {
				return "", false
			}
		}
		return real, true
	}
	if l, err := os.Lstat(root); err == nil && l.Mode()&fs.ModeSymlink != 0 {
		if real, bad := outside(root); bad {
			errs.Add(top, "%s", outsideMessage(real))
			return nil, errs
		}
	}
	var walk func(dir, rel string, ancestors []os.FileInfo)
	walk = func(dir, rel string, ancestors []os.FileInfo) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			errs.Add(textpos.Pos{Path: path.Join(name, rel)}, "无法读取目录: %v", err)
			return
		}
		for _, e := range entries {
			base := e.Name()
			abs := filepath.Join(dir, base)
			r := path.Join(rel, base)
			shown := textpos.Pos{Path: path.Join(name, r)}
			if !utf8.ValidString(base) || strings.ContainsFunc(base, unicode.IsControl) {
				errs.Add(textpos.Pos{Path: path.Join(name, strings.ToValidUTF8(r, "\ufffd"))},
					"文件名 %q 含有控制字符或不是 UTF-8（常见于 GBK 编码的压缩包解压）；请把它改为正常的中文或英文名", base)
				continue
			}
			if name != "static" && ignored(base) { // static/ is copied whole, .well-known/ too
				if strings.HasPrefix(base, ".") && isMarkdown(base) {
					errs.Warn(shown, "文件名以点开头，按隐藏文件跳过，不会发布；如需发布请去掉开头的点")
				}
				continue
			}
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
				if real, bad := outside(abs); bad {
					errs.Add(shown, "%s", outsideMessage(real))
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
			default:
				errs.Add(shown, "这是%s，不是普通文件，不能发布；请删除它或换成普通文件", specialKind(mode))
			}
		}
	}
	walk(root, "", []os.FileInfo{info})
	slices.SortFunc(files, func(a, b sourceFile) int { return strings.Compare(a.rel, b.rel) })
	return files, errs
}

func outsideMessage(real string) string {
	return fmt.Sprintf("符号链接指向站点目录以外的 %s；为免发布构建机上的其他文件，不会读取它。请改为复制文件，或在 config.toml 的 [build] allowLinksTo 中列出该目录", real)
}

// specialKind names a file type that is neither a folder nor a regular file.
func specialKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "命名管道（FIFO）"
	case m&fs.ModeSocket != 0:
		return "套接字"
	case m&fs.ModeDevice != 0:
		return "设备文件"
	}
	return "特殊文件"
}

// linkRoots returns the real paths symbolic links of the site in dir may lead into: the
// site folder and the folders config.toml's [build] allowLinksTo names (relative to the
// site, or absolute).
func linkRoots(dir string, extra []string) []string {
	var roots []string
	for _, p := range append([]string{"."}, extra...) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			roots = append(roots, real)
		}
	}
	return roots
}

// A textError is a problem at a place in a file's text, found before the text is text.
type textError struct {
	line, col int
	msg       string
}

func (e *textError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

// at is the error as a textpos.Error of the file display names.
func (e *textError) at(display string) *textpos.Error {
	return &textpos.Error{Pos: textpos.Pos{Path: display, Line: e.line, Col: e.col}, Msg: e.msg}
}

// Within reports whether p lies inside dir (not dir itself).
func Within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// decodeText turns a user's file into UTF-8 text with LF line ends. It removes a BOM,
// converts UTF-16 (with BOM) and GBK/GB18030, which Chinese office PCs still write, and
// reports a conversion as a note for a warning. Anything else that is not UTF-8 is an error.
func decodeText(src []byte) (text []byte, note string, err error) {
	// (An error at a place in the file is a *textError.)
	switch {
	case bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}):
		src = src[3:]
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}), bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		dec := textunicode.UTF16(textunicode.LittleEndian, textunicode.UseBOM).NewDecoder()
		out, derr := dec.Bytes(src)
		if derr != nil {
			return nil, "", fmt.Errorf("UTF-16 文本无法解码: %v；请另存为 UTF-8", derr)
		}
		src, note = out, "文件为 UTF-16 编码，已按 UTF-16 读取；建议另存为 UTF-8"
	}
	if out, ok := fromBOMlessUTF16(src); ok {
		src, note = out, "文件为无 BOM 的 UTF-16 编码，已按 UTF-16 读取；建议另存为 UTF-8"
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := textpos.LineCol(src, i)
		return nil, "", &textError{line, col, "含有 NUL 字节，这不是文本文件；请确认文件没有损坏"}
	}
	if !utf8.Valid(src) {
		if out, ok := fromGB18030(src); ok {
			src, note = out, "文件为 GBK/GB18030 编码，已自动转换为 UTF-8 读取（原文件未改动）；建议在编辑器中另存为 UTF-8"
		} else {
			off := firstInvalidUTF8(src)
			line, col := textpos.LineCol(src, off)
			return nil, "", &textError{line, col, "不是有效的 UTF-8 文本，也不是 GBK/GB18030；请用编辑器另存为 UTF-8"}
		}
	}
	return normalizeNewlines(src), note, nil
}

// fromBOMlessUTF16 recognises UTF-16 written without a byte order mark (some Windows
// tools do): NUL bytes, nearly all at odd offsets (little-endian) or at even ones
// (big-endian) as every ASCII character of the text has one, and a decoding that is clean text.
func fromBOMlessUTF16(src []byte) ([]byte, bool) {
	if len(src) < 2 || len(src)%2 != 0 || bytes.IndexByte(src, 0) < 0 {
		return nil, false
	}
	var nul [2]int
	for i, b := range src {
		if b == 0 {
			nul[i%2]++
		}
	}
	// UTF-16 Markdown has a NUL in every line end and ASCII character, and its Chinese is
	// no valid UTF-8: a stray NUL in UTF-8 text is a damaged file, not UTF-16.
	if (nul[0]+nul[1])*50 < len(src)/2 || utf8.Valid(src) && utf8.RuneCount(src) < len(src) {
		return nil, false
	}
	// A CJK character with a zero low byte (一 is U+4E00) puts the odd NUL on the other side.
	order := textunicode.LittleEndian
	switch {
	case nul[0]*8 <= nul[1]:
	case nul[1]*8 <= nul[0]:
		order = textunicode.BigEndian
	default:
		return nil, false
	}
	out, err := textunicode.UTF16(order, textunicode.IgnoreBOM).NewDecoder().Bytes(src)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, false
	}
	for _, r := range string(out) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return nil, false
		}
	}
	return out, true
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
