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
	txtCrashed          = t{EN: "certwiz stopped on an internal error: %s (at %s). This is a bug in certwiz: please report this line.", ZH: "certwiz 因内部错误而停止：%s（位于 %s）。这是 certwiz 的缺陷，请报告此行内容。"}
	txtInACommand       = t{EN: "a command of the wizard, printed above", ZH: "向导的一个命令，见上方输出"}
	txtTitle            = t{EN: "certwiz — SSL certificate information", ZH: "certwiz — SSL 证书资料提交"}
	txtSandbox          = t{EN: "SANDBOX: demo endpoint and key, nothing reaches Tencent Cloud", ZH: "沙箱：演示接入点和密钥，不会发送到腾讯云"}
	txtEndpoint         = t{EN: "Endpoint", ZH: "接入点"}
	txtCredentials      = t{EN: "Credentials", ZH: "密钥"}
	txtNoCreds          = t{EN: "none found — set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, write ~/.tencentcloud/credentials or configure tccli; or run certwiz --sandbox to try it", ZH: "未找到——请设置 TENCENTCLOUD_SECRET_ID 和 TENCENTCLOUD_SECRET_KEY、写入 ~/.tencentcloud/credentials 或配置 tccli；也可运行 certwiz --sandbox 体验"}
	txtStart            = t{EN: "What would you like to do?", ZH: "要做什么？"}
	txtNew              = t{EN: "New submission", ZH: "新建提交"}
	txtContinue         = t{EN: "Continue %s (%d/%d steps done)", ZH: "继续 %s（已完成 %d/%d 步）"}
	txtFromTemplate     = t{EN: "Start from %s (reuse organization and people)", ZH: "以 %s 为模板（沿用公司和人员信息）"}
	txtProfileEntry     = t{EN: "%s (%d/%d steps done)", ZH: "%s（已完成 %d/%d 步）"}
	txtProfileUse       = t{EN: "What to do with %s?", ZH: "如何使用 %s？"}
	txtFilterStart      = t{EN: "Type to filter by profile name", ZH: "输入配置名称进行筛选"}
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
	txtTooSmall         = t{EN: "Terminal too small: need at least 40×12, have %d×%d. Enlarge it, or ctrl+c to save and quit", ZH: "终端太小：至少需要 40×12，当前 %d×%d。请放大窗口，或按 ctrl+c 保存并退出"}
	txtSavedAs          = t{EN: "Saved as %s. Resume with:\n  %s", ZH: "已保存为 %s。继续请运行：\n  %s"}
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
	txtUnseen           = t{EN: "%s: not seen yet — it holds only the default (the contact is the administrator). Check it before submitting (Edit a step).", ZH: "%s：尚未查看——目前只是默认值（联系人即管理人）。提交前请检查（修改某一步）。"}
	txtRequired         = t{EN: "⚠ %s is required: it can wait, but review will ask for it before submitting", ZH: "⚠ %s为必填项：可以稍后填写，但提交前确认页会要求填写"}
	txtPassAgainHint    = t{EN: "Typed twice, as openssl asks: a typo would make the key unusable", ZH: "与 openssl 一样输入两次：输错一个字符，私钥就无法使用"}
	txtPassMismatch     = t{EN: "does not match the first entry: type the same passphrase twice", ZH: "与第一次输入不一致：请两次输入相同的密码"}
	txtPassesDiffer     = t{EN: "the passphrase and its second entry differ", ZH: "两次输入的密码不一致"}
	txtPassesFix        = t{EN: "In the CSR step type the same passphrase twice", ZH: "请在 CSR 步骤中两次输入相同的密码"}
	txtPassAgainResume  = t{EN: "the key passphrase chosen before is never saved: type it again (twice)", ZH: "之前设置的私钥密码不会被保存：请重新输入（两次）"}
	txtCSRReplaced      = t{EN: "The CSR box now holds the CSR of %s (the one it held before is replaced)", ZH: "CSR 文本框已换成 %s 中的 CSR（原有内容已替换）"}
	txtChooseOne        = t{EN: "choose one with ↑/↓, then enter", ZH: "请用 ↑/↓ 选择一项，再按 enter"}
	txtTypeToFilter     = t{EN: "Type to filter (a code or a name)", ZH: "输入代码或名称进行筛选"}
	txtFiltered         = t{EN: "Filter: %s — %d match(es)", ZH: "筛选：%s——%d 项匹配"}
	txtMore             = t{EN: "%d more", ZH: "还有 %d 项"}
	txtNoEditor         = t{EN: "No editor found: set $EDITOR (or install nano or vi) to edit here with ctrl+e, or paste the text.", ZH: "未找到编辑器：请设置 $EDITOR（或安装 nano、vi）后用 ctrl+e 编辑，或直接粘贴。"}
	txtMayHaveArrived   = t{EN: "A submission was under way: it may already have reached Tencent Cloud. Check certwiz history before submitting again.", ZH: "提交正在进行中：请求可能已到达腾讯云。再次提交前请查看 certwiz history。"}
	txtNotSubmitted     = t{EN: "Not submitted: %s — %s", ZH: "未提交：%s——%s"}
	txtNotForgotten     = t{EN: "The keys generated here that the certificate is not for could not be forgotten: %v", ZH: "无法记录不再需要的本机生成私钥：%v"}
	txtNotCommitted     = t{EN: "Not sent to the CA: %s — %s", ZH: "未发送给 CA：%s——%s"}
	txtRetrySends       = t{EN: " Retry sends it again.", ZH: "选择“重试”即可重新发送。"}
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
	txtNowAt            = t{EN: "Certificate %s is now %s (status %d): it has gone on to the CA, so submitting again would be refused. Follow it with: %s", ZH: "证书 %s 当前状态：%s（状态 %d）：已发送给 CA，再次提交会被拒绝。请用此命令跟进：%s"}
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
	txtIDUnusable       = t{EN: "The ID %s holds control characters: certwiz cannot use it. Type the ID the SSL console shows.", ZH: "ID %s 含控制字符，certwiz 无法使用。请输入 SSL 证书控制台显示的 ID。"}
	txtLeftOut          = t{EN: "Left out, as they hold control characters: %s.", ZH: "以下字段含控制字符，未复制：%s。"}
)

// Validation, issuance and download (after the order is with the CA).
var (
	txtValidation        = t{EN: "Domain validation", ZH: "域名验证"}
	txtStageValid        = t{EN: "Validation", ZH: "验证"}
	txtStageIssued       = t{EN: "Issued", ZH: "已签发"}
	txtReadingRecords    = t{EN: "Reading the validation records of %s…", ZH: "正在读取 %s 的验证记录……"}
	txtHowDNS            = t{EN: "Create each DNS record below at your DNS provider (zone editors differ: use the form yours asks for). certwiz checks them itself and asks the CA to validate once all are found.", ZH: "请在域名解析服务商处添加下列每条 DNS 记录（各家编辑器要求的主机记录写法不同，按您的填写）。certwiz 会自行检查，全部生效后请 CA 验证。"}
	txtHowFile           = t{EN: "Put each file below on the site, reachable over http or https at the URL shown, with exactly the content shown. The CA fetches it from outside China: do not block foreign addresses. certwiz checks and asks the CA to validate once all are found.", ZH: "请把下列每个文件放到网站上，可通过所示 http 或 https 地址访问，内容须完全一致。CA 从境外访问：请勿屏蔽境外地址。certwiz 会自行检查，全部可访问后请 CA 验证。"}
	txtHowAuto           = t{EN: "DNS_AUTO: Tencent Cloud adds these records in your Tencent Cloud DNS zone itself — nothing to do; certwiz watches them through.", ZH: "DNS_AUTO：腾讯云会在您的腾讯云 DNS 解析中自动添加这些记录，无需操作；certwiz 会持续关注。"}
	txtHowWildcard       = t{EN: "The wildcard %s is validated at %s: its record goes in that zone.", ZH: "通配符 %s 在 %s 上验证：记录添加在该域名下。"}
	txtHowBareWWW        = t{EN: "%s and %s are validated separately: each needs its own record.", ZH: "%s 和 %s 分别验证：各需一条记录。"}
	txtKindDNS           = t{EN: "%s record", ZH: "%s 记录"}
	txtKindFile          = t{EN: "file on the site", ZH: "网站文件"}
	txtValHost           = t{EN: "Host (in zone %s)", ZH: "主机记录（域名 %s）"}
	txtValName           = t{EN: "Full name", ZH: "完整名称"}
	txtValFQDN           = t{EN: "Full name with dot", ZH: "带点的完整名称"}
	txtValValue          = t{EN: "Value", ZH: "记录值"}
	txtValURL            = t{EN: "URL (%s)", ZH: "地址（%s）"}
	txtValContent        = t{EN: "File content", ZH: "文件内容"}
	txtHere              = t{EN: "certwiz", ZH: "本机检查"}
	txtTencent           = t{EN: "Tencent", ZH: "腾讯云"}
	txtTencentAgo        = t{EN: "Earlier, Tencent %s ago", ZH: "较早·腾讯云（%s 前）"}
	txtHereLatest        = t{EN: "Latest, certwiz", ZH: "最新·本机检查"}
	txtHowTwoValues      = t{EN: "%d records share the name %s (a wildcard and its bare domain): create one TXT record per value with that name — do not replace one with the other.", ZH: "%d 条记录使用同一名称 %s（通配符及其主域名）：请用该名称为每个值各创建一条 TXT 记录，不要互相覆盖。"}
	txtHowBareWWWFile    = t{EN: "%s and %s are validated separately: each needs its own file.", ZH: "%s 和 %s 分别验证：各需一个文件。"}
	txtNotAsked          = t{EN: "not asked yet", ZH: "尚未查询"}
	txtCAPassed          = t{EN: "the CA's check passed", ZH: "CA 验证已通过"}
	txtFrequently        = t{EN: "asked to wait before the next check", ZH: "要求稍后再查"}
	txtChecking          = t{EN: "checking…", ZH: "检查中……"}
	txtNextCheck         = t{EN: "next check in %s", ZH: "%s 后再次检查"}
	txtAskedCA           = t{EN: "asked the CA to validate", ZH: "已请 CA 验证"}
	txtCopied            = t{EN: "sent to the terminal's clipboard (OSC 52): %s — paste it to check (tmux needs set-clipboard on)", ZH: "已发送到终端剪贴板（OSC 52）：%s——粘贴即可核对（tmux 需 set-clipboard on）"}
	txtNotCopied         = t{EN: "not copied: %s — %s (certwiz status ID --json gives the exact value)", ZH: "未复制：%s——%s（certwiz status ID --json 可给出原值）"}
	txtCopyFailed        = t{EN: "could not copy: %s", ZH: "无法复制：%s"}
	txtValFailed         = t{EN: "validation cannot go on", ZH: "验证无法继续"}
	txtWatchLater        = t{EN: "Validation goes on without certwiz. To watch it: %s\nWhen issued: %s", ZH: "验证不依赖 certwiz 继续进行。继续关注：%s\n签发后下载：%s"}
	txtKeyLeave          = t{EN: "leave", ZH: "离开"}
	txtKeyRecord         = t{EN: "record", ZH: "切换记录"}
	txtWatchLaterSandbox = t{EN: "The sandbox forgets this certificate when certwiz ends; with a real account, validation goes on without certwiz: %s\nWhen issued: %s", ZH: "certwiz 退出后沙箱会清空此证书；真实账号下验证不依赖 certwiz 继续进行：%s\n签发后下载：%s"}
	txtKeyCopy           = t{EN: "copy", ZH: "复制"}
	txtKeyValue          = t{EN: "value", ZH: "选择值"}
	txtKeyCheckNow       = t{EN: "check now", ZH: "立即检查"}
	txtKeyDownload       = t{EN: "download", ZH: "下载"}
	txtKeyLater          = t{EN: "later", ZH: "稍后"}
	txtIssued            = t{EN: "Issued: %s", ZH: "已签发：%s"}
	txtSaveIn            = t{EN: "Save the certificate in", ZH: "证书保存到"}
	txtSaveInHint        = t{EN: "A folder (created if missing, 0700); files are 0600 and never replace existing ones.", ZH: "文件夹（不存在则创建，权限 0700）；文件权限 0600，绝不覆盖已有文件。"}
	txtSaveInEmpty       = t{EN: "give a folder, e.g. ./example.com", ZH: "请填写文件夹，例如 ./example.com"}
	txtDownloading       = t{EN: "Downloading and unpacking into %s…", ZH: "正在下载并解压到 %s……"}
	txtDownloadLater     = t{EN: "Issued, not downloaded. To download: %s", ZH: "已签发，尚未下载。下载：%s"}
	txtOnDisk            = t{EN: "The certificate is on disk", ZH: "证书已保存"}
	txtCertificate       = t{EN: "Certificate", ZH: "证书"}
	txtFolder            = t{EN: "Folder", ZH: "文件夹"}
	txtNames             = t{EN: "Names", ZH: "域名"}
	txtValid             = t{EN: "Valid", ZH: "有效期"}
	txtValidRange        = t{EN: "%s to %s", ZH: "%s 至 %s"}
	txtKey               = t{EN: "Private key", ZH: "私钥"}
	txtKeyMatches        = t{EN: "%s (generated here) matches the certificate", ZH: "%s（本机生成）与证书匹配"}
	txtKeyMismatch       = t{EN: "%s (generated here) does NOT match this certificate: do not install them together", ZH: "%s（本机生成）与此证书不匹配：请勿一起部署"}
	txtTencentKeyBad     = t{EN: "%s (Tencent Cloud generated it) does NOT match this certificate: do not install them together", ZH: "%s（腾讯云生成）与此证书不匹配：请勿一起部署"}
	txtKeyUnchecked      = t{EN: "could not check %s: %s", ZH: "无法检查 %s：%s"}
	txtKeyInFolder       = t{EN: "%s (Tencent Cloud generated it; 0600) matches the certificate", ZH: "%s（腾讯云生成，权限 0600）与证书匹配"}
	txtKeyYours          = t{EN: "the key you made the CSR with (not in the download)", ZH: "您生成 CSR 时使用的私钥（不在下载内容中）"}
	txtPassFile          = t{EN: "/path/to/the-passphrase.txt", ZH: "/存放私钥密码的文件路径.txt"}
	txtPassFileWhy       = t{EN: "The key is encrypted: nginx reads its passphrase from that file (0600, one line) to start unattended.", ZH: "私钥已加密：nginx 从该文件（0600，一行）读取密码，才能无人值守启动。"}
	txtYourKey           = t{EN: "<your key>", ZH: "<您的私钥>"}
	txtInstallNginx      = t{EN: "nginx: these two lines in the server block, then reload nginx (Apache and others: the folders beside it).", ZH: "nginx：在 server 块中写入以下两行，然后重新加载 nginx（Apache 等：见旁边的文件夹）。"}
	txtFolderHolds       = t{EN: "This folder already holds %d of the files (%s…): nothing was written; choose another folder.", ZH: "该文件夹中已有 %d 个同名文件（%s…）：未写入任何文件；请换一个文件夹。"}
	txtNotAFolder        = t{EN: "That is a file, not a folder: give a folder, or a path that does not exist yet.", ZH: "这是文件而不是文件夹：请填写文件夹，或尚不存在的路径。"}
	txtRenewBefore       = t{EN: "It ends %s: renew before %s.", ZH: "证书于 %s 到期：请在 %s 前续期。"}
	txtContinueVal       = t{EN: "Continue a certificate in validation (records, checks, download)", ZH: "继续验证中的证书（记录、检查、下载）"}
	txtPickValidating    = t{EN: "Which certificate?", ZH: "哪张证书？"}
	txtLoadingValid      = t{EN: "Asking the account for its certificates in validation…", ZH: "正在读取账号中验证中的证书……"}
	txtNoValidating      = t{EN: "No certificate of this account is in validation.", ZH: "该账号没有验证中的证书。"}
	txtSentByCertwiz     = t{EN: "sent by certwiz %s", ZH: "certwiz 于 %s 发送"}
)

var txtAgainOrQuit = t{EN: "Enter checks again, q leaves", ZH: "回车再次检查，q 离开"}

// The keys generated here, none of which a downloaded certificate is for.
var txtKeyNoneMatches = t{EN: "no key generated here matches this certificate (tried %s): do not install one with it", ZH: "本机生成的私钥都与此证书不匹配（已核对 %s）：请勿与它一起部署"}
