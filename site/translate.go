package site

import "strings"

// parserMessages turn the English of the YAML and TOML parsers into Chinese that says
// what to do; the parser's own text follows in brackets, for searching the web.
var parserMessages = []struct{ has, zh string }{
	{"did not find expected ',' or ']'", "列表 [ … ] 没有正确结束：缺少 ] 或项之间的逗号"},
	{"did not find expected ',' or '}'", "映射 { … } 没有正确结束：缺少 } 或项之间的逗号"},
	{"mapping values are not allowed in this context", "这里不能再写“键: 值”；值中含有冒号时请给整个值加引号"},
	{"found character that cannot start any token", "出现了不能作为值开头的字符（常见于用 Tab 缩进，或值以 @、` 开头）；请用空格缩进，或给值加引号"},
	{"could not find expected ':'", "缺少冒号：每行应写作“键: 值”"},
	{"found a tab character", "缩进中有 Tab 字符；YAML 只能用空格缩进"},
	{"did not find expected key", "缩进没有对齐，或缺少键名"},
	{"did not find expected node content", "缺少值"},
	{"found unexpected end of stream", "内容意外结束：引号或括号没有闭合"},
	{"found unknown escape character", "双引号中有无法识别的反斜杠转义；请改用单引号，或写成 \\\\"},
	{"block sequence entries are not allowed in this context", "这里不能开始“- 项”列表；请检查缩进"},
	{"already defined", "同一个键写了两次；请删除重复的一行"},
	{"has already been defined", "同一个键写了两次；请删除重复的一行"},
	{"expected a top-level item to end", "一行只能写一个“键 = 值”；请检查引号和换行"},
	{"bare keys cannot contain", "键名含有不允许的字符；请给键名加引号"},
	{"expected value but found", "缺少值，或文字没有加引号"},
	{"unexpected EOF", "内容意外结束：引号或括号没有闭合"},
	{"unexpected newline", "值没有写完就换行了：引号或括号没有闭合"},
	{"expected a comma", "数组的项之间缺少逗号"},
	{"invalid date", "日期写法不对；请写成 2024-03-15"},
	{"cannot unmarshal", "值的类型不对"},
}

// translateParser gives the parser's message in Chinese with its own text kept after it;
// a message the table does not know is kept as it is.
func translateParser(msg string) string {
	msg = strings.TrimSpace(msg)
	for _, m := range parserMessages {
		if strings.Contains(msg, m.has) {
			return m.zh + "（" + msg + "）"
		}
	}
	return msg
}
