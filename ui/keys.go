package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// bind is a key binding whose help is in the user's language.
func bind(lang string, desc t, helpKey string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc.In(lang)))
}

// Help texts of the keys; the footer shows those that work where the
// user is, as one bubbles/help line.
var (
	txtKeyMove        = t{EN: "move", ZH: "移动"}
	txtKeyChoose      = t{EN: "choose", ZH: "选择"}
	txtKeyNext        = t{EN: "next", ZH: "下一项"}
	txtKeyFilter      = t{EN: "filter", ZH: "筛选"}
	txtKeyTyping      = t{EN: "type", ZH: "输入"}
	txtKeyClearFilter = t{EN: "clear filter", ZH: "清除筛选"}
	txtKeyPrevField   = t{EN: "previous field", ZH: "上一项"}
	txtKeyBack        = t{EN: "back a step", ZH: "返回上一步"}
	txtKeyBackShort   = t{EN: "back", ZH: "返回"}
	txtKeyClear       = t{EN: "clear", ZH: "清空"}
	txtKeyQuit        = t{EN: "save and quit", ZH: "保存并退出"}
	txtKeyQuitOnly    = t{EN: "quit", ZH: "退出"}
	txtKeyScroll      = t{EN: "scroll", ZH: "滚动"}
	txtKeySideways    = t{EN: "see the whole line", ZH: "左右查看整行"}
	txtKeyNewLine     = t{EN: "new line", ZH: "换行"}
	txtKeyEditor      = t{EN: "open %s", ZH: "用 %s 编辑"}
	txtKeyCancel      = t{EN: "cancel", ZH: "取消"}
)

// helpLine renders bindings as one line that fits width.
func helpLine(bindings []key.Binding, width int) string {
	h := help.New()
	h.Width = width
	h.Styles.ShortKey = mutedStyle.Bold(true)
	h.Styles.ShortDesc = mutedStyle
	h.Styles.ShortSeparator = mutedStyle
	h.Styles.Ellipsis = mutedStyle
	return h.ShortHelpView(bindings)
}
