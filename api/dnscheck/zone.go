package dnscheck

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// cnameOf returns the CNAME target of name, through the resolver.
func (r *round) cnameOf(ctx context.Context, resolver, name string) string {
	m, err := r.exchange(ctx, resolver, name, dns.TypeCNAME, true)
	if err != nil || m.Rcode != dns.RcodeSuccess {
		return ""
	}
	return cnameTarget(m, name)
}

func cnameTarget(m *dns.Msg, name string) string {
	for _, rr := range m.Answer {
		if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, name) {
			return strings.ToLower(dns.Fqdn(c.Target))
		}
	}
	return ""
}

// findZone walks SOA records up from name to the zone that holds it.
func (r *round) findZone(ctx context.Context, resolver, name string) (string, error) {
	labels := dns.SplitDomainName(name)
	for i := range labels {
		candidate := dns.Fqdn(strings.Join(labels[i:], "."))
		m, err := r.exchange(ctx, resolver, candidate, dns.TypeSOA, true)
		if err != nil {
			return "", fmt.Errorf("find the zone of %s: %v", strings.TrimSuffix(name, "."), err)
		}
		if m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError {
			continue
		}
		if hasSOA(m, candidate) {
			return strings.ToLower(candidate), nil
		}
	}
	return "", fmt.Errorf("find the zone of %s: no SOA record found", strings.TrimSuffix(name, "."))
}

func hasSOA(m *dns.Msg, name string) bool {
	for _, rr := range m.Answer {
		if soa, ok := rr.(*dns.SOA); ok && strings.EqualFold(soa.Hdr.Name, name) {
			return true
		}
	}
	return false
}

type nameserver struct{ name, addr string }

// nameservers finds the zone's NS records and their addresses, at most
// maxNameservers of them (in name order) and maxAddresses each, the
// addresses of those without glue looked up at once.
func (r *round) nameservers(ctx context.Context, resolver, zone string) ([]nameserver, error) {
	m, err := r.exchange(ctx, resolver, zone, dns.TypeNS, true)
	if err != nil {
		return nil, fmt.Errorf("find the name servers of %s: %v", strings.TrimSuffix(zone, "."), err)
	}
	port := r.o.NameserverPort
	if port == "" {
		port = "53"
	}
	names := nsNames(m)
	if len(names) == 0 {
		return nil, fmt.Errorf("find the name servers of %s: no NS records", strings.TrimSuffix(zone, "."))
	}
	if len(names) > maxNameservers {
		r.skip("%d of %d name servers not asked: at most %d a round", len(names)-maxNameservers, len(names), maxNameservers)
		names = names[:maxNameservers]
	}
	ips := make([][]string, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ips[i] = r.addresses(ctx, resolver, n, m.Extra)
		}()
	}
	wg.Wait()
	var out []nameserver
	var missing, crowded []string
	left := 0
	for i, n := range names {
		n = strings.TrimSuffix(n, ".")
		if len(ips[i]) == 0 {
			missing = append(missing, n)
		}
		if len(ips[i]) > maxAddresses {
			crowded = append(crowded, n)
			left += len(ips[i]) - maxAddresses
			ips[i] = ips[i][:maxAddresses]
		}
		for _, ip := range ips[i] {
			out = append(out, nameserver{name: n, addr: net.JoinHostPort(ip, port)})
		}
	}
	if left > 0 {
		r.skip("%d more addresses of name servers %s not asked: at most %d a name server", left, strings.Join(crowded, ", "), maxAddresses)
	}
	if len(missing) > 0 {
		err = fmt.Errorf("no address found for name server %s", strings.Join(missing, ", "))
	}
	return out, err
}

// nsNames are the name servers an NS answer names, lower case, sorted,
// each once.
func nsNames(m *dns.Msg) []string {
	var names []string
	for _, rr := range m.Answer {
		if ns, ok := rr.(*dns.NS); ok {
			names = append(names, strings.ToLower(dns.Fqdn(ns.Ns)))
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// addresses returns a name server's IPv4 addresses (from the glue, else
// asked), or its IPv6 ones when it has no IPv4 address.
func (r *round) addresses(ctx context.Context, resolver, host string, extra []dns.RR) []string {
	v4, v6 := glue(extra, host)
	if len(v4) == 0 {
		if m, err := r.exchange(ctx, resolver, host, dns.TypeA, true); err == nil {
			v4, _ = glue(m.Answer, host)
		}
	}
	if len(v4) == 0 && len(v6) == 0 {
		if m, err := r.exchange(ctx, resolver, host, dns.TypeAAAA, true); err == nil {
			_, v6 = glue(m.Answer, host)
		}
	}
	if len(v4) > 0 {
		return v4
	}
	return v6
}

// glue are host's IPv4 and IPv6 addresses among rrs, each once.
func glue(rrs []dns.RR, host string) (v4, v6 []string) {
	seen := map[string]bool{}
	for _, rr := range rrs {
		if !strings.EqualFold(rr.Header().Name, host) {
			continue
		}
		switch a := rr.(type) {
		case *dns.A:
			if ip := a.A.String(); a.A != nil && !seen[ip] {
				seen[ip] = true
				v4 = append(v4, ip)
			}
		case *dns.AAAA:
			if ip := a.AAAA.String(); a.AAAA != nil && !seen[ip] {
				seen[ip] = true
				v6 = append(v6, ip)
			}
		}
	}
	return v4, v6
}
