package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Fate is what became of a request whose answer was lost, read back from
// the certificate before anything is said. `certwiz commit`, `submit`,
// the batch, the wizard and accessible mode all reconcile through
// CommitFate and SubmitFate, so they tell the same story.
type Fate int

const (
	FateAnswered   Fate = iota // the answer came (or the service refused): nothing to reconcile
	FateApplied                // the certificate shows the request took effect
	FateNotApplied             // the certificate shows it did not
	FateUnknown                // the certificate could not be read
)

// String is the fate as JSON names it ("Reconciled"): confirmed,
// did-not-happen or unknown ("" for an answer that came).
func (f Fate) String() string {
	switch f {
	case FateApplied:
		return "confirmed"
	case FateNotApplied:
		return "did-not-happen"
	case FateUnknown:
		return "unknown"
	}
	return ""
}

// AnswerLost reports whether err leaves a request's fate open: no answer
// in time, a broken connection, an HTTP error or an answer that cannot be
// read. The service's own refusals are answers.
func AnswerLost(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return err != nil
	}
	switch e.Code {
	case CodeTimeout, CodeCanceled, CodeNetwork, CodeHTTPStatus, CodeMalformed:
		return true
	}
	return false
}

// CommitFate reconciles a commit's outcome (res, err as Commit returned
// them) when its answer was lost: it reads the certificate, and an order
// with the CA (any status but awaiting information) went through — res
// is then made from the certificate and the error is dropped.
func (c *Client) CommitFate(ctx context.Context, id string, res CommitResult, err error) (CommitResult, Fate, error) {
	if !AnswerLost(err) {
		return res, FateAnswered, err
	}
	d, derr := c.DescribeCertificateDetail(ctx, id)
	switch {
	case derr != nil:
		return res, FateUnknown, err
	case d.Status == StatusAwaitingInfo:
		return res, FateNotApplied, err
	}
	return CommitResult{CertificateId: id, OrderId: d.OrderId, Status: d.Status, RequestId: d.RequestId}, FateApplied, nil
}

// SubmitFate reconciles a submission's outcome when its answer was lost:
// it went through when the certificate's submitted data holds every
// parameter of req as sent (KeyPassword is never read back, so never
// compared); res is then made from the certificate and the error dropped.
func (c *Client) SubmitFate(ctx context.Context, req Request, res Result, err error) (Result, Fate, error) {
	if !AnswerLost(err) {
		return res, FateAnswered, err
	}
	d, derr := c.DescribeCertificateDetail(ctx, req.CertificateId)
	switch {
	case derr != nil:
		return res, FateUnknown, err
	case d.Submitted == nil || !sameSubmission(req, *d.Submitted):
		return res, FateNotApplied, err
	}
	return Result{CertificateId: req.CertificateId, RequestId: d.RequestId}, FateApplied, nil
}

// sameSubmission reports whether got holds every parameter of sent with
// the same value.
func sameSubmission(sent, got Request) bool {
	sent.KeyPassword, sent.IsDV, got.IsDV = "", "", ""
	sent.CertificateId, got.CertificateId = "", ""
	if !slices.Equal(sent.DomainList, got.DomainList) && len(sent.DomainList) > 0 {
		return false
	}
	sent.DomainList, got.DomainList = nil, nil
	var a, b map[string]any
	if !asMap(sent, &a) || !asMap(got, &b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func asMap(r Request, m *map[string]any) bool {
	data, err := json.Marshal(r)
	return err == nil && json.Unmarshal(data, m) == nil
}

// ConfirmedAfterLost says a request whose answer was lost went through:
// reading the certificate showed it (a commit's order with the CA, a
// submission's information stored as sent).
func ConfirmedAfterLost(submit bool) Text {
	if submit {
		return Text{"(confirmed after the answer was lost: the certificate, read again, holds the information as sent)", "（应答丢失后已确认：重新读取证书，资料与所发一致）"}
	}
	return Text{"(confirmed after the answer was lost: the certificate, read again, is with the CA)", "（应答丢失后已确认：重新读取证书，订单已在 CA）"}
}

// Finding says what reading certificate id showed after a lost answer
// that did not go through, or could not be read: the request did not
// happen (what to do next is the caller's: a command, or the wizard's
// Retry), or nobody knows — then statusCmd ("certwiz [flags] status ID")
// is the way to find out, and nothing should be sent again before. Empty
// for an answer that came and for a request confirmed. id and statusCmd
// are said as they are: the caller makes them safe for a terminal.
func (f Fate) Finding(id, statusCmd string, submit bool) Text {
	switch {
	case f == FateNotApplied && submit:
		return Text{
			fmt.Sprintf("The answer was lost; reading certificate %s shows the information was not stored as sent: send it again.", id),
			fmt.Sprintf("应答丢失；读取证书 %s 显示资料未按所发内容保存：请重新提交。", id)}
	case f == FateNotApplied:
		return Text{
			fmt.Sprintf("The answer was lost; reading certificate %s shows the commit did not happen (it still awaits information, status 5).", id),
			fmt.Sprintf("应答丢失；读取证书 %s 显示未发送给 CA（仍为待提交资料，状态 5）。", id)}
	case f == FateUnknown:
		return Text{
			fmt.Sprintf("The answer was lost and the certificate could not be read: whether it arrived is unknown — check with `%s` before sending it again.", statusCmd),
			fmt.Sprintf("应答丢失且无法读取证书：是否已送达未知——重新发送前请用 `%s` 查看。", statusCmd)}
	}
	return Text{}
}
