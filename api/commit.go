package api

import (
	"cmp"
	"context"
)

// CommitResult is the answer of CommitCertificateInformation: the order
// is with the CA.
type CommitResult struct {
	CertificateId string
	OrderId       string // the CA's order number
	Status        int
	RequestId     string
}

// Commit sends the submitted information to the CA
// (CommitCertificateInformation). It is a one-way door: afterwards the
// information changes only by cancelling and resubmitting. verifyType may
// be empty to keep the one submitted.
func (c *Client) Commit(ctx context.Context, certificateID, verifyType string) (CommitResult, error) {
	params := map[string]any{"CertificateId": certificateID}
	if verifyType != "" {
		params["VerifyType"] = verifyType
	}
	var out struct {
		CertificateId string `json:"CertificateId"` // not documented; checked when present
		OrderId       string `json:"OrderId"`
		Status        int    `json:"Status"`
	}
	id, err := c.call(ctx, ActionCommit, params, &out)
	if err != nil {
		return CommitResult{}, err
	}
	if err := otherCertificate(ActionCommit, id, certificateID, cmp.Or(out.CertificateId, certificateID)); err != nil {
		return CommitResult{}, err
	}
	return CommitResult{CertificateId: certificateID, OrderId: out.OrderId, Status: out.Status, RequestId: id}, nil
}
