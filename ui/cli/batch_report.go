package cli

import (
	"fmt"
	"sync"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
)

// batchSummary prints the summary on stderr and returns the worst outcome's exit code.
func batchSummary(o *SubmitOptions, outcomes []rowOutcome, interrupted bool) error {
	lang := o.Language
	var ok, failed, skipped, invalid, notSent, earlier, unknown int
	var committed, commitFailed, notCommitted int
	lost := map[api.Fate]int{} // what reading the certificate showed after lost answers
	worst := api.ExitOK
	type failure struct{ label, title string }
	var order []failure
	codes := map[failure]int{}
	count := func(f failure) {
		if codes[f] == 0 {
			order = append(order, f)
		}
		codes[f]++
	}
	for _, oc := range outcomes {
		lost[oc.SubmitFate]++
		lost[oc.CommitFate]++
		switch {
		case oc.Skipped != "":
			skipped++
		case oc.Unknown != "":
			unknown++
		case len(oc.Problems) > 0:
			invalid++
		case oc.Err != nil:
			failed++
			count(failure{oc.Err.Code, oc.Err.Guide().Title.In(lang)})
		case oc.Result.RequestId != "":
			ok++
		case oc.SubmitSkipped != "":
			earlier++
		default:
			notSent++
		}
		if oc.Commit && oc.Skipped == "" && oc.Unknown == "" && len(oc.Problems) == 0 && oc.Err == nil {
			switch {
			case oc.CommitErr != nil:
				commitFailed++
				count(failure{say(lang, "commit ", "发送给 CA ") + oc.CommitErr.Code, oc.CommitErr.Guide().Title.In(lang)})
			case oc.CommitResult.RequestId != "":
				committed++
			case oc.submitted():
				notCommitted++
			}
		}
		worst = max(worst, oc.exitCode())
	}
	fmt.Fprintf(o.IO.Err, say(lang, "%d row(s): %d submitted, %d failed, %d invalid, %d skipped, %d not sent", "共 %d 行：%d 已提交，%d 失败，%d 无效，%d 跳过，%d 未发送"),
		len(outcomes), ok, failed, invalid, skipped, notSent)
	if earlier > 0 {
		fmt.Fprintf(o.IO.Err, say(lang, ", %d submitted earlier", "，%d 此前已提交"), earlier)
	}
	if unknown > 0 {
		fmt.Fprintf(o.IO.Err, say(lang, ", %d in flight earlier with outcome unknown (not sent again: check them, then --resend-unknown)", "，%d 之前发送中且结果未知（未再次发送：请检查后使用 --resend-unknown）"), unknown)
		worst = max(worst, api.ExitFailure)
	}
	fmt.Fprintln(o.IO.Err)
	if o.Commit {
		fmt.Fprintf(o.IO.Err, say(lang, "sent to the CA: %d committed, %d commit failed, %d submitted but not committed\n", "发送给 CA：%d 已发送，%d 失败，%d 已提交资料但未发送给 CA\n"),
			committed, commitFailed, notCommitted)
	}
	for _, f := range order {
		fmt.Fprintf(o.IO.Err, "  %s ×%d — %s\n", safe.Text(f.label), codes[f], f.title)
	}
	if n := lost[api.FateApplied] + lost[api.FateNotApplied] + lost[api.FateUnknown]; n > 0 {
		fmt.Fprintf(o.IO.Err, say(lang,
			"%d answer(s) lost, each reconciled by reading the certificate: %d confirmed (it happened), %d did not happen (--resume sends them again), %d unknown (check each with certwiz status ID; --resume does not send them again)\n",
			"%d 个应答丢失，均已读取证书核对：%d 已确认（已生效），%d 未生效（--resume 会重新发送），%d 未知（请用 certwiz status ID 逐个查看；--resume 不会重新发送）\n"),
			n, lost[api.FateApplied], lost[api.FateNotApplied], lost[api.FateUnknown])
	}
	if interrupted {
		if o.Commit {
			fmt.Fprintln(o.IO.Err, say(lang, "Interrupted: no new request was started; those in flight finished and are in the history. Rerun with --resume --commit to submit and commit the rest (rows submitted but not committed are committed only).",
				"已中断：没有再发起新请求；已发出的请求已完成并记入历史。使用 --resume --commit 重新运行以处理其余行（已提交资料但未发送给 CA 的行只发送给 CA）。"))
		} else {
			fmt.Fprintln(o.IO.Err, say(lang, "Interrupted: no new request was started; those in flight finished and are in the history. Rerun with --resume to send the rest.", "已中断：没有再发起新请求；已发出的请求已完成并记入历史。使用 --resume 重新运行以发送其余行。"))
		}
		worst = api.ExitInterrupted
	}
	if worst == api.ExitOK {
		return nil
	}
	return shown(worst)
}

// batchProgress shows how the batch goes: a progress bar on a terminal,
// plain lines otherwise, and with --json one object per row on stdout.
type batchProgress struct {
	o      *SubmitOptions
	sends  int
	mu     sync.Mutex
	bar    *batchBar
	runBar chan struct{}
}

func newBatchProgress(o *SubmitOptions, sends int) *batchProgress {
	return &batchProgress{o: o, sends: sends}
}

func (p *batchProgress) start(cancel func()) {
	if p.o.IO.InteractiveErr() {
		p.bar = newBatchBar(p.o.Language, p.sends, p.o.IO.In, p.o.IO.Err, cancel)
		p.runBar = make(chan struct{})
		go func() {
			p.bar.Run()
			close(p.runBar)
		}()
	}
}

func (p *batchProgress) row(oc rowOutcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lang := p.o.Language
	if p.o.JSON {
		obj := map[string]any{"Row": oc.Row}
		switch {
		case oc.Err != nil:
			obj = lostJSON(errorJSON(oc.Err, lang, p.o.rowLost(oc, false), nil), oc.SubmitFate)
			obj["Row"] = oc.Row
		case len(oc.Problems) > 0:
			obj["Error"] = map[string]string{"Code": api.CodeInvalid, "Message": oc.Problems.Error(), "Title": say(lang, "Invalid row", "无效的行"), "Hint": say(lang, "Fix the row and run again", "请修改该行后重新运行")}
			obj["RequestId"] = ""
			obj["Problems"] = problemsJSON(oc.Problems, lang)
		case oc.Skipped != "":
			obj["CertificateId"], obj["Skipped"] = oc.Request.CertificateId, oc.Skipped
		case oc.Unknown != "":
			obj["CertificateId"], obj["Unknown"] = oc.Request.CertificateId, oc.Unknown
		case oc.SubmitSkipped != "":
			obj["CertificateId"], obj["SubmitSkipped"] = oc.Request.CertificateId, oc.SubmitSkipped
		default:
			obj["CertificateId"], obj["RequestId"] = oc.Result.CertificateId, oc.Result.RequestId
			lostJSON(obj, oc.SubmitFate)
		}
		if oc.Commit && oc.submitted() && oc.Err == nil {
			switch {
			case oc.CommitErr != nil:
				obj["Commit"] = lostJSON(errorJSON(oc.CommitErr, lang, p.o.rowLost(oc, true), nil), oc.CommitFate)
			case oc.CommitNotSent:
				obj["Commit"] = map[string]string{"NotSent": say(lang, "interrupted before the commit started", "发送给 CA 前已中断")}
			default:
				obj["Commit"] = commitJSON(oc.CommitResult, nil, lang, false, oc.CommitFate)
			}
		}
		_ = writeJSONLine(p.o.IO.Out, obj)
	}
	line := fmt.Sprintf(say(lang, "row %d %s: ", "第 %d 行 %s："), oc.Row, oc.Request.CertificateId)
	switch {
	case oc.Err != nil:
		line += oc.Err.Code + " " + oc.Err.RequestId + said(p.o.rowLost(oc, false))
	case len(oc.Problems) > 0:
		line += say(lang, "invalid, not sent", "无效，未发送")
	case oc.Skipped != "":
		line += oc.Skipped
	case oc.Unknown != "":
		line += oc.Unknown
	case oc.SubmitSkipped != "":
		line += oc.SubmitSkipped
	default:
		line += "OK " + oc.Result.RequestId
		if oc.SubmitFate == api.FateApplied {
			line += " " + api.ConfirmedAfterLost(true).In(lang)
		}
	}
	if oc.Commit && oc.submitted() && oc.Err == nil {
		switch {
		case oc.CommitErr != nil:
			line += say(lang, "; commit ", "；发送给 CA ") + oc.CommitErr.Code + " " + oc.CommitErr.RequestId + said(p.o.rowLost(oc, true))
		case oc.CommitNotSent:
			line += say(lang, "; not committed (interrupted)", "；未发送给 CA（已中断）")
		default:
			line += fmt.Sprintf(say(lang, "; committed, CA order %s, %s", "；已发送给 CA，订单 %s，%s"), oc.CommitResult.OrderId, api.StatusText(oc.CommitResult.Status, "").In(lang))
			if oc.CommitFate == api.FateApplied {
				line += " " + api.ConfirmedAfterLost(false).In(lang)
			}
		}
	}
	line = safe.Text(line)
	if p.bar != nil {
		if oc.Skipped == "" && oc.Unknown == "" && len(oc.Problems) == 0 {
			p.bar.Done(oc.Err == nil && oc.CommitErr == nil, line)
		}
		return
	}
	fmt.Fprintln(p.o.IO.Err, line)
}

// rowLost says what reading the certificate showed after a row's lost
// answer (its commit's, or its submit's): api.Fate's finding, and what
// --resume does with it; "" when the answer came.
func (o *SubmitOptions) rowLost(oc rowOutcome, commit bool) string {
	lang, id, f := o.Language, oc.Request.CertificateId, oc.SubmitFate
	if commit {
		f = oc.CommitFate
	}
	hint := f.Finding(safe.Text(id), safe.Text(commandLine(o.Globals, "status", id)), !commit).In(lang)
	switch {
	case f != api.FateNotApplied:
	case commit:
		hint += say(lang, " Rerun with --resume --commit: it is committed again (only the commit).", "使用 --resume --commit 重新运行：只重新发送给 CA。")
	default:
		hint += say(lang, " Rerun with --resume: the row is sent again.", "使用 --resume 重新运行：该行会重新发送。")
	}
	return hint
}

// said is " — " and a hint, or nothing without one.
func said(hint string) string {
	if hint == "" {
		return ""
	}
	return " — " + hint
}

func (p *batchProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		<-p.runBar
	}
}
