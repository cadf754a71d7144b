package api

// Step is one group of the wizard; every parameter belongs to exactly one.
type Step string

// The steps in the order the wizard walks them.
const (
	StepCertificate  Step = "certificate"
	StepCSR          Step = "csr"
	StepDomains      Step = "domains"
	StepOrganization Step = "organization"
	StepAdmin        Step = "admin"
	StepContact      Step = "contact"
	StepVerification Step = "verification"
)

// Steps lists every step in wizard order, with its label.
var Steps = []struct {
	Step  Step
	Label Text
}{
	{StepCertificate, Text{"Certificate", "证书"}},
	{StepCSR, Text{"CSR", "CSR"}},
	{StepDomains, Text{"Domains", "域名"}},
	{StepOrganization, Text{"Organization", "公司信息"}},
	{StepAdmin, Text{"Administrator", "管理人"}},
	{StepContact, Text{"Contact", "联系人"}},
	{StepVerification, Text{"Verification", "验证方式"}},
}

// Label returns the step's name for people.
func (s Step) Label(lang string) string {
	for _, st := range Steps {
		if st.Step == s {
			return st.Label.In(lang)
		}
	}
	return string(s)
}

// Need says when a parameter must be present.
type Need int

const (
	// Optional parameters may always be left out.
	Optional Need = iota
	// Always-needed parameters are required even in a partial submission.
	Always
	// Required parameters belong to the minimum complete set of a final submission.
	Required
	// WhenParse is required when CsrType is "parse".
	WhenParse
)

// Kind tells editors and decoders what shape a value has.
type Kind int

const (
	KindText      Kind = iota // one line of text
	KindChoice                // one of Field.Choices
	KindList                  // several names (DomainList): a JSON array
	KindMultiline             // a PEM block (CsrContent)
	KindSecret                // never saved, never shown (KeyPassword)
	KindBool                  // a JSON boolean (IsDV): "true" or "false" here, true/false on the wire
)

// Choice is one allowed value of a KindChoice field.
type Choice struct {
	Value string
	Label Text
}

// Field describes one API parameter once, for the forms, the validation,
// the review screen, the profile format and the error-to-step mapping.
type Field struct {
	Name    string // the API's JSON name
	Step    Step
	Label   Text
	Hint    Text
	Need    Need
	Kind    Kind
	Choices []Choice
	MaxLen  int // in characters, after trimming
	// check validates one normalized, non-empty value (each item of a list).
	check func(v string) *flaw
}

// flaw is what a validator found: what is wrong and what to do about it.
type flaw struct {
	What Text
	Fix  Text
}

// Fields is the catalogue: every parameter of SubmitCertificateInformation,
// in wizard order. It is the only place parameters are listed.
var Fields = []Field{
	{Name: "CertificateId", Step: StepCertificate, Need: Always, MaxLen: 64, check: checkCertificateID,
		Label: Text{"Certificate ID", "证书 ID"},
		Hint:  Text{"The paid certificate's ID, shown in the SSL console's certificate list (e.g. abcb1234)", "付费证书的 ID，见 SSL 证书控制台的证书列表（如 abcb1234）"}},
	{Name: "IsDV", Step: StepCertificate, Kind: KindBool,
		Choices: []Choice{
			{"false", Text{"No — an OV or EV certificate", "否——OV 或 EV 证书"}},
			{"true", Text{"Yes — a DV (domain-validated) certificate", "是——DV（域名验证）证书"}},
		},
		Label: Text{"DV certificate", "DV 证书"},
		Hint:  Text{"Whether the product is domain-validated; picked from the account's list, it is set for you", "该产品是否为域名验证型（DV）；从账号证书列表中选择时会自动设置"}},
	{Name: "CsrType", Step: StepCSR, Need: Always, Kind: KindChoice,
		Label: Text{"CSR mode", "CSR 生成方式"},
		Hint:  Text{"online: Tencent Cloud generates the key and CSR; parse: upload your own CSR", "online：由腾讯云生成私钥和 CSR；parse：上传自己的 CSR"},
		Choices: []Choice{
			{"online", Text{"online — Tencent Cloud generates the key and CSR", "online — 由腾讯云生成私钥和 CSR"}},
			{"parse", Text{"parse — I upload my own CSR", "parse — 上传我自己的 CSR"}},
		}},
	{Name: "CsrContent", Step: StepCSR, Need: WhenParse, Kind: KindMultiline, MaxLen: 16384, check: checkCSR,
		Label: Text{"CSR (PEM)", "CSR 内容（PEM）"},
		Hint:  Text{"The PEM block from -----BEGIN CERTIFICATE REQUEST----- to its END line", "从 -----BEGIN CERTIFICATE REQUEST----- 到 END 行的完整 PEM 内容"}},
	{Name: "CertificateDomain", Step: StepDomains, Need: Always, MaxLen: 253, check: checkDomain,
		Label: Text{"Common name (domain)", "绑定域名"},
		Hint:  Text{"e.g. www.example.com or *.example.com; no scheme, port or IP", "如 www.example.com 或 *.example.com；不带协议、端口，不能是 IP"}},
	{Name: "DomainList", Step: StepDomains, Kind: KindList, MaxLen: 253, check: checkDomain,
		Label: Text{"Additional domains", "其他域名"},
		Hint:  Text{"For multi-domain certificates: the other names, one per line", "多域名证书的其他域名，每行一个"}},
	{Name: "KeyPassword", Step: StepCSR, Kind: KindSecret, MaxLen: 64, check: checkText,
		Label: Text{"Private key password", "私钥密码"},
		Hint:  Text{"Optional, online mode only: Tencent sets it on the Tomcat (.jks) and IIS (.pfx) files of the download; the nginx and Apache key stays unencrypted. Never saved", "可选，仅 online 模式：腾讯云用它加密下载包中 Tomcat（.jks）和 IIS（.pfx）格式的文件；nginx 和 Apache 的私钥不加密。不会被保存"}},
	{Name: "OrganizationName", Step: StepOrganization, Need: Required, MaxLen: 200, check: checkText,
		Label: Text{"Company name", "公司名称"},
		Hint:  Text{"The registered legal name", "营业执照上的公司全称"}},
	{Name: "OrganizationDivision", Step: StepOrganization, Need: Required, MaxLen: 100, check: checkText,
		Label: Text{"Department", "部门"},
		Hint:  Text{"e.g. IT Department", "如 IT 部"}},
	{Name: "OrganizationAddress", Step: StepOrganization, Need: Required, MaxLen: 300, check: checkText,
		Label: Text{"Street address", "公司地址"},
		Hint:  Text{"Street and number", "街道和门牌号"}},
	{Name: "OrganizationCountry", Step: StepOrganization, Need: Required, MaxLen: 2, check: checkCountry,
		Label: Text{"Country", "国家"},
		Hint:  Text{"ISO 3166-1 two-letter code, e.g. CN", "ISO 3166-1 两位国家代码，如 CN"}},
	{Name: "OrganizationRegion", Step: StepOrganization, Need: Required, MaxLen: 100, check: checkText,
		Label: Text{"Province / state", "省份"},
		Hint:  Text{"e.g. Guangdong", "如 广东"}},
	{Name: "OrganizationCity", Step: StepOrganization, Need: Required, MaxLen: 100, check: checkText,
		Label: Text{"City", "城市"},
		Hint:  Text{"e.g. Shenzhen", "如 深圳"}},
	{Name: "PostalCode", Step: StepOrganization, MaxLen: 20, check: checkPostalCode,
		Label: Text{"Postal code", "邮政编码"},
		Hint:  Text{"Optional, e.g. 518000", "可选，如 518000"}},
	{Name: "PhoneAreaCode", Step: StepOrganization, Need: Required, MaxLen: 8, check: checkDigits,
		Label: Text{"Phone area code", "座机区号"},
		Hint:  Text{"Landline area code, digits only, e.g. 0755", "座机区号，仅数字，如 0755"}},
	{Name: "PhoneNumber", Step: StepOrganization, Need: Required, MaxLen: 20, check: checkDigits,
		Label: Text{"Phone number", "座机号码"},
		Hint:  Text{"Landline number without area code, digits only, e.g. 86013388", "不含区号的座机号码，仅数字，如 86013388"}},
	{Name: "AdminFirstName", Step: StepAdmin, Need: Required, MaxLen: 64, check: checkText,
		Label: Text{"Given name", "名"},
		Hint:  Text{"The administrator's given name", "管理人的名"}},
	{Name: "AdminLastName", Step: StepAdmin, Need: Required, MaxLen: 64, check: checkText,
		Label: Text{"Family name", "姓"},
		Hint:  Text{"The administrator's family name", "管理人的姓"}},
	{Name: "AdminPhoneNum", Step: StepAdmin, Need: Required, MaxLen: 21, check: checkMobile,
		Label: Text{"Mobile", "手机号"},
		Hint:  Text{"Digits, optional leading +, e.g. 13800138000", "数字，可带开头的 +，如 13800138000"}},
	{Name: "AdminEmail", Step: StepAdmin, Need: Required, MaxLen: 254, check: checkEmail,
		Label: Text{"E-mail", "邮箱"},
		Hint:  Text{"The CA may write to this address", "CA 可能会发邮件到此地址"}},
	{Name: "AdminPosition", Step: StepAdmin, Need: Required, MaxLen: 64, check: checkText,
		Label: Text{"Position", "职位"},
		Hint:  Text{"Job title, e.g. IT Manager", "职位，如 IT 经理"}},
	{Name: "ContactFirstName", Step: StepContact, Need: Required, MaxLen: 64, check: checkText,
		Label: Text{"Given name", "名"},
		Hint:  Text{"The contact's given name", "联系人的名"}},
	{Name: "ContactLastName", Step: StepContact, Need: Required, MaxLen: 64, check: checkText,
		Label: Text{"Family name", "姓"},
		Hint:  Text{"The contact's family name", "联系人的姓"}},
	{Name: "ContactEmail", Step: StepContact, Need: Required, MaxLen: 254, check: checkEmail,
		Label: Text{"E-mail", "邮箱"},
		Hint:  Text{"The CA writes to this address about the order", "CA 会就订单发邮件到此地址"}},
	{Name: "ContactNumber", Step: StepContact, Need: Required, MaxLen: 21, check: checkMobile,
		Label: Text{"Mobile", "手机号"},
		Hint:  Text{"Digits, optional leading +", "数字，可带开头的 +"}},
	{Name: "ContactPosition", Step: StepContact, Need: Required, MaxLen: 64, check: checkText,
		Label: Text{"Position", "职位"},
		Hint:  Text{"Job title", "职位"}},
	{Name: "VerifyType", Step: StepVerification, Kind: KindChoice,
		Label: Text{"Domain validation", "域名验证方式"},
		Hint:  Text{"How the CA checks that you control the domains", "CA 验证域名所有权的方式"},
		Choices: []Choice{
			{string(MethodDNSAuto), Text{"DNS_AUTO — automatic DNS record; only for domains on Tencent Cloud DNS with a normal status", "DNS_AUTO — 自动添加 DNS 记录；仅适用于托管在腾讯云 DNS 且状态正常的域名"}},
			{string(MethodDNS), Text{"DNS — you add a TXT/CNAME record (certwiz shows it and checks it)", "DNS — 手动添加 TXT/CNAME 记录（certwiz 会给出并检查）"}},
			{string(MethodFile), Text{"FILE — you place a file on the web server (not for wildcard names)", "FILE — 在网站服务器上放置验证文件（不支持通配符域名）"}},
		}},
}

// fieldIndex finds a Field by its JSON name.
var fieldIndex = func() map[string]int {
	m := make(map[string]int, len(Fields))
	for i, f := range Fields {
		m[f.Name] = i
	}
	return m
}()

// Lookup returns the catalogue entry for a parameter name (exact, as the API spells it).
func Lookup(name string) (Field, bool) {
	i, ok := fieldIndex[name]
	if !ok {
		return Field{}, false
	}
	return Fields[i], true
}

// Suggest returns the parameter a mistyped name most likely meant
// (same letters ignoring case and separators, or British spelling), or "".
func Suggest(name string) string {
	key := foldName(name)
	for _, f := range Fields {
		if foldName(f.Name) == key {
			return f.Name
		}
	}
	return ""
}

func foldName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			out = append(out, r+'a'-'A')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out = append(out, r)
		}
	}
	s = string(out)
	// OrganisationName → organizationname
	for _, pair := range [][2]string{{"organisation", "organization"}} {
		if len(s) >= len(pair[0]) && s[:len(pair[0])] == pair[0] {
			s = pair[1] + s[len(pair[0]):]
		}
	}
	return s
}

// StepFields returns the catalogue entries of one step, in order.
func StepFields(s Step) []Field {
	var out []Field
	for _, f := range Fields {
		if f.Step == s {
			out = append(out, f)
		}
	}
	return out
}
