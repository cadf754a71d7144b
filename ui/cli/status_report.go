package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
)

// changeKey is what a change is: everything but the RequestIds.
func changeKey(s watch.Snapshot, lang string) string {
	j := statusJSON(s, lang)
	j.RequestId = ""
	b, _ := json.Marshal(j)
	return string(b)
}

// changeLine is one line for a log: the time, the status and the checks.
func (o *StatusOptions) changeLine(s watch.Snapshot) string {
	lang := o.Language
	d := s.Detail
	line := fmt.Sprintf("%s %s: %s", time.Now().Format("15:04:05"), safe.Text(d.CertificateId), safe.Text(d.Words(lang)))
	switch {
	case s.Issued:
		line += fmt.Sprintf(say(lang, ". Next: %s", "。下一步：%s"), commandLine(o.Globals, "download", d.CertificateId, "--out", install.OutArg(d.Domain)))
	case s.Failed:
		line += " — " + termtext.Why(s, lang)
	case len(s.Records) > 0:
		line += fmt.Sprintf(say(lang, "; local check: %d of %d records found", "；本地检查：%d/%d 条记录已找到"), s.Found(), len(s.Records))
		passed, asked := 0, 0
		for _, r := range s.Records {
			if r.Tencent != nil {
				asked++
				if r.Tencent.CaCheck == 2 {
					passed++
				}
			}
		}
		if asked > 0 {
			line += fmt.Sprintf(say(lang, "; CA check passed for %d of %d", "；CA 检查通过 %d/%d"), passed, len(s.Records))
		}
	}
	if s.Frequently {
		line += fmt.Sprintf(say(lang, "; Tencent: asked too often, next check after %s", "；腾讯云：检查过于频繁，%s 后再检查"), s.NextTencent.Format("15:04:05"))
	}
	return line
}

// statusOut is the --json object, in the order the issue gives.
type statusOut struct {
	CertificateId  string
	Status         int
	StatusName     string
	StatusMsg      string
	VerifyType     string
	OrderId        string
	DVAuthDeadline string
	Issued         bool
	Records        []recordOut
	RequestId      string
}

type recordOut struct {
	Domain  string
	Type    string
	Host    string
	FQDN    string
	Value   string
	URL     string
	Local   *localOut `json:",omitempty"` // nil when no local check was made (issued, failed)
	Tencent *tencentOut
}

type localOut struct {
	Found   bool
	Answers []dnscheck.ServerAnswer
	Servers []string
}

type tencentOut struct {
	LocalCheck int
	Reason     string
	CaCheck    int
}

func statusJSON(s watch.Snapshot, lang string) statusOut {
	d := s.Detail
	out := statusOut{CertificateId: d.CertificateId, Status: d.Status, StatusName: d.Words(lang), StatusMsg: d.StatusMsg,
		VerifyType: d.VerifyType, OrderId: d.OrderId, DVAuthDeadline: d.DVAuthDeadline, Issued: s.Issued,
		Records: []recordOut{}, RequestId: s.RequestId}
	for _, r := range s.Records {
		ro := recordOut{Domain: r.Domain, Type: r.Type, Host: r.Host, FQDN: r.FQDN, Value: r.Value}
		if len(r.Local.Answers) > 0 || r.Local.Err != "" {
			ro.Local = &localOut{Found: r.Verdict().Found(), Answers: r.Local.Answers, Servers: r.Local.Servers}
			if ro.Local.Answers == nil {
				ro.Local.Answers = []dnscheck.ServerAnswer{}
			}
			if ro.Local.Servers == nil {
				ro.Local.Servers = []string{}
			}
		}
		if len(r.URLs) > 0 {
			ro.URL = r.URLs[0]
		}
		if t := r.Tencent; t != nil {
			ro.Tencent = &tencentOut{LocalCheck: t.LocalCheck, Reason: t.Reason, CaCheck: t.CaCheck}
		}
		out.Records = append(out.Records, ro)
	}
	return out
}

// report writes the status for people: the certificate, the records
// ready to paste, each with the local check and Tencent's.
func (o *StatusOptions) report(w io.Writer, s watch.Snapshot, now time.Time) {
	lang := o.Language
	d := s.Detail
	label := func(en, zh string) string { return pad(say(lang, en, zh)+":", 14) }
	name := safe.Text(d.CertificateId)
	if d.Domain != "" {
		name = safe.Text(d.Domain) + " (" + name + ")"
	}
	fmt.Fprintf(w, "%s %s — %s (%s %d)\n", say(lang, "Certificate", "证书"), name, safe.Text(d.Words(lang)), say(lang, "status", "状态"), d.Status)
	if d.OrderId != "" {
		fmt.Fprintf(w, "%s%s\n", label("CA order", "CA 订单号"), safe.Text(d.OrderId))
	}
	if d.VerifyType != "" {
		fmt.Fprintf(w, "%s%s\n", label("Validation", "验证方式"), safe.Text(d.VerifyType))
	}
	if s.Issued {
		fmt.Fprintf(w, "\n✓ %s", say(lang, "Issued.", "已签发。"))
		if d.CertBeginTime != "" || d.CertEndTime != "" {
			fmt.Fprintf(w, say(lang, " Valid %s to %s (Beijing time).", " 有效期 %s 至 %s（北京时间）。"), dash(safe.Text(d.CertBeginTime)), dash(safe.Text(d.CertEndTime)))
		}
		fmt.Fprintf(w, "\n%s: %s\n", say(lang, "Next", "下一步"), commandLine(o.Globals, "download", d.CertificateId, "--out", install.OutArg(d.Domain)))
		return
	}
	if d.DVAuthDeadline != "" {
		left := ""
		if dl, ok := watch.Deadline(d); ok && dl.After(now) {
			left = fmt.Sprintf(say(lang, "; %s left", "；剩余 %s"), shortDuration(dl.Sub(now)))
		}
		fmt.Fprintf(w, "%s%s%s\n", label("Validate by", "验证截止"), safe.Text(d.DVAuthDeadline), say(lang, " (Beijing time, UTC+8", "（北京时间")+left+say(lang, ")", "）"))
	}
	if s.Failed {
		fmt.Fprintf(w, "\n✗ %s\n", termtext.Why(s, lang))
		return
	}
	if s.Why.EN != "" {
		fmt.Fprintf(w, "\n%s\n", termtext.Why(s, lang))
	}
	if len(s.Records) == 0 {
		if d.Status != api.StatusDNSAdded && s.Why.EN == "" {
			fmt.Fprintf(w, "\n%s\n", say(lang, "Tencent has not given validation records for this certificate yet.", "腾讯云尚未给出该证书的验证记录。"))
		}
		return
	}
	if d.Status == api.StatusDNSAdded {
		fmt.Fprintf(w, "\n%s\n", say(lang, "The records Tencent Cloud added (nothing to create):", "腾讯云已自动添加的记录（无需创建）："))
	} else {
		fmt.Fprintf(w, "\n%s\n", fmt.Sprintf(say(lang, "Create these records (%d of %d found so far):", "请创建以下记录（已找到 %d/%d）："), s.Found(), len(s.Records)))
	}
	names := provedNames(d, s.Records)
	// Tencent is asked at most once a minute: an older answer says so first.
	older := ""
	if ago := now.Sub(s.TencentAt).Round(time.Second); !s.TencentAt.IsZero() && ago >= 5*time.Second {
		older = fmt.Sprintf(say(lang, "older, asked %s ago, before the local check: ", "较早，%s 前询问，早于本机检查："), ago)
	}
	for i, r := range s.Records {
		o.writeRecord(w, i+1, r, names[i], older)
	}
	if notes := notesFor(d, s.Records, lang); len(notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(notes, "\n"))
	}
}

// writeRecord shows record n; domain is the name it proves (provedNames),
// older what goes before Tencent's answer when it is older than the local check.
func (o *StatusOptions) writeRecord(w io.Writer, n int, r watch.RecordState, domain, older string) {
	lang := o.Language
	// Values wrap at words under their column on a terminal, so a long
	// reason never breaks mid-word at the screen's edge.
	const column = 3 + 22
	width := o.IO.width()
	field := func(en, zh, v string) {
		name := ""
		if en != "" {
			name = say(lang, en, zh) + ":"
		}
		if o.IO.Interactive() && width-column >= 20 {
			v = strings.ReplaceAll(termtext.WrapWords(v, width-column), "\n", "\n"+strings.Repeat(" ", column))
		}
		fmt.Fprintf(w, "   %s%s\n", pad(name, 22), v)
	}
	if r.Method() == api.MethodFile {
		fmt.Fprintf(w, "\n%d. %s — %s\n", n, safe.Text(r.Domain), say(lang, "a file on the site", "网站上的文件"))
		for i, u := range r.URLs {
			if i == 0 {
				field("URL", "URL", safe.Text(u))
			} else {
				field("", "", safe.Text(u))
			}
		}
		field("File content", "文件内容", safe.Text(r.Value))
		field("Path on the site", "网站路径", safe.Text(r.Path))
		fmt.Fprintf(w, "   %s\n", say(lang, "Serve exactly this content (no HTML, no redirect to another host) over http or https.", "原样提供以上内容（不要 HTML，不要重定向到其他主机），http 或 https 均可。"))
	} else {
		fmt.Fprintf(w, "\n%d. %s — %s\n", n, safe.Text(domain), fmt.Sprintf(say(lang, "%s record in zone %s", "%s 记录，所在域 %s"), safe.Text(r.Type), safe.Text(r.Zone)))
		field("Host (in the zone)", "主机记录", safe.Text(r.Host))
		field("Full name", "完整名称", safe.Text(r.Name))
		field("Full name with dot", "带点的完整名称", safe.Text(r.FQDN))
		field("Value", "记录值", safe.Text(r.Value))
	}
	for i, l := range localLines(r, lang) {
		if i == 0 {
			field("Local check", "本地检查", l)
		} else {
			field("", "", l)
		}
	}
	tencent := tencentLine(r.Tencent, lang)
	if r.Tencent != nil {
		tencent = older + tencent
	}
	field("Tencent's check", "腾讯云检查", tencent)
	field("Verdict", "结论", termtext.VerdictLine(r.Verdict(), lang))
}

// localLines say what each server (or URL) answered: ✓ found, ✗ not yet,
// ≠ another value, ! no answer.
func localLines(r watch.RecordState, lang string) []string {
	res := r.Local
	if len(res.Answers) == 0 && res.Err == "" {
		return []string{say(lang, "not made", "未检查")}
	}
	var out []string
	for _, a := range res.Answers {
		where := safe.Text(a.Server)
		if a.Name != "" {
			where = safe.Text(a.Name) + " (" + where + ")"
		}
		if !a.Authoritative && r.Method() != api.MethodFile {
			where = say(lang, "resolver ", "解析器 ") + where
		}
		// Each server judged by the rule the verdict counts it.
		has, other := r.Holds(a), []string{}
		for _, v := range a.Values {
			if !dnscheck.Matches(r.Record, v) {
				other = append(other, fmt.Sprintf("%q", safe.Text(elideEnd(v, 60))))
			}
		}
		switch {
		case a.Err != "" && !has:
			out = append(out, "! "+where+": "+safe.Text(a.Err))
		case has:
			out = append(out, say(lang, "✓ found at ", "✓ 已找到：")+where)
		case len(other) == 0:
			out = append(out, say(lang, "✗ not yet at ", "✗ 尚未找到：")+where)
		default:
			out = append(out, say(lang, "≠ other value at ", "≠ 值不同：")+where+": "+strings.Join(other, ", "))
		}
	}
	if res.Err != "" {
		out = append(out, "! "+safe.Text(res.Err))
	}
	for _, s := range res.Skipped {
		out = append(out, "… "+safe.Text(s))
	}
	return out
}

// tencentLine is Tencent's check of one name in words.
func tencentLine(t *api.DomainCheck, lang string) string {
	if t == nil {
		return say(lang, "not asked yet", "尚未询问")
	}
	line := api.LocalCheckText(t.LocalCheck).In(lang) + fmt.Sprintf(" (LocalCheck %d)", t.LocalCheck)
	if t.Reason != "" {
		line += ": " + safe.Text(t.Reason)
	}
	if t.LocalCheck != 1 && len(t.Found) > 0 {
		var vs []string
		for _, v := range t.Found {
			vs = append(vs, fmt.Sprintf("%q", safe.Text(elideEnd(v, 60))))
		}
		line += say(lang, "; found ", "；找到 ") + strings.Join(vs, ", ")
	}
	switch t.CaCheck {
	case 2:
		line += say(lang, "; CA check passed", "；CA 检查已通过")
	case -1, 0:
		line += say(lang, "; CA check not passed yet", "；CA 检查尚未通过")
	default:
		line += fmt.Sprintf(say(lang, "; CA check %d", "；CA 检查 %d"), t.CaCheck)
	}
	return line
}

// certNames are a certificate's names, as sent or as it holds them, each
// once, lower case, in order.
func certNames(d api.CertificateDetail) []string {
	names := d.Names()
	if d.Submitted != nil {
		names = append(append(names, d.Submitted.CertificateDomain), d.Submitted.DomainList...)
	}
	var out []string
	for _, n := range names {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// provedNames names the domain each record proves, for people: Tencent's
// name once it answered; else a wildcard of the certificate whose base is
// the record's name (the base itself not a name of it); or, where a
// wildcard and its bare name share one record name with a value each,
// the names in the certificate's order — the order Tencent lists them in
// and the watch pairs its answers by. One record proving both keeps the
// bare name (a note explains).
func provedNames(d api.CertificateDetail, rs []watch.RecordState) []string {
	names := certNames(d)
	count := map[string]int{}
	for _, r := range rs {
		count[r.FQDN+"|"+r.Domain]++
	}
	seen := map[string]int{}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Domain
		if r.Tencent != nil && r.Tencent.Domain != "" {
			out[i] = r.Tencent.Domain
			continue
		}
		if r.Method() == api.MethodFile {
			continue
		}
		var proves []string
		for _, n := range names {
			if n == strings.ToLower(r.Domain) || n == "*."+strings.ToLower(r.Domain) {
				proves = append(proves, n)
			}
		}
		key := r.FQDN + "|" + r.Domain
		k := seen[key]
		seen[key]++
		switch {
		case len(proves) == 1:
			out[i] = proves[0]
		case len(proves) > 1 && count[key] == len(proves):
			out[i] = proves[k]
		}
	}
	return out
}

// notesFor explains the cases zone editors trip on: a wildcard, proved
// by the record of its base name (which it may share with the bare
// name); and a bare name with its www.
func notesFor(d api.CertificateDetail, rs []watch.RecordState, lang string) []string {
	names := certNames(d)
	seen := map[string]bool{}
	count := map[string]int{} // records per name
	byDomain := map[string]watch.RecordState{}
	for _, r := range rs {
		count[r.FQDN+"|"+r.Domain]++
		byDomain[r.Domain] = r
	}
	var out []string
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		if base, ok := strings.CutPrefix(n, "*."); ok {
			r, has := byDomain[base]
			if !has || r.Method() == api.MethodFile {
				continue
			}
			if count[r.FQDN+"|"+r.Domain] > 1 {
				out = append(out, fmt.Sprintf(say(lang,
					"Note: %[1]s (wildcard) and %[2]s are proved at the same name, %[3]s, with two values: create two %[4]s records with that name, one per value — do not replace one with the other.",
					"注意：%[1]s（通配符）和 %[2]s 在同一名称 %[3]s 验证，有两个值：请用该名称创建两条 %[4]s 记录，每个值一条，不要互相覆盖。"),
					safe.Text(n), safe.Text(base), safe.Text(r.Name), safe.Text(r.Type)))
			} else {
				out = append(out, fmt.Sprintf(say(lang,
					"Note: the wildcard %[1]s has no record of its own: it is proved by the record at %[2]s (the name without \"*.\").",
					"注意：通配符 %[1]s 没有单独的记录，由 %[2]s 处的记录验证（即去掉 \"*.\" 的名称）。"), safe.Text(n), safe.Text(r.Name)))
			}
			continue
		}
		if bare, ok := strings.CutPrefix(n, "www."); ok && containsFold(names, bare) {
			rb, hasBare := byDomain[bare]
			rw, hasWWW := byDomain[n]
			switch {
			case hasBare && hasWWW:
				out = append(out, fmt.Sprintf(say(lang,
					"Note: %[1]s and %[2]s are two names: each needs its own record (%[3]s and %[4]s).",
					"注意：%[1]s 和 %[2]s 是两个域名，各需一条记录（%[3]s 和 %[4]s）。"),
					safe.Text(bare), safe.Text(n), safe.Text(displayHost(rb)), safe.Text(displayHost(rw))))
			case hasBare:
				out = append(out, fmt.Sprintf(say(lang, "Note: the record for %[1]s also proves %[2]s: there is none to create for %[2]s.",
					"注意：%[1]s 的记录同时验证 %[2]s，无需为 %[2]s 另建记录。"), safe.Text(bare), safe.Text(n)))
			case hasWWW:
				out = append(out, fmt.Sprintf(say(lang, "Note: the record for %[2]s also proves %[1]s: there is none to create for %[1]s.",
					"注意：%[2]s 的记录同时验证 %[1]s，无需为 %[1]s 另建记录。"), safe.Text(bare), safe.Text(n)))
			}
		}
	}
	return out
}

func displayHost(r watch.RecordState) string {
	if r.Method() == api.MethodFile {
		return r.Path
	}
	return r.Host
}

func containsFold(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(strings.TrimSpace(s), v) {
			return true
		}
	}
	return false
}
