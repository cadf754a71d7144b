package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// ExitWaiting is exit code 6: the certificate is not issued yet (one
// round), or a watch ended before it was.
const ExitWaiting = 6

// StatusOptions are the flags of `certwiz status`.
type StatusOptions struct {
	*Globals
	Watch       bool
	JSON        bool
	Interval    time.Duration
	MaxWait     time.Duration
	Resolver    string
	Nameservers []string
	knobs       statusKnobs
}

// statusKnobs are for tests only (never flags): a watch in milliseconds.
type statusKnobs struct {
	interval     time.Duration // replaces --interval, below its 1 s floor
	tencentEvery time.Duration
	backoff      time.Duration
	tick         time.Duration     // how often a terminal block is redrawn
	lookup       *dnscheck.Options // where the local check asks, before the flags
	now          func() time.Time
}

// NewStatusCmd returns `certwiz status ID`.
func NewStatusCmd(g *Globals) *cobra.Command { return newStatusCmd(g, statusKnobs{}) }

func newStatusCmd(g *Globals, knobs statusKnobs) *cobra.Command {
	o := &StatusOptions{Globals: g, knobs: knobs}
	cmd := &cobra.Command{
		Use:   "status ID",
		Short: "Show a certificate's validation records and checks; --watch follows it to issuance",
		Long: `Show where a certificate sent to the CA stands: its status in words, the CA
order, the validation deadline (Beijing time), and for each domain the record
to create — the host relative to the zone (_dnsauth.www), the full name, the
full name with a trailing dot, the value; for FILE validation the URLs and the
file's exact content — with what certwiz's own check finds (the domain's
authoritative name servers and a resolver; for FILE the URL over http and
https) and Tencent's check (CheckCertificateDomainVerification), then the
verdict of both, the one the wizard shows: found (by Tencent where no local
check could be made), another value, not checked, or not yet.

--watch keeps checking until the certificate is issued, fails or --max-wait
passes: the local check every --interval, Tencent's at most once a minute and
never while Tencent says it is asked too often (then it waits 2 minutes,
doubling up to 10). Once every record is found it asks the CA to validate
(CompleteCertificate) — once, and again only if the records change; if
the CA refuses that request the watch goes on, as the CA also checks by
itself. On a terminal the report is redrawn in place with a countdown;
otherwise one line is printed per change. --timeout stays the limit of
each request.

--resolver and --nameserver choose the DNS servers the local check asks
(default: the system's resolver, and the zone's own name servers found
through it). With --sandbox the sandbox's own servers answer and only
servers on this machine may be named; with an --endpoint on this machine
(certwiz sandbox) the check asks only the servers named, and fetches files
only from loopback addresses.

--json prints one object: {"CertificateId", "Status", "StatusName",
"StatusMsg", "VerifyType", "OrderId", "DVAuthDeadline", "Issued", "Records":
[{"Domain", "Type", "Host", "FQDN", "Value", "URL", "Local": {"Found" (the
verdict), "Answers", "Servers"} (left out when no local check was made:
issued or failed), "Tencent": {"LocalCheck", "Reason", "CaCheck"} or
null}], "RequestId"}; with --watch one such object a line (JSON Lines) each
time something changes, the last one the final state; an error is the usual
error object.

Exit codes, the same with or without --watch, so scripts can wait on them:
0 issued · 3 failed (review failed, cancelled, expired, deadline passed, or
not sent to the CA) · 6 not issued yet (one round), or the watch reached
--max-wait · 4 and 5 credentials and transport · 130 interrupted.`,
		Example: `  certwiz status abcb1234
  certwiz status abcb1234 --watch
  certwiz status abcb1234 --watch --json --max-wait 2h
  certwiz status abcb1234 --resolver 1.1.1.1:53 --nameserver ns1.example.com:53`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), o, args[0])
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.Watch, "watch", "w", false, "keep checking until issued, failed or --max-wait")
	f.BoolVar(&o.JSON, "json", false, "print JSON (with --watch: one object a line per change)")
	f.DurationVar(&o.Interval, "interval", watch.DefaultInterval, "with --watch: the local check every `DURATION` (at least 1s)")
	f.DurationVar(&o.MaxWait, "max-wait", 72*time.Hour, "with --watch: stop after `DURATION` (exit 6)")
	f.StringVar(&o.Resolver, "resolver", "", "DNS resolver `HOST:PORT` the local check asks")
	f.StringArrayVar(&o.Nameservers, "nameserver", nil, "ask this name server `HOST:PORT` instead of the zone's own (repeatable)")
	return cmd
}

// checkStatusFlags returns the message of a usage error, or "".
func (o *StatusOptions) checkStatusFlags(id string) string {
	lang := o.Language
	switch {
	case badID(id, lang) != "":
		return badID(id, lang)
	case o.Interval < time.Second:
		return fmt.Sprintf(say(lang, "--interval %s: give at least 1s", "--interval %s：至少 1s"), o.Interval)
	case o.MaxWait <= 0:
		return fmt.Sprintf(say(lang, "--max-wait %s: must be positive, e.g. 72h", "--max-wait %s：必须为正数，例如 72h"), o.MaxWait)
	}
	servers := o.Nameservers
	if o.Resolver != "" {
		servers = append([]string{o.Resolver}, servers...)
	}
	for _, hp := range servers {
		host, port, err := net.SplitHostPort(hp)
		if err != nil || host == "" || port == "" {
			return fmt.Sprintf(say(lang, "%q is not HOST:PORT (e.g. 1.1.1.1:53); nothing was sent", "%q 不是 HOST:PORT（例如 1.1.1.1:53）；未发送任何请求"), safe.Text(hp))
		}
		if o.Sandbox && !api.IsLoopback(host) {
			// The sandbox's promise: nothing leaves the machine.
			return fmt.Sprintf(say(lang, "%s: with --sandbox the local check asks only servers on this machine (127.0.0.1, ::1, localhost); nothing was sent",
				"%s：使用 --sandbox 时本地检查只询问本机上的服务器（127.0.0.1、::1、localhost）；未发送任何请求"), safe.Text(hp))
		}
	}
	return ""
}

// lookup is where the local check asks: --resolver and --nameserver,
// over the sandbox's own servers under --sandbox; with neither, the
// system's resolver and the zones' own name servers — but nobody when the
// endpoint is on this machine (a sandbox's names exist only there). A
// round ends within half of --interval when that is sooner than its
// default, so rounds never run into each other.
func (o *StatusOptions) lookup(endpoint string, sandbox *dnscheck.Options) dnscheck.Options {
	if o.knobs.lookup != nil {
		sandbox = o.knobs.lookup // tests: their own servers
	}
	lo := lookupOptions(sandbox, o.Resolver, o.Nameservers)
	if half := o.Interval / 2; half > 0 && half < dnscheck.DefaultRound && (lo.Round == 0 || half < lo.Round) {
		lo.Round = half
	}
	return offLoopback(endpoint, o.Sandbox, lo, say(o.Language,
		"the endpoint is on this machine: give its DNS server with --resolver and --nameserver (certwiz sandbox prints them) for a local check",
		"接入点在本机：请用 --resolver 和 --nameserver 指定它的 DNS 服务器（certwiz sandbox 会打印）以进行本机检查"))
}

func (o *StatusOptions) now() time.Time {
	if o.knobs.now != nil {
		return o.knobs.now()
	}
	return time.Now()
}

func runStatus(ctx context.Context, o *StatusOptions, id string) error {
	id = strings.TrimSpace(id)
	if msg := o.checkStatusFlags(id); msg != "" {
		return usageFail(o.Globals, o.JSON, "status", msg)
	}
	fail := func(err error) error { return failOut(o.Globals, o.JSON, err, nil, "") }
	creds, endpoint, stop, err := o.connect(fail)
	if err != nil {
		return err
	}
	defer stop()
	if creds.Source == "" {
		return fail(creds.err)
	}
	client, err := o.newClient(creds.Credentials, endpoint, api.DefaultRate)
	if err != nil {
		return err
	}
	for _, w := range creds.Warnings {
		o.warn(w)
	}
	lang := o.Language
	fmt.Fprintf(o.IO.Err, "%s %s ← %s\n%s: %s\n", say(lang, "Reading certificate", "正在读取证书"), safe.Text(id), client.Endpoint(), say(lang, "Credentials", "密钥"), creds.In(lang))
	interval := o.Interval
	if o.knobs.interval > 0 {
		interval = o.knobs.interval
	}
	w := watch.New(watch.Options{Client: client, CertificateID: id, Lookup: o.lookup(endpoint, creds.sandbox), Interval: interval,
		TencentEvery: o.knobs.tencentEvery, Backoff: o.knobs.backoff, Now: o.knobs.now,
		ReadOnly: !o.Watch}) // one report only reads: only a watch asks the CA to validate
	if !o.Watch {
		return o.once(ctx, w)
	}
	return o.watch(ctx, w, id)
}

// once makes one round and reports it; Tencent is asked whatever the pace.
func (o *StatusOptions) once(ctx context.Context, w *watch.Watcher) error {
	s, err := w.Step(ctx, true)
	var e *api.Error
	if err != nil && errors.As(err, &e) && e.Action == api.ActionComplete && ctx.Err() == nil {
		// The CA was not asked to validate: said, and the report stands.
		fmt.Fprintf(o.IO.Err, say(o.Language, "Warning: the CA was not asked to validate now: %s [%s]; it also checks by itself\n",
			"警告：未能请 CA 立即验证：%s [%s]；CA 也会自行检查\n"), safe.Text(e.Guide().Title.In(o.Language)), safe.Text(e.Code))
		err = nil
	}
	if err != nil {
		if s.Detail.CertificateId != "" && !o.JSON {
			o.report(o.IO.Out, s, o.now())
		}
		return failOut(o.Globals, o.JSON, err, nil, "")
	}
	if o.JSON {
		if err := writeJSON(o.IO.Out, statusJSON(s, o.Language)); err != nil {
			return err
		}
	} else {
		o.report(o.IO.Out, s, o.now())
	}
	return outcome(s)
}

// outcome is the exit code of a snapshot: 0 issued, 3 failed, 6 waiting.
func outcome(s watch.Snapshot) error {
	switch {
	case s.Issued:
		return nil
	case s.Failed:
		return shown(api.ExitRejected)
	}
	return shown(ExitWaiting)
}

// watch steps until issued, failed, --max-wait or ctrl+c.
func (o *StatusOptions) watch(ctx context.Context, w *watch.Watcher, id string) error {
	lang := o.Language
	start := o.now()
	end := start.Add(o.MaxWait)
	live := !o.JSON && o.IO.termOut()
	var (
		last    watch.Snapshot
		lastKey string
		notes   []string
		first   = true
		view    = &liveView{o: o}
	)
	redraw := func(footer string) {
		var b strings.Builder
		o.report(&b, last, o.now())
		for _, n := range notes {
			b.WriteString(n + "\n")
		}
		view.draw(lastKey+strings.Join(notes, "\n"), b.String(), footer)
	}
	interrupted := func() error {
		if live && view.drawn() {
			redraw(say(lang, "Stopped.", "已停止。"))
			view.done()
		}
		fmt.Fprintf(o.IO.Err, say(lang, "Interrupted: nothing is lost. Watch again with: %s\n", "已中断：没有丢失任何内容。可用此命令继续：%s\n"), o.watchAgain(id))
		return shown(api.ExitInterrupted)
	}
	for {
		if live && !first {
			redraw(spinnerFrames[0] + " " + say(lang, "checking…", "正在检查…"))
		}
		s, err := w.Step(ctx, false)
		if ctx.Err() != nil {
			return interrupted()
		}
		if err != nil {
			var e *api.Error
			// A refused CompleteCertificate does not end the watch: the CA
			// checks the records on its own too (and some brands take no
			// such request); the watcher does not send it again unchanged.
			soft := errors.As(err, &e) && (e.Guide().Retry || e.Action == api.ActionComplete)
			if !soft {
				if s.Detail.CertificateId != "" {
					last = s
				}
				if live && view.drawn() {
					redraw("")
					view.done()
				}
				return failOut(o.Globals, o.JSON, err, nil, "")
			}
			// Transient (network, overload): said, tried again next round.
			msg := fmt.Sprintf(say(lang, "%s — will try again: %s", "%s — 稍后重试：%s"), time.Now().Format("15:04:05"), safe.Text(e.Guide().Title.In(lang)+" ["+e.Code+"]"))
			if !e.Guide().Retry {
				msg = fmt.Sprintf(say(lang, "%s — the CA was not asked to validate (%s); the watch goes on, the CA also checks by itself",
					"%s — 未能请 CA 立即验证（%s）；继续等待，CA 也会自行检查"), time.Now().Format("15:04:05"), safe.Text(e.Guide().Title.In(lang)+" ["+e.Code+"]"))
			}
			if live {
				notes = []string{"! " + msg}
			} else {
				fmt.Fprintln(o.IO.Err, msg)
			}
		} else {
			notes = nil
		}
		if err == nil || s.Detail.CertificateId != "" {
			key := changeKey(s, lang)
			changed := key != lastKey
			last, lastKey = s, key
			switch {
			case o.JSON:
				if changed {
					if err := encodeJSON(o.IO.Out, statusJSON(s, lang), ""); err != nil {
						return err
					}
				}
			case live:
			case first:
				o.report(o.IO.Out, s, o.now())
			case changed || s.Completed || s.Frequently:
				fmt.Fprintln(o.IO.Out, o.changeLine(s))
			}
			if s.Completed {
				ev := say(lang, "All records found: asked the CA to validate now (CompleteCertificate).", "所有记录均已找到：已请 CA 立即验证（CompleteCertificate）。")
				if live {
					notes = append(notes, "→ "+ev)
				} else if !o.JSON {
					fmt.Fprintln(o.IO.Err, ev)
				}
			}
			first = false
		}
		if s.Issued || s.Failed {
			if live {
				redraw("")
				view.done()
			}
			return outcome(s)
		}
		next := s.Next()
		if next.IsZero() {
			next = o.now().Add(time.Second)
		}
		if next.After(end) {
			next = end
		}
		if err := o.wait(ctx, next, live, func(frame int) {
			redraw(o.footer(s, next, end, frame))
		}); err != nil {
			return interrupted()
		}
		if !o.now().Before(end) {
			if live {
				redraw("")
				view.done()
			}
			fmt.Fprintf(o.IO.Err, say(lang, "Still waiting after %s: certificate %s is not issued yet. Watch again with: %s\n",
				"已等待 %s：证书 %s 仍未签发。可用此命令继续：%s\n"), o.MaxWait, safe.Text(id), o.watchAgain(id))
			return shown(ExitWaiting)
		}
	}
}

// watchAgain is the command that watches id again, with this run's
// --resolver and --nameserver: the records are looked up where they were.
func (o *StatusOptions) watchAgain(id string) string {
	args := []string{"status", id, "--watch"}
	if o.Resolver != "" {
		args = append(args, "--resolver", o.Resolver)
	}
	for _, ns := range o.Nameservers {
		args = append(args, "--nameserver", ns)
	}
	return commandLine(o.Globals, args...)
}

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// wait sleeps until next, drawing every tick on a terminal; an error when
// ctx ends (ctrl+c).
func (o *StatusOptions) wait(ctx context.Context, next time.Time, live bool, draw func(frame int)) error {
	tick := o.knobs.tick
	if tick <= 0 {
		tick = 100 * time.Millisecond
	}
	timer := time.NewTimer(next.Sub(o.now()))
	defer timer.Stop()
	var ticks <-chan time.Time
	if live {
		t := time.NewTicker(tick)
		defer t.Stop()
		ticks = t.C
		draw(0)
	}
	for frame := 1; ; frame++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			return nil
		case <-ticks:
			draw(frame)
		}
	}
}

// footer is the live block's last line: spinner, countdown, limits.
func (o *StatusOptions) footer(s watch.Snapshot, next, end time.Time, frame int) string {
	lang := o.Language
	in := max(next.Sub(o.now()), 0).Round(time.Second)
	line := fmt.Sprintf("%s %s", spinnerFrames[frame%len(spinnerFrames)], fmt.Sprintf(say(lang, "next check in %s", "%s 后再次检查"), in))
	if s.Frequently || (!s.NextTencent.IsZero() && s.NextTencent.After(next)) {
		line += fmt.Sprintf(say(lang, " · Tencent asked again in %s", " · %s 后再询问腾讯云"), max(s.NextTencent.Sub(o.now()), 0).Round(time.Second))
	}
	line += fmt.Sprintf(say(lang, " · gives up in %s · ctrl+c stops", " · %s 后停止等待 · ctrl+c 退出"), shortDuration(end.Sub(o.now())))
	return line
}

// shortDuration is 71h59m or 4m10s, never with fractions of a second.
func shortDuration(d time.Duration) string {
	d = max(d, 0).Round(time.Second)
	if d >= time.Hour {
		d = d.Round(time.Minute)
		return strings.TrimSuffix(d.String(), "0s")
	}
	return d.String()
}

// liveView draws a watch on a terminal: the report with a footer line
// (spinner, countdown), redrawn in place while it fits the screen. A report
// taller than the screen cannot be redrawn (the cursor cannot climb into
// the scrollback): then it is printed again only when it changes, and only
// the footer line is redrawn.
type liveView struct {
	o       *StatusOptions
	rows    int    // in place: the lines drawn last
	printed string // scrolling: the key of the report printed last
	footer  bool   // scrolling: a footer line without its newline is shown
}

func (v *liveView) draw(key, block, footer string) {
	out := v.o.IO.Out
	footer = elideEnd(footer, v.o.IO.width()-1) // one line, never wrapped
	if v.footer {
		io.WriteString(out, "\r\x1b[K")
		v.footer = false
	}
	if n := v.o.rows(block) + 1; n < termHeight(v.o.IO) {
		if v.rows > 0 {
			fmt.Fprintf(out, "\x1b[%dA\x1b[J", v.rows)
		}
		io.WriteString(out, block+footer+"\n")
		v.rows, v.printed = n, ""
		return
	}
	if v.rows > 0 {
		fmt.Fprintf(out, "\x1b[%dA\x1b[J", v.rows)
		v.rows = 0
	}
	if key != v.printed {
		io.WriteString(out, block)
		v.printed = key
	}
	io.WriteString(out, footer)
	v.footer = true
}

// done ends the footer line, so what follows starts on its own line.
func (v *liveView) done() {
	if v.footer {
		io.WriteString(v.o.IO.Out, "\n")
		v.footer = false
	}
}

func (v *liveView) drawn() bool { return v.rows > 0 || v.footer }

// termHeight is the terminal's height: the terminal's, else $LINES, else 24.
func termHeight(streams IO) int {
	if f, ok := streams.Out.(*os.File); ok {
		if _, h, err := term.GetSize(f.Fd()); err == nil && h > 0 {
			return h
		}
	}
	if n, err := strconv.Atoi(os.Getenv("LINES")); err == nil && n > 0 {
		return n
	}
	return 24
}

// rows counts the terminal lines text takes, long lines wrapping.
func (o *StatusOptions) rows(text string) int {
	width := o.IO.width()
	n := 0
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n += max(1, (textWidth(l)+width-1)/width)
	}
	return n
}
