package api

import (
	"fmt"
	"golang.org/x/net/idna"
	"net"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/certwiz/certwiz/api/csr"
)

// Mode selects how much a request must contain.
type Mode int

const (
	// Complete demands the minimum complete set of api.md: a final submission.
	Complete Mode = iota
	// Partial checks only what is present (plus CertificateId and what the
	// present values imply): the service accepts information over several calls.
	Partial
)

// Problem is one thing wrong with a request, in both languages.
type Problem struct {
	Param   string
	Step    Step
	What    Text // what is wrong
	Fix     Text // what to do
	Missing bool // the value is absent rather than wrong
}

// Message is the problem as one line for people: parameter, step, what, fix.
func (p Problem) Message(lang string) string {
	if p.Step == "" {
		// A parameter of another action than the submission: no wizard step.
		if IsChinese(lang) {
			return fmt.Sprintf("%s：%s。%s", p.Param, p.What.In(lang), p.Fix.In(lang))
		}
		return fmt.Sprintf("%s: %s. %s", p.Param, p.What.In(lang), p.Fix.In(lang))
	}
	f, _ := Lookup(p.Param)
	label := f.Label.In(lang)
	if IsChinese(lang) {
		return fmt.Sprintf("%s（%s，%s步骤）：%s。%s", p.Param, label, p.Step.Label(lang), p.What.In(lang), p.Fix.In(lang))
	}
	return fmt.Sprintf("%s (%s, %s step): %s. %s", p.Param, label, p.Step.Label(lang), p.What.In(lang), p.Fix.In(lang))
}

// Problems is every problem of a request at once; as an error it lists them all.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Message(English)
	}
	return fmt.Sprintf("%d invalid or missing parameter(s):\n  %s", len(ps), strings.Join(lines, "\n  "))
}

// For returns the problems of one parameter.
func (ps Problems) For(param string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Param == param {
			out = append(out, p)
		}
	}
	return out
}

// Normalized returns the request as certwiz sends it: surrounding space
// trimmed (secrets excepted), names lower-case with IDNs in punycode,
// choices and the country in their canonical case, phone separators removed.
func (r Request) Normalized() Request {
	var n Request
	for _, f := range Fields {
		if !r.Has(f.Name) {
			continue
		}
		if f.Kind == KindList {
			var items []string
			for _, it := range r.List(f.Name) {
				if it = normalizeValue(f, it); it != "" {
					items = append(items, it)
				}
			}
			_ = n.SetList(f.Name, items)
			continue
		}
		_ = n.Set(f.Name, normalizeValue(f, r.Get(f.Name)))
	}
	return n
}

func normalizeValue(f Field, v string) string {
	if f.Kind == KindSecret {
		return v
	}
	v = strings.TrimSpace(v)
	switch {
	case f.Kind == KindBool:
		switch strings.ToLower(v) {
		case "true", "yes", "y", "1", "是":
			return "true"
		case "false", "no", "n", "0", "否":
			return "false"
		}
	case f.Kind == KindChoice:
		for _, c := range f.Choices {
			if strings.EqualFold(c.Value, v) {
				return c.Value
			}
		}
	case f.Name == "CertificateDomain" || f.Name == "DomainList":
		return normalizeDomain(v)
	case f.Name == "OrganizationCountry":
		return strings.ToUpper(v)
	case f.Name == "PhoneAreaCode" || f.Name == "PhoneNumber" || f.Name == "AdminPhoneNum" || f.Name == "ContactNumber":
		return strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(v)
	}
	return v
}

// normalizeDomain lower-cases a name and converts an IDN to punycode; a
// name that cannot be converted is returned as typed for validation to report.
func normalizeDomain(v string) string {
	v = csr.Normalize(v)
	// One trailing dot is the DNS root ("example.com."); more is a typo to report.
	if strings.HasSuffix(v, ".") && !strings.HasSuffix(v, "..") {
		v = v[:len(v)-1]
	}
	return v
}

// Validate reports every problem of a request at once, in catalogue order.
// It checks the normalized form of r: send r.Normalized().
func Validate(r Request, mode Mode) Problems {
	r = r.Normalized()
	var ps Problems
	add := func(f Field, fl *flaw) {
		ps = append(ps, Problem{Param: f.Name, Step: f.Step, What: fl.What, Fix: fl.Fix})
	}
	for _, f := range Fields {
		if !r.Has(f.Name) {
			if needed(f, r, mode) {
				ps = append(ps, Problem{Param: f.Name, Step: f.Step, Missing: true,
					What: Text{"is missing", "未填写"},
					Fix:  Text{"Enter the " + strings.ToLower(f.Label.EN) + ": " + f.Hint.EN, "请填写" + f.Label.ZH + "：" + f.Hint.ZH},
				})
			}
			continue
		}
		seen := map[string]bool{}
		for _, v := range r.List(f.Name) {
			if fl := checkValue(f, v); fl != nil {
				add(f, fl)
				continue
			}
			if seen[v] {
				add(f, &flaw{
					What: Text{fmt.Sprintf("%q is listed twice", v), fmt.Sprintf("%q 重复出现", v)},
					Fix:  Text{"Remove the duplicate", "请删除重复项"},
				})
			}
			seen[v] = true
		}
	}
	return append(ps, crossCheck(r)...)
}

func needed(f Field, r Request, mode Mode) bool {
	switch f.Need {
	case Always:
		return true
	case Required:
		return mode == Complete
	case WhenParse:
		return r.CsrType == "parse"
	}
	return false
}

// checkValue applies the rules every value shares, then the field's own.
func checkValue(f Field, v string) *flaw {
	if !utf8.ValidString(v) {
		return &flaw{Text{"is not valid UTF-8 text", "不是有效的 UTF-8 文本"}, Text{"Retype it or save the file as UTF-8", "请重新输入，或将文件保存为 UTF-8"}}
	}
	for _, c := range v {
		if unicode.IsControl(c) && !(f.Kind == KindMultiline && (c == '\n' || c == '\r' || c == '\t')) {
			return &flaw{Text{fmt.Sprintf("contains a control character (%U)", c), fmt.Sprintf("包含控制字符（%U）", c)},
				Text{"Remove tabs, line breaks and other invisible characters", "请删除制表符、换行等不可见字符"}}
		}
		if f.Kind != KindSecret && invisible(c) {
			return &flaw{Text{fmt.Sprintf("contains an invisible formatting character (%U), which can make text display differently from what is sent", c), fmt.Sprintf("包含不可见的格式字符（%U），会使显示内容与发送内容不一致", c)},
				Text{"Retype the value instead of pasting it", "请手动重新输入，不要粘贴"}}
		}
	}
	if n := utf8.RuneCountInString(v); f.MaxLen > 0 && n > f.MaxLen {
		return &flaw{Text{fmt.Sprintf("is %d characters long, more than the %d allowed", n, f.MaxLen), fmt.Sprintf("长度为 %d 个字符，超过上限 %d", n, f.MaxLen)},
			Text{"Shorten it", "请缩短"}}
	}
	if f.Kind == KindChoice || f.Kind == KindBool {
		for _, c := range f.Choices {
			if c.Value == v {
				return nil
			}
		}
		vals := make([]string, len(f.Choices))
		for i, c := range f.Choices {
			vals[i] = c.Value
		}
		list := strings.Join(vals, ", ")
		return &flaw{Text{fmt.Sprintf("%q is not one of %s", v, list), fmt.Sprintf("%q 不是 %s 之一", v, list)},
			Text{"Use one of: " + list, "请使用：" + list}}
	}
	if f.check != nil {
		return f.check(v)
	}
	return nil
}

func checkText(string) *flaw { return nil }

// invisible reports bidi controls and other characters that change how
// text looks without being seen: zero-width spaces and joiners, direction
// marks, embeddings and isolates, line and paragraph separators, BOM.
func invisible(c rune) bool {
	switch {
	case c >= 0x200B && c <= 0x200F, c >= 0x202A && c <= 0x202E, c >= 0x2060 && c <= 0x2069,
		c == 0x2028, c == 0x2029, c == 0xFEFF:
		return true
	}
	return unicode.Is(unicode.Cf, c)
}

func checkCertificateID(v string) *flaw {
	if strings.ContainsFunc(v, unicode.IsSpace) {
		return &flaw{Text{fmt.Sprintf("%q has a space inside: an ID is one word of letters and digits", v), fmt.Sprintf("%q 中间有空格：证书 ID 是由字母和数字组成的一个词", v)},
			Text{"Remove the space, or copy the ID again (certwiz certs lists them)", "请删除空格，或重新复制 ID（certwiz certs 可列出）"}}
	}
	for _, c := range v {
		if !isAlnum(c) {
			return &flaw{Text{fmt.Sprintf("%q has characters other than letters and digits", v), fmt.Sprintf("%q 含有字母和数字以外的字符", v)},
				Text{"Copy the ID from the SSL console's certificate list, e.g. abcb1234", "请从 SSL 证书控制台的证书列表复制 ID，如 abcb1234"}}
		}
	}
	return nil
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func checkDigits(v string) *flaw {
	for _, c := range v {
		if !isDigit(c) {
			return &flaw{Text{fmt.Sprintf("%q must be digits only", v), fmt.Sprintf("%q 只能包含数字", v)},
				Text{"Type only the digits, e.g. 0755 or 86013388", "请只输入数字，如 0755 或 86013388"}}
		}
	}
	return nil
}

func checkMobile(v string) *flaw {
	digits := strings.TrimPrefix(v, "+")
	if len(digits) < 5 || strings.IndexFunc(digits, func(c rune) bool { return !isDigit(c) }) >= 0 {
		return &flaw{Text{fmt.Sprintf("%q is not a phone number", v), fmt.Sprintf("%q 不是有效的电话号码", v)},
			Text{"Use digits with an optional leading +, e.g. 13800138000 or +8613800138000", "请输入数字，可带开头的 +，如 13800138000 或 +8613800138000"}}
	}
	return nil
}

func checkPostalCode(v string) *flaw {
	for _, c := range v {
		if !isAlnum(c) && c != ' ' && c != '-' {
			return &flaw{Text{fmt.Sprintf("%q is not a postal code", v), fmt.Sprintf("%q 不是有效的邮政编码", v)},
				Text{"Use letters, digits, spaces and hyphens only, e.g. 518000", "只能包含字母、数字、空格和连字符，如 518000"}}
		}
	}
	return nil
}

func checkCountry(v string) *flaw {
	if _, ok := CountryByCode(v); ok {
		return nil
	}
	return &flaw{Text{fmt.Sprintf("%q is not an ISO 3166-1 country code", v), fmt.Sprintf("%q 不是 ISO 3166-1 国家代码", v)},
		Text{"Use the two-letter code, e.g. CN for China, US for the United States", "请使用两位字母代码，如中国为 CN，美国为 US"}}
}

func checkEmail(v string) *flaw {
	bad := &flaw{Text{fmt.Sprintf("%q is not an e-mail address", v), fmt.Sprintf("%q 不是有效的邮箱地址", v)},
		Text{"Use a plain address such as admin@example.com", "请输入如 admin@example.com 的邮箱地址"}}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" {
		return bad
	}
	at := strings.LastIndexByte(v, '@')
	domain := normalizeDomain(v[at+1:])
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, "*.") || checkDomain(domain) != nil {
		return bad
	}
	return nil
}

// checkDomain enforces the DNS-name rule of api.md on a normalized name.
func checkDomain(v string) *flaw {
	fix := Text{"Enter a DNS name such as www.example.com or *.example.com, without scheme, path or port", "请输入如 www.example.com 或 *.example.com 的域名，不带协议、路径或端口"}
	bad := func(en, zh string) *flaw {
		return &flaw{Text{fmt.Sprintf("%q %s", v, en), fmt.Sprintf("%q %s", v, zh)}, fix}
	}
	switch {
	case strings.Contains(v, "://"):
		return bad("has a scheme", "包含协议")
	case strings.Contains(v, "/"):
		return bad("has a path", "包含路径")
	case net.ParseIP(strings.Trim(v, "[]")) != nil:
		return bad("is an IP address; certificates here are for domain names", "是 IP 地址，这里只能填写域名")
	case strings.Contains(v, ":"):
		return bad("has a port", "包含端口")
	}
	name := strings.TrimPrefix(v, "*.")
	if len(v) > 253 {
		return bad("is longer than 253 characters", "超过 253 个字符")
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return bad("is not a fully qualified name (it needs a dot)", "不是完整域名（缺少点）")
	}
	for _, l := range labels {
		switch {
		case l == "":
			return bad("has an empty label (two dots in a row)", "含有空标签（连续两个点）")
		case strings.Contains(l, "*"):
			return bad("may only be a wildcard as its whole first label (*.example.com)", "通配符只能作为整个第一段（*.example.com）")
		case len(l) > 63:
			return bad("has a label longer than 63 characters", "含有超过 63 个字符的标签")
		case l[0] == '-' || l[len(l)-1] == '-':
			return bad("has a label that starts or ends with a hyphen", "含有以连字符开头或结尾的标签")
		}
		if strings.HasPrefix(l, "xn--") {
			if _, err := idna.Registration.ToUnicode(l); err != nil {
				return bad(fmt.Sprintf("has an invalid punycode label (%s)", l), fmt.Sprintf("含有无效的 punycode 标签（%s）", l))
			}
		}
		for _, c := range l {
			if !isAlnum(c) && c != '-' {
				return bad(fmt.Sprintf("contains %q, which no DNS name may have", c), fmt.Sprintf("包含域名中不允许的字符 %q", c))
			}
		}
	}
	if strings.IndexFunc(labels[len(labels)-1], func(c rune) bool { return !isDigit(c) }) < 0 {
		return bad("ends in an all-digit label; top-level domains have letters", "最后一段全是数字，顶级域名应包含字母")
	}
	return nil
}

// crossCheck applies the rules that span parameters.
func crossCheck(r Request) Problems {
	var ps Problems
	names := append([]string{r.CertificateDomain}, r.DomainList...)
	if MethodOf(r.VerifyType) == MethodFile {
		for _, n := range names {
			if strings.HasPrefix(n, "*.") {
				ps = append(ps, Problem{Param: "VerifyType", Step: StepVerification,
					What: Text{fmt.Sprintf("FILE validation cannot prove a wildcard name (%s)", n), fmt.Sprintf("通配符域名（%s）不能使用文件验证", n)},
					Fix:  Text{"Choose DNS_AUTO or DNS", "请选择 DNS_AUTO 或 DNS"}})
				break
			}
		}
	}
	if r.KeyPassword != "" && r.CsrType == "parse" {
		ps = append(ps, Problem{Param: "KeyPassword", Step: StepCSR,
			What: Text{"is only used when Tencent Cloud generates the key (CsrType online)", "仅在腾讯云生成私钥（CsrType 为 online）时使用"},
			Fix:  Text{"Leave the key password empty when you upload your own CSR", "上传自己的 CSR 时请不要填写私钥密码"}})
	}
	if r.CsrType == "parse" && r.CsrContent != "" {
		if info, fl := readCSR(r.CsrContent); fl == nil {
			for _, m := range info.Check(r.CertificateDomain, r.DomainList) {
				f, _ := Lookup(m.Param)
				ps = append(ps, Problem{Param: m.Param, Step: f.Step, What: Text(m.What), Fix: Text(m.Fix)})
			}
		}
	}
	return ps
}
