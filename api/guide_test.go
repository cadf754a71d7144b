package api

import "testing"

// Every code api.md lists, with the exit class ux.md gives it.
var apiMDCodes = map[string]int{
	"FailedOperation.AuthError": ExitAuth, "FailedOperation.CertificateNotFound": ExitRejected,
	"FailedOperation.ExceedsFreeLimit": ExitRejected, "FailedOperation.InvalidCertificateStatusCode": ExitRejected,
	"FailedOperation.InvalidParam": ExitRejected, "FailedOperation.NoProjectPermission": ExitAuth,
	"FailedOperation.NoRealNameAuth": ExitRejected, "InternalError": ExitTransport,
	"FailedOperation.CertificateInfoSubmitContactEmailEmpty": ExitRejected, "FailedOperation.CertificateInfoSubmitDomainInvalid": ExitRejected,
	"FailedOperation.CertificateInfoSubmitStatusInvalid": ExitRejected, "FailedOperation.CertificateInvalid": ExitRejected,
	"FailedOperation.CertificateNotFoundOrAudited": ExitRejected, "FailedOperation.IllegalManagerStatus": ExitRejected,
	"FailedOperation.NetworkError": ExitRejected, "InternalError.BackendResponseError": ExitTransport,
	"LimitExceeded.RateLimitExceeded": ExitTransport, "UnauthorizedOperation": ExitAuth,
	"AuthFailure.InvalidAuthorization": ExitAuth, "AuthFailure.InvalidSecretId": ExitAuth, "AuthFailure.MFAFailure": ExitAuth,
	"AuthFailure.SecretIdNotFound": ExitAuth, "AuthFailure.SignatureExpire": ExitAuth, "AuthFailure.SignatureFailure": ExitAuth,
	"AuthFailure.TokenFailure": ExitAuth, "AuthFailure.UnauthorizedOperation": ExitAuth,
	"ActionOffline": ExitRejected, "InvalidAction": ExitRejected, "InvalidParameter": ExitRejected, "InvalidParameterValue": ExitRejected,
	"MissingParameter": ExitRejected, "UnknownParameter": ExitRejected, "NoSuchProduct": ExitRejected, "NoSuchVersion": ExitRejected,
	"UnsupportedOperation": ExitRejected, "UnsupportedProtocol": ExitRejected, "UnsupportedRegion": ExitRejected,
	"RequestLimitExceeded": ExitTransport, "RequestLimitExceeded.IPLimitExceeded": ExitTransport,
	"RequestLimitExceeded.UinLimitExceeded": ExitTransport, "RequestLimitExceeded.GlobalRegionUinLimitExceeded": ExitTransport,
	"RequestSizeLimitExceeded": ExitRejected, "LimitExceeded": ExitRejected, "IpInBlacklist": ExitAuth, "IpNotInWhitelist": ExitAuth,
	"ResourceInUse": ExitRejected, "ResourceInsufficient": ExitRejected, "ResourceNotFound": ExitRejected,
	"ResourceUnavailable": ExitRejected, "ServiceUnavailable": ExitTransport, "FailedOperation": ExitRejected,
}

func TestEveryAPIMDCodeIsExplained(t *testing.T) {
	for code, exit := range apiMDCodes {
		gd, known := Explain(code)
		if !known {
			t.Errorf("%s is not in the guide", code)
			continue
		}
		if gd.Exit != exit {
			t.Errorf("%s: exit %d, want %d", code, gd.Exit, exit)
		}
		for _, txt := range []Text{gd.Title, gd.Meaning, gd.Action} {
			if txt.EN == "" || txt.ZH == "" {
				t.Errorf("%s lacks English or Chinese guidance", code)
			}
		}
	}
}

func TestGuideStepsPointAtTheWizard(t *testing.T) {
	for code, step := range map[string]Step{
		"FailedOperation.CertificateInfoSubmitDomainInvalid":     StepDomains,
		"FailedOperation.InvalidCertificateStatusCode":           StepCertificate,
		"FailedOperation.CertificateInfoSubmitContactEmailEmpty": StepContact,
		"FailedOperation.CertificateNotFound":                    StepCertificate,
	} {
		if gd, _ := Explain(code); gd.Step != step {
			t.Errorf("%s → step %q, want %q", code, gd.Step, step)
		}
	}
}

func TestUnknownCodesFallBackOnTheirPrefix(t *testing.T) {
	for code, want := range map[string]struct {
		title string
		exit  int
	}{
		"AuthFailure.SomethingNew":             {"Authentication failed", ExitAuth},
		"FailedOperation.Brand.New":            {"Operation failed", ExitRejected},
		"InternalError.Whatever":               {"Tencent Cloud internal error", ExitTransport},
		"RequestLimitExceeded.PerMinute":       {"Rate limit exceeded", ExitTransport},
		"ResourceNotFound.Certificate":         {"Resource not found", ExitRejected},
		"TotallyUnknown":                       {"Request refused", ExitRejected},
		"InvalidParameterValue.CsrContentBad":  {"Invalid parameter value", ExitRejected},
		"UnauthorizedOperation.CamNoAuthority": {"Not authorized", ExitAuth},
	} {
		gd, known := Explain(code)
		if known || gd.Code != code || gd.Title.EN != want.title || gd.Exit != want.exit {
			t.Errorf("Explain(%s) = %+v known=%v, want %+v", code, gd, known, want)
		}
	}
}

// Every code the sandbox's ApplyCertificate answers reads for an
// application, in both languages.
func TestApplyCodesAreExplained(t *testing.T) {
	for code, exit := range map[string]int{
		"FailedOperation.CertificateNotFound": ExitRejected, "FailedOperation.InvalidCertificateStatusCode": ExitRejected,
		"FailedOperation.InvalidParam": ExitRejected, "FailedOperation.ExceedsFreeLimit": ExitRejected,
		"FailedOperation.AuthError": ExitAuth, "FailedOperation.MainDomainCertificateCountLimit": ExitRejected,
		"FailedOperation.NetworkError": ExitRejected, "FailedOperation.GenCSRFail": ExitRejected,
		"InvalidParameterValue.CertificateDomainMaxLengthInvalid": ExitRejected,
		"InvalidParameterValue.CertificateEmailParseInvalid":      ExitRejected,
		"InvalidParameter.PackageIdsInvalid":                      ExitRejected,
		"MissingParameter":                                        ExitRejected, "InvalidParameterValue": ExitRejected, "UnknownParameter": ExitRejected,
		CodeTimeout: ExitTransport, CodeCanceled: ExitInterrupted,
	} {
		gd, known := ExplainFor(ActionApply, code)
		if !known || gd.Exit != exit {
			t.Errorf("%s: known %v, exit %d, want %d", code, known, gd.Exit, exit)
		}
		for _, txt := range []Text{gd.Title, gd.Meaning, gd.Action} {
			if txt.EN == "" || txt.ZH == "" || txt.EN == txt.ZH {
				t.Errorf("%s lacks English or Chinese guidance", code)
			}
		}
	}
	// Read for a submission, the shared codes keep their meaning there.
	if a, s := mustExplain(t, ActionApply, "FailedOperation.InvalidCertificateStatusCode"), mustExplain(t, ActionSubmit, "FailedOperation.InvalidCertificateStatusCode"); a.Title == s.Title || s.Step != StepCertificate {
		t.Errorf("apply %q, submit %q (step %q)", a.Title.EN, s.Title.EN, s.Step)
	}
}

func mustExplain(t *testing.T, action, code string) Guide {
	t.Helper()
	gd, known := ExplainFor(action, code)
	if !known {
		t.Fatalf("%s on %s is not explained", code, action)
	}
	return gd
}
