package sandbox

import (
	"net"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// dnsTTL is the TTL of every answer: short, as records come and go.
const dnsTTL = 60

// dnsHandler answers as the authoritative server of every zone of the
// sandbox's certificates (and as the resolver that leads to it): SOA and
// NS at each zone's apex, an A record for its name server, and the
// published TXT records. Names outside those zones are REFUSED.
type dnsHandler struct {
	s  *Server
	ip net.IP // the address the server listens on, given as its name server's
}

func (h dnsHandler) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	if len(r.Question) != 1 || r.Opcode != dns.OpcodeQuery {
		m.Rcode = dns.RcodeRefused
		_ = w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)

	h.s.mu.Lock()
	zones := h.s.zonesLocked()
	records := h.s.publishedLocked(h.s.opts.Now())
	h.s.mu.Unlock()

	zone := ""
	for z := range zones {
		fz := z + "."
		if (name == fz || strings.HasSuffix(name, "."+fz)) && len(fz) > len(zone) {
			zone = fz
		}
	}
	if zone == "" {
		m.Rcode = dns.RcodeRefused
		_ = w.WriteMsg(m)
		return
	}
	m.Authoritative = true
	ns := "ns1." + zone
	soa := &dns.SOA{Hdr: dns.RR_Header{Name: zone, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: dnsTTL},
		Ns: ns, Mbox: "hostmaster." + zone, Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: dnsTTL}
	var glue dns.RR = &dns.A{Hdr: dns.RR_Header{Name: ns, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: dnsTTL}, A: h.ip}
	glueType := dns.TypeA
	if h.ip.To4() == nil { // listening on ::1
		glue, glueType = &dns.AAAA{Hdr: dns.RR_Header{Name: ns, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: dnsTTL}, AAAA: h.ip}, dns.TypeAAAA
	}

	var txt []string
	exists := name == zone || name == ns
	for _, rec := range records {
		if rec.Type != "TXT" {
			continue
		}
		fq := rec.fqdn()
		if fq == name {
			txt = append(txt, rec.Value)
			exists = true
		} else if strings.HasSuffix(fq, "."+name) {
			exists = true // an empty non-terminal, e.g. www above _dnsauth.www
		}
	}
	slices.Sort(txt)
	txt = slices.Compact(txt)

	switch {
	case name == zone && q.Qtype == dns.TypeSOA:
		m.Answer = append(m.Answer, soa)
	case name == zone && q.Qtype == dns.TypeNS:
		m.Answer = append(m.Answer, &dns.NS{Hdr: dns.RR_Header{Name: zone, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: dnsTTL}, Ns: ns})
		m.Extra = append(m.Extra, glue)
	case name == ns && q.Qtype == glueType:
		m.Answer = append(m.Answer, glue)
	case len(txt) > 0 && q.Qtype == dns.TypeTXT:
		for _, v := range txt {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: dnsTTL}, Txt: splitTXT(v)})
		}
	case !exists:
		m.Rcode = dns.RcodeNameError
		m.Ns = append(m.Ns, soa)
	default: // the name exists without records of this type
		m.Ns = append(m.Ns, soa)
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		size := dns.MinMsgSize
		if opt := r.IsEdns0(); opt != nil {
			size = int(opt.UDPSize())
		}
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}

// splitTXT cuts a value into the 255-byte strings a TXT record holds.
func splitTXT(v string) []string {
	var out []string
	for len(v) > 255 {
		out = append(out, v[:255])
		v = v[255:]
	}
	return append(out, v)
}
