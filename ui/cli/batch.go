package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui"
)

// batchRow is one CSV row: its line in the file and its parameters.
type batchRow struct {
	Row  int // 1 = the first data row
	Line int
	Req  api.Request
}

// readBatch reads a CSV whose header names API parameters; DomainList
// cells separate names with ';'. Empty cells inherit from the template.
func readBatch(path string, stdin io.Reader) ([]batchRow, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open batch %s: %w", path, err)
		}
		defer f.Close()
		r = f
	}
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("batch %s: read the header: %w", path, err)
	}
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")) // a BOM from spreadsheet exports
		header[i] = name
		if _, ok := api.Lookup(name); !ok {
			return nil, fmt.Errorf("batch %s: column %d: %w", path, i+1, &api.UnknownParamError{Name: name, Suggest: api.Suggest(name)})
		}
	}
	var rows []batchRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("batch %s: %w", path, err)
		}
		line, _ := cr.FieldPos(0)
		row := batchRow{Row: len(rows) + 1, Line: line}
		for i, cell := range rec {
			if cell = strings.TrimSpace(cell); cell == "" {
				continue
			}
			if header[i] == "DomainList" {
				cell = strings.ReplaceAll(cell, ";", ",")
			}
			_ = row.Req.Set(header[i], cell)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("batch %s has a header but no rows", path)
	}
	return rows, nil
}

// rowOutcome is what became of one row.
type rowOutcome struct {
	Row      int
	Line     int
	Request  api.Request
	Result   api.Result
	Err      *api.Error
	Skipped  string // why the row was not sent
	Problems api.Problems
}

func (r rowOutcome) exitCode() int {
	switch {
	case r.Err != nil:
		return r.Err.ExitCode()
	case len(r.Problems) > 0:
		return api.ExitInput
	}
	return api.ExitOK
}

// runBatch validates every row, then submits the valid ones at the pacer's
// rate with enough requests in flight to keep that rate when the service is
// slow. An interrupt stops new requests; those in flight finish and are
// recorded, so --resume sends each row exactly once in total.
func runBatch(ctx context.Context, o *SubmitOptions, base api.Request, creds found, endpoint string) error {
	lang := o.Language
	rows, err := readBatch(o.Batch, o.IO.In)
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
		outcomes[i] = rowOutcome{Row: row.Row, Line: row.Line, Request: req.Normalized(), Problems: ps}
		for _, p := range ps {
			invalid = append(invalid, fmt.Sprintf(say(lang, "row %d (line %d): %s", "第 %d 行（文件第 %d 行）：%s"), row.Row, row.Line, p.Message(lang)))
		}
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
	hist, herr := o.history()
	if herr != nil {
		o.warn([]string{"history not available: " + herr.Error()})
	}
	if o.Resume {
		done := succeeded(hist, client.Endpoint().String())
		for i := range outcomes {
			if done[outcomes[i].Request.CertificateId] {
				outcomes[i].Skipped = say(lang, "already submitted (--resume)", "已提交过（--resume）")
			}
		}
	}
	var todo []int
	for i, oc := range outcomes {
		if len(oc.Problems) == 0 && oc.Skipped == "" {
			todo = append(todo, i)
		}
	}
	o.warn(creds.Warnings)
	fmt.Fprintf(o.IO.Err, say(lang, "Batch: %d row(s) to submit to %s, at most %d per second\n%s: %s\n", "批量：%d 行将提交到 %s，每秒最多 %d 个\n%s：%s\n"),
		len(todo), client.Endpoint(), o.Rate, say(lang, "Credentials", "密钥"), creds)

	progress := newBatchProgress(o, len(todo))
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	progress.start(stop)
	for _, oc := range outcomes {
		if oc.Skipped != "" || len(oc.Problems) > 0 {
			progress.row(oc)
		}
	}
	submitRows(runCtx, client, outcomes, todo, o.Rate, func(i int) {
		oc := outcomes[i]
		recordBatch(hist, o.Profile, client.Endpoint().String(), oc)
		progress.row(oc)
	})
	interrupted := runCtx.Err() != nil
	progress.finish()
	return batchSummary(o, outcomes, interrupted)
}

// submitRows sends rows with up to rate requests in flight; the client's
// pacer holds starts to the rate. Once ctx ends no new request starts, and
// those already started finish on their own context.
func submitRows(ctx context.Context, client *api.Client, outcomes []rowOutcome, todo []int, rate int, done func(int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range min(max(rate, 1), max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				res, err := client.Submit(api.StopStarting(ctx, ctx), outcomes[i].Request)
				mu.Lock()
				var e *api.Error
				switch {
				case err == nil:
					outcomes[i].Result = res
				case errors.As(err, &e) && e.Code == api.CodeCanceled:
					// Stopped before it started: it was never sent.
				case errors.As(err, &e):
					outcomes[i].Err = e
				default:
					outcomes[i].Err = &api.Error{Code: api.CodeNetwork, Message: err.Error(), Err: err}
				}
				if outcomes[i].Err != nil || outcomes[i].Result.RequestId != "" {
					done(i)
				}
				mu.Unlock()
			}
		}()
	}
	for _, i := range todo {
		select {
		case work <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
}

// succeeded lists the CertificateIds the history shows as submitted to endpoint.
func succeeded(h *profiles.History, endpoint string) map[string]bool {
	done := map[string]bool{}
	if h == nil {
		return done
	}
	recs, err := h.Read()
	if err != nil {
		return done
	}
	for _, r := range recs {
		if r.Outcome == profiles.OutcomeOK && r.Endpoint == endpoint {
			done[r.CertificateId] = true
		}
	}
	return done
}

func recordBatch(h *profiles.History, profile, endpoint string, oc rowOutcome) {
	if h == nil {
		return
	}
	rec := profiles.Record{Time: time.Now().UTC(), Profile: profile, CertificateId: oc.Request.CertificateId,
		RequestId: oc.Result.RequestId, Outcome: profiles.OutcomeOK, Endpoint: endpoint}
	if oc.Err != nil {
		rec.Outcome, rec.RequestId = oc.Err.Code, oc.Err.RequestId
	}
	_ = h.Append(rec)
}

// batchSummary prints the summary on stderr and returns the worst outcome's exit code.
func batchSummary(o *SubmitOptions, outcomes []rowOutcome, interrupted bool) error {
	lang := o.Language
	var ok, failed, skipped, invalid, notSent int
	worst := api.ExitOK
	codes := map[string]int{}
	for _, oc := range outcomes {
		switch {
		case oc.Skipped != "":
			skipped++
		case len(oc.Problems) > 0:
			invalid++
		case oc.Err != nil:
			failed++
			codes[oc.Err.Code]++
		case oc.Result.RequestId != "":
			ok++
		default:
			notSent++
		}
		worst = max(worst, oc.exitCode())
	}
	fmt.Fprintf(o.IO.Err, say(lang, "%d row(s): %d submitted, %d failed, %d invalid, %d skipped, %d not sent\n", "共 %d 行：%d 已提交，%d 失败，%d 无效，%d 跳过，%d 未发送\n"),
		len(outcomes), ok, failed, invalid, skipped, notSent)
	for code, n := range codes {
		gd, _ := api.Explain(code)
		fmt.Fprintf(o.IO.Err, "  %s ×%d — %s\n", code, n, gd.Title.In(lang))
	}
	if interrupted {
		fmt.Fprintln(o.IO.Err, say(lang, "Interrupted: no new request was started; those in flight finished and are in the history. Rerun with --resume to send the rest.", "已中断：没有再发起新请求；已发出的请求已完成并记入历史。使用 --resume 重新运行以发送其余行。"))
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
	bar    *ui.BatchProgress
	runBar chan struct{}
}

func newBatchProgress(o *SubmitOptions, sends int) *batchProgress {
	return &batchProgress{o: o, sends: sends}
}

func (p *batchProgress) start(cancel func()) {
	if p.o.IO.InteractiveErr() {
		p.bar = ui.NewBatchProgress(p.o.Language, p.sends, p.o.IO.In, p.o.IO.Err, cancel)
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
			gd := oc.Err.Guide()
			obj["Error"] = map[string]string{"Code": oc.Err.Code, "Message": oc.Err.Message, "Title": gd.Title.In(lang), "Hint": oc.Err.Hint(lang)}
			obj["RequestId"] = oc.Err.RequestId
		case len(oc.Problems) > 0:
			obj["Error"] = map[string]string{"Code": api.CodeInvalid, "Message": oc.Problems.Error(), "Title": say(lang, "Invalid row", "无效的行"), "Hint": say(lang, "Fix the row and run again", "请修改该行后重新运行")}
			obj["RequestId"] = ""
			obj["Problems"] = problemsJSON(oc.Problems, lang)
		case oc.Skipped != "":
			obj["CertificateId"], obj["Skipped"] = oc.Request.CertificateId, oc.Skipped
		default:
			obj["CertificateId"], obj["RequestId"] = oc.Result.CertificateId, oc.Result.RequestId
		}
		_ = writeJSONLine(p.o.IO.Out, obj)
	}
	line := fmt.Sprintf(say(lang, "row %d %s: ", "第 %d 行 %s："), oc.Row, oc.Request.CertificateId)
	switch {
	case oc.Err != nil:
		line += oc.Err.Code + " " + oc.Err.RequestId
	case len(oc.Problems) > 0:
		line += say(lang, "invalid, not sent", "无效，未发送")
	case oc.Skipped != "":
		line += oc.Skipped
	default:
		line += "OK " + oc.Result.RequestId
	}
	if p.bar != nil {
		if oc.Skipped == "" && len(oc.Problems) == 0 {
			p.bar.Done(oc.Err == nil, line)
		}
		return
	}
	fmt.Fprintln(p.o.IO.Err, line)
}

func (p *batchProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		<-p.runBar
	}
}
