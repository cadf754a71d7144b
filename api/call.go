package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
)

// call is the one path every action takes: the SDK signs, sends and
// retries rate refusals; the transport paces every attempt and records the
// answer; then the answer is checked — HTTP 200, the API's JSON, a
// Response with a RequestId and no Error — before Response is decoded
// into out. It returns the RequestId, or an *Error naming the action.
func (c *Client) call(ctx context.Context, action string, params map[string]any, out any) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ex := &exchange{}
	err := c.sendAction(withExchange(ctx, ex), action, params)
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
// have been sent, so it must never look like a local input problem.
func (c *Client) sendAction(ctx context.Context, action string, params map[string]any) (err error) {
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
	creq.SetContext(ctx)
	return c.sdk.Send(creq, tchttp.NewCommonResponse())
}

// readAnswer checks an answer the SDK accepted and decodes its Response.
func readAnswer(ex *exchange, out any) (string, *Error) {
	if ex.status != http.StatusOK {
		return "", &Error{Code: CodeHTTPStatus, Status: ex.status, Message: fmt.Sprintf("HTTP %d %s: %s", ex.status, http.StatusText(ex.status), clip(ex.body))}
	}
	var env struct {
		Response json.RawMessage `json:"Response"`
	}
	if err := json.Unmarshal(ex.body, &env); err != nil {
		return "", &Error{Code: CodeMalformed, Message: "the answer is not the API's JSON: " + clip(ex.body)}
	}
	if len(env.Response) == 0 || string(env.Response) == "null" || env.Response[0] != '{' {
		return "", &Error{Code: CodeMalformed, Message: "the answer has no Response object: " + clip(ex.body)}
	}
	var head struct {
		RequestId string          `json:"RequestId"`
		Error     json.RawMessage `json:"Error"`
	}
	if err := json.Unmarshal(env.Response, &head); err != nil {
		return "", &Error{Code: CodeMalformed, Message: "the answer's Response is not readable: " + clip(ex.body)}
	}
	if len(head.Error) > 0 {
		// An Error the SDK let through (no Code, or null) is not a success.
		return head.RequestId, &Error{Code: CodeMalformed, RequestId: head.RequestId, Message: "the answer carries an Error without a code: " + clip(ex.body)}
	}
	if head.RequestId == "" {
		return "", &Error{Code: CodeMalformed, Message: "the answer has no Response.RequestId: " + clip(ex.body)}
	}
	if out != nil {
		if err := json.Unmarshal(env.Response, out); err != nil {
			return head.RequestId, &Error{Code: CodeMalformed, RequestId: head.RequestId, Message: fmt.Sprintf("the answer's fields are not as documented (%v): %s", err, clip(ex.body))}
		}
	}
	return head.RequestId, nil
}
