// Package api owns everything certwiz knows about Tencent Cloud's
// SubmitCertificateInformation action: the field catalogue, the typed
// request and its validation, the signed client (a thin layer over the
// official SDK's common client) and the error guide.
//
// It never touches the terminal or the disk: callers hand it values and
// get back values, problems and outcomes to show as they see fit.
package api
