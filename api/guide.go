package api

import (
	"sort"
	"strings"
)

// Exit codes of the command-line contract (ux.md).
const (
	ExitOK          = 0
	ExitFailure     = 1   // unexpected failure
	ExitInput       = 2   // usage error, invalid or incomplete input
	ExitRejected    = 3   // the service rejected the request
	ExitAuth        = 4   // credentials or permission
	ExitTransport   = 5   // network, timeout, HTTP status, unreadable answer, overload
	ExitInterrupted = 130 // interrupted by the user
)

// Guide explains one error code: a plain title, what it means, what to do,
// the wizard step to fix it in (if any) and the exit code it maps to.
type Guide struct {
	Code    string
	Title   Text
	Meaning Text
	Action  Text
	Step    Step // "" when no step of the wizard fixes it
	Exit    int
	Retry   bool // a later retry may succeed as it is
}

// Codes certwiz itself reports for failures that never got a service answer.
const (
	CodeNetwork     = "ClientError.NetworkError"
	CodeTimeout     = "ClientError.Timeout"
	CodeHTTPStatus  = "ClientError.HttpStatusCodeError"
	CodeMalformed   = "ClientError.ParseJsonError"
	CodeCredentials = "ClientError.CredentialError"
	CodeCanceled    = "ClientError.Canceled"
	CodeInvalid     = "ClientError.InvalidInput"
)

func g(code string, step Step, exit int, retry bool, title, meaning, action Text) Guide {
	return Guide{Code: code, Title: title, Meaning: meaning, Action: action, Step: step, Exit: exit, Retry: retry}
}

var guides = []Guide{
	// This action's own codes (reference page).
	g("FailedOperation.AuthError", "", ExitAuth, false,
		Text{"No permission for SSL certificates", "没有 SSL 证书权限"},
		Text{"The key's account or sub-user may not call SubmitCertificateInformation.", "该密钥对应的账号或子用户无权调用 SubmitCertificateInformation。"},
		Text{"Ask the account owner to grant the sub-user QcloudSSLFullAccess (or a policy allowing ssl:SubmitCertificateInformation) in CAM.", "请主账号在访问管理（CAM）中为该子用户授予 QcloudSSLFullAccess 或允许 ssl:SubmitCertificateInformation 的策略。"}),
	g("FailedOperation.CertificateNotFound", StepCertificate, ExitRejected, false,
		Text{"Certificate not found", "证书不存在"},
		Text{"No certificate with this ID belongs to the account whose key signed the request.", "签名密钥所属账号下没有此 ID 的证书。"},
		Text{"Check the CertificateId in the SSL console, and that the key belongs to the account that bought it.", "请在 SSL 证书控制台核对证书 ID，并确认密钥属于购买该证书的账号。"}),
	g("FailedOperation.ExceedsFreeLimit", StepCertificate, ExitRejected, false,
		Text{"Free certificate limit reached", "免费证书数量已达上限"},
		Text{"The account has used up its quota of free certificates.", "该账号的免费证书额度已用完。"},
		Text{"Delete unused free certificates in the console, or use a paid certificate.", "请在控制台删除不用的免费证书，或改用付费证书。"}),
	g("FailedOperation.InvalidCertificateStatusCode", StepCertificate, ExitRejected, false,
		Text{"Certificate is not waiting for information", "证书当前不可提交资料"},
		Text{"Information can only be submitted while the certificate awaits it; this one is already under review, issued, cancelled or similar.", "只有待提交资料状态的证书才能提交资料；该证书已在审核、已签发、已取消等状态。"},
		Text{"Check the certificate's status in the console; pick the ID of a certificate that awaits information.", "请在控制台查看证书状态，并填写处于待提交资料状态的证书 ID。"}),
	g("FailedOperation.InvalidParam", "", ExitRejected, false,
		Text{"The service refused a parameter", "参数不合法"},
		Text{"A value passed certwiz's checks but the service refused it; its message names the parameter.", "某个值通过了 certwiz 的检查但被服务拒绝；服务消息中给出了参数名。"},
		Text{"Correct the parameter named in the server's message and submit again.", "请根据服务消息修改对应参数后重新提交。"}),
	g("FailedOperation.NoProjectPermission", "", ExitAuth, false,
		Text{"No permission for this certificate's project", "没有该证书所属项目的权限"},
		Text{"The sub-user may not act on certificates of the project this certificate belongs to.", "该子用户无权操作此证书所属项目的证书。"},
		Text{"Ask the account owner to grant project permission in CAM, or use a key that has it.", "请主账号在访问管理中授予项目权限，或使用有权限的密钥。"}),
	g("FailedOperation.NoRealNameAuth", "", ExitRejected, false,
		Text{"Account not verified", "账号未实名认证"},
		Text{"Paid certificates need an account with real-name verification.", "购买和提交付费证书需要账号完成实名认证。"},
		Text{"Complete real-name verification in the Tencent Cloud account center, then submit again.", "请在腾讯云账号中心完成实名认证后重新提交。"}),
	g("InternalError", "", ExitTransport, true,
		Text{"Tencent Cloud internal error", "腾讯云内部错误"},
		Text{"The service failed while handling the request; nothing is wrong with your input.", "服务处理请求时出错，并非您的输入有误。"},
		Text{"Retry in a few minutes; if it persists, contact Tencent Cloud support with the RequestId.", "请几分钟后重试；如仍失败，请带上 RequestId 联系腾讯云技术支持。"}),
	// The service's information-submission codes.
	g("FailedOperation.CertificateInfoSubmitContactEmailEmpty", StepContact, ExitRejected, false,
		Text{"Contact e-mail missing", "联系人邮箱为空"},
		Text{"The certificate needs a contact e-mail address.", "证书需要填写联系人邮箱。"},
		Text{"Enter ContactEmail in the Contact step.", "请在联系人步骤填写 ContactEmail。"}),
	g("FailedOperation.CertificateInfoSubmitDomainInvalid", StepDomains, ExitRejected, false,
		Text{"Domain refused", "域名不合法"},
		Text{"The CA refused a domain name; the server's message names it.", "CA 拒绝了某个域名；服务消息中给出了该域名。"},
		Text{"Correct or remove the domain named in the message in the Domains step (no IP addresses, internal or reserved names).", "请在域名步骤修改或删除消息中的域名（不能是 IP、内网或保留域名）。"}),
	g("FailedOperation.CertificateInfoSubmitStatusInvalid", StepCertificate, ExitRejected, false,
		Text{"Certificate cannot take information now", "证书状态不允许提交资料"},
		Text{"The certificate's state does not allow submitting information.", "证书当前状态不允许提交资料。"},
		Text{"Check the certificate's status in the console; only certificates awaiting information accept it.", "请在控制台查看证书状态；只有待提交资料的证书可以提交。"}),
	g("FailedOperation.CertificateInvalid", StepCertificate, ExitRejected, false,
		Text{"Certificate unusable", "证书不可用"},
		Text{"The certificate is invalid for this operation.", "该证书不能进行此操作。"},
		Text{"Check the CertificateId and the certificate's status in the console.", "请在控制台核对证书 ID 和状态。"}),
	g("FailedOperation.CertificateNotFoundOrAudited", StepCertificate, ExitRejected, false,
		Text{"Certificate not found or already reviewed", "证书不存在或已审核"},
		Text{"The certificate does not exist or has already passed review.", "证书不存在或已通过审核。"},
		Text{"Check the CertificateId; a reviewed certificate needs no further information.", "请核对证书 ID；已审核的证书无需再提交资料。"}),
	g("FailedOperation.IllegalManagerStatus", StepAdmin, ExitRejected, false,
		Text{"Administrator not usable", "管理人状态异常"},
		Text{"The administrator (manager) tied to this certificate is not in a usable state.", "与该证书关联的管理人状态不可用。"},
		Text{"Check the manager's verification status in the SSL console's Manager page, or change the administrator details.", "请在 SSL 证书控制台的管理人页面查看其审核状态，或修改管理人信息。"}),
	g("FailedOperation.NetworkError", "", ExitRejected, true,
		Text{"CA busy", "CA 系统繁忙"},
		Text{"The certificate authority's system did not answer in time.", "证书颁发机构（CA）系统未及时响应。"},
		Text{"Retry later; your information is fine.", "请稍后重试；您的资料没有问题。"}),
	g("InternalError.BackendResponseError", "", ExitTransport, true,
		Text{"Backend error", "后端服务错误"},
		Text{"A service behind the API answered with an error.", "API 背后的服务返回了错误。"},
		Text{"Retry in a few minutes; if it persists, contact support with the RequestId.", "请几分钟后重试；如仍失败，请带上 RequestId 联系技术支持。"}),
	g("LimitExceeded.RateLimitExceeded", "", ExitTransport, true,
		Text{"Too many requests", "请求过于频繁"},
		Text{"The account exceeded the action's request rate.", "账号超过了该接口的调用频率。"},
		Text{"Wait a moment and retry; lower --rate for batches.", "请稍候重试；批量提交时请降低速率。"}),
	g("UnauthorizedOperation", "", ExitAuth, false,
		Text{"Not authorized", "未授权操作"},
		Text{"The key may not perform this operation.", "该密钥无权执行此操作。"},
		Text{"Ask the account owner to grant ssl:SubmitCertificateInformation in CAM.", "请主账号在访问管理中授予 ssl:SubmitCertificateInformation 权限。"}),
	// Common codes of every Tencent Cloud API.
	g("AuthFailure", "", ExitAuth, false,
		Text{"Authentication failed", "鉴权失败"},
		Text{"The service could not authenticate the request.", "服务无法验证请求的身份。"},
		Text{"Check the SecretId and SecretKey in use (certwiz names their source).", "请检查所用的 SecretId 和 SecretKey（certwiz 会显示其来源）。"}),
	g("AuthFailure.InvalidAuthorization", "", ExitAuth, false,
		Text{"Malformed Authorization header", "Authorization 格式错误"},
		Text{"The request's signature header is not in the TC3-HMAC-SHA256 format.", "请求的签名头不符合 TC3-HMAC-SHA256 格式。"},
		Text{"Check any proxy that rewrites headers; certwiz signs with the official SDK.", "请检查是否有代理改写了请求头；certwiz 使用官方 SDK 签名。"}),
	g("AuthFailure.InvalidSecretId", "", ExitAuth, false,
		Text{"Invalid SecretId", "SecretId 无效"},
		Text{"The SecretId is not a valid key ID (for example a cloud API key of another kind).", "SecretId 不是有效的密钥 ID。"},
		Text{"Use a key from the API Keys page of CAM (it starts with AKID).", "请使用访问管理 API 密钥页面中的密钥（以 AKID 开头）。"}),
	g("AuthFailure.MFAFailure", "", ExitAuth, false,
		Text{"MFA check failed", "MFA 校验失败"},
		Text{"The account requires multi-factor authentication for this operation.", "该账号的此操作需要多因素认证。"},
		Text{"Complete MFA for the sub-user or use a key that does not require it.", "请为子用户完成 MFA 校验，或使用无需 MFA 的密钥。"}),
	g("AuthFailure.SecretIdNotFound", "", ExitAuth, false,
		Text{"SecretId not found", "SecretId 不存在"},
		Text{"No key with this SecretId exists, or it is disabled — often stray spaces or a copy of the wrong key.", "不存在此 SecretId 的密钥或已被禁用——常见原因是复制时多了空格或复制错了密钥。"},
		Text{"Copy the SecretId again from CAM's API Keys page without surrounding spaces, and check the key is enabled.", "请从访问管理 API 密钥页面重新复制 SecretId（不要带空格），并确认密钥已启用。"}),
	g("AuthFailure.SignatureExpire", "", ExitAuth, false,
		Text{"Signature expired: clock off", "签名过期：本机时间不准"},
		Text{"The request's timestamp is more than 5 minutes away from the server's clock.", "请求的时间戳与服务器时间相差超过 5 分钟。"},
		Text{"Set this machine's clock right (e.g. enable NTP: timedatectl set-ntp true) and submit again.", "请校准本机时间（如开启 NTP：timedatectl set-ntp true）后重新提交。"}),
	g("AuthFailure.SignatureFailure", "", ExitAuth, false,
		Text{"Signature does not match", "签名错误"},
		Text{"The signature was not made with the SecretKey that belongs to this SecretId, or the request was changed on the way.", "签名所用的 SecretKey 与该 SecretId 不匹配，或请求在传输中被修改。"},
		Text{"Check the SecretKey (no stray spaces, the key of this SecretId); check no proxy rewrites the body.", "请检查 SecretKey（无多余空格，且与 SecretId 配对），并确认没有代理改写请求体。"}),
	g("AuthFailure.TokenFailure", "", ExitAuth, false,
		Text{"Session token invalid", "临时凭证 Token 无效"},
		Text{"The temporary credentials' token is wrong or has expired.", "临时密钥的 Token 错误或已过期。"},
		Text{"Get fresh temporary credentials (TENCENTCLOUD_SESSION_TOKEN) or use a permanent key.", "请重新获取临时密钥（TENCENTCLOUD_SESSION_TOKEN），或使用永久密钥。"}),
	g("AuthFailure.UnauthorizedOperation", "", ExitAuth, false,
		Text{"Not authorized", "未授权"},
		Text{"CAM refused the request for this key.", "访问管理（CAM）拒绝了该密钥的请求。"},
		Text{"Ask the account owner to grant ssl:SubmitCertificateInformation to this sub-user.", "请主账号为该子用户授予 ssl:SubmitCertificateInformation 权限。"}),
	g("ActionOffline", "", ExitRejected, false,
		Text{"Action retired", "接口已下线"},
		Text{"Tencent Cloud has taken SubmitCertificateInformation offline.", "腾讯云已下线 SubmitCertificateInformation 接口。"},
		Text{"Update certwiz; if none is available, submit in the console.", "请升级 certwiz；如无新版本，请在控制台提交。"}),
	g("InvalidAction", "", ExitRejected, false,
		Text{"Unknown action", "接口不存在"},
		Text{"The endpoint does not know this action.", "该接入点不认识此接口。"},
		Text{"Check --endpoint points at the SSL service (ssl.tencentcloudapi.com).", "请确认 --endpoint 指向 SSL 服务（ssl.tencentcloudapi.com）。"}),
	g("InvalidParameter", "", ExitRejected, false,
		Text{"Invalid parameter", "参数错误"},
		Text{"A parameter is malformed; the server's message names it.", "某个参数格式错误；服务消息中给出了参数名。"},
		Text{"Correct the parameter named in the message.", "请根据消息修改对应参数。"}),
	g("InvalidParameterValue", "", ExitRejected, false,
		Text{"Invalid parameter value", "参数取值错误"},
		Text{"A parameter's value is out of range; the server's message names it.", "某个参数的取值不合法；服务消息中给出了参数名。"},
		Text{"Correct the value named in the message.", "请根据消息修改对应取值。"}),
	g("MissingParameter", StepCertificate, ExitRejected, false,
		Text{"Parameter missing", "缺少参数"},
		Text{"A required parameter (at least CertificateId) was not sent.", "缺少必填参数（至少需要 CertificateId）。"},
		Text{"Fill in the parameter named in the message.", "请填写消息中给出的参数。"}),
	g("UnknownParameter", "", ExitRejected, false,
		Text{"Unknown parameter", "未知参数"},
		Text{"The request has a parameter this action does not take.", "请求包含该接口不接受的参数。"},
		Text{"Remove it; `certwiz errors` and api.md list the parameters.", "请删除该参数；参数列表见 api.md。"}),
	g("NoSuchProduct", "", ExitRejected, false,
		Text{"Unknown product", "产品不存在"},
		Text{"The endpoint does not serve the ssl product.", "该接入点不提供 ssl 产品。"},
		Text{"Check --endpoint (ssl.tencentcloudapi.com).", "请检查 --endpoint（ssl.tencentcloudapi.com）。"}),
	g("NoSuchVersion", "", ExitRejected, false,
		Text{"Unknown API version", "接口版本不存在"},
		Text{"The endpoint does not serve version 2019-12-05.", "该接入点不提供 2019-12-05 版本。"},
		Text{"Check --endpoint (ssl.tencentcloudapi.com).", "请检查 --endpoint（ssl.tencentcloudapi.com）。"}),
	g("UnsupportedOperation", "", ExitRejected, false,
		Text{"Operation not supported", "操作不支持"},
		Text{"The certificate or account does not support this operation.", "该证书或账号不支持此操作。"},
		Text{"Check the certificate type and status in the console.", "请在控制台查看证书类型和状态。"}),
	g("UnsupportedProtocol", "", ExitRejected, false,
		Text{"Protocol not supported", "协议不支持"},
		Text{"The service requires HTTPS or another request method.", "服务要求使用 HTTPS 或其他请求方式。"},
		Text{"Use an https:// endpoint.", "请使用 https:// 接入点。"}),
	g("UnsupportedRegion", "", ExitRejected, false,
		Text{"Region not supported", "地域不支持"},
		Text{"The action does not exist in the given region.", "该地域不支持此接口。"},
		Text{"certwiz sends no region; check --endpoint.", "certwiz 不发送地域；请检查 --endpoint。"}),
	g("RequestLimitExceeded", "", ExitTransport, true,
		Text{"Rate limit exceeded", "请求频率超限"},
		Text{"Too many requests in a short time; certwiz already retried with backoff.", "短时间内请求过多；certwiz 已按退避策略重试。"},
		Text{"Wait a minute and retry, or lower the rate for batches.", "请等待一分钟后重试，或降低批量提交速率。"}),
	g("RequestLimitExceeded.IPLimitExceeded", "", ExitTransport, true,
		Text{"Rate limit for this IP exceeded", "IP 请求频率超限"},
		Text{"Too many requests from this IP address.", "该 IP 地址的请求过多。"},
		Text{"Wait and retry; spread batch jobs over time.", "请稍后重试；批量任务请分散执行。"}),
	g("RequestLimitExceeded.UinLimitExceeded", "", ExitTransport, true,
		Text{"Rate limit for this account exceeded", "账号请求频率超限"},
		Text{"Too many requests from this account.", "该账号的请求过多。"},
		Text{"Wait and retry; other tools of the account may be calling too.", "请稍后重试；该账号下的其他工具可能也在调用。"}),
	g("RequestLimitExceeded.GlobalRegionUinLimitExceeded", "", ExitTransport, true,
		Text{"Global rate limit for this account exceeded", "账号全局请求频率超限"},
		Text{"Too many requests from this account across regions.", "该账号跨地域的请求过多。"},
		Text{"Wait and retry later.", "请稍后重试。"}),
	g("RequestSizeLimitExceeded", StepCSR, ExitRejected, false,
		Text{"Request too large", "请求包过大"},
		Text{"The request body exceeds the service's size limit.", "请求体超过了服务的大小限制。"},
		Text{"Check CsrContent holds one CSR, not a bundle or a file of another kind.", "请确认 CsrContent 只包含一个 CSR。"}),
	g("LimitExceeded", "", ExitRejected, false,
		Text{"Quota exceeded", "超过配额"},
		Text{"An account quota is exhausted.", "账号配额已用完。"},
		Text{"Check the quota in the console.", "请在控制台查看配额。"}),
	g("IpInBlacklist", "", ExitAuth, false,
		Text{"IP blocked", "IP 在黑名单中"},
		Text{"This machine's IP address is on the account's deny list.", "本机 IP 在账号的黑名单中。"},
		Text{"Ask the account owner to remove it, or run certwiz elsewhere.", "请联系账号管理员移除，或在其他机器上运行。"}),
	g("IpNotInWhitelist", "", ExitAuth, false,
		Text{"IP not allowed", "IP 不在白名单中"},
		Text{"The account only accepts API calls from listed IP addresses.", "账号只允许白名单中的 IP 调用 API。"},
		Text{"Ask the account owner to add this machine's IP to the allow list.", "请联系账号管理员将本机 IP 加入白名单。"}),
	g("ResourceInUse", "", ExitRejected, false,
		Text{"Resource in use", "资源被占用"},
		Text{"Another operation is working on this certificate.", "另一个操作正在处理该证书。"},
		Text{"Wait for it to finish and retry.", "请等待其完成后重试。"}),
	g("ResourceInsufficient", "", ExitRejected, false,
		Text{"Resource insufficient", "资源不足"},
		Text{"The service lacks a resource needed for the request.", "服务缺少处理请求所需的资源。"},
		Text{"Retry later or contact support with the RequestId.", "请稍后重试或带上 RequestId 联系技术支持。"}),
	g("ResourceNotFound", StepCertificate, ExitRejected, false,
		Text{"Resource not found", "资源不存在"},
		Text{"Something the request refers to does not exist.", "请求引用的资源不存在。"},
		Text{"Check the CertificateId.", "请核对证书 ID。"}),
	g("ResourceUnavailable", StepCertificate, ExitRejected, false,
		Text{"Resource unavailable", "资源不可用"},
		Text{"The certificate exists but cannot be used now.", "证书存在但当前不可用。"},
		Text{"Check its status in the console.", "请在控制台查看其状态。"}),
	g("ServiceUnavailable", "", ExitTransport, true,
		Text{"Service unavailable", "服务暂不可用"},
		Text{"The service is temporarily unavailable.", "服务暂时不可用。"},
		Text{"Retry in a few minutes.", "请几分钟后重试。"}),
	g("FailedOperation", "", ExitRejected, false,
		Text{"Operation failed", "操作失败"},
		Text{"The service refused the request; its message says why.", "服务拒绝了请求；服务消息说明了原因。"},
		Text{"Read the server's message; fix what it names and submit again.", "请阅读服务消息，修改后重新提交。"}),
	// Codes of the actions around the submission (lifecycle.md).
	g("FailedOperation.CannotGetOrder", "", ExitRejected, true,
		Text{"CA order not found", "获取 CA 订单失败"},
		Text{"The service could not read the certificate's order at the CA.", "服务无法读取该证书在 CA 的订单。"},
		Text{"Retry in a few minutes; if it persists, contact support with the RequestId.", "请几分钟后重试；如仍失败，请带上 RequestId 联系技术支持。"}),
	g("FailedOperation.CertificateOrderSubmitProcessing", "", ExitRejected, true,
		Text{"The order is being sent to the CA", "订单正在发送给 CA"},
		Text{"An earlier request is still sending this certificate's order to the CA.", "之前的请求仍在向 CA 发送该证书的订单。"},
		Text{"Wait a minute, then look at its status with certwiz certs --status all.", "请稍等一分钟，然后用 certwiz certs --status all 查看状态。"}),
	g("FailedOperation.CertificatePreVerifyEmailInvalid", StepAdmin, ExitRejected, false,
		Text{"The CA refused an e-mail address", "CA 拒绝了邮箱地址"},
		Text{"The CA's pre-check refused an e-mail address of the submitted information.", "CA 的预检拒绝了所提交资料中的邮箱地址。"},
		Text{"Use a working company address for the administrator and contact, submit again, then send it to the CA.", "请为管理人和联系人填写可用的公司邮箱，重新提交后再发送给 CA。"}),
	g("FailedOperation.CertificateStatusNotAllowVerify", "", ExitRejected, false,
		Text{"Not at the validation stage", "证书不在验证阶段"},
		Text{"Domain validation can only be checked while the certificate waits for it.", "只有等待域名验证的证书才能检查验证情况。"},
		Text{"See its status with certwiz certs --status all.", "请用 certwiz certs --status all 查看其状态。"}),
	g("FailedOperation.CertificateNotAllowDownload", "", ExitRejected, false,
		Text{"Download not allowed", "不允许下载"},
		Text{"This certificate may not be downloaded (its product or state does not allow it).", "该证书不允许下载（产品或状态不支持）。"},
		Text{"Check the certificate in the SSL console.", "请在 SSL 证书控制台查看该证书。"}),
	g("FailedOperation.CertificateStatusNotAllowDownload", "", ExitRejected, false,
		Text{"Not downloadable in this state", "当前状态不可下载"},
		Text{"Only an issued certificate can be downloaded.", "只有已签发的证书才能下载。"},
		Text{"Finish domain validation first; see its status with certwiz certs --status all.", "请先完成域名验证；可用 certwiz certs --status all 查看状态。"}),
	g("FailedOperation.CertificateDownloadServiceTypeNotSupport", "", ExitRejected, false,
		Text{"Server type not offered", "不支持该服务器类型"},
		Text{"The certificate is not offered for that server type.", "该证书不提供该服务器类型的下载。"},
		Text{"Download the archive, which holds every server type the certificate has.", "请下载完整压缩包，其中包含该证书支持的所有服务器类型。"}),
	// ApplyCertificate's own codes (the SDK's error list for the action).
	g("FailedOperation.MainDomainCertificateCountLimit", "", ExitRejected, false,
		Text{"Free certificate limit for this domain reached", "该主域名的免费证书数量已达上限"},
		Text{"The domain (its registered name) already has as many free certificates as Tencent Cloud allows; the server's message says how many.", "该主域名下的免费证书数量已达腾讯云上限；服务消息给出了数量。"},
		Text{"Delete free certificates of this domain you no longer use in the SSL console, or buy a paid certificate.", "请在 SSL 证书控制台删除该域名下不再使用的免费证书，或购买付费证书。"}),
	g("InvalidParameterValue.CertificateDomainMaxLengthInvalid", "", ExitRejected, false,
		Text{"Domain name too long", "域名过长"},
		Text{"A free certificate's domain may have at most 64 characters.", "免费证书的域名不能超过 64 个字符。"},
		Text{"Use a shorter name, or a paid certificate.", "请使用更短的域名，或购买付费证书。"}),
	g("InvalidParameterValue.CertificateEmailParseInvalid", "", ExitRejected, false,
		Text{"E-mail address refused", "邮箱格式有误"},
		Text{"The service could not read the contact e-mail address.", "服务无法识别联系人邮箱地址。"},
		Text{"Give a plain address such as ops@example.com, or leave ContactEmail out to use the account's.", "请填写如 ops@example.com 的邮箱，或不填 ContactEmail 以使用账号邮箱。"}),
	g("InvalidParameter.PackageIdsInvalid", "", ExitRejected, false,
		Text{"Package ID refused", "权益包 ID 无效"},
		Text{"The free-certificate expansion packages are no longer offered, so no PackageId is accepted.", "免费证书扩容包已下线，不再接受 PackageId。"},
		Text{"Leave PackageId out.", "请不要传 PackageId。"}),
	g("FailedOperation.GenCSRFail", "", ExitRejected, true,
		Text{"Key generation failed", "生成 CSR 失败"},
		Text{"Tencent Cloud could not generate the key and CSR for the certificate.", "腾讯云未能为证书生成私钥和 CSR。"},
		Text{"Retry in a few minutes; check CsrEncryptAlgo and CsrKeyParameter (RSA 2048 or ECC prime256v1).", "请几分钟后重试；并检查 CsrEncryptAlgo 和 CsrKeyParameter（RSA 2048 或 ECC prime256v1）。"}),
	// The hosting actions' codes (where a certificate is used; replacing it
	// there; the SDK's error list).
	g("FailedOperation.RoleNotFoundAuthorization", "", ExitAuth, false,
		Text{"SSL service role not authorized", "SSL 证书服务角色未授权"},
		Text{"To read and update your CLB, CDN and other resources, the SSL certificate service acts through a service role (SSL_QCSLinkedRoleInReplaceLoadCertificate) that this account has not authorized yet.", "SSL 证书服务需通过服务角色（SSL_QCSLinkedRoleInReplaceLoadCertificate）读取和更新您的 CLB、CDN 等资源，该账号尚未授权此角色。"},
		Text{"As the account owner (or a sub-user allowed cam:CreateServiceLinkedRole), open the SSL certificate console, go to the certificate's deployment or update page and accept the service authorization it offers (CAM console → Roles shows the role once created); then run the command again.", "请以主账号（或有 cam:CreateServiceLinkedRole 权限的子用户）登录 SSL 证书控制台，在证书的部署或更新页面按提示完成服务授权（创建后可在访问管理 → 角色中看到该角色），然后重新运行该命令。"}),
	g("FailedOperation.CertificateNotDeployInstance", "", ExitRejected, false,
		Text{"Certificate cannot go on this resource", "证书不能部署到该资源"},
		Text{"The service refused to put the certificate on a resource: the resource serves this certificate already, the certificate does not cover the resource's names, or the resource does not take it (its type, protocol or state).", "服务拒绝将证书部署到该资源：该资源已在使用此证书、证书未覆盖资源的域名，或资源（类型、协议或状态）不支持。"},
		Text{"Check that the certificate covers every name the resource serves and that the resource is running (certwiz bindings ID lists where it is served already, and certwiz deploy skips those); then retry or roll back.", "请确认证书覆盖资源服务的所有域名，且资源运行正常（certwiz bindings ID 可列出已使用该证书的资源，certwiz deploy 会跳过它们）；然后重试或回滚。"}),
	g("FailedOperation.CertificateDeployHasPendingRecord", "", ExitRejected, true,
		Text{"A deployment or update is already running", "已有正在进行的部署任务"},
		Text{"A deployment or update of this certificate is still in progress; only one runs at a time.", "该证书已有进行中的部署或更新任务；同一时间只能运行一个。"},
		Text{"Wait for it to finish (follow its record), then run again.", "请等待其完成（查看其记录）后重新运行。"}),
	g("FailedOperation.CertificateDeployInstanceEmpty", "", ExitRejected, false,
		Text{"No resources to update", "没有可更新的资源"},
		Text{"None of the selected resource types and regions holds the old certificate.", "所选资源类型和地域中没有使用旧证书的资源。"},
		Text{"List where the certificate is used with certwiz bindings ID and select those types and regions.", "请用 certwiz bindings ID 查看证书的使用位置，并选择相应的资源类型和地域。"}),
	g("FailedOperation.CertificateDeployNotExist", "", ExitRejected, false,
		Text{"Deployment record not found", "部署记录不存在"},
		Text{"No deployment or update record with this ID exists in the account.", "该账号下没有此 ID 的部署或更新记录。"},
		Text{"Check the record ID (certwiz history keeps the ones certwiz started).", "请核对记录 ID（certwiz 的历史记录中保存了它发起的记录）。"}),
	g("FailedOperation.CertificateDeployRetryStatusInvalid", "", ExitRejected, false,
		Text{"Nothing to retry", "没有可重试的资源"},
		Text{"Only the failed resources of a record can be retried; this record has none.", "只能重试记录中失败的资源；该记录没有失败的资源。"},
		Text{"Follow the record to see its state; nothing more to do if every resource succeeded.", "请查看记录状态；如所有资源均已成功，则无需操作。"}),
	g("FailedOperation.CertificateDeployRollbackStatusInvalid", "", ExitRejected, false,
		Text{"Nothing to roll back", "没有可回滚的资源"},
		Text{"A rollback undoes the resources a record changed; this record changed none (or they were rolled back already).", "回滚只撤销记录中已成功更新的资源；该记录没有（或已回滚）。"},
		Text{"Nothing to undo: the resources still serve the old certificate (certwiz bindings OLD).", "无需撤销：资源仍在使用旧证书（certwiz bindings OLD）。"}),
	g("FailedOperation.CertificateDeployDetailRollbackStatusInvalid", "", ExitRejected, true,
		Text{"Record still running", "记录尚未完成"},
		Text{"A record can be rolled back only once none of its resources is pending or running.", "只有记录中没有待部署或部署中的资源时才能回滚。"},
		Text{"Wait for the record to finish, then roll it back.", "请等待记录完成后再回滚。"}),
	g("FailedOperation.CertificateHostResourceTypeInvalid", "", ExitRejected, false,
		Text{"Resource type not accepted", "云资源类型无效"},
		Text{"The service does not take one of the resource types named.", "服务不支持所填的某个资源类型。"},
		Text{"Use the types certwiz bindings ID lists (clb, cdn, waf, live, teo…).", "请使用 certwiz bindings ID 列出的类型（clb、cdn、waf、live、teo 等）。"}),
	g("FailedOperation.CertificateHostDeployCanNotAllow", "", ExitRejected, false,
		Text{"One-click update not allowed", "不允许一键更新"},
		Text{"This certificate may not be used for a one-click update of its resources.", "该证书不允许使用一键更新功能。"},
		Text{"Update the resources in their own consoles, or use another certificate.", "请在各资源的控制台中更新，或使用其他证书。"}),
	g("FailedOperation.CertificateDeployInstanceFormatError", "", ExitRejected, false,
		Text{"Resource named in the wrong form", "部署实例格式错误"},
		Text{"An entry of InstanceIdList is not in the form its resource type takes (a CLB listener is LoadBalancerId|ListenerId[|Domain], a CDN domain Domain|on or Domain|off…).", "InstanceIdList 中的某项不符合其资源类型的格式（CLB 监听器为 LoadBalancerId|ListenerId[|Domain]，CDN 域名为 Domain|on 或 Domain|off 等）。"},
		Text{"Write each --to target as certwiz deploy --help shows for its type.", "请按 certwiz deploy --help 所示的各类型格式填写 --to 目标。"}),
	g("InvalidParameter.RegionNotEmpty", "", ExitRejected, false,
		Text{"Region required", "必须指定地域"},
		Text{"Deploying to CLB, WAF, API Gateway, COS, TKE, TSE, TCB or MQTT resources needs the region they are in (the common parameter Region).", "部署到 CLB、WAF、API 网关、COS、TKE、TSE、TCB 或 MQTT 资源时必须指定其所在地域（公共参数 Region）。"},
		Text{"Give the resources' region with --region, e.g. ap-guangzhou.", "请用 --region 指定资源所在地域，如 ap-guangzhou。"}),
	g("FailedOperation.CertificateHostResourceInnerInterrupt", "", ExitRejected, false,
		Text{"Deployment not available to this account", "该账号无法使用部署功能"},
		Text{"Tencent does not offer deployment to this (internal) account: it has too many resources.", "该账号为内部账号且资源过多，腾讯云不对其提供部署功能。"},
		Text{"Contact Tencent Cloud SSL support, or deploy in the resources' own consoles.", "请联系腾讯云 SSL 证书支持，或在各资源的控制台中部署。"}),
	g("FailedOperation.CertificateNotAvailable", "", ExitRejected, false,
		Text{"New certificate not usable", "新证书不可用"},
		Text{"The new certificate cannot be deployed: it is not issued, has expired or was revoked.", "新证书无法部署：未签发、已过期或已吊销。"},
		Text{"See its status with certwiz certs --status all; deploy only an issued certificate.", "请用 certwiz certs --status all 查看其状态；只能部署已签发的证书。"}),
	g("FailedOperation.CertificateSyncTaskIdInvalid", "", ExitRejected, false,
		Text{"Query task not found", "资源查询任务无效"},
		Text{"The task listing the certificate's resources does not exist or has expired.", "查询证书关联资源的任务不存在或已过期。"},
		Text{"Run certwiz bindings ID again: it starts a new task.", "请重新运行 certwiz bindings ID：会创建新的任务。"}),
	g("FailedOperation.CertificateSyncTaskCertificateIdCountInvalid", "", ExitRejected, false,
		Text{"Too many certificates in one query", "单次查询证书过多"},
		Text{"One query of bound resources takes at most 100 certificate IDs.", "单次查询关联资源最多支持 100 个证书 ID。"},
		Text{"Query fewer certificates at a time.", "请分批查询。"}),
	g("FailedOperation.CAMAuthorizedFail", "", ExitAuth, false,
		Text{"CAM authorization failed", "CAM 鉴权失败"},
		Text{"Tencent Cloud's access management refused the request for this key.", "访问管理（CAM）拒绝了该密钥的请求。"},
		Text{"Ask the account owner to grant the ssl: actions the command names (see the README's CAM policy), then run again.", "请主账号授予命令所需的 ssl: 接口权限（见 README 中的 CAM 策略）后重新运行。"}),
	// certwiz's own codes for failures without a service answer.
	g(CodeNetwork, "", ExitTransport, true,
		Text{"Could not reach the endpoint", "无法连接接入点"},
		Text{"The request did not get through: DNS, connection, TLS or proxy failure.", "请求未能送达：DNS、连接、TLS 或代理出错。"},
		Text{"Check the network, proxy settings (HTTPS_PROXY) and --endpoint, then retry.", "请检查网络、代理设置（HTTPS_PROXY）和 --endpoint 后重试。"}),
	g(CodeTimeout, "", ExitTransport, true,
		Text{"No answer in time", "请求超时"},
		Text{"The endpoint did not answer within the timeout.", "接入点未在超时时间内响应。"},
		Text{"Retry, or allow more time with --timeout. The submission may still have arrived: check the console before retrying.", "请重试或用 --timeout 延长超时。提交可能已送达，重试前请先在控制台确认。"}),
	g(CodeHTTPStatus, "", ExitTransport, true,
		Text{"HTTP error from the endpoint", "接入点返回 HTTP 错误"},
		Text{"The endpoint answered with an HTTP error status instead of an API answer.", "接入点返回了 HTTP 错误状态，而不是 API 应答。"},
		Text{"Retry later; check --endpoint and any proxy in between.", "请稍后重试；并检查 --endpoint 及中间的代理。"}),
	g(CodeMalformed, "", ExitTransport, true,
		Text{"Unreadable answer", "无法解析的应答"},
		Text{"The endpoint's answer is not the API's JSON.", "接入点返回的不是 API 的 JSON 应答。"},
		Text{"Check --endpoint and any proxy or captive portal in between, then retry.", "请检查 --endpoint 以及中间的代理或认证网关后重试。"}),
	g(CodeCredentials, "", ExitAuth, false,
		Text{"No usable credentials", "没有可用的密钥"},
		Text{"certwiz found no SecretId/SecretKey, or the ones found are unusable.", "certwiz 未找到 SecretId/SecretKey，或找到的无法使用。"},
		Text{"Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or write ~/.tencentcloud/credentials, or configure tccli; try the sandbox with `certwiz sandbox`.", "请设置 TENCENTCLOUD_SECRET_ID 和 TENCENTCLOUD_SECRET_KEY，或写入 ~/.tencentcloud/credentials，或配置 tccli；也可用 `certwiz sandbox` 体验。"}),
	g(CodeCanceled, "", ExitInterrupted, true,
		Text{"Cancelled", "已取消"},
		Text{"The submission was cancelled before an answer arrived.", "在收到应答前提交已被取消。"},
		Text{"Submit again when ready; check the console first in case it arrived.", "准备好后重新提交；提交前请先在控制台确认是否已送达。"}),
	g(CodeInvalid, "", ExitInput, false,
		Text{"Invalid or incomplete input", "输入无效或不完整"},
		Text{"certwiz found problems in the parameters and sent nothing.", "certwiz 发现参数有问题，未发送任何请求。"},
		Text{"Fix every parameter listed and run again.", "请修改列出的所有参数后重新运行。"}),
}

// actionGuides explain codes whose meaning depends on the action that
// answered them: the same InvalidCertificateStatusCode means "not awaiting
// information" on a submit and "not ready for the CA" on a commit.
var actionGuides = map[string][]Guide{
	ActionCommit: {
		g("FailedOperation.InvalidCertificateStatusCode", "", ExitRejected, false,
			Text{"Certificate cannot be sent to the CA now", "证书当前不能发送给 CA"},
			Text{"Only a paid certificate awaiting information (status 5) whose information was submitted can be sent to the CA; this one is at another status.", "只有处于待提交资料状态（5）且已提交资料的付费证书才能发送给 CA；该证书处于其他状态。"},
			Text{"See its status with certwiz certs --status all; a certificate already with the CA needs nothing more from this step.", "请用 certwiz certs --status all 查看其状态；已在 CA 审核的证书无需再执行此步骤。"}),
		g("FailedOperation.InvalidParam", "", ExitRejected, false,
			Text{"The order is not ready for the CA", "订单尚不能发送给 CA"},
			Text{"The service refused a parameter of the commit — FILE validation for a wildcard name, say — or the information has not been submitted yet.", "服务拒绝了提交订单的参数（例如通配符域名使用文件验证），或尚未提交资料。"},
			Text{"Check the verification method (DNS or DNS_AUTO for wildcard names) and that the information was submitted (certwiz submit, or the wizard); the server's message names the problem.", "请检查验证方式（通配符域名请用 DNS 或 DNS_AUTO），并确认资料已提交（certwiz submit 或向导）；服务消息给出了具体问题。"}),
		g("FailedOperation.CertificateInvalid", "", ExitRejected, false,
			Text{"Certificate cannot be ordered", "证书无法提交订单"},
			Text{"The CA system considers this certificate invalid for an order (for example its information is incomplete).", "CA 系统认为该证书无法下单（例如资料不完整）。"},
			Text{"Check the submitted information (certwiz submit --dry-run with the profile), submit it again, then send it to the CA.", "请检查已提交的资料，重新提交后再发送给 CA。"}),
		g("FailedOperation.NetworkError", "", ExitRejected, true,
			Text{"The CA is busy", "CA 系统繁忙"},
			Text{"The CA's system did not take the order just now; the information is stored and nothing is lost.", "CA 系统暂时未接受订单；资料已保存，不会丢失。"},
			Text{"Send it again in a few minutes: certwiz commit ID.", "请几分钟后重新提交：certwiz commit ID。"}),
		g("FailedOperation.AuthError", "", ExitAuth, false,
			Text{"No permission to send orders to the CA", "没有提交订单的权限"},
			Text{"The key's account or sub-user may not call CommitCertificateInformation.", "该密钥对应的账号或子用户无权调用 CommitCertificateInformation。"},
			Text{"Ask the account owner to grant ssl:CommitCertificateInformation (or QcloudSSLFullAccess) in CAM.", "请主账号在访问管理中授予 ssl:CommitCertificateInformation（或 QcloudSSLFullAccess）。"}),
	},
	ActionApply: {
		g("FailedOperation.CertificateNotFound", "", ExitRejected, false,
			Text{"Old certificate not found", "原证书不存在"},
			Text{"The certificate named as OldCertificateId does not exist in the account whose key signed the request.", "签名密钥所属账号下没有 OldCertificateId 所指的证书。"},
			Text{"Check the ID with certwiz certs --expiring; leave OldCertificateId out to apply for a new certificate instead.", "请用 certwiz certs --expiring 核对证书 ID；如要申请新证书，请不要传 OldCertificateId。"}),
		g("FailedOperation.InvalidCertificateStatusCode", "", ExitRejected, false,
			Text{"Old certificate cannot be renewed now", "原证书当前不能续期"},
			Text{"A free certificate is renewed only while it is issued and in its last 30 days, and only once: this one is not issued, has more than 30 days left, has expired, or already has a renewal in progress.", "免费证书只能在已签发且到期前 30 天内续期，且只能续期一次：该证书未签发、剩余超过 30 天、已过期，或已有进行中的续期。"},
			Text{"See its days left with certwiz certs --expiring. If a renewal exists (HasRenewOrder), carry on with that certificate instead of applying again; an expired one is replaced by applying without OldCertificateId.", "请用 certwiz certs --expiring 查看剩余天数。如已有续期证书（HasRenewOrder），请继续处理该证书，不要再次申请；已过期的证书请不传 OldCertificateId 重新申请。"}),
		g("FailedOperation.InvalidParam", "", ExitRejected, false,
			Text{"The service refused the application", "申请参数不合法"},
			Text{"A value is not what free certificates take — a domain other than the old certificate's, a paid certificate as the old one, or a product, validity or key other than the free one's; the server's message names it.", "某个取值不符合免费证书的要求——域名与原证书不同、原证书为付费证书，或产品、有效期、密钥类型不是免费证书所支持的；服务消息给出了具体问题。"},
			Text{"Correct what the message names: the domain must be the old certificate's; free certificates are one name, 3 months, RSA 2048 or ECC prime256v1; a paid certificate is renewed by buying its renewal.", "请根据消息修改：域名须与原证书一致；免费证书为单域名、3 个月、RSA 2048 或 ECC prime256v1；付费证书请购买续费。"}),
		g("FailedOperation.ExceedsFreeLimit", "", ExitRejected, false,
			Text{"Free certificate limit reached", "免费证书数量已达上限"},
			Text{"The account has used up its quota of free certificates, so no new one was made.", "该账号的免费证书额度已用完，未创建新证书。"},
			Text{"Delete free certificates you no longer use in the SSL console (not within an hour of applying for them), or buy a paid certificate.", "请在 SSL 证书控制台删除不再使用的免费证书（申请后 1 小时内不能删除），或购买付费证书。"}),
		g("FailedOperation.AuthError", "", ExitAuth, false,
			Text{"No permission to apply for certificates", "没有申请证书的权限"},
			Text{"The key's account or sub-user may not call ApplyCertificate.", "该密钥对应的账号或子用户无权调用 ApplyCertificate。"},
			Text{"Ask the account owner to grant ssl:ApplyCertificate (or QcloudSSLFullAccess) in CAM.", "请主账号在访问管理中授予 ssl:ApplyCertificate（或 QcloudSSLFullAccess）。"}),
		g(CodeTimeout, "", ExitTransport, true,
			Text{"No answer in time", "请求超时"},
			Text{"The endpoint did not answer within the timeout; the application may still have arrived and made a certificate.", "接入点未在超时时间内响应；申请可能已送达并已创建证书。"},
			Text{"Before applying again, look for the new certificate (certwiz certs --status all) or the old one's renewal (HasRenewOrder): a second renewal of one certificate is refused.", "再次申请前，请查找新证书（certwiz certs --status all）或原证书的续期证书（HasRenewOrder）：同一证书不能续期两次。"}),
		g(CodeCanceled, "", ExitInterrupted, true,
			Text{"Cancelled", "已取消"},
			Text{"Cancelled before an answer arrived; the application may still have arrived and made a certificate.", "在收到应答前被取消；申请可能已送达并已创建证书。"},
			Text{"Before applying again, look for the new certificate (certwiz certs --status all) or the old one's renewal (HasRenewOrder).", "再次申请前，请查找新证书（certwiz certs --status all）或原证书的续期证书（HasRenewOrder）。"}),
	},
	ActionBindSync:       hostingAuth(ActionBindSync, "list the resources using a certificate", "查询证书关联的云资源", "QcloudSSLReadOnlyAccess"),
	ActionBindDetail:     hostingAuth(ActionBindDetail, "list the resources using a certificate", "查询证书关联的云资源", "QcloudSSLReadOnlyAccess"),
	ActionUpdate:         hostingAuth(ActionUpdate, "replace certificates on resources", "更新云资源上的证书", "QcloudSSLFullAccess"),
	ActionUpdateDetail:   hostingAuth(ActionUpdateDetail, "read update records", "查看更新记录", "QcloudSSLReadOnlyAccess"),
	ActionUpdateRetry:    hostingAuth(ActionUpdateRetry, "retry updates", "重试更新", "QcloudSSLFullAccess"),
	ActionUpdateRollback: hostingAuth(ActionUpdateRollback, "roll back updates", "回滚更新", "QcloudSSLFullAccess"),
	ActionDeploy:         hostingAuth(ActionDeploy, "deploy certificates to resources", "部署证书到云资源", "QcloudSSLFullAccess"),
	ActionDeployDetail:   hostingAuth(ActionDeployDetail, "read deployment records", "查看部署记录", "QcloudSSLReadOnlyAccess"),
	ActionDeployRetry:    hostingAuth(ActionDeployRetry, "retry deployments", "重试部署", "QcloudSSLFullAccess"),
	ActionDeployRollback: hostingAuth(ActionDeployRollback, "roll back deployments", "回滚部署", "QcloudSSLFullAccess"),
	ActionComplete: {
		g("FailedOperation.CertificateNotFoundOrAudited", "", ExitRejected, false,
			Text{"Nothing to validate now", "当前无需验证"},
			Text{"The certificate does not exist, or the CA has already checked it (issued or refused).", "证书不存在，或 CA 已完成检查（已签发或已拒绝）。"},
			Text{"See its status with certwiz certs --status all.", "请用 certwiz certs --status all 查看其状态。"}),
		g("FailedOperation.InvalidParam", "", ExitRejected, false,
			Text{"The CA cannot be asked to validate now", "无法请 CA 立即验证"},
			Text{"The service refused the request to validate now; some brands (DNSPod, Wotrus) do not take it and check the records on their own.", "服务拒绝了立即验证的请求；部分品牌（DNSPod、Wotrus）不支持该请求，会自行检查记录。"},
			Text{"Nothing to fix: keep the records in place and follow the certificate with certwiz status ID --watch.", "无需修改：请保留记录，并用 certwiz status ID --watch 跟踪证书状态。"}),
	},
	ActionDownload: {
		g("FailedOperation.InvalidCertificateStatusCode", "", ExitRejected, false,
			Text{"Not issued yet", "证书尚未签发"},
			Text{"Only an issued certificate can be downloaded.", "只有已签发的证书才能下载。"},
			Text{"Finish domain validation first; see its status with certwiz certs --status all.", "请先完成域名验证；可用 certwiz certs --status all 查看状态。"}),
	},
	ActionList: {
		readCanceled,
		g("FailedOperation.AuthError", "", ExitAuth, false,
			Text{"No permission to list certificates", "没有查看证书列表的权限"},
			Text{"The key's account or sub-user may not call DescribeCertificates.", "该密钥对应的账号或子用户无权调用 DescribeCertificates。"},
			Text{"Ask the account owner to grant ssl:DescribeCertificates (or QcloudSSLReadOnlyAccess) in CAM, or type the CertificateId.", "请主账号在访问管理中授予 ssl:DescribeCertificates（或 QcloudSSLReadOnlyAccess），或直接输入证书 ID。"}),
	},
	ActionDetail: {
		readCanceled,
		g("FailedOperation.AuthError", "", ExitAuth, false,
			Text{"No permission to read this certificate", "没有查看该证书的权限"},
			Text{"The key's account or sub-user may not call DescribeCertificateDetail.", "该密钥对应的账号或子用户无权调用 DescribeCertificateDetail。"},
			Text{"Ask the account owner to grant ssl:DescribeCertificateDetail (or QcloudSSLReadOnlyAccess) in CAM.", "请主账号在访问管理中授予 ssl:DescribeCertificateDetail（或 QcloudSSLReadOnlyAccess）。"}),
	},
}

// hostingAuth is FailedOperation.AuthError for a hosting action: the CAM
// action to grant.
func hostingAuth(action, what, whatZH, policy string) []Guide {
	return []Guide{g("FailedOperation.AuthError", "", ExitAuth, false,
		Text{"No permission to " + what, "没有" + whatZH + "的权限"},
		Text{"The key's account or sub-user may not call " + action + ".", "该密钥对应的账号或子用户无权调用 " + action + "。"},
		Text{"Ask the account owner to grant ssl:" + action + " (or " + policy + ") in CAM.", "请主账号在访问管理中授予 ssl:" + action + "（或 " + policy + "）。"})}
}

// readCanceled is an interrupted read (the certificate list, a detail):
// it changed nothing, so there is nothing to check in the console and no
// submission to send again.
var readCanceled = g(CodeCanceled, "", ExitInterrupted, true,
	Text{"Interrupted", "已中断"},
	Text{"Interrupted before the answer arrived; certwiz was only reading, so nothing was changed.", "在收到应答前被中断；certwiz 只是在读取，没有做任何更改。"},
	Text{"Nothing was changed, so nothing to undo: run the command again when ready.", "没有做任何更改，无需撤销：准备好后重新运行该命令即可。"})

// ExplainFor is Explain, as the code reads for the action that answered it.
func ExplainFor(action, code string) (Guide, bool) {
	for _, gd := range actionGuides[action] {
		if gd.Code == code {
			return gd, true
		}
	}
	return Explain(code)
}

var guideIndex = func() map[string]int {
	m := make(map[string]int, len(guides))
	for i, gd := range guides {
		m[gd.Code] = i
	}
	return m
}()

// Guides returns every explained code, sorted by code.
func Guides() []Guide {
	out := append([]Guide(nil), guides...)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Explain returns the guide for a code. An unknown code falls back on its
// longest known prefix (AuthFailure.Foo → AuthFailure); known reports
// whether the code itself is in the guide.
func Explain(code string) (gd Guide, known bool) {
	if i, ok := guideIndex[code]; ok {
		return guides[i], true
	}
	for p := code; strings.Contains(p, "."); {
		p = p[:strings.LastIndexByte(p, '.')]
		if i, ok := guideIndex[p]; ok {
			gd = guides[i]
			gd.Code = code
			return gd, false
		}
	}
	return Guide{Code: code, Exit: ExitRejected,
		Title:   Text{"Request refused", "请求被拒绝"},
		Meaning: Text{"The service answered with a code certwiz does not know.", "服务返回了 certwiz 不认识的错误码。"},
		Action:  Text{"Read the server's message; if unclear, contact Tencent Cloud support with the RequestId.", "请阅读服务消息；如不明白，请带上 RequestId 联系腾讯云技术支持。"},
	}, false
}
