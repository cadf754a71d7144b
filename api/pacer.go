package api

import (
	"context"
	"sync"
	"time"
)

// Pacer lets at most Rate requests start in any rolling second. Every HTTP
// request the client makes — retries included — waits on it first.
type Pacer struct {
	mu     sync.Mutex
	rate   int
	window time.Duration
	starts []time.Time // the last rate start times, oldest first
}

// NewPacer returns a pacer for rate starts per second (at least 1).
func NewPacer(rate int) *Pacer {
	return &Pacer{rate: max(rate, 1), window: time.Second}
}

// Wait blocks until a request may start, or ctx ends.
func (p *Pacer) Wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		if len(p.starts) < p.rate {
			p.starts = append(p.starts, now)
			p.mu.Unlock()
			return nil
		}
		wait := p.starts[0].Add(p.window).Sub(now)
		if wait <= 0 {
			p.starts = append(p.starts[1:], now)
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
