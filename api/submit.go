package api

import "context"

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
	if err := otherCertificate(ActionSubmit, id, req.CertificateId, out.CertificateId); err != nil {
		return Result{}, err
	}
	return Result{CertificateId: out.CertificateId, RequestId: id}, nil
}
