package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Request holds every parameter of SubmitCertificateInformation. Its JSON
// form is exactly the API's: empty values are left out, DomainList is an
// array. Field names and tags mirror the catalogue (a test keeps them in step).
type Request struct {
	CertificateId        string   `json:"CertificateId,omitempty"`
	IsDV                 string   `json:"IsDV,omitempty"` // "true" or "false"; sent as a JSON boolean
	CsrType              string   `json:"CsrType,omitempty"`
	CsrContent           string   `json:"CsrContent,omitempty"`
	CertificateDomain    string   `json:"CertificateDomain,omitempty"`
	DomainList           []string `json:"DomainList,omitempty"`
	KeyPassword          string   `json:"KeyPassword,omitempty"`
	OrganizationName     string   `json:"OrganizationName,omitempty"`
	OrganizationDivision string   `json:"OrganizationDivision,omitempty"`
	OrganizationAddress  string   `json:"OrganizationAddress,omitempty"`
	OrganizationCountry  string   `json:"OrganizationCountry,omitempty"`
	OrganizationRegion   string   `json:"OrganizationRegion,omitempty"`
	OrganizationCity     string   `json:"OrganizationCity,omitempty"`
	PostalCode           string   `json:"PostalCode,omitempty"`
	PhoneAreaCode        string   `json:"PhoneAreaCode,omitempty"`
	PhoneNumber          string   `json:"PhoneNumber,omitempty"`
	AdminFirstName       string   `json:"AdminFirstName,omitempty"`
	AdminLastName        string   `json:"AdminLastName,omitempty"`
	AdminPhoneNum        string   `json:"AdminPhoneNum,omitempty"`
	AdminEmail           string   `json:"AdminEmail,omitempty"`
	AdminPosition        string   `json:"AdminPosition,omitempty"`
	ContactFirstName     string   `json:"ContactFirstName,omitempty"`
	ContactLastName      string   `json:"ContactLastName,omitempty"`
	ContactEmail         string   `json:"ContactEmail,omitempty"`
	ContactNumber        string   `json:"ContactNumber,omitempty"`
	ContactPosition      string   `json:"ContactPosition,omitempty"`
	VerifyType           string   `json:"VerifyType,omitempty"`
}

// structIndex maps a parameter name to its Request field, so code driven by
// the catalogue can read and write a Request without listing fields again.
var structIndex = func() map[string]int {
	t := reflect.TypeFor[Request]()
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		m[t.Field(i).Name] = i
	}
	return m
}()

func (r *Request) field(name string) (reflect.Value, bool) {
	i, ok := structIndex[name]
	if !ok {
		return reflect.Value{}, false
	}
	return reflect.ValueOf(r).Elem().Field(i), true
}

// Get returns a parameter's value as text; DomainList items are joined by commas.
func (r *Request) Get(name string) string {
	v, ok := r.field(name)
	if !ok {
		return ""
	}
	if v.Kind() == reflect.Slice {
		return strings.Join(v.Interface().([]string), ",")
	}
	return v.String()
}

// List returns DomainList-style values as a slice (a one-item slice for text).
func (r *Request) List(name string) []string {
	v, ok := r.field(name)
	if !ok {
		return nil
	}
	if v.Kind() == reflect.Slice {
		return v.Interface().([]string)
	}
	if s := v.String(); s != "" {
		return []string{s}
	}
	return nil
}

// Set stores a value by parameter name. A list parameter takes its items
// separated by commas or newlines. An unknown name is an error.
func (r *Request) Set(name, value string) error {
	v, ok := r.field(name)
	if !ok {
		return unknownParamError(name)
	}
	if v.Kind() == reflect.Slice {
		v.Set(reflect.ValueOf(SplitList(value)))
		return nil
	}
	v.SetString(value)
	return nil
}

// SetList stores list items as they are (DomainList) or, for a text
// parameter, exactly one item.
func (r *Request) SetList(name string, items []string) error {
	v, ok := r.field(name)
	if !ok {
		return unknownParamError(name)
	}
	if v.Kind() == reflect.Slice {
		v.Set(reflect.ValueOf(append([]string(nil), items...)))
		return nil
	}
	if len(items) > 1 {
		return fmt.Errorf("parameter %s takes one value, not a list", name)
	}
	v.SetString(strings.Join(items, ""))
	return nil
}

// Ptr returns the address of a text parameter's value, for editors that
// bind to it (nil for DomainList or an unknown name).
func (r *Request) Ptr(name string) *string {
	v, ok := r.field(name)
	if !ok || v.Kind() != reflect.String {
		return nil
	}
	return v.Addr().Interface().(*string)
}

// Has reports whether a parameter has a value.
func (r *Request) Has(name string) bool {
	v, ok := r.field(name)
	return ok && v.Len() > 0
}

// Merge copies every parameter that has a value in o over r: the layering
// of profile < input file < --set.
func (r *Request) Merge(o Request) {
	for _, f := range Fields {
		if o.Has(f.Name) {
			_ = r.SetList(f.Name, o.List(f.Name))
		}
	}
}

// SplitList splits DomainList text on commas, newlines and spaces, dropping empties.
func SplitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == '\t' || r == '，'
	})
	if len(parts) == 0 {
		return nil
	}
	return parts
}

// Params returns the request as the API's parameter map: only parameters
// with a value, DomainList as an array. This is what the client sends.
func (r *Request) Params() map[string]any {
	m := make(map[string]any, len(Fields))
	for _, f := range Fields {
		if !r.Has(f.Name) {
			continue
		}
		switch f.Kind {
		case KindList:
			m[f.Name] = r.List(f.Name)
		case KindBool:
			m[f.Name] = r.Get(f.Name) == "true"
		default:
			m[f.Name] = r.Get(f.Name)
		}
	}
	return m
}

// UnknownParamError names a parameter the API does not have.
type UnknownParamError struct {
	Name    string
	Suggest string
}

func (e *UnknownParamError) Error() string {
	if e.Suggest != "" {
		return fmt.Sprintf("unknown parameter %q (did you mean %s?)", e.Name, e.Suggest)
	}
	return fmt.Sprintf("unknown parameter %q: SubmitCertificateInformation has no such parameter (see `certwiz errors` or api.md)", e.Name)
}

func unknownParamError(name string) error {
	return &UnknownParamError{Name: name, Suggest: Suggest(name)}
}

// DecodeJSON reads a JSON object of API parameters — the file tccli's
// --cli-input-json takes. Unknown parameters and values of the wrong type are
// errors naming the parameter; every value must be a string except
// DomainList, an array of strings (a comma-separated string is accepted
// too), and IsDV, a boolean (or "true"/"false").
func DecodeJSON(data []byte) (Request, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Request{}, fmt.Errorf("not a JSON object of parameters: %w", err)
	}
	var req Request
	for name, val := range raw {
		f, ok := Lookup(name)
		if !ok {
			return Request{}, unknownParamError(name)
		}
		if f.Kind == KindList {
			var items []string
			if err := json.Unmarshal(val, &items); err == nil {
				_ = req.SetList(name, items)
				continue
			}
		}
		if f.Kind == KindBool {
			var b bool
			if err := json.Unmarshal(val, &b); err == nil {
				_ = req.Set(name, fmt.Sprint(b))
				continue
			}
		}
		var s string
		if err := json.Unmarshal(val, &s); err != nil {
			want := "a string"
			switch f.Kind {
			case KindList:
				want = "an array of strings"
			case KindBool:
				want = "true or false"
			}
			got := shortJSON(val)
			if f.Kind == KindSecret {
				got = jsonKind(val) // a secret's value is never quoted back
			}
			return Request{}, fmt.Errorf("parameter %s must be %s, got %s", name, want, got)
		}
		_ = req.Set(name, s)
	}
	return req, nil
}

// jsonKind names a JSON value's type without its content.
func jsonKind(b []byte) string {
	switch t := strings.TrimSpace(string(b)); {
	case strings.HasPrefix(t, "["):
		return "an array"
	case strings.HasPrefix(t, "{"):
		return "an object"
	case t == "null":
		return "null"
	case t == "true" || t == "false":
		return "a boolean"
	}
	return "a number"
}

func shortJSON(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}
