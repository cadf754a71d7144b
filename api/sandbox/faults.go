package sandbox

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Fault is a documented test ID that makes the sandbox fail in one way.
type Fault struct {
	ID string
	// Action is the action the fault fires on; "" = every action that
	// names the ID (as CertificateId, for DescribeCertificates as
	// SearchKey or in CertIds, for ApplyCertificate as OldCertificateId).
	// A fault on ApplyCertificate belongs to an issued free certificate
	// due for renewal, for the domain ApplyDomain names. A fault on DescribeCertificateDetail or
	// CommitCertificateInformation belongs to a certificate awaiting
	// information that can be submitted normally first.
	Action  string
	Code    string // service error code; "" for a transport fault
	Message string
	Status  int  // HTTP status of a transport fault
	Garbled bool // answer with a body that is not JSON
	// Slow answers only after Options.SlowDelay. With an Action set, the
	// action itself takes effect at once: only its answer is late.
	Slow bool
	// Lost: the action takes effect, then the connection is closed
	// without an answer (an answer lost on the way back).
	Lost bool
	// Archive: DownloadCertificate succeeds with this hostile archive
	// ("zip-slip", "bomb", "wrong-leaf", "bad-layout"); the ID is an
	// issued certificate.
	Archive string
}

// Faults lists the test IDs: one per business error of api.md and
// lifecycle.md for each action, plus transport faults, so every error
// screen can be shown and tested.
var Faults = []Fault{
	{ID: "testAuthError", Action: ActionSubmit, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:SubmitCertificateInformation."},
	{ID: "testExceedsFreeLimit", Action: ActionSubmit, Code: "FailedOperation.ExceedsFreeLimit", Message: "The number of free certificates exceeds the limit."},
	{ID: "testInvalidStatus", Action: ActionSubmit, Code: "FailedOperation.InvalidCertificateStatusCode", Message: "The certificate status does not allow this operation."},
	{ID: "testInvalidParam", Action: ActionSubmit, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter: OrganizationAddress."},
	{ID: "testNoProjectPermission", Action: ActionSubmit, Code: "FailedOperation.NoProjectPermission", Message: "You have no permission for this project."},
	{ID: "testNoRealNameAuth", Action: ActionSubmit, Code: "FailedOperation.NoRealNameAuth", Message: "The account has not completed real-name verification."},
	{ID: "testInternalError", Action: ActionSubmit, Code: "InternalError", Message: "Internal error."},
	{ID: "testContactEmailEmpty", Action: ActionSubmit, Code: "FailedOperation.CertificateInfoSubmitContactEmailEmpty", Message: "The contact e-mail cannot be empty."},
	{ID: "testDomainInvalid", Action: ActionSubmit, Code: "FailedOperation.CertificateInfoSubmitDomainInvalid", Message: "Invalid domain: %s."},
	{ID: "testSubmitStatusInvalid", Action: ActionSubmit, Code: "FailedOperation.CertificateInfoSubmitStatusInvalid", Message: "The certificate status does not allow submitting information."},
	{ID: "testCertificateInvalid", Action: ActionSubmit, Code: "FailedOperation.CertificateInvalid", Message: "The certificate is invalid."},
	{ID: "testNotFoundOrAudited", Action: ActionSubmit, Code: "FailedOperation.CertificateNotFoundOrAudited", Message: "The certificate does not exist or has been reviewed."},
	{ID: "testIllegalManager", Action: ActionSubmit, Code: "FailedOperation.IllegalManagerStatus", Message: "The manager status is invalid."},
	{ID: "testCANetworkError", Action: ActionSubmit, Code: "FailedOperation.NetworkError", Message: "The CA system is busy, please try again later."},
	{ID: "testBackendError", Action: ActionSubmit, Code: "InternalError.BackendResponseError", Message: "Backend response error."},
	{ID: "testRateLimitExceeded", Action: ActionSubmit, Code: "LimitExceeded.RateLimitExceeded", Message: "The request rate exceeds the limit."},
	{ID: "testUnauthorized", Action: ActionSubmit, Code: "UnauthorizedOperation", Message: "Unauthorized operation."},
	{ID: "testRequestLimit", Action: ActionSubmit, Code: "RequestLimitExceeded", Message: "Your current request rate has exceeded the limit."},
	{ID: "testHTTP500", Status: http.StatusInternalServerError, Message: "HTTP 500 with a plain-text body"},
	{ID: "testGarbled", Garbled: true, Message: "HTTP 200 with a body that is not JSON"},
	{ID: "testSubmitLost", Action: ActionSubmit, Lost: true, Message: "submit takes effect, then the connection closes without an answer"},
	{ID: "testSlow", Slow: true, Message: "answers only after the slow delay (default 30s)"},

	{ID: "testCommitAuthError", Action: ActionCommit, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:CommitCertificateInformation."},
	{ID: "testCommitCertificateInvalid", Action: ActionCommit, Code: "FailedOperation.CertificateInvalid", Message: "The certificate is invalid."},
	{ID: "testCommitNotFound", Action: ActionCommit, Code: "FailedOperation.CertificateNotFound", Message: "The certificate does not exist."},
	{ID: "testCommitInvalidStatus", Action: ActionCommit, Code: "FailedOperation.InvalidCertificateStatusCode", Message: "The certificate status does not allow this operation."},
	{ID: "testCommitInvalidParam", Action: ActionCommit, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter: the submitted information is incomplete."},
	{ID: "testCommitNetworkError", Action: ActionCommit, Code: "FailedOperation.NetworkError", Message: "The CA system is busy, please try again later."},
	{ID: "testCommitNoProject", Action: ActionCommit, Code: "FailedOperation.NoProjectPermission", Message: "You have no permission for this project."},
	{ID: "testCommitNoRealName", Action: ActionCommit, Code: "FailedOperation.NoRealNameAuth", Message: "The account has not completed real-name verification."},
	{ID: "testCommitInternal", Action: ActionCommit, Code: "InternalError", Message: "Internal error."},
	{ID: "testCommitBackend", Action: ActionCommit, Code: "InternalError.BackendResponseError", Message: "Backend response error."},
	{ID: "testCommitHTTP500", Action: ActionCommit, Status: http.StatusInternalServerError, Message: "commit answers HTTP 500 with a plain-text body; nothing is committed"},
	{ID: "testCommitSlow", Action: ActionCommit, Slow: true, Message: "commit takes effect at once but answers only after the slow delay (default 30s)"},
	{ID: "testCommitLost", Action: ActionCommit, Lost: true, Message: "commit takes effect, then the connection closes without an answer"},

	{ID: "testDetailAuthError", Action: ActionDetail, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:DescribeCertificateDetail."},
	{ID: "testDetailInternal", Action: ActionDetail, Code: "InternalError", Message: "Internal error."},

	{ID: "testDescribeAuthError", Action: ActionDescribe, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:DescribeCertificates."},
	{ID: "testDescribeInternal", Action: ActionDescribe, Code: "InternalError", Message: "Internal error."},

	{ID: "testCheckFailed", Action: ActionCheck, Code: "FailedOperation", Message: "Operation failed."},
	{ID: "testCheckCannotGetOrder", Action: ActionCheck, Code: "FailedOperation.CannotGetOrder", Message: "Failed to get the CA order."},
	{ID: "testCheckNotFound", Action: ActionCheck, Code: "FailedOperation.CertificateNotFound", Message: "The certificate does not exist."},
	{ID: "testCheckNotAllowVerify", Action: ActionCheck, Code: "FailedOperation.CertificateStatusNotAllowVerify", Message: "The certificate status does not allow checking domain validation."},
	{ID: "testCheckInvalidParam", Action: ActionCheck, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter."},

	{ID: "testCompleteFailed", Action: ActionComplete, Code: "FailedOperation", Message: "Operation failed."},
	{ID: "testCompleteNotFoundOrAudited", Action: ActionComplete, Code: "FailedOperation.CertificateNotFoundOrAudited", Message: "The certificate does not exist or has been reviewed."},
	{ID: "testCompleteInvalidParam", Action: ActionComplete, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter."},
	{ID: "testCompleteInternal", Action: ActionComplete, Code: "InternalError", Message: "Internal error."},

	{ID: "testDownloadCertificateInvalid", Action: ActionDownload, Code: "FailedOperation.CertificateInvalid", Message: "The certificate is invalid."},
	{ID: "testDownloadNotFound", Action: ActionDownload, Code: "FailedOperation.CertificateNotFound", Message: "The certificate does not exist."},
	{ID: "testDownloadInvalidStatus", Action: ActionDownload, Code: "FailedOperation.InvalidCertificateStatusCode", Message: "The certificate status does not allow this operation."},
	{ID: "testDownloadCannotGetOrder", Action: ActionDownload, Code: "FailedOperation.CannotGetOrder", Message: "Failed to get the CA order."},
	{ID: "testDownloadNoProject", Action: ActionDownload, Code: "FailedOperation.NoProjectPermission", Message: "You have no permission for this project."},
	{ID: "testDownloadNotAllow", Action: ActionDownload, Code: "FailedOperation.CertificateNotAllowDownload", Message: "The certificate is not allowed to be downloaded."},
	{ID: "testDownloadInternal", Action: ActionDownload, Code: "InternalError", Message: "Internal error."},
	{ID: "testDownloadZipSlip", Action: ActionDownload, Archive: archiveZipSlip, Message: "issued; its archive has entries ../evil.txt and /abs.txt"},
	{ID: "testDownloadBomb", Action: ActionDownload, Archive: archiveBomb, Message: "issued; its archive has one entry that inflates to 100 MB"},
	{ID: "testDownloadWrongLeaf", Action: ActionDownload, Archive: archiveWrongLeaf, Message: "issued; its archive holds a certificate for evil.attacker.test, not the order's hostile.example.com"},
	{ID: "testDownloadBadLayout", Action: ActionDownload, Archive: archiveBadLayout, Message: "issued; its archive holds names beside Tencent's layout: a file named like an nginx directive, .ssh/authorized_keys, .bashrc"},

	{ID: "testApplyExceedsFreeLimit", Action: ActionApply, Code: "FailedOperation.ExceedsFreeLimit", Message: "The number of free certificates exceeds the limit."},
	{ID: "testApplyDomainLimit", Action: ActionApply, Code: "FailedOperation.MainDomainCertificateCountLimit", Message: "The number of free certificates applied for under the main domain (example.com) has reached the limit of 20; please buy a paid certificate."},
	{ID: "testApplyAuthError", Action: ActionApply, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:ApplyCertificate."},
	{ID: "testApplyNetworkError", Action: ActionApply, Code: "FailedOperation.NetworkError", Message: "The CA system is busy, please try again later."},
	{ID: "testApplySlow", Action: ActionApply, Slow: true, Message: "the renewal is made at once but answered only after the slow delay (default 30s)"},
	{ID: "testApplyLost", Action: ActionApply, Lost: true, Message: "the renewal is made, then the connection closes without an answer"},
}

// ApplyDomain is the domain of the free certificate behind an
// ApplyCertificate test ID (testApplyLost → testapplylost.example.com):
// the DomainName a renewal of it must name.
func ApplyDomain(id string) string { return strings.ToLower(id) + ".example.com" }

// FaultsFor returns the faults that fire on an action (its own and those
// of every action), in the order of Faults.
func FaultsFor(action string) []Fault {
	var out []Fault
	for _, f := range Faults {
		if f.Action == "" || f.Action == action {
			out = append(out, f)
		}
	}
	return out
}

// faultByID finds the fault of a test ID.
func faultByID(id string) (Fault, bool) {
	for _, f := range Faults {
		if f.ID == id {
			return f, true
		}
	}
	return Fault{}, false
}

// faultFor finds the fault a request triggers: one of its action (or of
// every action) named by its CertificateId, or for DescribeCertificates by
// its SearchKey or one of its CertIds.
func faultFor(action string, params map[string]any) (Fault, bool) {
	names := []any{params["CertificateId"]}
	switch action {
	case ActionDescribe:
		names = append([]any{params["SearchKey"]}, asList(params["CertIds"])...)
	case ActionApply:
		names = []any{params["OldCertificateId"]}
	}
	for _, n := range names {
		id, _ := n.(string)
		if f, ok := faultByID(id); ok && id != "" && (f.Action == "" || f.Action == action) {
			return f, true
		}
	}
	return Fault{}, false
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func (s *Server) fault(w http.ResponseWriter, r *http.Request, reqID string, f Fault, params map[string]any) {
	switch {
	case f.Status != 0:
		s.logf("%s %s HTTP %d", reqID, f.ID, f.Status)
		http.Error(w, "upstream failure (sandbox fault "+f.ID+")", f.Status)
	case f.Archive != "":
		zip, err := hostileZip(f.Archive)
		if err != nil {
			s.answer(w, reqID, fail("InternalError", "The sandbox could not build %s's archive: %v.", f.ID, err))
			return
		}
		s.logf("%s %s hostile archive (%s)", reqID, f.ID, f.Archive)
		s.writeJSON(w, map[string]any{"Response": map[string]any{
			"Content": base64.StdEncoding.EncodeToString(zip), "ContentType": "application/zip", "RequestId": reqID,
		}})
	case f.Garbled:
		s.logf("%s %s garbled answer", reqID, f.ID)
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>502 Bad Gateway (sandbox fault "+f.ID+")</body></html>")
	case f.Slow:
		s.logf("%s %s slow answer", reqID, f.ID)
		t := time.NewTimer(s.opts.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
			s.answer(w, reqID, fail("InternalError", "The sandbox answered slowly on purpose (%s).", f.ID))
		case <-r.Context().Done():
		}
	default:
		msg := f.Message
		if f.Code == "FailedOperation.CertificateInfoSubmitDomainInvalid" {
			domain, _ := params["CertificateDomain"].(string)
			msg = fmt.Sprintf(msg, domain)
		}
		s.answer(w, reqID, &apiError{Code: f.Code, Message: msg})
	}
}
