package api

import (
	"context"
	"fmt"
)

// Result is a successful submission.
type Result struct {
	CertificateId string
	RequestId     string
}

// Submit sends SubmitCertificateInformation as the request is (validate
// and normalize it first). The answer must name the certificate sent.
func (c *Client) Submit(ctx context.Context, req Request) (Result, error) {
	var out struct {
		CertificateId string `json:"CertificateId"`
	}
	id, err := c.call(ctx, ActionSubmit, req.Params(), &out)
	if err != nil {
		return Result{}, err
	}
	if out.CertificateId != req.CertificateId {
		return Result{}, &Error{Code: CodeMalformed, Action: ActionSubmit, RequestId: id,
			Message: fmt.Sprintf("the answer names certificate %q, not %q that was sent", out.CertificateId, req.CertificateId)}
	}
	return Result{CertificateId: out.CertificateId, RequestId: id}, nil
}
