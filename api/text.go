package api

import "strings"

// Text is a message in both languages certwiz speaks.
type Text struct {
	EN string
	ZH string
}

// Language tags accepted by the service's X-TC-Language header.
const (
	English = "en-US"
	Chinese = "zh-CN"
)

// In returns the text in lang ("zh-CN" or anything else for English).
func (t Text) In(lang string) string {
	if IsChinese(lang) && t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// IsChinese reports whether lang asks for Chinese.
func IsChinese(lang string) bool {
	return strings.HasPrefix(strings.ToLower(lang), "zh")
}

// NormalizeLanguage maps a user or locale value (zh_CN.UTF-8, en, zh-cn…)
// to one of the two tags the service knows, English when unsure.
func NormalizeLanguage(lang string) string {
	if IsChinese(lang) {
		return Chinese
	}
	return English
}
