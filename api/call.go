package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
)

// call is the one path every action takes: the SDK signs, sends and
// retries rate refusals; the transport paces every attempt and records the
// answer; then the answer is checked — HTTP 200, the API's JSON, a
// Response with a RequestId and no Error — before Response is decoded
// into out. It returns the RequestId, or an *Error naming the action.
func (c *Client) call(ctx context.Context, action string, params map[string]any, out any) (string, error) {
	return c.callIn(ctx, "", action, params, out)
}

// callIn is call with the common parameter Region (X-TC-Region), which
// the actions on regional resources need (DeployCertificateInstance on
// CLB…); "" sends none, as every other action.
func (c *Client) callIn(ctx context.Context, region, action string, params map[string]any, out any) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ex := &exchange{}
	err := c.sendAction(withExchange(ctx, ex), region, action, params)
	if err != nil {
		e := c.classify(ctx, ex, err)
		e.Action = action
		return e.RequestId, e
	}
	id, e := readAnswer(ex, out)
	if e != nil {
		e.Action = action
		return id, e
	}
	return id, nil
}

// sendAction hands one action to the SDK. A panic inside the SDK (it has
// panicked on a body of `null`) becomes a transport error: the request may
// have been sent, so it must never look like a local input problem. A
// region goes in the X-TC-Region header, as the SDK's clients send theirs
// (a header the signature does not cover).
func (c *Client) sendAction(ctx context.Context, region, action string, params map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errSDKPanic, r)
		}
	}()
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("encode %s request: %w", action, err)
	}
	creq := tchttp.NewCommonRequest(Service, Version, action)
	if err := creq.SetActionParameters(body); err != nil {
		return fmt.Errorf("encode %s request: %w", action, err)
	}
	if region != "" {
		creq.SetHeader(map[string]string{"X-TC-Region": region})
	}
	creq.SetContext(ctx)
	return c.sdk.Send(creq, tchttp.NewCommonResponse())
}

// readAnswer checks an answer the SDK accepted and decodes its Response.
// No message quotes the body: a detail answer carries the private key
// Tencent made, and a message ends up on screens, in --json and in logs.
func readAnswer(ex *exchange, out any) (string, *Error) {
	if ex.status != http.StatusOK {
		return "", httpError(ex)
	}
	var env struct {
		Response json.RawMessage `json:"Response"`
	}
	if err := json.Unmarshal(ex.body, &env); err != nil {
		return "", &Error{Code: CodeMalformed, Message: "the answer is not the API's JSON (" + sized(ex.body) + ")"}
	}
	if len(env.Response) == 0 || string(env.Response) == "null" || env.Response[0] != '{' {
		return "", &Error{Code: CodeMalformed, Message: "the answer has no Response object"}
	}
	var head struct {
		RequestId string          `json:"RequestId"`
		Error     json.RawMessage `json:"Error"`
	}
	if err := json.Unmarshal(env.Response, &head); err != nil {
		return "", &Error{Code: CodeMalformed, Message: "the answer's Response is not readable: " + typeProblem(err, &head)}
	}
	if len(head.Error) > 0 {
		// An Error the SDK let through (no Code, or null) is not a success.
		return head.RequestId, &Error{Code: CodeMalformed, RequestId: head.RequestId, Message: "the answer carries an Error without a code"}
	}
	if head.RequestId == "" {
		return "", &Error{Code: CodeMalformed, Message: "the answer has no Response.RequestId"}
	}
	if out != nil {
		if err := json.Unmarshal(env.Response, out); err != nil {
			return head.RequestId, &Error{Code: CodeMalformed, RequestId: head.RequestId, Message: "the answer's fields are not as documented: " + typeProblem(err, out)}
		}
	}
	return head.RequestId, nil
}

// otherCertificate refuses an answer about another certificate than the
// one asked for: it is no answer to the request, like any unreadable one.
// Actions whose answer may leave the certificate out pass the one asked
// for when it does.
func otherCertificate(action, requestID, asked, named string) error {
	if named == asked {
		return nil
	}
	return &Error{Code: CodeMalformed, Action: action, RequestId: requestID,
		Message: fmt.Sprintf("the answer names certificate %.64q, not %q that was asked for", named, asked)}
}

// typeProblem says which field of the answer decoded into out had which
// JSON type, never its value.
func typeProblem(err error, out any) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return "a value of another type than documented"
	}
	field := answerPath(reflect.TypeOf(out), te.Field)
	if field == "" {
		field = "Response"
	}
	// Value is the JSON type, with a number's digits after a space.
	got, _, _ := strings.Cut(te.Value, " ")
	if got == "bool" {
		got = "boolean"
	}
	want := heldKind(te.Type)
	if got == want {
		got += " out of range"
	}
	return fmt.Sprintf("field %q: got %s, want %s", field, got, want)
}

// answerPath is encoding/json's path of a field in the answer's own
// names: the path also names the embedded structs (Certificate.IsDv),
// which the answer does not have.
func answerPath(t reflect.Type, path string) string {
	var names []string
	for _, name := range strings.Split(path, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			t = t.Elem()
		}
		if t != nil && t.Kind() == reflect.Struct {
			if f, ok := t.FieldByName(name); ok && f.Anonymous {
				t = f.Type
				continue
			}
			t = fieldType(t, name)
		}
		names = append(names, name)
	}
	return strings.Join(names, ".")
}

// fieldType is the type of the field the answer's name fills in struct t
// (its json tag, or its Go name, in any case), or nil.
func fieldType(t reflect.Type, name string) reflect.Type {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			if ft := fieldType(f.Type, name); ft != nil {
				return ft
			}
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			return f.Type
		}
	}
	return nil
}

// heldKind names the JSON type a Go type holds.
func heldKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.Kind().String()
}

// httpError is an answer with an HTTP error status. A proxy's or web
// server's page says what went wrong, and is shown (clipped); a JSON body
// may be the API's answer, with its secrets, and is not.
func httpError(ex *exchange) *Error {
	msg := fmt.Sprintf("HTTP %d %s", ex.status, http.StatusText(ex.status))
	if b := bytes.TrimSpace(ex.body); len(b) > 0 && !json.Valid(b) {
		msg += ": " + clip(b)
	} else {
		msg += " (" + sized(ex.body) + ")"
	}
	return &Error{Code: CodeHTTPStatus, Status: ex.status, Message: msg}
}

func clip(b []byte) string {
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// sized says how large a body was, without showing it.
func sized(b []byte) string {
	if len(bytes.TrimSpace(b)) == 0 {
		return "empty body"
	}
	return fmt.Sprintf("a body of %d bytes, not shown", len(b))
}
