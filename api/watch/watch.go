// Package watch follows a certificate through domain validation.
//
// It reads the certificate, looks its records up where the CA will
// (dnscheck), asks Tencent how far validation has got without asking too
// often, and tells the CA to validate once every record is in place.
//
// It owns the policy only — what to ask, when, and what the answers mean.
// It never writes to the terminal or to disk: `certwiz status --watch`
// and the wizard's validation screen both drive a Watcher and draw its
// Snapshots their own way.
package watch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// Defaults of Options.
const (
	DefaultInterval     = 30 * time.Second
	DefaultTencentEvery = time.Minute
	DefaultBackoff      = 2 * time.Minute
	// MaxBackoff caps the doubling wait after Frequently answers.
	MaxBackoff = 10 * time.Minute
)

// Options say which certificate to watch, where to look records up and
// how often to ask.
type Options struct {
	Client        *api.Client
	CertificateID string
	Lookup        dnscheck.Options
	Interval      time.Duration // local check; default 30s
	TencentEvery  time.Duration // least gap between Tencent checks; default 1m
	Backoff       time.Duration // first wait after a Frequently answer; default 2m, doubling to 10m
	Now           func() time.Time
	// ReadOnly never asks the CA to validate (a one-shot status report
	// only reads).
	ReadOnly bool
}

// Watcher keeps what one watch has learnt between its rounds. It is not
// safe for concurrent use: one goroutine calls Step.
type Watcher struct {
	o            Options
	lastTencent  time.Time // when Tencent was last asked (zero: never)
	tencentAt    time.Time // when the answers in tencent were given
	backoff      time.Duration
	backoffUntil time.Time
	tencent      []api.DomainCheck // Tencent's last real answer (not a Frequently one)
	completed    string            // the records' fingerprint when CompleteCertificate was last called
	completedOK  bool
}

// New returns a Watcher; zero Options fields take the defaults.
func New(o Options) *Watcher {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.TencentEvery <= 0 {
		o.TencentEvery = DefaultTencentEvery
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Watcher{o: o}
}

// Snapshot is what one round found.
type Snapshot struct {
	Detail  api.CertificateDetail
	Records []RecordState
	Issued  bool
	Failed  bool // review failed, cancelled, expired, or the deadline passed
	// Why says why it failed, or what the user must do that no record
	// can (the OV/EV confirmation letter), or that there is nothing to do
	// (DNS_AUTO); empty when the records say it all.
	Why        api.Text
	Completed  bool // CompleteCertificate was called in this step
	Frequently bool // Tencent said back off in this step
	// NextLocal is when the local check is next due; NextTencent when
	// Tencent may next be asked (zero when it will not be: issued, failed,
	// or a status it does not check).
	NextLocal, NextTencent time.Time
	// TencentAt is when the Tencent answers in Records were given (zero:
	// never asked): they may be older than this round's local check.
	TencentAt time.Time
	RequestId string // of the last request this step made
}

// RecordState is one record with what each check found.
type RecordState struct {
	api.Record
	Local   dnscheck.Result
	Tencent *api.DomainCheck // nil until Tencent was asked
}

// Next is when the next Step is due: the local check's pace drives the
// rounds, and Tencent is asked in the first round after NextTencent. Zero
// when the watch is over.
func (s Snapshot) Next() time.Time {
	if s.Issued || s.Failed {
		return time.Time{}
	}
	return s.NextLocal
}

// Found counts the records in place, as their Verdicts say: found by the
// local check or, where it could not be made (no DNS server to ask), by
// Tencent's last check.
func (s Snapshot) Found() int {
	n := 0
	for _, r := range s.Records {
		if r.Verdict().Found() {
			n++
		}
	}
	return n
}

// soonAfterComplete is when a watch looks again after asking the CA to
// validate: issuance can follow within seconds.
const soonAfterComplete = 5 * time.Second

// Deadline is DVAuthDeadline as a time (the service writes Beijing time);
// false when there is none or it cannot be read.
func Deadline(d api.CertificateDetail) (time.Time, bool) { return Time(d.DVAuthDeadline) }

// Time reads a time as the service writes it ("2006-01-02 15:04:05",
// Beijing time); false for anything else.
func Time(s string) (time.Time, bool) { return api.ParseTime(s) }

// Beijing is the time zone of the service's times (UTC+8, no DST).
var Beijing = api.Beijing

// Step makes one round: DescribeCertificateDetail (status, records; every
// round, back-offs included), the local check of every record,
// CompleteCertificate once when every local check passes (again only
// after the records or their values changed), and Tencent's check when
// due (never during a Frequently back-off). Only the detail's status says
// issued: a check claiming it makes the round read the detail once more.
// force ("check now") asks Tencent even when not due, but still never
// during a back-off. An error ends the round early; the Snapshot then
// holds what was learnt before it.
func (w *Watcher) Step(ctx context.Context, force bool) (Snapshot, error) {
	now := w.o.Now()
	id := w.o.CertificateID
	d, err := w.o.Client.DescribeCertificateDetail(ctx, id)
	if err != nil {
		return Snapshot{NextLocal: now.Add(w.o.Interval)}, fmt.Errorf("read certificate %s: %w", id, err)
	}
	s := Snapshot{Detail: d, RequestId: d.RequestId}
	for _, r := range d.Records() {
		s.Records = append(s.Records, RecordState{Record: r})
	}
	w.judge(&s, now)
	if s.Issued || s.Failed {
		w.attach(&s)
		return s, nil
	}
	s.NextLocal = now.Add(w.o.Interval)
	w.checkLocally(ctx, &s)
	if ctx.Err() != nil {
		return s, ctx.Err()
	}

	// Tencent checks validation only while it is pending; other stages
	// would answer CertificateStatusNotAllowVerify.
	asks := d.Status == api.StatusDNSAdded ||
		d.Status == api.StatusReviewing && (d.StatusMsg == "" || d.StatusMsg == "PENDING-DCV")
	w.attach(&s) // Tencent's last answer stands in where no local check could be made
	if asks && !w.o.ReadOnly && len(s.Records) > 0 && s.Found() == len(s.Records) {
		if key := fingerprint(s.Records); !w.completedOK || key != w.completed {
			reqID, err := w.o.Client.CompleteCertificate(ctx, id)
			if err != nil {
				if !retryable(err) {
					// Refused as it is: not asked again until the records change.
					w.completed, w.completedOK = key, true
				}
				return s, fmt.Errorf("ask the CA to validate %s: %w", id, err)
			}
			w.completed, w.completedOK, s.Completed, s.RequestId = key, true, true, reqID
			s.NextLocal = now.Add(min(w.o.Interval, soonAfterComplete))
		}
	}

	if asks {
		due := w.lastTencent.IsZero() || force || !now.Before(w.lastTencent.Add(w.o.TencentEvery))
		if now.Before(w.backoffUntil) {
			due = false
		}
		if due {
			w.lastTencent = now
			checks, reqID, err := w.o.Client.CheckDomainVerification(ctx, id)
			if err != nil {
				s.NextTencent = w.nextTencent()
				return s, fmt.Errorf("ask Tencent how validation of %s stands: %w", id, err)
			}
			s.RequestId = reqID
			if frequently(checks) {
				// Back off: the first wait, then doubling, capped.
				w.backoff = min(max(w.o.Backoff, 2*w.backoff), max(MaxBackoff, w.o.Backoff))
				w.backoffUntil = now.Add(w.backoff)
				s.Frequently = true
			} else {
				w.backoff = 0
				w.tencent, w.tencentAt = checks, now
				if slices.ContainsFunc(checks, func(c api.DomainCheck) bool { return c.Issued }) {
					// Only the certificate's own status says issued: read
					// it again (for the validity dates too).
					d2, err := w.o.Client.DescribeCertificateDetail(ctx, id)
					if err != nil {
						s.NextTencent = w.nextTencent()
						return s, fmt.Errorf("read certificate %s, which Tencent's check says is issued: %w", id, err)
					}
					s.Detail, s.RequestId = d2, d2.RequestId
					w.judge(&s, now)
				}
			}
		}
		s.NextTencent = w.nextTencent()
	}
	w.attach(&s)
	return s, nil
}

// nextTencent is when Tencent may be asked next.
func (w *Watcher) nextTencent() time.Time {
	next := w.lastTencent.Add(w.o.TencentEvery)
	if w.backoffUntil.After(next) {
		next = w.backoffUntil
	}
	return next
}

// judge reads the status: issued, failed (with why), or what the user
// must know while it waits.
func (w *Watcher) judge(s *Snapshot, now time.Time) {
	d := s.Detail
	switch d.Status {
	case api.StatusIssued:
		s.Issued = true
		return
	case api.StatusReviewing:
		switch d.StatusMsg {
		case "", "PENDING-DCV":
		case "WAIT-ISSUE":
			s.Why = api.Text{EN: "The domains are validated; the CA is issuing the certificate: nothing to do.", ZH: "域名已验证，CA 正在签发证书：无需操作。"}
		default:
			s.Why = api.Text{EN: "The CA is reviewing the order: nothing to do until it asks for validation.", ZH: "CA 正在审核订单：在要求域名验证之前无需操作。"}
		}
	case api.StatusDNSAdded:
		s.Why = api.Text{EN: "DNS_AUTO: Tencent Cloud adds the DNS record itself; nothing to do but wait for the CA.", ZH: "DNS_AUTO：腾讯云自动添加 DNS 记录；只需等待 CA 检查，无需操作。"}
	case api.StatusAwaitingLetter:
		s.Why = api.Text{EN: "The CA waits for the confirmation letter (OV/EV): upload it in the SSL console (Certificate details → Confirmation letter); validation goes on after that.",
			ZH: "CA 正在等待确认函（OV/EV）：请在 SSL 证书控制台的证书详情中上传确认函，之后继续验证。"}
	case api.StatusAwaitingInfo:
		s.Failed = true
		s.Why = api.Text{EN: fmt.Sprintf("Certificate %s has not been sent to the CA yet: send it with certwiz commit %s.", d.CertificateId, d.CertificateId),
			ZH: fmt.Sprintf("证书 %s 尚未发送给 CA：请用 certwiz commit %s 发送。", d.CertificateId, d.CertificateId)}
		return
	default:
		s.Failed = true
		words := api.StatusText(d.Status, d.StatusMsg)
		s.Why = api.Text{EN: fmt.Sprintf("Status %d, %s: this order will not be issued.", d.Status, words.EN),
			ZH: fmt.Sprintf("状态 %d（%s）：此订单不会再签发。", d.Status, words.ZH)}
		if d.Status == api.StatusReviewFailed {
			s.Why.EN += " Cancel and resubmit it in the SSL console."
			s.Why.ZH += "请在 SSL 证书控制台撤销后重新提交。"
		}
		return
	}
	if dl, ok := Deadline(d); ok && now.After(dl) {
		s.Failed = true
		s.Why = api.Text{EN: fmt.Sprintf("The validation deadline passed (%s, Beijing time): the order must be placed again.", d.DVAuthDeadline),
			ZH: fmt.Sprintf("域名验证已过截止时间（北京时间 %s）：需要重新下单。", d.DVAuthDeadline)}
	}
}

// checkLocally looks every record up at once: DNS ones where the CA will,
// FILE ones over http and https.
func (w *Watcher) checkLocally(ctx context.Context, s *Snapshot) {
	var wg sync.WaitGroup
	for i := range s.Records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &s.Records[i]
			if r.Method() == api.MethodFile {
				r.Local = dnscheck.CheckFile(ctx, r.Record, w.o.Lookup)
			} else {
				r.Local = dnscheck.Check(ctx, r.Record, w.o.Lookup)
			}
		}()
	}
	wg.Wait()
}

// attach pairs Tencent's last answer with the records by Domain. Several
// records may prove one name (a wildcard and its bare name share
// _dnsauth.NAME): those pair in order.
func (w *Watcher) attach(s *Snapshot) {
	if w.tencent != nil {
		s.TencentAt = w.tencentAt
	}
	used := make([]bool, len(w.tencent))
	for i, r := range s.Records {
		for j, c := range w.tencent {
			if !used[j] && domainKey(c.Domain) == domainKey(r.Domain) {
				used[j] = true
				s.Records[i].Tencent = &c
				break
			}
		}
	}
}

func domainKey(d string) string {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	return strings.TrimPrefix(d, "*.")
}

// frequently reports a "too often" answer: Tencent checked nothing.
func frequently(checks []api.DomainCheck) bool {
	for _, c := range checks {
		if c.Frequently {
			return true
		}
	}
	return false
}

// fingerprint names the records and their values: a change means the CA
// must be asked again.
func fingerprint(rs []RecordState) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, strings.Join([]string{r.Type, r.FQDN, r.Path, r.Zone, r.Value}, "\x00"))
	}
	slices.Sort(parts)
	return strings.Join(parts, "\x01")
}

// retryable: the same request may succeed later (transport, overload).
func retryable(err error) bool {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Guide().Retry
	}
	return false
}
