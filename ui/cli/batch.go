package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
)

// rowOutcome is what became of one row.
type rowOutcome struct {
	Row     int
	Line    int
	Request api.Request
	Result  api.Result
	Err     *api.Error
	Skipped string // why the row was not sent at all
	// Unknown says why a row an earlier run left in flight (an intent and
	// no outcome in the history) is not sent again.
	Unknown  string
	Problems api.Problems
	// With --commit:
	Commit        bool   // the row is to be committed after its submit
	SubmitSkipped string // --resume: submitted earlier, so only committed now
	CommitResult  api.CommitResult
	CommitErr     *api.Error
	CommitNotSent bool // submitted, but interrupted before the commit started
	// What reading the certificate showed when a request's answer was
	// lost (api.FateAnswered when it came).
	SubmitFate, CommitFate api.Fate
}

func (r rowOutcome) exitCode() int {
	switch {
	case r.Err != nil:
		return r.Err.ExitCode()
	case len(r.Problems) > 0:
		return api.ExitInput
	case r.CommitErr != nil:
		return r.CommitErr.ExitCode()
	}
	return api.ExitOK
}

// submitted reports whether the row's submit succeeded, now or earlier.
func (r rowOutcome) submitted() bool { return r.Result.RequestId != "" || r.SubmitSkipped != "" }

// runBatch validates every row, then submits the valid ones (and with
// --commit commits each accepted one right after) at the pacer's rate —
// one pacer for every call of the batch, so submits and commits together
// never start more than --rate in any rolling second — with enough
// requests in flight to keep that rate when the service is slow. An
// interrupt stops new requests; those in flight finish and are recorded,
// so --resume sends each row's submit and commit exactly once in total.
func runBatch(ctx context.Context, o *SubmitOptions, base api.Request, creds found, endpoint string) error {
	lang := o.Language
	rows, err := readBatch(ctx, o.Batch, o.IO.In)
	if readInterrupted(err) {
		return interruptedReading(o.Globals)
	}
	if err != nil {
		return o.fail(&api.Error{Code: api.CodeInvalid, Message: err.Error()}, nil)
	}
	mode := api.Complete
	if o.Partial {
		mode = api.Partial
	}
	outcomes := make([]rowOutcome, len(rows))
	seen := map[string]int{}
	var invalid []string
	for i, row := range rows {
		req := base
		req.Merge(row.Req)
		ps := api.Validate(req, mode)
		if first, dup := seen[req.CertificateId]; dup && req.CertificateId != "" {
			ps = append(ps, api.Problem{Param: "CertificateId", Step: api.StepCertificate,
				What: api.Text{EN: fmt.Sprintf("%s is also in row %d", req.CertificateId, first), ZH: fmt.Sprintf("%s 与第 %d 行重复", req.CertificateId, first)},
				Fix:  api.Text{EN: "Submit each certificate once", ZH: "每个证书只提交一次"}})
		}
		seen[req.CertificateId] = row.Row
		outcomes[i] = rowOutcome{Row: row.Row, Line: row.Line, Request: req.Normalized(), Problems: ps, Commit: o.Commit}
		for _, p := range ps {
			invalid = append(invalid, fmt.Sprintf(say(lang, "row %d (line %d): %s", "第 %d 行（文件第 %d 行）：%s"), row.Row, row.Line, p.Message(lang)))
		}
		rows[i].Req = req
	}
	if len(invalid) > 0 && !o.SkipInvalid {
		msg := fmt.Sprintf("%d problem(s) in %s; nothing was sent (--skip-invalid sends the valid rows):\n  %s", len(invalid), o.Batch, strings.Join(invalid, "\n  "))
		if api.IsChinese(lang) {
			msg = fmt.Sprintf("%s 中有 %d 个问题，未发送任何请求（--skip-invalid 可只发送有效的行）：\n  %s", o.Batch, len(invalid), strings.Join(invalid, "\n  "))
		}
		return o.fail(&api.Error{Code: api.CodeInvalid, Message: msg}, nil)
	}
	if creds.Source == "" {
		return o.fail(creds.err, nil)
	}
	client, err := o.newClient(creds.Credentials, endpoint, o.Rate)
	if err != nil {
		return err
	}
	ep := client.Endpoint().String()
	var unknown, resent []string
	if o.Resume {
		recs, herr := o.rec.read()
		if herr != nil {
			return o.fail(&api.Error{Code: api.CodeInvalid, Message: fmt.Sprintf(say(lang,
				"--resume needs the history, which cannot be read: %v; nothing was sent", "--resume 需要历史记录，但无法读取：%v；未发送任何请求"), herr)}, nil)
		}
		done := doneBefore(recs, ep)
		for i := range outcomes {
			oc := &outcomes[i]
			if len(oc.Problems) > 0 {
				continue
			}
			st := done[oc.Request.CertificateId]
			var inFlight *profiles.Record // the earlier request whose fate is unknown
			switch {
			case o.Commit && st.committed:
				oc.Skipped = say(lang, "already submitted and committed (--resume)", "已提交并已发送给 CA（--resume）")
			case o.Commit && st.submitted:
				oc.SubmitSkipped = say(lang, "already submitted (--resume): committing only", "已提交过（--resume）：只发送给 CA")
				inFlight = st.commitUnknown
			case st.submitted:
				oc.Skipped = say(lang, "already submitted (--resume)", "已提交过（--resume）")
			default:
				inFlight = st.submitUnknown
			}
			if inFlight == nil {
				continue
			}
			what := inFlightWords(*inFlight, lang)
			line := fmt.Sprintf(say(lang, "row %d %s: %s", "第 %d 行 %s：%s"), oc.Row, oc.Request.CertificateId, what)
			if o.ResendUnknown {
				resent = append(resent, line)
				continue
			}
			unknown = append(unknown, line)
			oc.Unknown = what + say(lang, ": not sent again (--resend-unknown sends it)", "：不再发送（--resend-unknown 可重新发送）")
		}
	}
	var todo []int
	commitOnly := 0
	for i, oc := range outcomes {
		if len(oc.Problems) == 0 && oc.Skipped == "" && oc.Unknown == "" {
			todo = append(todo, i)
			if oc.SubmitSkipped != "" {
				commitOnly++
			}
		}
	}
	o.warn(creds.Warnings)
	lookalike := map[string]bool{}
	for i, oc := range outcomes {
		if len(oc.Problems) == 0 {
			o.warnings(rows[i].Req, fmt.Sprintf(say(lang, "row %d: ", "第 %d 行："), oc.Row), lookalike)
		}
	}
	o.rateNote()
	if o.Commit {
		fmt.Fprintf(o.IO.Err, say(lang, "Batch: %d row(s) to submit and commit, %d to commit only (submitted earlier), to %s; at most %d calls per second\n",
			"批量：%d 行将提交资料并发送给 CA，%d 行只发送给 CA（此前已提交资料），接入点 %s；每秒最多 %d 个请求\n"),
			len(todo)-commitOnly, commitOnly, client.Endpoint(), o.Rate)
	} else {
		fmt.Fprintf(o.IO.Err, say(lang, "Batch: %d row(s) to submit to %s, at most %d per second\n", "批量：%d 行将提交到 %s，每秒最多 %d 个\n"),
			len(todo), client.Endpoint(), o.Rate)
	}
	fmt.Fprintf(o.IO.Err, "%s: %s\n", say(lang, "Credentials", "密钥"), creds.In(lang))
	if len(unknown) > 0 {
		o.warn([]string{fmt.Sprintf(say(lang,
			"%d row(s) were in flight when an earlier run stopped (killed, or its outcome could not be written): the service may or may not have them, and they are NOT sent again:\n  %s\nCheck each with certwiz certs --status all --search ID; --resume --resend-unknown sends them again.",
			"%d 行在之前的运行停止时仍在发送中（进程被终止，或结果未能写入）：服务可能已收到，也可能没有；这些行不会再次发送：\n  %s\n请用 certwiz certs --status all --search ID 逐个查看；--resume --resend-unknown 会重新发送它们。"),
			len(unknown), strings.Join(unknown, "\n  "))})
	}
	if len(resent) > 0 {
		o.warn([]string{fmt.Sprintf(say(lang,
			"%d row(s) were in flight when an earlier run stopped, outcome unknown; --resend-unknown sends them again:\n  %s",
			"%d 行在之前的运行停止时仍在发送中，结果未知；--resend-unknown 将重新发送：\n  %s"), len(resent), strings.Join(resent, "\n  "))})
	}

	progress := newBatchProgress(o, len(todo))
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	progress.start(stop)
	o.rec.mu.Lock()
	o.rec.hold = progress.bar != nil
	o.rec.mu.Unlock()
	for _, oc := range outcomes {
		if oc.Skipped != "" || oc.Unknown != "" || len(oc.Problems) > 0 {
			progress.row(oc)
		}
	}
	batch := o.Batch
	if abs, err := filepath.Abs(batch); err == nil && batch != "-" {
		batch = abs
	}
	record := func(i int, commit bool) profiles.Record {
		oc := outcomes[i]
		var rec profiles.Record
		if commit {
			rec = commitRecord(o.Profile, oc.Request.CertificateId, ep, oc.CommitResult, errOrNil(oc.CommitErr))
		} else {
			rec = submitRecord(o.Profile, oc.Request, ep, oc.Result, errOrNil(oc.Err))
		}
		rec.Row, rec.Batch = oc.Row, batch
		return rec
	}
	hist := batchHistory{
		intent: func(i int, commit bool) string { return o.rec.intent(record(i, commit)) },
		outcome: func(i int, commit bool, attempt string, sent bool) {
			rec := record(i, commit)
			if !sent {
				rec.SetOutcome(profiles.OutcomeNotSent)
				rec.RequestId = ""
				o.rec.outcome(rec, attempt)
				return
			}
			f := outcomes[i].SubmitFate
			if commit {
				f = outcomes[i].CommitFate
			}
			o.rec.reconciled(rec, attempt, f)
		},
	}
	sendRows(runCtx, client, outcomes, todo, o.Rate, hist, func(i int) { progress.row(outcomes[i]) })
	interrupted := runCtx.Err() != nil
	progress.finish()
	o.rec.mu.Lock()
	o.rec.hold = false
	o.rec.mu.Unlock()
	return batchSummary(o, outcomes, interrupted)
}

// inFlightWords says which request of a row an earlier run left in flight.
func inFlightWords(r profiles.Record, lang string) string {
	what := say(lang, "its submit", "提交资料")
	if r.Action == api.ActionCommit {
		what = say(lang, "its commit", "发送给 CA")
	}
	return fmt.Sprintf(say(lang, "%s was in flight at %s, outcome unknown", "%s 于 %s 发出，结果未知"), what, r.Time.Local().Format("2006-01-02 15:04:05"))
}

// errOrNil keeps a nil *api.Error a nil error.
func errOrNil(e *api.Error) error {
	if e == nil {
		return nil
	}
	return e
}

// batchHistory records a batch's calls: intent returns the attempt its
// outcome carries; sent is false for a call stopped before it left.
type batchHistory struct {
	intent  func(i int, commit bool) string
	outcome func(i int, commit bool, attempt string, sent bool)
}

// sendRows sends rows with up to rate requests in flight. One dispatcher
// hands out the calls in order, at most rate starting in any rolling
// second (a pacer only it waits on), so no call waits long for its turn —
// its timeout runs while it waits — and the client's own pacer, at the
// same rate, finds them already spaced. A row with Commit set is committed
// right after its submit is accepted (its commit goes before the next
// row), or only committed when it was submitted earlier. Once ctx ends no
// new request starts, and those already started finish on their own
// context. Each call's intent is recorded before it starts and its outcome
// after it (NOT-SENT when stopped before it left); done is called once per
// row that sent anything, under the lock the outcomes are written under.
func sendRows(ctx context.Context, client *api.Client, outcomes []rowOutcome, todo []int, rate int, hist batchHistory, done func(int)) {
	type call struct {
		i      int
		commit bool
	}
	calls := make(chan call)
	follow := make(chan call, len(todo)) // a submitted row: whether its commit is due
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(max(rate, 1), max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range calls {
				oc := &outcomes[c.i]
				attempt := hist.intent(c.i, c.commit)
				record := func(sent bool) { hist.outcome(c.i, c.commit, attempt, sent) }
				if c.commit {
					commitRow(ctx, client, oc, &mu, record, func() { done(c.i) })
					continue
				}
				due := submitRow(ctx, client, oc, &mu, record, func() { done(c.i) })
				if oc.Commit {
					follow <- call{c.i, due}
				}
			}
		}()
	}

	gate := api.NewPacer(rate)
	var queue []int // commits due, sent before further submits
	awaiting, next := 0, 0
	take := func(f call) {
		awaiting--
		if f.commit {
			queue = append(queue, f.i)
		}
	}
dispatch:
	for ctx.Err() == nil {
		for drained := false; !drained; {
			select {
			case f := <-follow:
				take(f)
			default:
				drained = true
			}
		}
		var c call
		switch {
		case len(queue) > 0:
			c, queue = call{queue[0], true}, queue[1:]
		case next < len(todo):
			i := todo[next]
			c = call{i, outcomes[i].SubmitSkipped != ""}
			next++
		case awaiting > 0:
			select {
			case f := <-follow:
				take(f)
			case <-ctx.Done():
			}
			continue
		default:
			break dispatch
		}
		if gate.Wait(ctx) != nil {
			queue = append(queue, c.i) // for the accounting below
			break
		}
		select {
		case calls <- c:
			if !c.commit && outcomes[c.i].Commit {
				awaiting++
			}
		case <-ctx.Done():
			queue = append(queue, c.i)
		}
	}
	close(calls)
	wg.Wait()
	// Interrupted: rows submitted whose commit never started are reported.
	close(follow)
	for f := range follow {
		if f.commit {
			queue = append(queue, f.i)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, i := range queue {
		if oc := &outcomes[i]; oc.Commit && oc.Result.RequestId != "" && oc.CommitResult.RequestId == "" && oc.CommitErr == nil {
			oc.CommitNotSent = true
			done(i)
		}
	}
}

// submitRow submits one row and reports whether its commit is due (the
// submit was accepted and the row is to be committed); a row whose story
// ends here is reported. A lost answer is reconciled as everywhere
// (api.Client.SubmitFate) before anything is said of the row.
func submitRow(ctx context.Context, client *api.Client, oc *rowOutcome, mu *sync.Mutex, record func(sent bool), done func()) bool {
	ctx = api.StopStarting(ctx, ctx)
	res, err := client.Submit(ctx, oc.Request)
	f := api.FateAnswered
	if !canceled(err) {
		res, f, err = client.SubmitFate(ctx, oc.Request, res, err)
	}
	mu.Lock()
	defer mu.Unlock()
	oc.SubmitFate = f
	switch e := asAPIError(err); {
	case err == nil:
		oc.Result = res
	case e.Code == api.CodeCanceled:
		record(false)
		return false // stopped before it started: it was never sent
	default:
		oc.Err = e
	}
	record(true)
	if oc.Err != nil || !oc.Commit {
		done()
		return false
	}
	return true
}

// commitRow commits a submitted row and reports it. A lost answer is
// reconciled as everywhere (api.Client.CommitFate) before anything is said
// of the row.
func commitRow(ctx context.Context, client *api.Client, oc *rowOutcome, mu *sync.Mutex, record func(sent bool), done func()) {
	ctx = api.StopStarting(ctx, ctx)
	id := oc.Request.CertificateId
	res, err := client.Commit(ctx, id, oc.Request.VerifyType)
	f := api.FateAnswered
	if !canceled(err) {
		res, f, err = client.CommitFate(ctx, id, res, err)
	}
	mu.Lock()
	defer mu.Unlock()
	oc.CommitFate = f
	switch e := asAPIError(err); {
	case err == nil:
		oc.CommitResult = res
	case e.Code == api.CodeCanceled:
		record(false)
		oc.CommitNotSent = true
		if oc.SubmitSkipped == "" {
			done() // its submit was sent: report the row
		}
		return
	default:
		oc.CommitErr = e
	}
	record(true)
	done()
}

// canceled reports a request a batch's stop kept from starting
// (api.StopStarting): it never left, so there is nothing to reconcile.
func canceled(err error) bool {
	e := asAPIError(err)
	return e != nil && e.Code == api.CodeCanceled
}

// asAPIError makes any failure an *api.Error (nil stays nil).
func asAPIError(err error) *api.Error {
	if err == nil {
		return nil
	}
	var e *api.Error
	if errors.As(err, &e) {
		return e
	}
	var ps api.Problems
	if errors.As(err, &ps) {
		// Refused here, before anything was sent.
		return &api.Error{Code: api.CodeInvalid, Message: ps.Error(), Err: err}
	}
	return &api.Error{Code: api.CodeNetwork, Message: err.Error(), Err: err}
}

// rowState is what the history says of a certificate at one endpoint:
// submitted, committed, and the requests an earlier run left in flight
// (an intent and no outcome), nil when none.
type rowState struct {
	submitted, committed         bool
	submitUnknown, commitUnknown *profiles.Record
}

// doneBefore reads from the history which CertificateIds were submitted to
// endpoint, which committed there, and which had a request in flight when
// an earlier run stopped.
func doneBefore(recs []profiles.Record, endpoint string) map[string]rowState {
	done := map[string]rowState{}
	for _, r := range recs {
		if r.Endpoint != endpoint {
			continue
		}
		st := done[r.CertificateId]
		// A commit that was accepted implies its submission was.
		if o := r.Result(); o.Code == profiles.OutcomeOK {
			st.submitted = true
			st.committed = st.committed || o.Commit
		}
		done[r.CertificateId] = st
	}
	for _, r := range profiles.Unresolved(recs) {
		if r.Endpoint != endpoint {
			continue
		}
		st := done[r.CertificateId]
		switch {
		case r.Action == api.ActionCommit && !st.committed:
			st.commitUnknown = &r
		case r.Action != api.ActionCommit && !st.submitted:
			st.submitUnknown = &r
		}
		done[r.CertificateId] = st
	}
	return done
}
