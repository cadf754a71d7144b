package api

import "strconv"

// Certificate statuses (lifecycle.md): the integer the service answers.
const (
	StatusReviewing      = 0 // with the CA; StatusMsg says where
	StatusIssued         = 1
	StatusReviewFailed   = 2
	StatusExpired        = 3
	StatusDNSAdded       = 4 // DNS_AUTO added the record; the CA checks
	StatusAwaitingInfo   = 5 // paid, awaiting information: certwiz's start
	StatusCancelling     = 6
	StatusCancelled      = 7
	StatusAwaitingLetter = 8 // OV/EV: awaiting a confirmation letter
	StatusFreeAwaiting   = 13
)

var statusNames = map[int]Text{
	0:  {"reviewing", "审核中"},
	1:  {"issued", "已签发"},
	2:  {"review failed", "审核失败"},
	3:  {"expired", "已过期"},
	4:  {"DNS record added, CA checking", "已自动添加 DNS 记录，CA 检查中"},
	5:  {"awaiting information", "待提交资料"},
	6:  {"cancelling", "取消中"},
	7:  {"cancelled", "已取消"},
	8:  {"awaiting confirmation letter", "待上传确认函"},
	9:  {"revoking", "吊销中"},
	10: {"revoked", "已吊销"},
	11: {"reissuing", "重颁发中"},
	12: {"awaiting revocation letter", "待上传吊销确认函"},
	13: {"free certificate awaiting information", "免费证书待提交资料"},
	14: {"refunded", "已退款"},
	15: {"migrating", "迁移中"},
}

// reviewStages refine status 0 by StatusMsg.
var reviewStages = map[string]Text{
	"PRE-REVIEWING":   {"pre-review", "预审核中"},
	"LEGAL-REVIEWING": {"legal review", "法务审核中"},
	"CA-REVIEWING":    {"CA review", "CA 审核中"},
	"PENDING-DCV":     {"awaiting domain validation", "等待域名验证"},
	"WAIT-ISSUE":      {"validated, awaiting issuance", "验证通过，等待签发"},
}

// StatusText is a status in words, refined by StatusMsg when reviewing.
func StatusText(status int, msg string) Text {
	if status == StatusReviewing {
		if st, ok := reviewStages[msg]; ok {
			return st
		}
	}
	if t, ok := statusNames[status]; ok {
		return t
	}
	n := strconv.Itoa(status)
	return Text{"status " + n + " (unknown)", "状态 " + n + "（未知）"}
}

// StatusGroups are the `certs --status` choices: the statuses each covers.
// "needs-you" is the default: what waits on the user (information,
// review, validation).
var StatusGroups = map[string][]int{
	"needs-you": {StatusAwaitingInfo, StatusReviewing, StatusDNSAdded, StatusAwaitingLetter},
	"awaiting":  {StatusAwaitingInfo},
	"reviewing": {StatusReviewing, StatusDNSAdded, StatusAwaitingLetter},
	"issued":    {StatusIssued},
	"all":       nil,
}
