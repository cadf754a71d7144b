package api

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Certificate is one certificate of the account, as DescribeCertificates
// lists it. Fields the service sends as null are left empty.
type Certificate struct {
	CertificateId   string   `json:"CertificateId"`
	Domain          string   `json:"Domain"`
	Alias           string   `json:"Alias"`
	ProductZhName   string   `json:"ProductZhName"`
	PackageType     string   `json:"PackageType"`
	PackageTypeName string   `json:"PackageTypeName"`
	Status          int      `json:"Status"`
	StatusName      string   `json:"StatusName"` // the service's own words (Chinese)
	StatusMsg       string   `json:"StatusMsg"`
	VerifyType      string   `json:"VerifyType"`
	InsertTime      string   `json:"InsertTime"`
	CertBeginTime   string   `json:"CertBeginTime"`
	CertEndTime     string   `json:"CertEndTime"`
	SubjectAltName  []string `json:"SubjectAltName"`
	IsDv            bool     `json:"IsDv"`
	IsWildcard      bool     `json:"IsWildcard"`
	DVAuthDeadline  string   `json:"DVAuthDeadline"`
	// IsExpiring: the service counts it as expiring (within its last 30
	// days); RenewAble: it may be renewed; HasRenewOrder: the ID of the
	// renewal certificate ordered for it, "" for none. DescribeCertificates
	// fills all three; DescribeCertificateDetail only RenewAble.
	IsExpiring    bool   `json:"IsExpiring"`
	RenewAble     bool   `json:"RenewAble"`
	HasRenewOrder string `json:"HasRenewOrder"`
}

// TimeLayout is how the service writes its times, in Beijing time.
const TimeLayout = "2006-01-02 15:04:05"

// Beijing is the time zone of the service's times (UTC+8, no DST).
var Beijing = time.FixedZone("CST", 8*3600)

// ParseTime reads a time as the service writes it (TimeLayout, Beijing
// time); false for anything else, "" included.
func ParseTime(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(TimeLayout, strings.TrimSpace(s), Beijing)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// The free products' PackageType: TrustAsia C1 DV Free, the one
// ApplyCertificate makes, and TrustAsia TLS RSA CA, the free certificate
// it made before.
const (
	PackageFreeDV    = "83"
	PackageFreeDVOld = "2"
)

// IsFree reports a free certificate (PackageType 83 or 2): renewed with
// ApplyCertificate, never bought.
func (c Certificate) IsFree() bool { return IsFreePackage(c.PackageType) }

// IsFreePackage reports whether a PackageType is a free product's.
func IsFreePackage(packageType string) bool {
	p := strings.TrimSpace(packageType)
	return p == PackageFreeDV || p == PackageFreeDVOld
}

// EndTime is CertEndTime as a time; false when there is none (not issued)
// or it cannot be read.
func (c Certificate) EndTime() (time.Time, bool) { return ParseTime(c.CertEndTime) }

// DaysLeft counts the calendar days, in Beijing time, from now to the last
// day of the certificate's validity: 0 on that day, negative once it has
// ended (-1 at least, even on its last day after its end time). False
// when CertEndTime is missing or unreadable.
func (c Certificate) DaysLeft(now time.Time) (int, bool) {
	end, ok := c.EndTime()
	if !ok {
		return 0, false
	}
	day := func(t time.Time) time.Time {
		y, m, d := t.In(Beijing).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	days := int(day(end).Sub(day(now)).Hours() / 24)
	if !now.Before(end) && days >= 0 {
		days = -1
	}
	return days, true
}

// Words is the certificate's status in words, in lang.
func (c Certificate) Words(lang string) string { return StatusText(c.Status, c.StatusMsg).In(lang) }

// KeyDate is the date that matters now, with what it is: when it was
// ordered (awaiting information), the validation deadline, or the end of
// its validity.
func (c Certificate) KeyDate() (Text, string) {
	switch {
	case c.DVAuthDeadline != "" && (c.Status == StatusReviewing && c.StatusMsg == "PENDING-DCV" || c.Status == StatusDNSAdded || c.Status == StatusAwaitingLetter):
		return Text{"validate by", "验证截止"}, c.DVAuthDeadline
	case c.CertEndTime != "" && (c.Status == StatusIssued || c.Status == StatusExpired):
		return Text{"expires", "到期"}, c.CertEndTime
	}
	return Text{"ordered", "下单"}, c.InsertTime
}

// Names is the domain and the other names, without repeats.
func (c Certificate) Names() []string {
	out := []string{}
	seen := map[string]bool{}
	for _, n := range append([]string{c.Domain}, c.SubjectAltName...) {
		if n = strings.TrimSpace(n); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// CertificateQuery selects certificates; zero values select all.
type CertificateQuery struct {
	Statuses  []int  // CertificateStatus
	SearchKey string // ID, alias or domain, fuzzy
	Offset    int
	Limit     int // at most 1000; 0: the service's default (10)
}

// CertificatePage is one answer of DescribeCertificates.
type CertificatePage struct {
	TotalCount   int
	Certificates []Certificate
	RequestId    string
}

// MaxPage is the most certificates DescribeCertificates returns at once.
const MaxPage = 1000

// DescribeCertificates lists one page of the account's certificates.
func (c *Client) DescribeCertificates(ctx context.Context, q CertificateQuery) (CertificatePage, error) {
	params := map[string]any{"Offset": q.Offset}
	if q.Limit > 0 {
		params["Limit"] = min(q.Limit, MaxPage)
	}
	if q.SearchKey != "" {
		params["SearchKey"] = q.SearchKey
	}
	if len(q.Statuses) > 0 {
		params["CertificateStatus"] = q.Statuses
	}
	var out struct {
		TotalCount   int           `json:"TotalCount"`
		Certificates []Certificate `json:"Certificates"`
	}
	id, err := c.call(ctx, ActionList, params, &out)
	if err != nil {
		return CertificatePage{}, err
	}
	return CertificatePage{TotalCount: out.TotalCount, Certificates: out.Certificates, RequestId: id}, nil
}

// MaxListed is the most certificates ListCertificates gathers: far more
// than an account holds, and a bound on what a runaway answer can grow.
const MaxListed = 100_000

// ListCertificates pages through every certificate the query selects
// (from q.Offset on), pageSize at a time, and returns them with the total
// the service counts. It stops on an empty or short page, at the count,
// and on a page that repeats a certificate already listed (its new ones
// kept): a count that keeps growing cannot keep it paging. More than
// MaxListed certificates is an error, with those listed so far.
func (c *Client) ListCertificates(ctx context.Context, q CertificateQuery, pageSize int) ([]Certificate, int, error) {
	if pageSize <= 0 || pageSize > MaxPage {
		pageSize = MaxPage
	}
	var all []Certificate
	seen := map[string]bool{}
	total := 0
	for {
		q.Limit = pageSize
		page, err := c.DescribeCertificates(ctx, q)
		if err != nil {
			return all, total, fmt.Errorf("list certificates from %d: %w", q.Offset, err)
		}
		total = page.TotalCount
		repeats := false
		for _, cert := range page.Certificates {
			if seen[cert.CertificateId] {
				repeats = true
				continue
			}
			seen[cert.CertificateId] = true
			all = append(all, cert)
		}
		q.Offset += len(page.Certificates)
		if len(page.Certificates) < pageSize || repeats || q.Offset >= total {
			return all, total, nil
		}
		if len(all) >= MaxListed {
			return all, total, &Error{Code: CodeMalformed, Action: ActionList, RequestId: page.RequestId,
				Message: fmt.Sprintf("the service counts more than %d certificates; certwiz stopped listing there (narrow the list by status or search)", MaxListed)}
		}
	}
}

// CertificateDetail is one certificate in full. The submitted information
// comes without its KeyPassword, and the private key Tencent may hold is
// never read: neither can leak from here.
type CertificateDetail struct {
	Certificate
	OrderId    string
	Submitted  *Request // nil before any submission
	PrivateKey Secret   // the key Tencent generated (CsrType online); only ever to a file
	RequestId  string
	auth       *dvAuthDetail // the validation records: see Records
}

// DescribeCertificateDetail reads one certificate.
func (c *Client) DescribeCertificateDetail(ctx context.Context, certificateID string) (CertificateDetail, error) {
	var out struct {
		Certificate
		OrderId       string         `json:"OrderId"`
		SubmittedData *submittedData `json:"SubmittedData"`
		DvAuthDetail  *dvAuthDetail  `json:"DvAuthDetail"`
		PrivateKey    Secret         `json:"CertificatePrivateKey"`
	}
	id, err := c.call(ctx, ActionDetail, map[string]any{"CertificateId": certificateID}, &out)
	if err != nil {
		return CertificateDetail{}, err
	}
	if err := otherCertificate(ActionDetail, id, certificateID, cmp.Or(out.CertificateId, certificateID)); err != nil {
		return CertificateDetail{}, err
	}
	d := CertificateDetail{Certificate: out.Certificate, OrderId: out.OrderId, RequestId: id, PrivateKey: out.PrivateKey, auth: out.DvAuthDetail}
	d.CertificateId = certificateID
	if sd := out.SubmittedData; sd != nil {
		r := sd.request()
		d.Submitted = &r
	}
	return d, nil
}

// submittedData is SubmittedData as the service sends it: the parameters'
// names, with DomainList an array. KeyPassword is read into nothing.
type submittedData struct {
	CsrType              string   `json:"CsrType"`
	CsrContent           string   `json:"CsrContent"`
	CertificateDomain    string   `json:"CertificateDomain"`
	DomainList           []string `json:"DomainList"`
	OrganizationName     string   `json:"OrganizationName"`
	OrganizationDivision string   `json:"OrganizationDivision"`
	OrganizationAddress  string   `json:"OrganizationAddress"`
	OrganizationCountry  string   `json:"OrganizationCountry"`
	OrganizationRegion   string   `json:"OrganizationRegion"`
	OrganizationCity     string   `json:"OrganizationCity"`
	PostalCode           string   `json:"PostalCode"`
	PhoneAreaCode        string   `json:"PhoneAreaCode"`
	PhoneNumber          string   `json:"PhoneNumber"`
	AdminFirstName       string   `json:"AdminFirstName"`
	AdminLastName        string   `json:"AdminLastName"`
	AdminPhoneNum        string   `json:"AdminPhoneNum"`
	AdminEmail           string   `json:"AdminEmail"`
	AdminPosition        string   `json:"AdminPosition"`
	ContactFirstName     string   `json:"ContactFirstName"`
	ContactLastName      string   `json:"ContactLastName"`
	ContactEmail         string   `json:"ContactEmail"`
	ContactNumber        string   `json:"ContactNumber"`
	ContactPosition      string   `json:"ContactPosition"`
	VerifyType           string   `json:"VerifyType"`
}

// request is the submitted information as a Request (the same names).
func (sd submittedData) request() Request {
	var r Request
	if data, err := json.Marshal(sd); err == nil {
		_ = json.Unmarshal(data, &r)
	}
	return r
}

// unmarshalString reads a JSON string (null leaves it empty).
func unmarshalString(b []byte, s *string) error {
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, s)
}
