package api

import (
	"errors"

	"github.com/certwiz/certwiz/api/csr"
)

// InspectCSR reads a CSR with api/csr and applies the CA's key rules; the
// problem, when there is one, is the CsrContent problem validation reports.
func InspectCSR(text string) (*csr.Info, *Problem) {
	info, fl := readCSR(text)
	if fl != nil {
		return nil, &Problem{Param: "CsrContent", Step: StepCSR, What: fl.What, Fix: fl.Fix}
	}
	return info, nil
}

func readCSR(text string) (*csr.Info, *flaw) {
	info, err := csr.Read([]byte(text))
	var ce *csr.Error
	if errors.As(err, &ce) {
		return nil, &flaw{What: Text(ce.What), Fix: Text(ce.Fix)}
	}
	if err != nil {
		return nil, &flaw{What: Text{EN: err.Error(), ZH: err.Error()}, Fix: Text{EN: "Give the .csr file", ZH: "请提供 .csr 文件"}}
	}
	if kp := info.KeyProblem(); kp != nil {
		return nil, &flaw{What: Text(kp.What), Fix: Text(kp.Fix)}
	}
	return info, nil
}

func checkCSR(v string) *flaw {
	_, fl := readCSR(v)
	return fl
}

// CSRKeySHA256 names the public key of the CSR the request sends
// (csr.KeySHA256), so that the certificate issued for it can be told to be
// for it; "" when it sends none, or one that cannot be read.
func (r Request) CSRKeySHA256() string {
	if r.CsrType != "parse" || r.CsrContent == "" {
		return ""
	}
	info, err := csr.Read([]byte(r.CsrContent))
	if err != nil {
		return ""
	}
	return info.KeySHA256()
}
