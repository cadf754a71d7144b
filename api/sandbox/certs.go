package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"
)

// Certificate is one certificate the sandbox knows at start, as
// DescribeCertificates lists it. An empty string field is sent as null, as
// the service does for a field it has no value for.
type Certificate struct {
	ID     string
	Status int    // DescribeCertificateDetail status code
	About  string // for people reading `certwiz sandbox`
	// Range marks an entry that stands for a range of IDs created on first
	// use (demo0004…demo9999), not one certificate.
	Range bool

	StatusMsg       string   // PRE-REVIEWING, PENDING-DCV…; "" = null
	Domain          string   // the common name; "" = null (not submitted yet)
	Alias           string   // the user's note in the console; "" = null
	SubjectAltName  []string // every name; nil = null
	ProductZhName   string   // e.g. "SecureSite OV"
	PackageType     string   // the product code, e.g. "6"
	PackageTypeName string   // e.g. "SecureSite 企业型(OV)"
	IsDV            bool     // sent as IsDv; false = OV/EV, which needs a confirmation letter
	IsWildcard      bool
	VerifyType      string // DNS_AUTO, DNS, FILE; "" = null
	InsertTime      string // when it was ordered, "2006-01-02 15:04:05" Beijing time
	CertBeginTime   string // issued and expired ones only
	CertEndTime     string
	DVAuthDeadline  string // reviewing (PENDING-DCV) and DNS_AUTO ones only
}

// StatusNames are the service's own words (Chinese) for each status, as it
// sends them in StatusName.
var StatusNames = map[int]string{
	0:  "审核中",
	1:  "已通过",
	2:  "审核失败",
	3:  "已过期",
	4:  "已添加DNS记录",
	5:  "待提交资料",
	6:  "订单取消中",
	7:  "已取消",
	8:  "待上传确认函",
	9:  "证书吊销中",
	10: "已吊销",
	11: "重颁发中",
	12: "待上传吊销确认函",
	13: "免费证书待提交资料",
	14: "已退款",
	15: "证书迁移中",
}

// The products the seeded certificates use (ProductZhName, PackageType,
// PackageTypeName, and whether it is domain-validated).
var (
	productDNSPodDV      = product{"DNSPod DV", "48", "DNSPod-域名型(DV)SSL证书", true}
	productTrustAsiaMD   = product{"TrustAsia DV 多域名", "11", "TrustAsia 域名型多域名 SSL 证书", true}
	productTrustAsiaWild = product{"TrustAsia DV 通配符", "12", "TrustAsia 域名型(DV)通配符", true}
	productTrustAsiaFree = product{"TrustAsia DV 免费版", "2", "TrustAsia TLS RSA CA", true}
	productSecureSiteOV  = product{"SecureSite OV", "6", "SecureSite 企业型(OV)", false}
	productSecureSiteOVW = product{"SecureSite OV 通配符", "7", "SecureSite 企业型(OV)通配符", false}
	productSecureSiteEV  = product{"SecureSite EV", "4", "SecureSite 增强型(EV)", false}
	productGeoTrustOV    = product{"GeoTrust OV", "9", "Geotrust 企业型(OV)", false}
	productGlobalSignMD  = product{"GlobalSign OV 多域名", "22", "GlobalSign 企业型多域名(OV)SSL 证书", false}
)

type product struct {
	name, code, codeName string
	dv                   bool
}

func (p product) on(c Certificate) Certificate {
	c.ProductZhName, c.PackageType, c.PackageTypeName, c.IsDV = p.name, p.code, p.codeName, p.dv
	return c
}

// Certificates the sandbox knows at start, those awaiting information first
// (DescribeCertificates lists them newest InsertTime first); any other ID
// (apart from the stock, the bulk ones of Options.ExtraCertificates and the
// fault IDs of Faults) is CertificateNotFound. Their state then changes with
// the calls: a commit moves a certificate from 5 to 0, 4 or 8.
var Certificates = []Certificate{
	productTrustAsiaMD.on(Certificate{ID: "abcb1234", Status: 5, About: "the reference example: DV multi-domain, awaiting information; commit → 0 PENDING-DCV",
		Domain: "www.example.com", Alias: "官网", SubjectAltName: []string{"www.example.com", "example.com"},
		InsertTime: "2026-11-20 10:15:00"}),
	productSecureSiteOV.on(Certificate{ID: "demo0001", Status: 5, About: "OV certificate awaiting information; commit → 8 (confirmation letter)",
		Domain: "shop.example.com", SubjectAltName: []string{"shop.example.com"},
		InsertTime: "2026-11-18 16:42:07"}),
	productGlobalSignMD.on(Certificate{ID: "demo0002", Status: 5, About: "OV multi-domain certificate awaiting information; commit → 8",
		Domain: "mail.example.org", SubjectAltName: []string{"mail.example.org", "www.example.org", "example.org"},
		InsertTime: "2026-11-18 09:03:51"}),
	productTrustAsiaWild.on(Certificate{ID: "demo0003", Status: 5, About: "DV wildcard certificate awaiting information; commit with FILE refused",
		Domain: "*.example.net", SubjectAltName: []string{"*.example.net", "example.net"}, IsWildcard: true,
		InsertTime: "2026-11-15 11:20:33"}),
	productDNSPodDV.on(Certificate{ID: "demo0004…demo9999", Range: true, Status: 5, About: "more DV certificates awaiting information, for batches (created on first use)"}),
	productTrustAsiaFree.on(Certificate{ID: "free0001", Status: 13, About: "free certificate awaiting information: submit accepted, commit refused",
		Domain: "dev.example.com", SubjectAltName: []string{"dev.example.com"},
		InsertTime: "2026-11-10 12:00:00"}),
	productGeoTrustOV.on(Certificate{ID: "issued01", Status: 1, About: "issued: submit and commit refused (InvalidCertificateStatusCode)",
		Domain: "portal.example.com", Alias: "门户", SubjectAltName: []string{"portal.example.com"}, VerifyType: "DNS",
		InsertTime: "2026-02-27 14:30:12", CertBeginTime: "2026-03-02 00:00:00", CertEndTime: "2027-03-01 23:59:59"}),
	productSecureSiteEV.on(Certificate{ID: "review01", Status: 0, StatusMsg: "PRE-REVIEWING", About: "under review (PRE-REVIEWING): submit and commit refused",
		Domain: "bank.example.com", SubjectAltName: []string{"bank.example.com"}, VerifyType: "DNS",
		InsertTime: "2026-11-24 08:55:40"}),
	productDNSPodDV.on(Certificate{ID: "dcvwait1", Status: 0, StatusMsg: "PENDING-DCV", About: "reviewing, waiting for domain validation (PENDING-DCV) until its deadline",
		Domain: "blog.example.com", Alias: "博客", SubjectAltName: []string{"blog.example.com"}, VerifyType: "DNS",
		InsertTime: "2026-11-24 18:20:00", DVAuthDeadline: "2026-12-01 18:20:00"}),
	productDNSPodDV.on(Certificate{ID: "dnsauto1", Status: 4, About: "DNS record added automatically (DNS_AUTO): the CA checks",
		Domain: "api.example.com", SubjectAltName: []string{"api.example.com"}, VerifyType: "DNS_AUTO",
		InsertTime: "2026-11-25 09:41:00", DVAuthDeadline: "2026-12-02 09:41:00"}),
	productSecureSiteOVW.on(Certificate{ID: "letter01", Status: 8, About: "OV order committed, awaiting its confirmation letter",
		Domain: "*.corp.example.com", SubjectAltName: []string{"*.corp.example.com", "corp.example.com"}, IsWildcard: true, VerifyType: "DNS",
		InsertTime: "2026-11-22 20:11:36", DVAuthDeadline: "2026-11-29 20:15:02"}),
	productGeoTrustOV.on(Certificate{ID: "failed01", Status: 2, About: "review failed: submit and commit refused",
		Domain: "crm.example.com", SubjectAltName: []string{"crm.example.com"}, VerifyType: "FILE",
		InsertTime: "2026-10-30 13:05:19"}),
	productTrustAsiaMD.on(Certificate{ID: "expired1", Status: 3, About: "expired",
		Domain: "old.example.com", SubjectAltName: []string{"old.example.com", "legacy.example.com"}, VerifyType: "DNS",
		InsertTime: "2025-08-11 10:02:44", CertBeginTime: "2025-08-12 00:00:00", CertEndTime: "2026-08-11 23:59:59"}),
	productSecureSiteOV.on(Certificate{ID: "cancel01", Status: 7, About: "cancelled before its information was committed",
		Domain: "test.example.com", SubjectAltName: []string{"test.example.com"},
		InsertTime: "2026-09-14 17:26:08"}),
}

// beijing is the zone of the service's times.
var beijing = time.FixedZone("CST", 8*3600)

// timeLayout is how the service writes times.
const timeLayout = "2006-01-02 15:04:05"

// cert is one certificate's state in a running sandbox.
type cert struct {
	Certificate
	orderID   string         // "" until committed
	submitted map[string]any // nil before a submit; merged over several submits

	// Domain validation (validation.go).
	publishAt  time.Time // the records appear on the sandbox's DNS and HTTP servers then; zero = never
	caStarted  bool      // CompleteCertificate was called (or DNS_AUTO): the CA checks on every Check
	issueAt    time.Time // the CA's check passed: issued then
	lastCheck  time.Time // the last Check that was not refused as too frequent
	frequently int       // Check answers refused as too frequent
	issued     *issued   // the leaf (and the generated key), once issued
}

// CertificateState is a copy of one certificate's state in a running sandbox.
type CertificateState struct {
	ID             string
	Status         int
	StatusMsg      string
	VerifyType     string
	OrderId        string // "" before a commit
	DVAuthDeadline string
	Domain         string
	// SubmittedData is the information as submitted (several submits
	// merged), under the API's names; nil before any submit.
	SubmittedData map[string]any
}

func (c *cert) state() CertificateState {
	return CertificateState{
		ID: c.ID, Status: c.Status, StatusMsg: c.StatusMsg, VerifyType: c.VerifyType,
		OrderId: c.orderID, DVAuthDeadline: c.DVAuthDeadline, Domain: c.Domain,
		SubmittedData: cloneParams(c.submitted),
	}
}

// cloneParams copies a parameter map, lists included.
func cloneParams(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	for k, v := range out {
		if l, ok := v.([]any); ok {
			out[k] = slices.Clone(l)
		}
	}
	return out
}

// orderIDFor is the CA order number a certificate gets when committed:
// "CA" and 12 digits, the same for the same certificate in every run.
func orderIDFor(id string) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	return fmt.Sprintf("CA%012d", h.Sum64()%1_000_000_000_000)
}

// committed reports whether a status comes after the commit, so a seeded
// certificate at that status has an order number and submitted information.
func committed(status int) bool {
	switch status {
	case 5, 7, 13:
		return false
	}
	return true
}

// seedSubmitted is plausible information for a seeded certificate that was
// submitted before the sandbox started.
func seedSubmitted(c Certificate) map[string]any {
	m := map[string]any{
		"CsrType": "online", "CertificateDomain": c.Domain,
		"OrganizationName": "Example Technology Co., Ltd.", "OrganizationDivision": "IT Department",
		"OrganizationAddress": "1 Keji Road, Nanshan District", "OrganizationCountry": "CN",
		"OrganizationRegion": "Guangdong", "OrganizationCity": "Shenzhen", "PostalCode": "518000",
		"PhoneAreaCode": "0755", "PhoneNumber": "86013388",
		"AdminFirstName": "Lei", "AdminLastName": "Li", "AdminPhoneNum": "12345678901",
		"AdminEmail": "admin@example.com", "AdminPosition": "IT Manager",
		"ContactFirstName": "Mei", "ContactLastName": "Han", "ContactEmail": "contact@example.com",
		"ContactNumber": "12345678901", "ContactPosition": "Engineer",
	}
	if c.VerifyType != "" {
		m["VerifyType"] = c.VerifyType
	}
	var others []any
	for _, n := range c.SubjectAltName {
		if n != c.Domain {
			others = append(others, n)
		}
	}
	if len(others) > 0 {
		m["DomainList"] = others
	}
	return m
}

// seed builds the registry a new sandbox starts with.
func seed(extra int, now time.Time) map[string]*cert {
	reg := make(map[string]*cert, len(Certificates)+extra)
	for _, c := range Certificates {
		if c.Range {
			continue
		}
		c.SubjectAltName = slices.Clone(c.SubjectAltName)
		c.DVAuthDeadline = deadlineFrom(c.DVAuthDeadline, now)
		st := &cert{Certificate: c}
		if committed(c.Status) {
			st.orderID = orderIDFor(c.ID)
			st.submitted = seedSubmitted(c)
		}
		reg[c.ID] = st
	}
	base := time.Date(2026, 9, 1, 8, 0, 0, 0, beijing)
	for i := 1; i <= extra; i++ {
		id := fmt.Sprintf("bulk%05d", i)
		c := productDNSPodDV.on(Certificate{ID: id, Status: 5, About: "bulk certificate awaiting information",
			InsertTime: base.Add(time.Duration(i) * time.Minute).Format(timeLayout)})
		reg[id] = &cert{Certificate: c}
	}
	return reg
}

// seededOn is the day the seeded certificates' dates were written for.
var seededOn = time.Date(2026, 11, 27, 0, 0, 0, 0, beijing)

// deadlineFrom keeps a seeded validation deadline as far from the
// sandbox's start as it was from seededOn, so a certificate waiting for
// validation is never past its deadline because the calendar moved on.
func deadlineFrom(deadline string, now time.Time) string {
	d, err := time.ParseInLocation(timeLayout, deadline, beijing)
	if err != nil {
		return deadline
	}
	days := now.In(beijing).Truncate(24 * time.Hour).Sub(seededOn.Truncate(24 * time.Hour))
	return d.Add(days.Round(24 * time.Hour)).Format(timeLayout)
}

// stockCertificate is a certificate created on first use: a demo0004…demo9999
// stock certificate, or the certificate behind a fault ID that only fails
// on a later action (so that it can be submitted first). Both await
// information, with a DV product and no domain until one is submitted.
func stockCertificate(id string) (*cert, bool) {
	n, ok := strings.CutPrefix(id, "demo")
	isStock := ok && len(n) == 4 && strings.Trim(n, "0123456789") == "" && n >= "0004"
	f, isFault := faultByID(id)
	if !isStock && !(isFault && f.Action != "") {
		return nil, false
	}
	if isFault && f.Archive != "" {
		// An issued certificate whose archive is hostile.
		c := productDNSPodDV.on(Certificate{ID: id, Status: 1, About: "test certificate: " + f.Message,
			Domain: "hostile.example.com", SubjectAltName: []string{"hostile.example.com"}, VerifyType: "DNS",
			InsertTime: "2026-10-01 08:00:00", CertBeginTime: "2026-10-02 00:00:00", CertEndTime: "2027-10-01 23:59:59"})
		return &cert{Certificate: c, orderID: orderIDFor(id), submitted: seedSubmitted(c)}, true
	}
	about := "batch demo certificate awaiting information"
	minutes := 0
	if isStock {
		fmt.Sscanf(n, "%d", &minutes)
	} else {
		about = "test certificate: " + f.Code + " on " + f.Action
	}
	insert := time.Date(2026, 10, 1, 8, 0, 0, 0, beijing).Add(time.Duration(minutes) * time.Minute)
	return &cert{Certificate: productDNSPodDV.on(Certificate{ID: id, Status: 5, About: about, InsertTime: insert.Format(timeLayout)})}, true
}

// lookup finds a certificate, creating a stock one on first use. The
// caller holds s.mu.
func (s *Server) lookup(id string) (*cert, bool) {
	c, ok := s.certs[id]
	if !ok {
		c, ok = stockCertificate(id)
		if !ok {
			return nil, false
		}
		s.certs[id] = c
	}
	s.advanceLocked(c)
	return c, true
}

// Certificate returns a copy of a certificate's current state. A stock or
// fault-ID certificate is created on first use, as any action would.
func (s *Server) Certificate(id string) (CertificateState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.lookup(id)
	if !ok {
		return CertificateState{}, false
	}
	return c.state(), true
}

// dvRecord is one validation record the sandbox made for a name.
type dvRecord struct {
	Domain string // the name being validated (www.example.com, *.example.net)
	Type   string // TXT or FILE
	Zone   string // TXT: the zone the record goes in; FILE: the site
	Sub    string // TXT: the host relative to the zone (_dnsauth.www)
	Key    string // TXT: Sub; FILE: the file's name
	Value  string // TXT: the record's value; FILE: the file's content
}

// fqdn is a TXT record's full name with the root's dot, lower case.
func (r dvRecord) fqdn() string { return strings.ToLower(r.Sub + "." + r.Zone + ".") }

// path is a FILE record's path on its site.
func (r dvRecord) path() string { return pkiPath + r.Key }

// pkiPath is where FILE records are served.
const pkiPath = "/.well-known/pki-validation/"

// zoneOf is the zone the sandbox puts a name in: its last two labels.
func zoneOf(name string) string {
	bare := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(name, "*."), "."))
	labels := strings.Split(bare, ".")
	if len(labels) > 2 {
		return strings.Join(labels[len(labels)-2:], ".")
	}
	return bare
}

// names are the certificate's names as submitted: CertificateDomain, then
// DomainList, without repeats.
func (c *cert) names() []string {
	names := []string{}
	if c.submitted != nil {
		if d, ok := c.submitted["CertificateDomain"].(string); ok && d != "" {
			names = append(names, d)
		}
		if list, ok := c.submitted["DomainList"].([]any); ok {
			for _, n := range list {
				if s, ok := n.(string); ok && s != "" && !slices.Contains(names, s) {
					names = append(names, s)
				}
			}
		}
	}
	return names
}

// records makes the validation records of a committed certificate the way
// the service lays them out (lifecycle.md): per name, a TXT record named
// _dnsauth[.sub] in the name's zone, or for FILE a file under
// /.well-known/pki-validation/ on the name's site. Values are stable per
// certificate and name.
func (c *cert) records() []dvRecord {
	var out []dvRecord
	for _, name := range c.names() {
		sum := sha256.Sum256([]byte(c.ID + "/" + name))
		value := hex.EncodeToString(sum[:12])
		bare := strings.ToLower(strings.TrimPrefix(name, "*."))
		zone := zoneOf(name)
		if c.VerifyType == "FILE" {
			out = append(out, dvRecord{Domain: name, Type: "FILE", Zone: bare, Key: value[:16] + ".txt", Value: value})
			continue
		}
		sub := "_dnsauth"
		if rest := strings.TrimSuffix(bare, zone); rest != "" {
			sub += "." + strings.TrimSuffix(rest, ".")
		}
		out = append(out, dvRecord{Domain: name, Type: "TXT", Zone: zone, Sub: sub, Key: sub, Value: value})
	}
	return out
}

// dvAuthDetail lays the records out as the service's DvAuthDetail; the top
// level repeats the first record.
func (c *cert) dvAuthDetail() map[string]any {
	var auths []map[string]any
	for _, r := range c.records() {
		a := map[string]any{"DvAuthDomain": r.Zone, "DvAuthValue": r.Value, "DvAuthKey": r.Key,
			"DvAuthVerifyType": r.Type, "DvAuthPath": nil, "DvAuthSubDomain": nil, "DvAuthKeySubDomain": nil}
		if r.Type == "FILE" {
			a["DvAuthPath"] = pkiPath
		} else {
			a["DvAuthSubDomain"] = r.Sub
		}
		auths = append(auths, a)
	}
	detail := map[string]any{"DvAuths": auths}
	if len(auths) > 0 {
		for _, k := range []string{"DvAuthKey", "DvAuthValue", "DvAuthDomain", "DvAuthPath"} {
			detail[k] = auths[0][k]
		}
		detail["DvAuthKeySubDomain"] = auths[0]["DvAuthSubDomain"]
	}
	return detail
}
