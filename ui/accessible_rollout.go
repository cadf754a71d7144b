package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/ui/safe"
)

// accessibleRollout is "replace a certificate on Tencent Cloud resources"
// as plain prompts: OLD and NEW, the plan and y/N, one line per change of
// a resource while Tencent replaces, then what it did — or the failure,
// with retry, roll back, leave it. Input that ends changes nothing more.
func accessibleRollout(ctx context.Context, s *session, p *prompter, a *rolloutAnswers) (route, int, error) {
	lang := p.lang
	p.say("\n== %s ==", txtRolloutTitle.In(lang))
	for _, q := range []struct {
		label, hint t
		value       *string
	}{{txtRolloutOld, txtRolloutOldHint, &a.old}, {txtRolloutNew, txtRolloutNewHint, &a.new}} {
		for {
			prompt := q.label.In(lang) + " (" + q.hint.In(lang) + ")"
			if *q.value != "" {
				prompt += " [" + safe.Text(*q.value) + "]"
			}
			v, err := p.ask(prompt)
			if err != nil {
				return accessibleEnd(err)
			}
			if v = strings.TrimSpace(v); v == "" {
				v = *q.value
			}
			msg := badCertificateID(v, lang)
			if msg == "" && q.value == &a.new && v == a.old {
				msg = txtRolloutSame.In(lang)
			}
			if msg == "" {
				*q.value = v
				break
			}
			p.say("✗ %s", msg)
		}
	}
	p.say(txtRolloutPlanning.In(lang), a.old, a.new, a.old)
	plan, err := rollout.MakePlan(ctx, s.opts.Client, a.old, a.new, rollout.Filter{}, s.opts.WatchTencentEvery, time.Now().Add(lookupWait))
	if err != nil {
		return accessibleRolloutStopped(s, p, a, rolloutDone{err: err})
	}
	a.plan = plan
	lines := rolloutPlanLines(a, lang)
	p.say("%s", lines[0])
	for _, l := range lines[1:] {
		p.say("  • %s", l)
	}
	switch {
	case len(plan.Refusals) > 0:
		p.say("%s", txtRolloutRefused.In(lang))
		return nil, api.ExitRejected, nil
	case !plan.OK():
		return nil, api.ExitOK, nil
	}
	answer, err := p.ask(fmt.Sprintf(txtRolloutQ.In(lang), len(plan.Targets), a.new) + " y/N")
	if err != nil {
		return accessibleEnd(err)
	}
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "是" {
		p.say("%s", txtNotReplaced.In(lang))
		return nil, api.ExitOK, nil
	}
	step := stepReplace
	for {
		d := accessibleRolloutStep(ctx, s, p, a, step)
		if d.err != nil {
			return accessibleRolloutStopped(s, p, a, d)
		}
		if step == stepRollback {
			a.undo = &d.rec
		} else {
			a.rec = d.rec
		}
		rec := a.rec
		if a.undo != nil {
			rec = *a.undo
		}
		for _, l := range rolloutResourceLines(rec, lang, a.undo != nil) {
			p.say("%s", l)
		}
		if a.undo != nil || a.rec.Failed == 0 {
			p.say("%s", strings.TrimSuffix(s.rolloutSummary(a), "\n"))
			if a.undo != nil {
				return nil, api.ExitRejected, nil
			}
			return nil, api.ExitOK, nil
		}
		options := []string{txtRolloutRetry.In(lang)}
		steps := []rolloutStep{stepRetry}
		if a.rec.Success > 0 {
			options = append(options, fmt.Sprintf(txtRolloutRollback.In(lang), a.old, a.rec.Success))
			steps = append(steps, stepRollback)
		}
		options = append(options, txtRolloutLeave.In(lang))
		i, err := choose(p, fmt.Sprintf(txtRolloutFailedQ.In(lang), a.rec.Failed, len(a.rec.Resources)), options)
		if err != nil || i >= len(steps) {
			p.say("%s", s.laterLines(a, a.rec))
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, 0, err
			}
			return nil, api.ExitRejected, nil
		}
		step = steps[i]
	}
}

// accessibleRolloutStep runs one step, saying each resource's change.
func accessibleRolloutStep(ctx context.Context, s *session, p *prompter, a *rolloutAnswers, step rolloutStep) rolloutDone {
	lang := p.lang
	action := map[rolloutStep]string{stepReplace: api.ActionUpdate, stepRetry: api.ActionUpdateRetry, stepRollback: api.ActionUpdateRollback}[step]
	switch step {
	case stepRetry:
		p.say(txtRetrying.In(lang), a.rec.ID)
	case stepRollback:
		p.say(txtRollingBack.In(lang), a.old, a.new)
	default:
		p.say(txtRolloutAsking.In(lang), a.old, a.new)
	}
	attempt := s.rolloutIntent(a, action)
	last := map[uint64]int{}
	said := false
	d := s.rolloutJob(step, a, func(rec api.UpdateRecord) {
		if !said && step == stepReplace {
			said = true
			p.say(txtRolloutRunning.In(lang), a.old, a.new, rec.ID)
		}
		for _, res := range rec.Resources {
			if st, ok := last[res.DetailID]; ok && st == res.Status {
				continue
			}
			last[res.DetailID] = res.Status
			p.say("%s (%s): %s", rollout.Where(res.BoundResource), strings.Join(res.Names, ", "), rollout.StatusWord(res.Status).In(lang))
		}
	}).run(ctx)
	s.rolloutOutcome(a, attempt, action, d)
	return d
}

// accessibleRolloutStopped says why a step did not reach its end, with the
// command that follows the record again when there is one.
func accessibleRolloutStopped(s *session, p *prompter, a *rolloutAnswers, d rolloutDone) (route, int, error) {
	p.say("✗ %s", txtRolloutStopped.In(p.lang))
	for _, l := range s.stoppedLines(a, d, d.rec.ID == 0 && a.rec.ID == 0) {
		p.say("%s", l)
	}
	s.finalErr = "" // said here
	return nil, s.exit, nil
}

// accessibleEnd ends on input that ended (nothing more is changed) or on
// an error.
func accessibleEnd(err error) (route, int, error) {
	if errors.Is(err, io.EOF) {
		return nil, api.ExitOK, nil
	}
	return nil, 0, err
}
