// Package api owns everything certwiz knows about Tencent Cloud's SSL API
// (service ssl, version 2019-12-05) on a paid certificate's road.
//
// It holds:
//
//   - the field catalogue of SubmitCertificateInformation (one table read
//     by forms, validation, review, profiles and the error-to-step map),
//     the typed Request and its validation;
//   - one signed call path (call.go) over the official SDK's common client:
//     signing, rate-limit retries, a FIFO pacer, answer checks, no
//     redirects, typed errors naming their action;
//   - a small typed file per action: submit.go, certificates.go (list,
//     detail), commit.go, validation.go (records, check, complete,
//     download);
//   - the certificate statuses in words, and the error guide (per action
//     where a code's meaning depends on it), in English and Chinese.
//
// It never touches the terminal or the disk — except Secret.WriteFile, the
// one way a private key Tencent holds leaves the package: callers hand it
// values and get back values, problems and outcomes to show as they see fit.
package api
