package api

import "time"

// Reserve is the pacer's slot keeping on the test's clock.
func (p *Pacer) Reserve(now time.Time) time.Time { return p.reserve(now) }
