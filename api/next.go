package api

// CAAddresses are the addresses the CA fetches FILE validation from.
var CAAddresses = []string{"64.78.193.238", "216.168.247.9", "216.168.249.9", "54.189.196.217"}

// NextSteps says what happens after a successful submission, for the
// chosen validation method.
func NextSteps(verifyType string) Text {
	switch verifyType {
	case "DNS_AUTO":
		return Text{
			"Tencent Cloud adds the validation DNS record for you; the certificate moves to review. Watch its status in the SSL console.",
			"腾讯云会自动添加验证 DNS 记录，证书进入审核。请在 SSL 证书控制台关注状态。"}
	case "DNS":
		return Text{
			"Add the DNS record the SSL console shows for each domain, then wait for the CA to find it; the certificate moves to review.",
			"请为每个域名添加 SSL 证书控制台给出的 DNS 记录，等待 CA 检测；证书随后进入审核。"}
	case "FILE":
		return Text{
			"Place the validation file the SSL console shows on each web server, reachable over HTTP, and allow the CA's addresses 64.78.193.238, 216.168.247.9, 216.168.249.9 and 54.189.196.217.",
			"请把 SSL 证书控制台给出的验证文件放到各网站服务器上（可通过 HTTP 访问），并放行 CA 的地址 64.78.193.238、216.168.247.9、216.168.249.9、54.189.196.217。"}
	}
	return Text{
		"The information is submitted. Choose the validation method and follow the certificate's review in the SSL console.",
		"资料已提交。请在 SSL 证书控制台选择验证方式并关注审核进度。"}
}
