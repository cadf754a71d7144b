package sandbox

import (
	"slices"
	"time"
)

// maxCalls is how many request starts Calls keeps per action.
const maxCalls = 100_000

// RateRefusals counts the requests refused with RequestLimitExceeded for the rate.
func (s *Server) RateRefusals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Calls returns when each request naming an action (X-TC-Action) started,
// oldest first, refused ones included: what the rate limit counts. It keeps
// the last 100 000 per action; Calls("") has the requests that named no
// action the sandbox serves.
func (s *Server) Calls(action string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls[action])
}

// allow records a start of an action's request and reports whether it is
// within the action's rate. Requests naming no action the sandbox serves
// share one count, under "".
func (s *Server) allow(action string) bool {
	if !slices.Contains(Actions, action) {
		action = ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	calls := append(s.calls[action], now)
	if len(calls) > maxCalls {
		calls = slices.Delete(calls, 0, len(calls)-maxCalls)
	}
	s.calls[action] = calls
	starts := s.starts[action]
	cut := 0
	for cut < len(starts) && now.Sub(starts[cut]) >= time.Second {
		cut++
	}
	starts = append(starts[cut:], now)
	s.starts[action] = starts
	if len(starts) > s.opts.Rate {
		s.refused++
		return false
	}
	return true
}
