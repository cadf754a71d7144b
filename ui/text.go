package ui

import "github.com/certwiz/certwiz/api"

// t is a UI string in both languages.
type t = api.Text

// colon follows a label: full-width in Chinese.
func colon(lang string) string {
	if api.IsChinese(lang) {
		return "："
	}
	return ": "
}

// Strings of the wizard that are not parameter labels (those come from the
// catalogue).
var (
	txtTitle            = t{EN: "certwiz — SSL certificate information", ZH: "certwiz — SSL 证书资料提交"}
	txtSandbox          = t{EN: "SANDBOX: demo endpoint and key, nothing reaches Tencent Cloud", ZH: "沙箱：演示接入点和密钥，不会发送到腾讯云"}
	txtEndpoint         = t{EN: "Endpoint", ZH: "接入点"}
	txtCredentials      = t{EN: "Credentials", ZH: "密钥"}
	txtNoCreds          = t{EN: "none found — set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, write ~/.tencentcloud/credentials or configure tccli; or run certwiz --sandbox to try it", ZH: "未找到——请设置 TENCENTCLOUD_SECRET_ID 和 TENCENTCLOUD_SECRET_KEY、写入 ~/.tencentcloud/credentials 或配置 tccli；也可运行 certwiz --sandbox 体验"}
	txtStart            = t{EN: "What would you like to do?", ZH: "要做什么？"}
	txtNew              = t{EN: "New submission", ZH: "新建提交"}
	txtContinue         = t{EN: "Continue %s (%d/%d steps done)", ZH: "继续 %s（已完成 %d/%d 步）"}
	txtFromTemplate     = t{EN: "Start from %s (reuse organization and people)", ZH: "以 %s 为模板（沿用公司和人员信息）"}
	txtUnreadable       = t{EN: "%s cannot be read: %s", ZH: "%s 无法读取：%s"}
	txtReview           = t{EN: "Review", ZH: "确认"}
	txtSubmit           = t{EN: "Submit", ZH: "提交"}
	txtSubmitBlock      = t{EN: "Submit (first fix the %d problem(s) listed above)", ZH: "提交（请先解决上方列出的 %d 个问题）"}
	txtSubmitNoCreds    = t{EN: "Submit (needs credentials: see Credentials above)", ZH: "提交（需要密钥：见上方“密钥”）"}
	txtEditStep         = t{EN: "Edit a step", ZH: "修改某一步"}
	txtSaveQuit         = t{EN: "Save and quit", ZH: "保存并退出"}
	txtExportJSON       = t{EN: "Export as JSON (for tccli)", ZH: "导出为 JSON（供 tccli 使用）"}
	txtWhichStep        = t{EN: "Which step?", ZH: "修改哪一步？"}
	txtMissing          = t{EN: "missing", ZH: "未填写"}
	txtNotSet           = t{EN: "—", ZH: "—"}
	txtSecretSet        = t{EN: "•••••• (set, never saved)", ZH: "••••••（已设置，不会保存）"}
	txtSubmitting       = t{EN: "Submitting to %s … %s", ZH: "正在提交到 %s … %s"}
	txtCancelled        = t{EN: "Submission cancelled. The request may already have reached Tencent Cloud: check certwiz history before submitting again.", ZH: "已取消提交。请求可能已到达腾讯云：再次提交前请查看 certwiz history。"}
	txtNext             = t{EN: "What happens next", ZH: "下一步"}
	txtHistoryAt        = t{EN: "Recorded in %s", ZH: "已记录到 %s"}
	txtWhat             = t{EN: "What to do", ZH: "处理建议"}
	txtServerSaid       = t{EN: "Server message", ZH: "服务消息"}
	txtDetails          = t{EN: "Details", ZH: "详情"}
	txtCode             = t{EN: "Code", ZH: "错误码"}
	txtEditPointed      = t{EN: "Edit the %s step", ZH: "修改“%s”步骤"}
	txtRetry            = t{EN: "Retry", ZH: "重试"}
	txtBackReview       = t{EN: "Back to review", ZH: "返回确认页"}
	txtSaveAs           = t{EN: "Save this draft as", ZH: "将草稿保存为"}
	txtSaveAsHint       = t{EN: "A profile name: lower-case letters, digits, '.', '_' or '-'. Progress is saved after every step.", ZH: "配置名称：小写字母、数字、'.'、'_' 或 '-'。每一步完成后都会自动保存。"}
	txtTooSmall         = t{EN: "Terminal too small: need at least 40×12, have %d×%d", ZH: "终端太小：至少需要 40×12，当前 %d×%d"}
	txtSavedAs          = t{EN: "Saved as %s. Resume with: %s", ZH: "已保存为 %s。继续请运行：%s"}
	txtExported         = t{EN: "Exported to %s", ZH: "已导出到 %s"}
	txtSameAsAdmin      = t{EN: "Is the contact the same person as the administrator?", ZH: "联系人与管理人是同一人吗？"}
	txtYes              = t{EN: "Yes — copy the administrator", ZH: "是——沿用管理人信息"}
	txtNo               = t{EN: "No — enter the contact", ZH: "否——填写联系人信息"}
	txtCSRFile          = t{EN: "CSR file", ZH: "CSR 文件"}
	txtCSRFileHint      = t{EN: "Path to your .csr file (or leave empty and paste below)", ZH: ".csr 文件路径（或留空并在下方粘贴）"}
	txtDomainsCount     = t{EN: "%d additional domain(s). One per line.", ZH: "其他域名 %d 个，每行一个。"}
	txtPunycode         = t{EN: "Sent as %s", ZH: "将以 %s 发送"}
	txtGenerateChoice   = t{EN: "generate here — the private key never leaves this machine", ZH: "在本机生成——私钥不会离开本机"}
	txtKeyType          = t{EN: "Key type", ZH: "密钥类型"}
	txtKeyTypeHint      = t{EN: "The CA accepts ECDSA P-256/P-384 and RSA 2048+", ZH: "CA 接受 ECDSA P-256/P-384 和 RSA 2048 位以上"}
	txtKeyPath          = t{EN: "Key file", ZH: "私钥文件"}
	txtKeyPathHint      = t{EN: "Where to write the new private key (never overwritten); empty: <profile>.key here. The CSR goes beside it.", ZH: "新私钥的保存路径（不会覆盖已有文件）；留空：当前目录下 <配置名>.key。CSR 保存在旁边。"}
	txtKeyPass          = t{EN: "Key passphrase", ZH: "私钥密码"}
	txtKeyPassHint      = t{EN: "Optional: encrypts the key file (PKCS#8). Never saved", ZH: "可选：加密私钥文件（PKCS#8）。不会被保存"}
	txtKeyExists        = t{EN: "%s already exists: certwiz never overwrites a key; choose another path", ZH: "%s 已存在：certwiz 不会覆盖私钥，请换一个路径"}
	txtNoFolder         = t{EN: "the folder %s does not exist", ZH: "目录 %s 不存在"}
	txtGenerated        = t{EN: "Private key written to %s (%s); CSR to %s", ZH: "私钥已写入 %s（%s）；CSR 已写入 %s"}
	txtKeyReminder      = t{EN: "Private key: %s — on this machine only; Tencent Cloud cannot recover it", ZH: "私钥：%s——只在本机；腾讯云无法找回"}
	txtStepOf           = t{EN: "Step %d of %d", ZH: "第 %d/%d 步"}
	txtSandboxShort     = t{EN: "SANDBOX", ZH: "沙箱"}
	txtNoCredsShort     = t{EN: "no credentials", ZH: "无密钥"}
	txtNoMatch          = t{EN: "nothing matches: backspace or esc to change the filter", ZH: "没有匹配项：按退格或 esc 修改筛选"}
	txtTypeToFilter     = t{EN: "Type to filter (a code or a name)", ZH: "输入代码或名称进行筛选"}
	txtFiltered         = t{EN: "Filter: %s — %d match(es)", ZH: "筛选：%s——%d 项匹配"}
	txtMore             = t{EN: "%d more", ZH: "还有 %d 项"}
	txtNoEditor         = t{EN: "No editor found: set $EDITOR (or install nano or vi) to edit here with ctrl+e, or paste the text.", ZH: "未找到编辑器：请设置 $EDITOR（或安装 nano、vi）后用 ctrl+e 编辑，或直接粘贴。"}
	txtMayHaveArrived   = t{EN: "A submission was under way: it may already have reached Tencent Cloud. Check certwiz history before submitting again.", ZH: "提交正在进行中：请求可能已到达腾讯云。再次提交前请查看 certwiz history。"}
	txtNotSubmitted     = t{EN: "Not submitted: %s — %s", ZH: "未提交：%s——%s"}
	txtGenStale         = t{EN: "the key and CSR made here (%s) are for other names than the domains step now lists", ZH: "本机生成的私钥和 CSR（%s）与“域名”步骤现有的域名不一致"}
	txtGenFix           = t{EN: "In the CSR step give a new key file path (a key file is never overwritten), or put the names back", ZH: "请在 CSR 步骤中填写新的私钥文件路径（不会覆盖已有私钥），或改回原来的域名"}
	txtLostRecords      = t{EN: "These outcomes could not be written to the history (keep them: --resume and certwiz history will not know them):", ZH: "以下结果未能写入历史记录（请保留：--resume 和 certwiz history 将无法得知）："}
	txtNotRecorded      = t{EN: "The outcome could not be recorded in the history: %v", ZH: "结果未能写入历史记录：%v"}
	txtSameDraft        = t{EN: "Certificate %s already has a draft: %s (%d/%d steps done, saved %s).", ZH: "证书 %s 已有草稿：%s（已完成 %d/%d 步，保存于 %s）。"}
	txtSameQuestion     = t{EN: "What should certwiz do?", ZH: "要怎么做？"}
	txtSameContinue     = t{EN: "Continue %s where it stopped", ZH: "继续填写 %s"}
	txtSameReplace      = t{EN: "Start again in %s (its values are replaced)", ZH: "在 %s 中重新开始（覆盖其内容）"}
	txtSameKeepBoth     = t{EN: "Keep both: save this one under a new name", ZH: "都保留：以新名称保存本次草稿"}
	txtSubmitAgain      = t{EN: "Submit again", ZH: "再次提交"}
	txtFixFirst         = t{EN: "Fix the problems listed at the top of the review first (Edit a step).", ZH: "请先解决确认页顶部列出的问题（修改某一步）。"}
	txtProblems         = t{EN: "%d problem(s) to fix before submitting:", ZH: "提交前需要解决 %d 个问题："}
	txtAlreadySubmitted = t{EN: "Already submitted on %s (RequestId %s). Submitting again sends it again.", ZH: "已于 %s 提交（RequestId %s）。再次提交会重新发送。"}
	txtReplace          = t{EN: "Replace it", ZH: "替换"}
	txtKeepFile         = t{EN: "Keep it (do not export)", ZH: "保留（不导出）"}
	txtFileExists       = t{EN: "%s already exists.", ZH: "%s 已存在。"}
	txtReplaceQ         = t{EN: "Replace it with this export?", ZH: "用本次导出替换它吗？"}
	txtNotExported      = t{EN: "Not exported: %s kept as it was.", ZH: "未导出：%s 保持不变。"}
	txtAttempt          = t{EN: "(attempt %d)", ZH: "（第 %d 次尝试）"}
	txtAttemptAt        = t{EN: "Attempt %d, answered at %s", ZH: "第 %d 次尝试，%s 收到回复"}
	txtLoadingCerts     = t{EN: "Asking the account for its certificates awaiting information…", ZH: "正在读取账号中待提交资料的证书……"}
	txtPickCert         = t{EN: "Which certificate? (the account's, awaiting information)", ZH: "哪一张证书？（账号中待提交资料的证书）"}
	txtUseTypedID       = t{EN: "Not in the list: enter checks it with the account and uses it", ZH: "不在列表中：按 enter 向账号核对并使用该 ID"}
	txtTypeID           = t{EN: "Type a certificate ID instead", ZH: "改为手动输入证书 ID"}
	txtNoList           = t{EN: "Could not list the account's certificates: %s. Type the certificate ID.", ZH: "无法读取账号的证书列表：%s。请输入证书 ID。"}
	txtNoneAwaiting     = t{EN: "No certificate of this account awaits information. Type the ID of the one to fill in, or buy one in the SSL console.", ZH: "该账号没有待提交资料的证书。请输入证书 ID，或先在 SSL 证书控制台购买。"}
	txtCheckingID       = t{EN: "Checking certificate %s with the account…", ZH: "正在向账号核对证书 %s……"}
	txtIDNotFound       = t{EN: "Certificate %s is not in this account: check the ID (certwiz certs lists them) and the key; esc goes back to the list.", ZH: "该账号下没有证书 %s：请核对 ID（certwiz certs 可列出）和密钥；按 esc 返回列表。"}
	txtIDNotAwaiting    = t{EN: "Certificate %s: %s. Information can only be submitted for a paid certificate awaiting information; esc goes back to the list.", ZH: "证书 %s：%s。只有待提交资料的付费证书才能提交资料；按 esc 返回列表。"}
	txtIDUnchecked      = t{EN: "Certificate %s could not be checked (%s); going on.", ZH: "无法核对证书 %s（%s）；继续填写。"}
	txtStored           = t{EN: "Information stored at Tencent Cloud", ZH: "资料已保存到腾讯云"}
	txtStoredSandbox    = t{EN: "Information stored by the sandbox (nothing reached Tencent Cloud)", ZH: "资料已由沙箱保存（未发送到腾讯云）"}
	txtLetterToo        = t{EN: " This OV/EV order also waits for a signed confirmation letter, uploaded in the SSL console.", ZH: "该 OV/EV 订单还需在 SSL 证书控制台上传签字盖章的确认函。"}
	txtBeijing          = t{EN: "%s (Beijing time, UTC+8)", ZH: "%s（北京时间）"}
	txtFilterCerts      = t{EN: "Type an ID, a domain or a product to filter", ZH: "输入 ID、域名或产品名称进行筛选"}
	txtNotWithCA        = t{EN: "The order is not with the CA yet: nothing happens until you send it. Sending starts domain validation by %s and cannot be undone.", ZH: "订单尚未发送给 CA：发送前不会有任何进展。发送后将以 %s 方式开始域名验证，且无法撤销。"}
	txtSendNow          = t{EN: "Send to the CA now", ZH: "立即发送给 CA"}
	txtLater            = t{EN: "Later (quit; certwiz commit sends it)", ZH: "稍后（退出；用 certwiz commit 发送）"}
	txtSendLater        = t{EN: "Not sent to the CA yet. When ready: %s", ZH: "尚未发送给 CA。准备好后运行：%s"}
	txtSandboxForgets   = t{EN: " (the sandbox forgets everything when certwiz ends)", ZH: "（沙箱在 certwiz 退出后会清空）"}
	txtConfirmSend      = t{EN: "Send certificate %s to the CA, validating the domains by %s? This cannot be undone: afterwards the information changes only by cancelling the order in the console.", ZH: "将证书 %s 发送给 CA，并以 %s 方式验证域名？此操作无法撤销：之后只能在控制台取消订单后才能修改资料。"}
	txtConfirmQ         = t{EN: "Send it?", ZH: "确认发送？"}
	txtNotNow           = t{EN: "Not now", ZH: "暂不发送"}
	txtYesSend          = t{EN: "Yes, send it to the CA", ZH: "是，发送给 CA"}
	txtCommitting       = t{EN: "Sending the order to the CA via %s … %s", ZH: "正在通过 %s 将订单发送给 CA … %s"}
	txtWithCA           = t{EN: "With the CA", ZH: "已发送给 CA"}
	txtOrder            = t{EN: "CA order", ZH: "CA 订单号"}
	txtStatus           = t{EN: "Status", ZH: "状态"}
	txtDeadline         = t{EN: "Validate by", ZH: "验证截止"}
	txtFromCert         = t{EN: "Start from a submitted certificate of the account (reuse its organization and people)", ZH: "以账号中已提交的证书为模板（沿用公司和人员信息）"}
	txtPickSubmitted    = t{EN: "Which certificate's information should the new draft reuse?", ZH: "新草稿沿用哪张证书的资料？"}
	txtLoadingSubmitted = t{EN: "Asking the account for its submitted certificates…", ZH: "正在读取账号中已提交的证书……"}
	txtNoSubmitted      = t{EN: "No certificate of this account has submitted information to reuse.", ZH: "该账号没有可沿用资料的已提交证书。"}
	txtNoSubmittedData  = t{EN: "Certificate %s has no submitted information to reuse.", ZH: "证书 %s 没有可沿用的已提交资料。"}
	txtReused           = t{EN: "Organization and people copied from certificate %s.", ZH: "已从证书 %s 复制公司和人员信息。"}
)
