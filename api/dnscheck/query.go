package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

func normalize(v string, qtype uint16) string {
	if qtype == dns.TypeCNAME {
		return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), ".")
	}
	return v
}

func contains(values []string, want string, qtype uint16) bool {
	for _, v := range values {
		if normalize(v, qtype) == want {
			return true
		}
	}
	return false
}

// exchange sends one query, over UDP then TCP when the answer was cut,
// each send taken from the round's budget; with OnlyNamed only to a
// server named.
func (r *round) exchange(ctx context.Context, server, name string, qtype uint16, recurse bool) (*dns.Msg, error) {
	if r.named != nil && !r.named[server] {
		return nil, fmt.Errorf("%s not asked: only the servers named are", server)
	}
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = recurse
	m.SetEdns0(4096, false)
	resp, err := r.send(ctx, "udp", server, m)
	if err == nil && resp.Truncated {
		resp, err = r.send(ctx, "tcp", server, m)
	}
	return resp, err
}

func (r *round) send(ctx context.Context, network, server string, m *dns.Msg) (*dns.Msg, error) {
	if r.sent.Add(1) > maxQueries {
		r.refused.Add(1)
		return nil, errBudget
	}
	// Which deadline stops this query, the round's or its own, is known
	// now: after the fact both may have passed.
	dl, ok := ctx.Deadline()
	roundFirst := ok && time.Until(dl) < r.o.timeout()
	qctx, cancel := context.WithTimeout(ctx, r.o.timeout())
	defer cancel()
	dial := r.o.DialDNS
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	resp, err := func() (*dns.Msg, error) {
		conn, err := dial(qctx, network, server)
		if err != nil {
			return nil, err
		}
		co := &dns.Conn{Conn: conn}
		defer co.Close()
		c := &dns.Client{Net: network, Timeout: r.o.timeout()}
		resp, _, err := c.ExchangeWithConnContext(qctx, m, co)
		return resp, err
	}()
	if err != nil && timedOut(err) {
		if roundFirst {
			r.cut.Store(true)
			return nil, fmt.Errorf("timeout: %s had not answered when the round's %s ran out", server, r.o.round())
		}
		return nil, fmt.Errorf("timeout: %s did not answer within %s", server, r.o.timeout())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", server, err)
	}
	return resp, nil
}

func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// ask asks one server for name's records of qtype.
func (r *round) ask(ctx context.Context, server, name string, qtype uint16, recurse bool) ServerAnswer {
	a := ServerAnswer{Server: server, Values: []string{}}
	m, err := r.exchange(ctx, server, name, qtype, recurse)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	switch m.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	default:
		a.Err = fmt.Sprintf("%s answered %s", server, dns.RcodeToString[m.Rcode])
		return a
	}
	a.Values = values(m, name, qtype)
	return a
}

// values are the TXT values (or CNAME targets of name) in an answer.
func values(m *dns.Msg, name string, qtype uint16) []string {
	out := []string{}
	for _, rr := range m.Answer {
		switch v := rr.(type) {
		case *dns.TXT:
			if qtype == dns.TypeTXT {
				out = append(out, strings.Join(v.Txt, ""))
			}
		case *dns.CNAME:
			if qtype == dns.TypeCNAME && strings.EqualFold(v.Hdr.Name, name) {
				out = append(out, strings.TrimSuffix(v.Target, "."))
			}
		}
	}
	return out
}
