package tlsverify

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Target is a server to check.
type Target struct {
	Host string // a DNS name, or an IPv4 or IPv6 address
	Port int
}

// String is the target as HOST:PORT, an IPv6 address in brackets.
func (t Target) String() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.Port)) }

// ParseTarget reads HOST:PORT — www.example.com:443, 192.0.2.1:443,
// [2001:db8::1]:8443 — and names the bad part of anything else.
func ParseTarget(s string) (Target, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return Target{}, fmt.Errorf("verify target %q is not HOST:PORT (e.g. www.example.com:443, or [2001:db8::1]:443 for an IPv6 address)", s)
	}
	n, err := strconv.Atoi(port)
	if err != nil || strings.Trim(port, "0123456789") != "" || n < 1 || n > 65535 {
		return Target{}, fmt.Errorf("verify target %q: port %q is not a number from 1 to 65535", s, port)
	}
	if net.ParseIP(host) == nil && !hostname(host) {
		return Target{}, fmt.Errorf("verify target %q: host %q is neither a DNS name (letters, digits and inner hyphens, in dot-separated labels) nor an IP address", s, host)
	}
	return Target{Host: host, Port: n}, nil
}

// hostname is a host name: one or more labels of letters, digits and
// inner hyphens, at most 63 bytes each and 253 in all; "localhost" and a
// machine's own name pass, as a server may be checked by either.
func hostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		if strings.IndexFunc(l, func(c rune) bool { return !isAlnum(c) && c != '-' }) >= 0 {
			return false
		}
	}
	return true
}

func isAlnum(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// checkSNI accepts a name to send as SNI: a host name, never an address
// or a wildcard.
func checkSNI(sni string) error {
	if !hostname(sni) || net.ParseIP(sni) != nil {
		return fmt.Errorf("SNI %q is not a host name to ask the server for (no address, no wildcard)", sni)
	}
	return nil
}

// SNI is the name to ask servers for a certificate of names: the first
// name, or when it is a wildcard the first that is not; when every name
// is a wildcard, a name under the first ("*.example.com" asks for
// "certwiz-verify.example.com", which the wildcard covers).
func SNI(names []string) string {
	for _, n := range names {
		if !strings.HasPrefix(n, "*.") {
			return n
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "certwiz-verify" + strings.TrimPrefix(names[0], "*")
}
