package cli

import (
	"crypto/x509"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// InstallsOptions are the flags of `certwiz installs`.
type InstallsOptions struct {
	*Globals
	JSON bool
	Days int
	now  func() time.Time
}

// NewInstallsCmd returns `certwiz installs`.
func NewInstallsCmd(g *Globals) *cobra.Command {
	o := &InstallsOptions{Globals: g, now: time.Now}
	cmd := &cobra.Command{
		Use:   "installs",
		Short: "List the certificates installed here: expiry, days left, last renewal, when renew is next due",
		Long: `List every installation (certwiz install) on this machine: its domains, the
certificate current serves, when it expires and the days left (read from
DIR/current/cert.pem: no request is sent), its folder, its last renewal and
how it went, and when certwiz renew next finds it due (--days before the
end, 30 by default, as renew).

--json prints one JSON array. An installation file that cannot be read is
listed with its error; the others are still listed (exit 1 then).`,
		Example: `  certwiz installs
  certwiz installs --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runInstalls(o) },
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print one JSON array of the installations")
	cmd.Flags().IntVar(&o.Days, "days", renewDays, "renew is due this many `DAYS` before the end")
	return cmd
}

// renewDays is when a certificate is due for renewal: days before its end.
const renewDays = 30

// installRow is one installation as listed.
type installRow struct {
	Name          string       `json:"name"`
	Domains       []string     `json:"domains"`
	CertificateId string       `json:"certificateId"`
	Kind          string       `json:"kind"`
	Dir           string       `json:"dir"`
	Version       string       `json:"version,omitempty"`
	NotAfter      *time.Time   `json:"notAfter"`
	DaysLeft      *int         `json:"daysLeft"`
	Due           *time.Time   `json:"due"`
	Renewing      string       `json:"renewing,omitempty"`
	LastRenewal   *lastRenewal `json:"lastRenewal"`
	Error         string       `json:"error,omitempty"`
}

type lastRenewal struct {
	Time    time.Time `json:"time"`
	Outcome string    `json:"outcome"`
	Message string    `json:"message,omitempty"`
}

func runInstalls(o *InstallsOptions) error {
	store, err := o.store()
	if err != nil {
		return err
	}
	entries, err := store.ListInstallations()
	if err != nil {
		return exit(api.ExitFailure, err)
	}
	rows := make([]installRow, 0, len(entries))
	failed := false
	for _, e := range entries {
		row := installRow{Name: e.Name, Domains: []string{}}
		if e.Err != nil {
			row.Error, failed = e.Err.Error(), true
		} else {
			row = listed(e.Installation, o.Days, o.now())
		}
		rows = append(rows, row)
	}
	if o.JSON {
		if err := writeJSON(o.IO.Out, rows); err != nil {
			return err
		}
	} else {
		printInstalls(o.IO.Out, rows, o.Language)
	}
	if failed {
		return shown(api.ExitFailure)
	}
	return nil
}

// listed reads what an installation serves now from its folder.
func listed(in profiles.Installation, days int, now time.Time) installRow {
	row := installRow{Name: in.Name, Domains: in.Domains, CertificateId: in.Certificate, Kind: string(in.Kind), Dir: in.Dir}
	if r := in.Renewing; r != nil {
		row.Renewing = strings.TrimSpace(r.Certificate + " " + string(r.Step))
	}
	if l := in.LastRenewal; l != nil {
		row.LastRenewal = &lastRenewal{Time: l.Time.UTC(), Outcome: string(l.Outcome), Message: l.Message}
	}
	leaf, version, err := servedLeaf(in.Dir)
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Version = version
	end := leaf.NotAfter.UTC()
	left := daysLeft(end, now)
	due := end.AddDate(0, 0, -days)
	row.NotAfter, row.DaysLeft, row.Due = &end, &left, &due
	return row
}

// servedLeaf is the certificate DIR/current holds, and its version.
func servedLeaf(dir string) (*x509.Certificate, string, error) {
	version, err := live.Current(dir)
	if err != nil {
		return nil, "", err
	}
	if version == "" {
		return nil, "", fmt.Errorf("%s has no current version", dir)
	}
	leaf, err := live.Leaf(dir, version)
	return leaf, version, err
}

// daysLeft counts calendar days, in Beijing time as the service does,
// from now to the day the certificate ends; -1 once it has ended.
func daysLeft(end, now time.Time) int {
	d, _ := api.Certificate{CertEndTime: end.In(api.Beijing).Format(api.TimeLayout)}.DaysLeft(now)
	return d
}

func printInstalls(w io.Writer, rows []installRow, lang string) {
	if len(rows) == 0 {
		fmt.Fprintln(w, say(lang, "No installations yet: certwiz install ID --dir DIR makes one.", "尚无安装：用 certwiz install ID --dir DIR 创建。"))
		return
	}
	table := [][]string{strings.Split(say(lang, "NAME|CERTIFICATE|EXPIRES|DAYS LEFT|RENEW FROM|LAST RENEWAL|FOLDER", "名称|证书|到期|剩余天数|续期开始|上次续期|文件夹"), "|")}
	for _, r := range rows {
		if r.Error != "" && r.CertificateId == "" {
			table = append(table, []string{safe.Text(r.Name), "-", "-", "-", "-", "-", safe.Text(say(lang, "unreadable: ", "无法读取：") + r.Error)})
			continue
		}
		expires, left, due := "-", "-", "-"
		if r.NotAfter != nil {
			expires = r.NotAfter.In(api.Beijing).Format("2006-01-02")
			left = strconv.Itoa(*r.DaysLeft)
			due = r.Due.In(api.Beijing).Format("2006-01-02")
		}
		last := "-"
		if l := r.LastRenewal; l != nil {
			last = l.Time.In(api.Beijing).Format("2006-01-02 15:04") + " " + l.Outcome
		}
		if r.Renewing != "" {
			last += say(lang, " (renewing: ", "（续期中：") + r.Renewing + say(lang, ")", "）")
		}
		folder := r.Dir
		if r.Error != "" {
			folder += "  (" + r.Error + ")"
		}
		table = append(table, []string{safe.Text(r.Name), safe.Text(r.CertificateId), expires, left, due, safe.Text(last), safe.Text(folder)})
	}
	writeTable(w, table)
	fmt.Fprintln(w, say(lang, "Dates in Beijing time (UTC+8), as Tencent Cloud gives them.", "日期为北京时间（UTC+8），与腾讯云一致。"))
}

// writeTable prints rows in columns padded to their widest cell as a
// terminal shows it (a Chinese character is two columns wide).
func writeTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(pad(c, widths[i]+colGap))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// writeFitted prints rows as a table when it fits in width columns;
// otherwise each row as a block: its first lead cells on one line, then
// one indented "HEADER: cell" line for each other cell (rows[0] is the
// header), so a narrow terminal never wraps a table into a jumble.
func writeFitted(w io.Writer, rows [][]string, width, lead int) {
	total := 0
	for i := range rows[0] {
		col := 0
		for _, r := range rows {
			if i < len(r) {
				col = max(col, textWidth(r[i]))
			}
		}
		total += col + colGap
	}
	if total-colGap < width {
		writeTable(w, rows)
		return
	}
	for _, r := range rows[1:] {
		var first []string
		for _, c := range r[:min(lead, len(r))] {
			if c != "-" && c != "" {
				first = append(first, c)
			}
		}
		fmt.Fprintln(w, strings.Join(first, " "))
		for i := lead; i < len(r); i++ {
			fmt.Fprintf(w, "  %s: %s\n", strings.ToLower(rows[0][i]), r[i])
		}
	}
}
