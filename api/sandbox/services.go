package sandbox

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// Addrs are where a running sandbox's validation servers listen.
type Addrs struct {
	DNS   string // host:port, UDP and TCP
	HTTP  string // host:port, serves FILE records for any Host
	HTTPS string // host:port, the same over TLS (certificates from the sandbox CA)
}

// services are the validation servers of a started sandbox.
type services struct {
	addrs Addrs
	stop  func()
}

// lookupTimeout bounds each look-up at the sandbox's own servers.
const lookupTimeout = 2 * time.Second

// Addrs returns where the validation servers listen; zero before Start or
// Serve.
func (s *Server) Addrs() Addrs {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.svc == nil {
		return Addrs{}
	}
	return s.svc.addrs
}

// Lookup returns the dnscheck options that ask the sandbox's own servers:
// its DNS server as resolver and name server, connections to port 80 and
// 443 of any host sent to its HTTP and HTTPS servers, and its CA as the
// only root. Before Start or Serve there are no servers: the options then
// dial nothing and name a resolver nobody answers on loopback, so that a
// caller never falls back to the system's resolver by mistake.
func (s *Server) Lookup() dnscheck.Options {
	a := s.Addrs()
	o := dnscheck.Options{Timeout: lookupTimeout, Resolver: a.DNS, Nameservers: []string{a.DNS}}
	if a.DNS == "" {
		o.Resolver, o.Nameservers = "127.0.0.1:1", []string{"127.0.0.1:1"}
	}
	if ca, err := sandboxCA(); err == nil {
		o.RootCAs = ca.pool
	}
	o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("sandbox dial %s: %w", addr, err)
		}
		var to string
		switch port {
		case "80":
			to = a.HTTP
		case "443":
			to = a.HTTPS
		}
		if to == "" {
			return nil, fmt.Errorf("sandbox dial %s: the sandbox serves ports 80 and 443 only, once started", addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, "tcp", to)
	}
	return o
}

// startServices starts the DNS, HTTP and HTTPS servers on host (a loopback
// address; anything else means 127.0.0.1), once per sandbox.
func (s *Server) startServices(host string) error {
	if !api.IsLoopback(host) || host == "localhost" {
		host = "127.0.0.1"
	}
	s.mu.Lock()
	started := s.svc != nil
	s.mu.Unlock()
	if started {
		return nil
	}
	ca, err := sandboxCA()
	if err != nil {
		return err
	}
	var closers []func()
	stop := func() {
		for _, c := range closers {
			c()
		}
	}
	udp, tcp, err := listenDNS(host)
	if err != nil {
		return err
	}
	h := dnsHandler{s: s, ip: net.ParseIP(host)}
	udpSrv := &dns.Server{PacketConn: udp, Handler: h}
	tcpSrv := &dns.Server{Listener: tcp, Handler: h, ReadTimeout: 5 * time.Second}
	go udpSrv.ActivateAndServe()
	go tcpSrv.ActivateAndServe()
	closers = append(closers, func() { _ = udpSrv.Shutdown(); _ = tcpSrv.Shutdown(); udp.Close(); tcp.Close() })

	web := http.HandlerFunc(s.serveFile)
	httpLn, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		stop()
		return fmt.Errorf("sandbox http listen: %w", err)
	}
	httpSrv := &http.Server{Handler: web, ReadHeaderTimeout: 5 * time.Second}
	go httpSrv.Serve(httpLn)
	closers = append(closers, func() { httpSrv.Close() })

	httpsLn, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		stop()
		return fmt.Errorf("sandbox https listen: %w", err)
	}
	httpsSrv := &http.Server{Handler: web, ReadHeaderTimeout: 5 * time.Second,
		TLSConfig: &tls.Config{GetCertificate: ca.site, MinVersion: tls.VersionTLS12}}
	go httpsSrv.Serve(tls.NewListener(httpsLn, httpsSrv.TLSConfig))
	closers = append(closers, func() { httpsSrv.Close() })

	svc := &services{stop: stop, addrs: Addrs{DNS: udp.LocalAddr().String(), HTTP: httpLn.Addr().String(), HTTPS: httpsLn.Addr().String()}}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.svc != nil { // started meanwhile
		stop()
		return nil
	}
	s.svc = svc
	s.logf("validation servers: DNS %s, HTTP %s, HTTPS %s", svc.addrs.DNS, svc.addrs.HTTP, svc.addrs.HTTPS)
	return nil
}

// stopServices shuts the validation servers down.
func (s *Server) stopServices() {
	s.mu.Lock()
	svc := s.svc
	s.svc = nil
	s.mu.Unlock()
	if svc != nil {
		svc.stop()
	}
}

// listenDNS opens UDP and TCP on one free port of host.
func listenDNS(host string) (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 20 {
		udp, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, nil, fmt.Errorf("sandbox dns listen: %w", err)
		}
		tcp, err := net.Listen("tcp", udp.LocalAddr().String())
		if err == nil {
			return udp, tcp, nil
		}
		udp.Close()
		lastErr = err
	}
	return nil, nil, fmt.Errorf("sandbox dns listen: no port free for both UDP and TCP: %w", lastErr)
}

// maxFileRequest bounds what the file server reads of a request.
const maxFileRequest = 4 << 10

// serveFile serves published FILE records at
// /.well-known/pki-validation/NAME for the Host they belong to.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxFileRequest))
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if strings.HasPrefix(r.URL.Path, pkiPath) {
		s.mu.Lock()
		records := s.publishedLocked(s.opts.Now())
		s.mu.Unlock()
		for _, rec := range records {
			if rec.Type == "FILE" && rec.Zone == host && rec.path() == r.URL.Path {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				io.WriteString(w, rec.Value)
				return
			}
		}
	}
	http.NotFound(w, r)
}
