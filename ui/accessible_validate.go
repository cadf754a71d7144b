package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
)

// accessibleValidation is the validation screen as plain prompts: the
// records and checks as lines, checked again when the next check is due
// (as the screen does) or at once on Enter, q to leave; once issued, the
// folder to download to (nil route: the session ends with the code).
func accessibleValidation(ctx context.Context, s *session, p *prompter, id string) (route, int, error) {
	w := watch.New(s.watchOptions(id))
	force := false
	for {
		p.say("%s", txtChecking.In(p.lang))
		snap, err := w.Step(ctx, force)
		next := time.Now().Add(s.retryAfter())
		if err != nil {
			p.say("%s", errorTitle(s, err))
		} else {
			p.say("%s", plainSnapshot(snap, p.lang))
			switch {
			case snap.Issued:
				return toDownload{d: snap.Detail}, 0, nil
			case snap.Failed:
				return nil, api.ExitRejected, nil
			}
			next = snap.Next()
			p.say(txtNextCheck.In(p.lang), time.Until(next).Round(time.Second))
		}
		// The answer is read in the background, so the due check is made
		// without one; a line typed meanwhile is kept for this prompt.
		fmt.Fprint(p.out, promptLine(txtAgainOrQuit.In(p.lang)))
		timer := time.NewTimer(max(time.Until(next), 0))
		select {
		case r := <-p.lineSoon():
			timer.Stop()
			p.took()
			if a := strings.ToLower(strings.TrimSpace(r.line)); errors.Is(r.err, io.EOF) || a == "q" || a == "quit" {
				p.say("%s", strings.TrimSuffix(s.watchLater(id, snap.Detail.Domain), "\n"))
				return nil, 0, nil
			} else if r.err != nil {
				return nil, 0, r.err
			}
			force = true
		case <-timer.C:
			p.say("")
			force = false
		case <-ctx.Done():
			timer.Stop()
			return nil, 0, ctx.Err()
		}
	}
}

// plainSnapshot is a watch round as plain lines.
func plainSnapshot(snap watch.Snapshot, lang string) string {
	d := snap.Detail
	c := colon(lang)
	lines := []string{txtStatus.In(lang) + c + d.Words(lang)}
	if d.OrderId != "" {
		lines = append(lines, txtOrder.In(lang)+c+safe.Text(d.OrderId))
	}
	if d.DVAuthDeadline != "" {
		lines = append(lines, txtDeadline.In(lang)+c+fmt.Sprintf(txtBeijing.In(lang), safe.Text(d.DVAuthDeadline)))
	}
	if snap.Why.EN != "" {
		lines = append(lines, termtext.Why(snap, lang))
	}
	if how := howTo(snap, lang); len(snap.Records) > 0 && how != "" {
		lines = append(lines, how)
	}
	items := copyItems(snap, lang)
	for i, r := range snap.Records {
		lines = append(lines, fmt.Sprintf("%d. %s — %s", i+1, safe.Text(recordDomain(r)), kindWords(r.Type, lang)))
		for _, it := range items {
			if it.rec == i {
				lines = append(lines, "   "+it.label+c+safe.Text(it.value))
			}
		}
		if snap.Issued {
			continue // no check is made once issued: none to report
		}
		here, tencent := checkLabels(snap.TencentAt, lang)
		lines = append(lines, "   "+here+c+localWords(r, lang), "   "+tencent+c+tencentWords(r.Tencent, lang))
	}
	return strings.Join(lines, "\n")
}

// accessibleDownload asks for the folder and unpacks the certificate,
// then offers to install it here (the route to its questions, or nil:
// the session ends with the code).
func accessibleDownload(ctx context.Context, s *session, p *prompter, d api.CertificateDetail) (route, int, error) {
	p.say("%s", fmt.Sprintf(txtIssued.In(p.lang), safe.Text(d.Domain)))
	def := install.DefaultFolder(d.Domain)
	question := txtSaveIn.In(p.lang)
	if def != "" {
		question += " [" + def + "]"
	}
	for {
		a, err := p.ask(question)
		if errors.Is(err, io.EOF) {
			p.say(txtDownloadLater.In(p.lang), s.commandLine("download", d.CertificateId, "--out", install.OutArg(d.Domain)))
			return nil, 0, nil
		} else if err != nil {
			return nil, 0, err
		}
		dir := strings.TrimSpace(a)
		if dir == "" {
			dir = def
		}
		if dir == "" {
			p.say("%s", txtSaveInEmpty.In(p.lang))
			continue
		}
		keys := func() ([]install.KnownKey, error) { return s.keysFor(d.CertificateId) }
		names := func() ([]string, error) { return d.Names(), nil }
		res, err := install.InstallCertificate(ctx, s.opts.Client, d.CertificateId, expandHome(dir), names, keys, p.lang)
		if err != nil {
			p.say("%s", errorTitle(s, err))
			if outcome(err) != nil {
				return nil, outcome(err).ExitCode(), nil
			}
			continue // the folder holds one of the files: ask again
		}
		notNeeded, ferr := forgetOthers(s.opts.Store, d.CertificateId, res.Key, s.opts.Now())
		if ferr != nil {
			p.say(txtNotForgotten.In(p.lang), ferr)
		}
		p.say("%s", strings.TrimSuffix(installedSummary(res, p.lang, notNeeded...), "\n"))
		s.done = true
		if !offersInstall(s, res) {
			return nil, 0, nil
		}
		return accessibleOfferInstall(s, p, s.installAnswers(d, res)), 0, nil
	}
}

// accessibleValidPick lists the certificates in validation, as the
// wizard's picker does, and leads to the one chosen.
func accessibleValidPick(ctx context.Context, s *session, p *prompter) (route, int, error) {
	certs, _, err := s.opts.Client.ListCertificates(ctx, api.CertificateQuery{Statuses: validatingStatuses}, 100)
	if err != nil {
		p.say("%s", errorTitle(s, err))
	}
	opts := validatingOptions(certs, sentToCA(s.opts.History, s.opts.Endpoint), p.lang)
	if len(opts) == 0 {
		p.say("%s", txtNoValidating.In(p.lang))
		if err != nil {
			return nil, outcome(err).ExitCode(), nil
		}
		return nil, 0, nil
	}
	labels := labelsOf(opts)
	i, err := choose(p, txtPickValidating.In(p.lang), labels)
	if err != nil {
		return nil, 0, err
	}
	return toValidation{id: opts[i].value}, 0, nil
}
