// Package tlsverify asks a server which certificate it presents and
// compares the leaf, by its SHA-256, with the one just installed, again
// until a wait ends: a TLS handshake to HOST:PORT with the certificate's
// name as SNI. It reads what is presented without
// trusting it: the handshake verifies nothing, and what a server
// presents instead (self-signed, for another name, expired, another
// certificate) is reported, never believed. It knows nothing of screens.
package tlsverify

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"
	"time"
)

// Defaults for a Checker and for Verify's interval.
const (
	DefaultInterval       = 5 * time.Second
	DefaultAttemptTimeout = 10 * time.Second
)

// Checker verifies targets; its zero value dials for real on the
// system's clock. Tests give their own dialer and clock.
type Checker struct {
	// Dial connects to a target; nil: a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Sleep waits between attempts, returning early with the context's
	// error; nil: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// AttemptTimeout bounds one connection and handshake; 0: DefaultAttemptTimeout.
	AttemptTimeout time.Duration
}

// Verify is Checker{}.Verify: for real.
func Verify(ctx context.Context, target, sni string, want [32]byte, wait, interval time.Duration) Served {
	return Checker{}.Verify(ctx, target, sni, want, wait, interval)
}

// Verify connects to target (HOST:PORT) asking for sni until it presents
// the leaf whose SHA-256 of its DER is want, every interval
// (DefaultInterval when 0) until wait has passed — one attempt at least —
// or ctx ends. It returns the last attempt: Match, or what was wrong.
func (c Checker) Verify(ctx context.Context, target, sni string, want [32]byte, wait, interval time.Duration) Served {
	t, err := ParseTarget(target)
	if err == nil {
		err = checkSNI(sni)
	}
	if err != nil {
		return Served{Target: target, SNI: sni, Outcome: BadTarget, Err: err}
	}
	if interval <= 0 {
		interval = DefaultInterval
	}
	deadline := c.now().Add(wait)
	var s Served
	for n := 1; ; n++ {
		s = c.attempt(ctx, t.String(), sni, want)
		s.Target, s.SNI, s.Attempts = target, sni, n
		left := deadline.Sub(c.now())
		if s.Outcome == Match || ctx.Err() != nil || left <= 0 {
			return s
		}
		// The last attempt is at the end of the wait, not an interval
		// before it: a reload that takes 1 s passes a 5 s wait.
		if c.sleep(ctx, min(interval, left)) != nil {
			return s
		}
	}
}

// attempt is one connection and handshake.
func (c Checker) attempt(ctx context.Context, addr, sni string, want [32]byte) Served {
	timeout := c.AttemptTimeout
	if timeout <= 0 {
		timeout = DefaultAttemptTimeout
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	raw, err := c.dial(actx, addr)
	if err != nil {
		return Served{Outcome: dialOutcome(err), Err: err}
	}
	defer raw.Close()
	// Only to read what the server presents: the leaf is compared by
	// its hash and its faults reported, never trusted.
	conn := tls.Client(raw, &tls.Config{ServerName: sni, InsecureSkipVerify: true})
	if err := conn.HandshakeContext(actx); err != nil {
		if timedOut(err) {
			return Served{Outcome: TimedOut, Err: err}
		}
		return Served{Outcome: HandshakeFailed, Err: err}
	}
	certs := conn.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return Served{Outcome: HandshakeFailed, Err: errors.New("the server presented no certificate")}
	}
	p := present(certs[0], sni, c.now())
	return Served{Outcome: p.outcome(want), Cert: &p}
}

func (c Checker) dial(ctx context.Context, addr string) (net.Conn, error) {
	if c.Dial != nil {
		return c.Dial(ctx, "tcp", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}

func (c Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c Checker) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// dialOutcome tells a refused connection, a name without an address and
// a timeout from other failures to reach the server.
func dialOutcome(err error) Outcome {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return NoAddress
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case timedOut(err):
		return TimedOut
	}
	return Unreachable
}

func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// present reads a leaf as the server presented it.
func present(leaf *x509.Certificate, sni string, now time.Time) Presented {
	return Presented{
		Subject:    leaf.Subject.String(),
		Issuer:     leaf.Issuer.String(),
		Names:      leaf.DNSNames,
		NotAfter:   leaf.NotAfter,
		SHA256:     sha256.Sum256(leaf.Raw),
		SelfSigned: leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil,
		WrongName:  leaf.VerifyHostname(sni) != nil,
		Expired:    now.After(leaf.NotAfter),
	}
}
