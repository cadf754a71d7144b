package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
	"github.com/spf13/cobra"
)

// CertsOptions are the flags of `certwiz certs`.
type CertsOptions struct {
	*Globals
	Status   string
	Search   string
	JSON     bool
	Expiring bool
	Days     int
	daysSet  bool             // --days was given
	now      func() time.Time // the clock days left count from (tests set it)
}

// Bounds of --days.
const (
	defaultExpiringDays = 30
	maxExpiringDays     = 3650
)

// statusChoices are the values --status takes, in the order help names them.
var statusChoices = []string{"awaiting", "reviewing", "issued", "all"}

// defaultGroup is the selection without --status: what waits on the user.
const defaultGroup = "needs-you"

// groupWords says in words what a --status group selects.
var groupWords = map[string]api.Text{
	defaultGroup: {EN: "awaiting information, under review or awaiting validation", ZH: "待提交资料、审核中或待验证"},
	"awaiting":   {EN: "awaiting information", ZH: "待提交资料"},
	"reviewing":  {EN: "with the CA (reviewing, DNS record added, awaiting a confirmation letter)", ZH: "已发送给 CA（审核中、已添加 DNS 记录、待上传确认函）"},
	"issued":     {EN: "issued", ZH: "已签发"},
	"all":        {EN: "of any status", ZH: "任意状态"},
}

// NewCertsCmd returns `certwiz certs`.
func NewCertsCmd(g *Globals) *cobra.Command { return newCertsCmd(g, time.Now) }

// newCertsCmd is `certwiz certs` with the clock that days left count from.
func newCertsCmd(g *Globals, now func() time.Time) *cobra.Command {
	o := &CertsOptions{Globals: g, now: now}
	cmd := &cobra.Command{
		Use:   "certs",
		Short: "List the account's certificates: ID, domains, product, status, the date that matters",
		Long: `List the account's certificates (DescribeCertificates), newest first: ID,
domains, product, status in words and the date that matters now — when it
was ordered, the domain validation deadline, or when it expires.

Without --status it lists those that need you: awaiting information
(status 5: submit, then commit), under review and awaiting validation
(0, 4, 8). Every page is read, so thousands of certificates work.

On a terminal the list is a table that fits its width; otherwise one
tab-separated line per certificate after a header line. --json prints
{"TotalCount": N, "Certificates": [...]} with the fields CertificateId,
Domain, SubjectAltName, ProductName, Status, StatusName (in --language),
StatusMsg, VerifyType, InsertTime, DVAuthDeadline and CertEndTime.

--expiring lists instead the issued certificates (status 1) that expire
within --days days (default 30, at most 3650), soonest first, with the days
left — calendar days in Beijing time, the service's zone: 0 on the last
day. Its table has a DAYS LEFT column where the status was, and --json adds
daysLeft and expires (RFC 3339) to each certificate.`,
		Example: `  certwiz certs
  certwiz certs --status awaiting --search example.com
  certwiz certs --status all
  certwiz certs --sandbox --json
  certwiz certs --status awaiting --json | jq -r '.Certificates[].CertificateId'
  certwiz certs --expiring
  certwiz certs --expiring --days 90 --json | jq -r '.Certificates[] | "\(.daysLeft) \(.CertificateId)"'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.daysSet = cmd.Flags().Changed("days")
			return runCerts(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Status, "status", "", "`GROUP` of certificates: awaiting, reviewing, issued or all (default: those that need you — awaiting information, reviewing, awaiting validation)")
	f.StringVar(&o.Search, "search", "", "only certificates whose ID, alias or domain contains `TEXT` (the service's fuzzy search)")
	f.BoolVar(&o.JSON, "json", false, `print exactly one JSON object: {"TotalCount", "Certificates": [...]} or the error`)
	f.BoolVar(&o.Expiring, "expiring", false, "only issued certificates that expire within --days days, soonest first, with the days left")
	f.IntVar(&o.Days, "days", defaultExpiringDays, "with --expiring: how many `DAYS` ahead to look (1 to 3650, Beijing time)")
	return cmd
}

func (o *CertsOptions) fail(err error) error { return failOut(o.Globals, o.JSON, err, nil, "") }

func runCerts(ctx context.Context, o *CertsOptions) error {
	lang := o.Language
	switch {
	case o.daysSet && !o.Expiring:
		return usageFail(o.Globals, o.JSON, "certs", fmt.Sprintf(say(lang,
			"--days %d: --days only counts with --expiring (certwiz certs --expiring --days %d)",
			"--days %d：--days 只能与 --expiring 一起使用（certwiz certs --expiring --days %d）"), o.Days, o.Days))
	case o.Expiring && (o.Days < 1 || o.Days > maxExpiringDays):
		return usageFail(o.Globals, o.JSON, "certs", fmt.Sprintf(say(lang,
			"--days %d: give 1 to %d days", "--days %d：请填写 1 到 %d 天"), o.Days, maxExpiringDays))
	case o.Expiring && o.Status != "":
		return usageFail(o.Globals, o.JSON, "certs", say(lang,
			"--status with --expiring: --expiring lists issued certificates; leave --status out",
			"--status 与 --expiring 不能同时使用：--expiring 只列出已签发的证书，请去掉 --status"))
	}
	group := strings.ToLower(strings.TrimSpace(o.Status))
	switch {
	case o.Expiring:
		group = "issued"
	case group == "":
		group = defaultGroup
	}
	statuses, ok := api.StatusGroups[group]
	if !ok {
		return usageFail(o.Globals, o.JSON, "certs", fmt.Sprintf(say(lang,
			"--status %q: use one of %s (without --status: those that need you)",
			"--status %q：请使用 %s 之一（不加 --status：需要您处理的证书）"), o.Status, strings.Join(statusChoices, ", ")))
	}
	creds, endpoint, stop, err := o.connect(o.fail)
	if err != nil {
		return err
	}
	defer stop()
	if creds.Source == "" {
		return o.fail(creds.err)
	}
	client, err := o.newClient(creds.Credentials, endpoint, api.DefaultRate)
	if err != nil {
		return err
	}
	for _, w := range creds.Warnings {
		o.warn(w)
	}
	fmt.Fprintf(o.IO.Err, "%s ← %s\n%s: %s\n", say(lang, "Listing certificates", "正在列出证书"), client.Endpoint(), say(lang, "Credentials", "密钥"), creds.In(lang))
	q := api.CertificateQuery{Statuses: statuses, SearchKey: o.Search}
	list, total, err := client.ListCertificates(ctx, q, api.MaxPage)
	if err != nil {
		return o.fail(err)
	}
	if len(list) < total {
		o.warn(fmt.Sprintf(say(lang, "the service counted %d certificates but listed %d", "服务统计了 %d 个证书，但只列出了 %d 个"), total, len(list)))
	}
	if o.Expiring {
		return o.expiring(list)
	}
	if o.JSON {
		return writeJSON(o.IO.Out, certsJSON(list, total, lang))
	}
	if len(list) == 0 {
		o.nothing(ctx, client, group)
		return nil
	}
	if o.IO.termOut() {
		writeCertTable(o.IO.Out, list, lang, o.IO.width(), statusColumn)
	} else {
		writeCertLines(o.IO.Out, list, lang, statusColumn)
	}
	fmt.Fprintf(o.IO.Err, say(lang, "%d certificate(s) %s.\n", "%d 个证书（%s）。\n"), len(list), groupWords[group].In(lang))
	if group != "all" {
		fmt.Fprintln(o.IO.Err, say(lang, "certwiz certs --status all lists every certificate; certwiz commit ID sends one awaiting information to the CA once submitted.",
			"certwiz certs --status all 列出全部证书；资料提交后，certwiz commit ID 将待提交资料的证书发送给 CA。"))
	}
	return nil
}

// nothing says that the selection is empty, and what --status all would
// show (one more small call; without it the sentence is left out).
func (o *CertsOptions) nothing(ctx context.Context, client *api.Client, group string) {
	lang := o.Language
	what := groupWords[group].In(lang)
	if o.Search != "" {
		fmt.Fprintf(o.IO.Err, say(lang, "No certificate %s matches %q.\n", "没有匹配 %[2]q 的证书（%[1]s）。\n"), what, safe.Text(o.Search))
	} else {
		fmt.Fprintf(o.IO.Err, say(lang, "No certificate %s.\n", "没有证书（%s）。\n"), what)
	}
	if group == "all" {
		return
	}
	page, err := client.DescribeCertificates(ctx, api.CertificateQuery{SearchKey: o.Search, Limit: 1})
	if err != nil {
		return
	}
	words := []string{"certwiz", "certs", "--status", "all"}
	if o.Search != "" {
		words = append(words, "--search", o.Search)
	}
	again := termtext.CommandLine(words...)
	if page.TotalCount == 0 {
		fmt.Fprintf(o.IO.Err, say(lang, "%s would show none either: the account has no certificate%s.\n", "%s 也不会列出任何证书：该账号没有证书%s。\n"),
			again, map[bool]string{true: say(lang, " that matches", "匹配项"), false: ""}[o.Search != ""])
		return
	}
	fmt.Fprintf(o.IO.Err, say(lang, "%s would show %d certificate(s) of other statuses.\n", "%s 会列出其他状态的 %d 个证书。\n"), again, page.TotalCount)
}

// expiring prints the issued certificates that end within --days days,
// soonest first, with the days left from the clock, in Beijing days.
func (o *CertsOptions) expiring(issued []api.Certificate) error {
	lang, now := o.Language, o.now()
	type due struct {
		cert api.Certificate
		days int
		end  time.Time
	}
	var list []due
	for _, c := range issued {
		days, ok := c.DaysLeft(now)
		end, _ := c.EndTime()
		if ok && c.Status == api.StatusIssued && days <= o.Days {
			list = append(list, due{c, days, end})
		}
	}
	slices.SortFunc(list, func(a, b due) int {
		return cmp.Or(a.end.Compare(b.end), strings.Compare(a.cert.CertificateId, b.cert.CertificateId))
	})
	certs := make([]api.Certificate, len(list))
	left := map[string]int{}
	for i, d := range list {
		certs[i], left[d.cert.CertificateId] = d.cert, d.days
	}
	if o.JSON {
		out := make([]expiringJSON, len(list))
		for i, d := range list {
			out[i] = expiringJSON{certJSON: certJSONOf(d.cert, lang), DaysLeft: d.days, Expires: d.end.Format(time.RFC3339)}
		}
		return writeJSON(o.IO.Out, struct {
			TotalCount   int
			Certificates []expiringJSON
		}{len(out), out})
	}
	within := fmt.Sprintf(say(lang, "issued, expiring within %d day(s) of %s, Beijing time", "已签发、按北京时间自 %[2]s 起 %[1]d 天内到期"),
		o.Days, now.In(api.Beijing).Format("2006-01-02"))
	if len(list) == 0 {
		fmt.Fprintf(o.IO.Err, say(lang, "No certificate %s.\n", "没有证书（%s）。\n"), within)
		return nil
	}
	column := daysColumn(left)
	if o.IO.termOut() {
		writeCertTable(o.IO.Out, certs, lang, o.IO.width(), column)
	} else {
		writeCertLines(o.IO.Out, certs, lang, column)
	}
	fmt.Fprintf(o.IO.Err, say(lang, "%d certificate(s) %s.\n", "%d 个证书（%s）。\n"), len(list), within)
	return nil
}

// expiringJSON is one certificate in `certs --expiring --json`: the fields
// of certJSON, then the days left and the end as RFC 3339.
type expiringJSON struct {
	certJSON
	DaysLeft int    `json:"daysLeft"`
	Expires  string `json:"expires"`
}

// column is the fourth column of the certificate list: its header, and
// its cell for each certificate in a table (words) and in plain lines.
type column struct {
	header api.Text
	cell   func(c api.Certificate, lang string, plain bool) string
}

// statusColumn is the status in words.
var statusColumn = column{api.Text{EN: "STATUS", ZH: "状态"}, func(c api.Certificate, lang string, _ bool) string { return c.Words(lang) }}

// daysColumn is the days left of each certificate: a number in plain
// lines, words in a table.
func daysColumn(left map[string]int) column {
	return column{api.Text{EN: "DAYS LEFT", ZH: "剩余天数"}, func(c api.Certificate, lang string, plain bool) string {
		d := left[c.CertificateId]
		switch {
		case plain:
			return fmt.Sprint(d)
		case d < 0:
			return say(lang, "expired", "已过期")
		case d == 0:
			return say(lang, "last day", "今天到期")
		case d == 1:
			return say(lang, "1 day", "1 天")
		}
		return fmt.Sprintf(say(lang, "%d days", "%d 天"), d)
	}}
}

// certJSON is one certificate in `certs --json`, its fields in this order.
type certJSON struct {
	CertificateId  string
	Domain         string
	SubjectAltName []string
	ProductName    string
	Status         int
	StatusName     string
	StatusMsg      string
	VerifyType     string
	InsertTime     string
	DVAuthDeadline string
	CertEndTime    string
}

func certsJSON(list []api.Certificate, total int, lang string) any {
	out := make([]certJSON, len(list))
	for i, c := range list {
		out[i] = certJSONOf(c, lang)
	}
	return struct {
		TotalCount   int
		Certificates []certJSON
	}{total, out}
}

func certJSONOf(c api.Certificate, lang string) certJSON {
	sans := c.SubjectAltName
	if sans == nil {
		sans = []string{}
	}
	return certJSON{
		CertificateId: c.CertificateId, Domain: c.Domain, SubjectAltName: sans, ProductName: productName(c),
		Status: c.Status, StatusName: c.Words(lang), StatusMsg: c.StatusMsg, VerifyType: c.VerifyType,
		InsertTime: c.InsertTime, DVAuthDeadline: c.DVAuthDeadline, CertEndTime: c.CertEndTime,
	}
}

// productName is the product as the console names it.
func productName(c api.Certificate) string {
	if c.ProductZhName != "" {
		return c.ProductZhName
	}
	return c.PackageTypeName
}

// certRow is one certificate's cells, made safe for the terminal.
type certRow struct {
	id, product, status, date string
	names                     []string
}

func certRows(list []api.Certificate, lang string, short bool, col column) []certRow {
	rows := make([]certRow, len(list))
	for i, c := range list {
		label, date := c.KeyDate()
		if short {
			date = termtext.ShortTime(date, label.EN == "validate by")
		}
		names := c.Names()
		for j := range names {
			names[j] = safe.Text(names[j])
		}
		if len(names) == 0 {
			names = []string{"-"}
		}
		rows[i] = certRow{
			id: safe.Text(c.CertificateId), names: names, product: dash(safe.Text(productName(c))),
			status: safe.Text(col.cell(c, lang, !short)), date: strings.TrimSpace(label.In(lang) + " " + safe.Text(date)),
		}
	}
	return rows
}

// writeCertLines prints a header and one tab-separated line per
// certificate: for pipes and files.
func writeCertLines(w io.Writer, list []api.Certificate, lang string, col column) {
	fmt.Fprintln(w, say(lang, "CERTIFICATE\tDOMAINS\tPRODUCT\t"+col.header.EN+"\tDATE (BEIJING TIME)", "证书\t域名\t产品\t"+col.header.ZH+"\t日期（北京时间）"))
	for _, r := range certRows(list, lang, false, col) {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.id, strings.Join(r.names, ","), r.product, r.status, r.date)
	}
}

// The columns of the table, in order.
const (
	colID = iota
	colNames
	colProduct
	colStatus
	colDate
	nCols
)

const colGap = 2

// writeCertTable prints an aligned table that fits width. The ID column is
// never cut; the domains wrap between names (a name longer than its column
// is shortened in its middle); product, status and date wrap between words.
// When even the narrowest columns do not fit, each certificate takes a few
// lines instead.
func writeCertTable(w io.Writer, list []api.Certificate, lang string, width int, col column) {
	rows := certRows(list, lang, true, col)
	header := strings.Split(say(lang, "CERTIFICATE|DOMAINS|PRODUCT|"+col.header.EN+"|DATE (BEIJING TIME)", "证书|域名|产品|"+col.header.ZH+"|日期（北京时间）"), "|")
	var nat, least [nCols]int // natural and smallest widths
	for i, h := range header {
		nat[i], least[i] = textWidth(h), textWidth(h)
	}
	longestName := 0
	for _, r := range rows {
		nat[colID] = max(nat[colID], textWidth(r.id))
		nat[colNames] = max(nat[colNames], textWidth(strings.Join(r.names, ", ")))
		nat[colProduct] = max(nat[colProduct], textWidth(r.product))
		nat[colStatus] = max(nat[colStatus], textWidth(r.status))
		nat[colDate] = max(nat[colDate], textWidth(r.date))
		for _, n := range r.names {
			longestName = max(longestName, textWidth(n)+1)
		}
	}
	least[colID] = nat[colID]
	least[colNames] = max(least[colNames], min(longestName, 20))
	least[colProduct] = max(least[colProduct], min(nat[colProduct], 10))
	least[colStatus] = max(least[colStatus], min(nat[colStatus], 12))
	least[colDate] = max(least[colDate], min(nat[colDate], 16)) // a date and time on a line of their own
	room := width - (nCols-1)*colGap
	cols := fitColumns(nat, least, room)
	if cols == nil {
		writeCertCards(w, rows, width)
		return
	}
	line := func(cells [nCols]string) {
		var b strings.Builder
		for i, c := range cells {
			if i == nCols-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(pad(c, cols[i]+colGap))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line([nCols]string(header))
	for _, r := range rows {
		cells := [nCols][]string{
			{r.id},
			wrapNames(r.names, cols[colNames]),
			wrapWords(r.product, cols[colProduct]),
			wrapWords(r.status, cols[colStatus]),
			wrapWords(r.date, cols[colDate]),
		}
		height := 0
		for _, c := range cells {
			height = max(height, len(c))
		}
		for k := range height {
			var out [nCols]string
			for i, c := range cells {
				if k < len(c) {
					out[i] = c[k]
				}
			}
			line(out)
		}
	}
}

// fitColumns gives each column its natural width when they all fit in
// room. Else each gets its least width, the date its natural one as far as
// the room allows (a date cut in two reads badly), and the others share
// what is left in proportion to what they lack. nil: not even the least
// widths fit.
func fitColumns(nat, least [nCols]int, room int) []int {
	sumNat, sumLeast := 0, 0
	for i := range nat {
		least[i] = min(least[i], nat[i])
		sumNat += nat[i]
		sumLeast += least[i]
	}
	if sumNat <= room {
		return nat[:]
	}
	if sumLeast > room {
		return nil
	}
	cols := least
	spare := room - sumLeast
	add := min(spare, nat[colDate]-cols[colDate])
	cols[colDate] += add
	spare -= add
	lack := 0
	for i := range cols {
		lack += nat[i] - cols[i]
	}
	given := 0
	if lack > 0 {
		for i := range cols {
			add := spare * (nat[i] - cols[i]) / lack
			cols[i] += add
			given += add
		}
	}
	for i := 0; given < spare && lack > 0; i = (i + 1) % nCols { // the rounding's remainder
		if cols[i] < nat[i] {
			cols[i]++
			given++
		}
	}
	return cols[:]
}

// wrapNames packs names into lines of at most w cells, joined by ", "; a
// name longer than a line is shortened in its middle.
func wrapNames(names []string, w int) []string {
	var lines []string
	cur := ""
	for i, n := range names {
		if i < len(names)-1 {
			n = elideMiddle(n, w-1) + "," // room for the comma
		} else {
			n = elideMiddle(n, w)
		}
		switch {
		case cur == "":
			cur = n
		case textWidth(cur)+1+textWidth(n) <= w:
			cur += " " + n
		default:
			lines = append(lines, cur)
			cur = n
		}
	}
	return append(lines, cur)
}

// wrapWords wraps s into lines of at most w cells, as the wizard does
// (between words; Chinese between characters).
func wrapWords(s string, w int) []string {
	return strings.Split(termtext.WrapWords(s, max(w, 1)), "\n")
}

// writeCertCards prints each certificate on a few lines, for terminals too
// narrow for the table.
func writeCertCards(w io.Writer, rows []certRow, width int) {
	inner := max(width-2, 8)
	for i, r := range rows {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, r.id)
		for _, cell := range [][]string{wrapWords(r.status, inner), wrapNames(r.names, inner), wrapWords(r.product, inner), wrapWords(r.date, inner)} {
			for _, l := range cell {
				fmt.Fprintln(w, "  "+l)
			}
		}
	}
}
