package api

import (
	"context"
	"sync"
	"time"
)

// paceGuard widens the rolling second the pacer keeps to: requests that left
// here a second apart can arrive closer together at the service (network
// and scheduling jitter), and the service counts arrivals.
const paceGuard = 50 * time.Millisecond

// Pacer lets at most rate requests start in any rolling second (widened by
// a small guard), and spaces them evenly rather than in bursts, which keeps
// their arrivals apart too. Every HTTP request the client makes — retries
// included — waits on it first. Waiters are served in arrival order: each
// reserves the next free slot at once, so none can be overtaken again and
// again until its timeout runs out.
type Pacer struct {
	mu     sync.Mutex
	rate   int
	window time.Duration
	gap    time.Duration
	starts []time.Time // the last rate slots handed out, oldest first
}

// NewPacer returns a pacer for rate starts per second (at least 1).
func NewPacer(rate int) *Pacer {
	rate = max(rate, 1)
	window := time.Second + paceGuard
	return &Pacer{rate: rate, window: window, gap: window / time.Duration(rate)}
}

// Wait blocks until the request's slot comes, or ctx ends. A slot given up
// by a cancelled waiter stays used: the rate is never exceeded.
func (p *Pacer) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	slot := p.reserve(time.Now())
	wait := time.Until(slot)
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reserve hands out the next free slot for a request arriving at now: no
// earlier than a gap after the last slot, nor than a window after the
// slot rate places back. Tests call it with a clock of their own.
func (p *Pacer) reserve(now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	slot := now
	if n := len(p.starts); n > 0 {
		if next := p.starts[n-1].Add(p.gap); next.After(slot) {
			slot = next
		}
		if n == p.rate {
			if next := p.starts[0].Add(p.window); next.After(slot) {
				slot = next
			}
			p.starts = p.starts[1:]
		}
	}
	p.starts = append(p.starts, slot)
	return slot
}
