package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// What the wizard and accessible mode share to replace a certificate on
// Tencent Cloud resources (certwiz rollout): the plan in lines, the job
// beside the terminal (update, follow, busy retries; retry; rollback), the
// history's records, and what it did in words.

// rolloutAnswers is one rollout: OLD and NEW as typed, then what was read
// and done.
type rolloutAnswers struct {
	old, new string
	from     route // where "back" leads from the form
	plan     rollout.Plan
	rec      api.UpdateRecord  // the update's record, as last read
	undo     *api.UpdateRecord // the rollback's record, once one ran
	retries  int               // retries of the record's failed resources so far
	before   string            // what stdout says after the wizard already (an install's summary)
	// installation: the rollout follows an install of NEW as this
	// installation, which can be told to roll out at every renewal.
	installation string
}

// keepRollingOut saves rollout: true in the installation, under its lock:
// renew then does at each renewal what was just done by hand.
func (s *session) keepRollingOut(name string) (string, error) {
	unlock, err := s.opts.Store.LockInstallation(name)
	if err != nil {
		return "", err
	}
	defer unlock()
	in, err := s.opts.Store.LoadInstallation(name)
	if err != nil {
		return "", err
	}
	in.Rollout = true
	if err := s.opts.Store.SaveInstallation(in); err != nil {
		return "", err
	}
	return s.opts.Store.InstallationPath(name), nil
}

// rolloutWait bounds how long the wizard follows a record (as the
// command's --max-wait default); the record goes on at Tencent after it.
const rolloutWait = 15 * time.Minute

// rolloutStep is what a rollout job does.
type rolloutStep int

const (
	stepReplace  rolloutStep = iota // UpdateCertificateInstance, then follow
	stepRetry                       // UpdateCertificateRecordRetry, then follow
	stepRollback                    // UpdateCertificateRecordRollback, then follow
)

// rolloutJob runs one step beside the terminal; seen gets every read of
// the record.
type rolloutJob struct {
	runner *rollout.Runner
	step   rolloutStep
	req    api.UpdateRequest
	rec    api.UpdateRecord
}

// rolloutDone is what a job did.
type rolloutDone struct {
	step  rolloutStep
	start api.UpdateStart // stepReplace
	rec   api.UpdateRecord
	err   error
}

func (s *session) rolloutJob(step rolloutStep, a *rolloutAnswers, seen func(api.UpdateRecord)) rolloutJob {
	r := &rollout.Runner{Client: s.opts.Client, Interval: s.opts.WatchTencentEvery, Pause: s.opts.WatchTencentEvery,
		Deadline: time.Now().Add(rolloutWait), Seen: seen}
	return rolloutJob{runner: r, step: step, req: a.plan.Request(), rec: a.rec}
}

func (j rolloutJob) run(ctx context.Context) rolloutDone {
	d := rolloutDone{step: j.step}
	switch j.step {
	case stepReplace:
		d.start, d.err = j.runner.Start(ctx, j.req)
		if d.err != nil {
			return d
		}
		from, to := j.req.OldCertificateId, j.req.CertificateId
		if !d.start.Created {
			// An update of OLD already runs: followed only if it puts NEW in place.
			cur, err := j.runner.Client.UpdateRecordDetail(ctx, d.start.RecordID, "", "")
			if err != nil {
				d.err = err
				return d
			}
			if cur.From != "" && (cur.From != from || cur.To != to) {
				d.rec, d.err = cur, errOtherUpdate
				return d
			}
		}
		d.rec, d.err = j.runner.Follow(ctx, d.start.RecordID, from, to)
	case stepRetry:
		d.rec, d.err = j.runner.Retry(ctx, j.rec)
	case stepRollback:
		d.rec, d.err = j.runner.Rollback(ctx, j.rec)
	}
	if d.err == nil && d.step != stepRollback {
		d.rec, d.err = j.runner.RetryBusy(ctx, d.rec)
	}
	return d
}

// errOtherUpdate: an update of OLD to another certificate runs already.
var errOtherUpdate = errors.New("another update of the certificate is running")

// rolloutPlanLines are the plan in lines: a sentence, one line per
// resource with whether NEW covers it, what the filter left out, then
// each refusal.
func rolloutPlanLines(a *rolloutAnswers, lang string) []string {
	p := a.plan
	if len(p.Targets) == 0 && len(p.Refusals) == 0 {
		return []string{fmt.Sprintf(txtRolloutNothing.In(lang), safe.Text(a.old))}
	}
	lines := []string{fmt.Sprintf(txtRolloutPlanHead.In(lang), len(p.Targets), safe.Text(a.old), safe.Text(a.new))}
	for _, t := range p.Targets {
		covers := txtCoveredYes.In(lang)
		if len(t.Uncovered) > 0 {
			covers = txtCoveredNo.In(lang) + safe.Text(strings.Join(t.Uncovered, ", "))
		}
		lines = append(lines, fmt.Sprintf("%s (%s) — %s", safe.Text(rollout.Where(t.BoundResource)), safe.Text(strings.Join(t.Names, ", ")), covers))
	}
	for _, r := range p.Refusals {
		lines = append(lines, "✗ "+safe.Text(r.Text.In(lang)))
	}
	return lines
}

// rolloutResourceLines are a record's resources, each with how it stands
// (and why, when it failed).
// A rollback's record (back) puts OLD back: its successes say so.
func rolloutResourceLines(rec api.UpdateRecord, lang string, back bool) []string {
	var lines []string
	for _, res := range rec.Resources {
		mark, word := "•", rollout.StatusWord(res.Status).In(lang)
		switch res.Status {
		case api.UpdateSuccess, api.UpdateRolledBack:
			mark = "✓"
			if back && res.Status == api.UpdateSuccess {
				word = fmt.Sprintf(txtPutBack.In(lang), safe.Text(rec.To))
			}
		case api.UpdateFailed, api.UpdateRollbackFailed:
			words, known := rollout.Why(res)
			mark, word = "✗", words.In(lang)
			if !known {
				word += colon(lang) + safe.Text(res.Error)
			}
		}
		lines = append(lines, fmt.Sprintf("%s %s (%s): %s", mark, safe.Text(rollout.Where(res.BoundResource)), safe.Text(strings.Join(res.Names, ", ")), word))
	}
	return lines
}

// rolloutTypes are the resource types of a record, in its order, each
// with how many of its resources have ended and how many it has.
func rolloutTypes(rec api.UpdateRecord) (types []string, ended, total map[string]int) {
	ended, total = map[string]int{}, map[string]int{}
	for _, res := range rec.Resources {
		if !slices.Contains(types, res.Type) {
			types = append(types, res.Type)
		}
		total[res.Type]++
		if res.Status != api.UpdatePending && res.Status != api.UpdateRunning {
			ended[res.Type]++
		}
	}
	return types, ended, total
}

// followLater is the command that follows a record again.
func (s *session) followLater(id uint64) string {
	return s.commandLine("rollout", "--record", strconv.FormatUint(id, 10))
}

// laterLines say how to retry a record's failed resources, or roll it
// back, later: a command each.
func (s *session) laterLines(a *rolloutAnswers, rec api.UpdateRecord) string {
	id := strconv.FormatUint(rec.ID, 10)
	return fmt.Sprintf(txtRolloutLater.In(s.lang), rec.ID, rec.Failed, s.commandLine("rollout", "--record", id, "--on-failure", "retry", "--yes"),
		safe.Text(a.old), s.commandLine("rollout", "--record", id, "--on-failure", "rollback", "--yes"))
}

// rolloutIntent records, before the update leaves, that it is about to.
func (s *session) rolloutIntent(a *rolloutAnswers, action string) string {
	if s.opts.History == nil {
		return ""
	}
	rec, err := s.recorder().Intent(s.rolloutRecord(a, action))
	s.recorded(rec, err)
	return rec.Attempt
}

// rolloutOutcome records what became of a job's request, and how its
// record ended.
func (s *session) rolloutOutcome(a *rolloutAnswers, attempt, action string, d rolloutDone) {
	if s.opts.History == nil {
		return
	}
	rec := s.rolloutRecord(a, action)
	var refused *api.Error // the request's own outcome: following it is the end record's
	if started := d.start.RecordID != 0 || d.step != stepReplace && d.rec.ID != 0; !started {
		errors.As(d.err, &refused)
	}
	rec.Answered(d.start.RequestId, refused)
	rec.DeployRecord = d.rec.ID
	if d.step == stepReplace {
		rec.DeployRecord = d.start.RecordID
	}
	if d.step == stepRollback {
		rec.CertificateId, rec.Replaces, rec.RollbackOf = a.old, a.new, a.rec.ID
	}
	if attempt != "" {
		s.recorded(s.recorder().Outcome(rec, attempt))
	}
	if d.rec.ID == 0 {
		return
	}
	end := profiles.Record{Time: s.opts.Now().UTC(), Action: profiles.ActionRollout, CertificateId: d.rec.To, Replaces: d.rec.From,
		DeployRecord: d.rec.ID, Endpoint: s.opts.Endpoint, Outcome: rolloutOutcomeOf(d)}
	if d.step == stepRollback {
		end.RollbackOf = a.rec.ID
	}
	for _, res := range d.rec.Resources {
		end.Resources = append(end.Resources, rollout.Where(res.BoundResource)+" "+rollout.StatusWord(res.Status).EN)
	}
	s.recorded(s.recorder().Outcome(end, ""))
}

func rolloutOutcomeOf(d rolloutDone) string {
	switch {
	case errors.Is(d.err, rollout.ErrStillRunning):
		return profiles.OutcomeRunning
	case d.err != nil && (errors.Is(d.err, context.Canceled) || outcome(d.err) != nil && outcome(d.err).Code == api.CodeCanceled):
		return profiles.OutcomeInterrupted
	case d.rec.Failed > 0 || d.err != nil:
		return profiles.OutcomeFailed
	case d.step == stepRollback:
		return profiles.OutcomeRolledBack
	}
	return profiles.OutcomeReplaced
}

func (s *session) rolloutRecord(a *rolloutAnswers, action string) profiles.Record {
	return profiles.Record{Time: s.opts.Now().UTC(), Action: action, CertificateId: a.new, Replaces: a.old, Endpoint: s.opts.Endpoint,
		DeployRecord: a.rec.ID}
}

// rolloutSummary is what stdout says after the wizard: how the record ended.
func (s *session) rolloutSummary(a *rolloutAnswers) string {
	lang := s.lang
	var b strings.Builder
	switch {
	case a.undo != nil:
		fmt.Fprintf(&b, txtRolledBackLine.In(lang), a.undo.ID, safe.Text(a.old), a.undo.Success, safe.Text(a.new))
	case a.rec.Failed > 0:
		fmt.Fprintf(&b, txtRolloutFailedLine.In(lang), a.rec.Failed, len(a.rec.Resources), a.rec.ID)
	default:
		fmt.Fprintf(&b, txtReplacedLine.In(lang), safe.Text(a.new), len(a.rec.Resources), safe.Text(a.old), a.rec.ID)
	}
	b.WriteString("\n")
	rec := a.rec
	if a.undo != nil {
		rec = *a.undo
	}
	for _, l := range rolloutResourceLines(rec, lang, a.undo != nil) {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

var (
	txtRolloutStart      = t{EN: "Replace a certificate on Tencent Cloud resources (CLB, CDN…)", ZH: "在云资源（CLB、CDN…）上替换证书"}
	txtRolloutAlso       = t{EN: "Also replace an older certificate with it on Tencent Cloud resources (CLB, CDN…)", ZH: "同时在云资源（CLB、CDN…）上用它替换旧证书"}
	txtRolloutTitle      = t{EN: "Replace on Tencent Cloud resources", ZH: "在云资源上替换证书"}
	txtStageRollout      = t{EN: "Rollout", ZH: "替换"}
	txtRolloutOld        = t{EN: "Certificate to replace (OLD)", ZH: "要替换的证书（OLD）"}
	txtRolloutOldHint    = t{EN: "the ID the resources serve now, e.g. abcb1234 (certwiz certs lists them)", ZH: "资源当前使用的证书 ID，如 abcb1234（certwiz certs 可列出）"}
	txtRolloutNew        = t{EN: "Certificate to put in its place (NEW)", ZH: "替换后的证书（NEW）"}
	txtRolloutNewHint    = t{EN: "an issued certificate covering the same names", ZH: "已签发并覆盖相同域名的证书"}
	txtRolloutSame       = t{EN: "OLD and NEW are the same certificate: name the one that replaces it", ZH: "OLD 与 NEW 是同一张证书：请填写用于替换的新证书"}
	txtRolloutPlanning   = t{EN: "Reading %s and %s and looking up where %s is served…", ZH: "正在读取 %s 和 %s，并查询 %s 的使用位置…"}
	txtRolloutPlanHead   = t{EN: "%d resource(s) serve %s; each would serve %s:", ZH: "%d 个资源使用 %s；每个都将改用 %s："}
	txtRolloutNothing    = t{EN: "No Tencent Cloud resource serves %s: nothing to replace.", ZH: "没有云资源使用 %s：无需替换。"}
	txtCoveredYes        = t{EN: "covered", ZH: "已覆盖"}
	txtCoveredNo         = t{EN: "NOT covered: ", ZH: "未覆盖："}
	txtRolloutRefused    = t{EN: "Refused: nothing was changed", ZH: "拒绝：未做任何更改"}
	txtRolloutQ          = t{EN: "Live traffic on these %d resource(s) will be served by %s. Replace?", ZH: "这 %d 个资源的线上流量将改由 %s 提供。要替换吗？"}
	txtRolloutNow        = t{EN: "Replace on %d resource(s) now", ZH: "现在在 %d 个资源上替换"}
	txtRolloutBack       = t{EN: "Back", ZH: "返回"}
	txtRolloutRunning    = t{EN: "Tencent is replacing %s by %s (record %d). ctrl+c stops the watching, not the record.", ZH: "腾讯云正在用 %[2]s 替换 %[1]s（记录 %[3]d）。ctrl+c 只停止查看，不会停止该记录。"}
	txtRolloutAsking     = t{EN: "Asking Tencent to replace %s by %s…", ZH: "正在请求腾讯云用 %[2]s 替换 %[1]s…"}
	txtRetrying          = t{EN: "Retrying the failed resource(s) of record %d…", ZH: "正在重试记录 %d 中失败的资源…"}
	txtRollingBack       = t{EN: "Putting %s back where %s replaced it…", ZH: "正在恢复 %s（撤销 %s 的替换）…"}
	txtRolloutFailedQ    = t{EN: "%d of %d resource(s) failed. What now?", ZH: "%d/%d 个资源失败。接下来？"}
	txtRolloutRetry      = t{EN: "Retry the failed resource(s)", ZH: "重试失败的资源"}
	txtRolloutRollback   = t{EN: "Roll back: put %s back on the %d replaced", ZH: "回滚：在已替换的 %[2]d 个资源上恢复 %[1]s"}
	txtRolloutLeave      = t{EN: "Leave it as it is (quit)", ZH: "保持现状（退出）"}
	txtReplacedTitle     = t{EN: "Replaced on every resource", ZH: "已在全部资源上替换"}
	txtRolledBackTitle   = t{EN: "Rolled back", ZH: "已回滚"}
	txtRolloutFailTitle  = t{EN: "Some resources failed", ZH: "部分资源失败"}
	txtRolloutStopped    = t{EN: "Not followed to the end", ZH: "未跟进到结束"}
	txtReplacedLine      = t{EN: "Replaced: %s serves all %d resource(s) in place of %s (record %d).", ZH: "已替换：%s 已在全部 %d 个资源上替换 %s（记录 %d）。"}
	txtRolledBackLine    = t{EN: "Rolled back (record %d): %s serves again the %d resource(s) %s had replaced.", ZH: "已回滚（记录 %d）：%s 重新在 %d 个曾被 %s 替换的资源上生效。"}
	txtRolloutFailedLine = t{EN: "%d of %d resource(s) failed (record %d).", ZH: "%d/%d 个资源失败（记录 %d）。"}
	txtRecordGoesOn      = t{EN: "Record %d goes on at Tencent. Follow it with: %s", ZH: "记录 %d 会在腾讯云上继续。可用此命令跟进：%s"}
	txtOtherUpdate       = t{EN: "Record %d, already running, puts another certificate in place of %s: wait for it to end (%s), then try again. Nothing was changed.", ZH: "记录 %d 已在运行，正用另一张证书替换 %s：请等待其结束（%s）后重试。未做任何更改。"}
	txtPutBack           = t{EN: "%s back", ZH: "已恢复 %s"}
	txtRolloutLater      = t{EN: "Record %d ended with %d resource(s) failed. Retry them later with: %s\nor put %s back with: %s", ZH: "记录 %d 已结束，%d 个资源失败。稍后可重试：%s\n或恢复 %s：%s"}
	txtStillLooking      = t{EN: "Tencent was still looking up where %s is served: nothing was changed. Try again later.", ZH: "腾讯云仍在查询 %s 的使用位置：未做任何更改。请稍后重试。"}
	txtOnlyReading       = t{EN: "Interrupted: certwiz was only reading, nothing was changed.", ZH: "已中断：certwiz 只是在读取，没有做任何更改。"}
	txtAfterRetries      = t{EN: " (after %d retry round(s))", ZH: "（已重试 %d 轮）"}
	txtIDMissing         = t{EN: "is missing: type the certificate's ID, e.g. abcb1234 (certwiz certs lists them)", ZH: "未填写：请输入证书 ID，如 abcb1234（certwiz certs 可列出）"}
	txtNotAnID           = t{EN: "%q is not a certificate ID: no spaces or control characters (certwiz certs lists them)", ZH: "%q 不是证书 ID：不能含空格或控制字符（certwiz certs 可列出）"}
	txtKeepRollingOut    = t{EN: "Do this at every renewal of %s too (saves rollout: true)", ZH: "之后每次续期 %s 时也这样做（保存 rollout: true）"}
	txtRollingOutSaved   = t{EN: "Saved rollout: true in %s: each renewal replaces the old certificate on these resources too.", ZH: "已在 %s 中保存 rollout: true：每次续期也会在这些资源上替换旧证书。"}
	txtNotReplaced       = t{EN: "Not replaced: nothing was changed.", ZH: "未替换：未做任何更改。"}
	txtRolloutAlsoYN     = t{EN: "Also replace an older certificate with it on Tencent Cloud resources (CLB, CDN…)? y/N", ZH: "同时在云资源（CLB、CDN…）上用它替换旧证书？y/N"}
	txtOldNotDeleted     = t{EN: "%s was not deleted.", ZH: "%s 未被删除。"}
)
