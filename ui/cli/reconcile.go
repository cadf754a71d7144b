package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
)

// fate is what became of a request whose answer was lost, read back from
// the certificate before anything is said.
type fate int

const (
	answered   fate = iota // the answer came (or the service refused): nothing to reconcile
	applied                // the certificate shows the request took effect
	notApplied             // the certificate shows it did not
	unknown                // the certificate could not be read
)

// answerLost reports whether err leaves a request's fate open: no answer
// in time, a broken connection, an HTTP error or an answer that cannot be
// read. The service's own refusals are answers.
func answerLost(err error) bool {
	var e *api.Error
	if !errors.As(err, &e) {
		return err != nil
	}
	switch e.Code {
	case api.CodeTimeout, api.CodeCanceled, api.CodeNetwork, api.CodeHTTPStatus, api.CodeMalformed:
		return true
	}
	return false
}

// commitFate reads the certificate after a commit whose answer was lost:
// an order with the CA (any status but awaiting information) went
// through, and res is then made from the certificate.
func commitFate(ctx context.Context, client *api.Client, id string, res api.CommitResult, err error) (api.CommitResult, fate) {
	if !answerLost(err) {
		return res, answered
	}
	d, derr := client.DescribeCertificateDetail(ctx, id)
	switch {
	case derr != nil:
		return res, unknown
	case d.Status == api.StatusAwaitingInfo:
		return res, notApplied
	}
	return api.CommitResult{CertificateId: id, OrderId: d.OrderId, Status: d.Status, RequestId: d.RequestId}, applied
}

// submitFate reads the certificate after a submission whose answer was
// lost: it went through when the submitted data holds every parameter as
// sent (KeyPassword is never read back, so never compared).
func submitFate(ctx context.Context, client *api.Client, req api.Request, err error) (api.Result, fate) {
	if !answerLost(err) {
		return api.Result{}, answered
	}
	d, derr := client.DescribeCertificateDetail(ctx, req.CertificateId)
	switch {
	case derr != nil:
		return api.Result{}, unknown
	case d.Submitted == nil || !sameSubmission(req, *d.Submitted):
		return api.Result{}, notApplied
	}
	return api.Result{CertificateId: req.CertificateId, RequestId: d.RequestId}, applied
}

// sameSubmission reports whether got holds every parameter of sent with
// the same value.
func sameSubmission(sent, got api.Request) bool {
	sent.KeyPassword, sent.IsDV, got.IsDV = "", "", ""
	sent.CertificateId, got.CertificateId = "", ""
	if !slices.Equal(sent.DomainList, got.DomainList) && len(sent.DomainList) > 0 {
		return false
	}
	sent.DomainList, got.DomainList = nil, nil
	var a, b map[string]any
	if !fields(sent, &a) || !fields(got, &b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func fields(r api.Request, m *map[string]any) bool {
	data, err := json.Marshal(r)
	return err == nil && json.Unmarshal(data, m) == nil
}

// lostHint says what reading the certificate showed after a lost answer
// to a commit (or a submission, submit): the command to send it again
// only when it did not happen, the status command when nobody knows.
func lostHint(g *Globals, id string, f fate, submit bool) string {
	lang := g.Language
	switch {
	case f == notApplied && submit:
		return fmt.Sprintf(say(lang,
			"The answer was lost; reading certificate %s shows the information was not stored as sent: send it again.",
			"应答丢失；读取证书 %s 显示资料未按所发内容保存：请重新提交。"), safe.Text(id))
	case f == notApplied:
		return fmt.Sprintf(say(lang,
			"The answer was lost; reading certificate %s shows the commit did not happen (it still awaits information, status 5). Send it again with: %s",
			"应答丢失；读取证书 %s 显示未发送给 CA（仍为待提交资料，状态 5）。可用此命令重新发送：%s"), safe.Text(id), safe.Text(commandLine(g, "commit", id)))
	case f == unknown:
		return fmt.Sprintf(say(lang,
			"The answer was lost and the certificate could not be read: whether it arrived is unknown — check with `%s` before sending it again.",
			"应答丢失且无法读取证书：是否已送达未知——重新发送前请用 `%s` 查看。"), safe.Text(commandLine(g, "status", id)))
	}
	return ""
}
