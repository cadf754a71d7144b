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
// included — waits on it first.
type Pacer struct {
	mu     sync.Mutex
	rate   int
	window time.Duration
	gap    time.Duration
	starts []time.Time // the last rate start times, oldest first
}

// NewPacer returns a pacer for rate starts per second (at least 1).
func NewPacer(rate int) *Pacer {
	rate = max(rate, 1)
	window := time.Second + paceGuard
	return &Pacer{rate: rate, window: window, gap: window / time.Duration(rate)}
}

// Wait blocks until a request may start, or ctx ends.
func (p *Pacer) Wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		var wait time.Duration
		if n := len(p.starts); n > 0 {
			wait = p.starts[n-1].Add(p.gap).Sub(now)
			if n == p.rate {
				wait = max(wait, p.starts[0].Add(p.window).Sub(now))
			}
		}
		if wait <= 0 {
			if len(p.starts) == p.rate {
				p.starts = p.starts[1:]
			}
			p.starts = append(p.starts, now)
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}
