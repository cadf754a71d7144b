package api

import "strings"

// NextSteps says what comes after a submission: the information is
// stored, but nothing reaches the CA until the order is committed.
func NextSteps(verifyType string) Text {
	return Text{
		"The order is not with the CA yet: send it with certwiz commit (or submit --commit); domain validation by " + MethodOf(verifyType).Label() + " starts then.",
		"订单尚未发送给 CA：请用 certwiz commit（或 submit --commit）提交；之后开始以 " + MethodOf(verifyType).Label() + " 方式进行域名验证。"}
}

// AfterCommit says what comes after the order reached the CA, for the
// validation method and the status the commit answered. statusCmd is the
// command that shows the records ("certwiz [flags] status ID"), with the
// run's flags, so that it works as printed.
func AfterCommit(statusCmd, verifyType string, status int) Text {
	t := afterCommit(verifyType, status)
	with := strings.NewReplacer("certwiz status ID", statusCmd)
	return Text{with.Replace(t.EN), with.Replace(t.ZH)}
}

func afterCommit(verifyType string, status int) Text {
	if status == StatusAwaitingLetter {
		return Text{
			"This OV/EV order waits for a confirmation letter: download the template in the SSL console, have it signed and stamped, and upload it there. Domain validation follows.",
			"该 OV/EV 订单等待确认函：请在 SSL 证书控制台下载模板，签字盖章后上传。之后进行域名验证。"}
	}
	switch MethodOf(verifyType) {
	case MethodDNSAuto:
		return Text{
			"Nothing to do: Tencent Cloud adds the validation DNS records in its DNS and the CA checks them. Follow it with certwiz status ID --watch.",
			"无需操作：腾讯云会在云解析 DNS 中自动添加验证记录，CA 随后检查。可用 certwiz status ID --watch 跟进。"}
	case MethodDNS:
		return Text{
			"Create the validation DNS record of each domain (certwiz status ID shows them, ready to paste), then the CA checks them; certwiz status ID --watch checks them here and asks the CA. Validation must finish before its deadline.",
			"请为每个域名创建验证 DNS 记录（certwiz status ID 会列出，可直接复制），CA 随后检查；certwiz status ID --watch 会在本机检查并请 CA 验证。须在截止日期前完成验证。"}
	case MethodFile:
		return Text{
			"Place the validation file of each domain (certwiz status ID shows them) on its web server under /.well-known/pki-validation/, reachable over HTTP and HTTPS, and allow the CA's addresses 64.78.193.238, 216.168.247.9, 216.168.249.9 and 54.189.196.217.",
			"请把每个域名的验证文件（certwiz status ID 会列出）放到网站服务器的 /.well-known/pki-validation/ 下，确保可通过 HTTP 和 HTTPS 访问，并放行 CA 的地址 64.78.193.238、216.168.247.9、216.168.249.9、54.189.196.217。"}
	}
	return Text{
		"Follow the certificate's validation with certwiz status ID --watch.",
		"可用 certwiz status ID --watch 关注证书的验证进度。"}
}
