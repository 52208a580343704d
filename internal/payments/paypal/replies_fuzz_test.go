package paypal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// replyWith is an HTTP transport on which PayPal answers every call with status and body.
type replyWith struct {
	status int
	body   []byte
}

func (r replyWith) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: r.status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(r.body))}, nil
}

// FuzzPermissionsReplies: whatever PayPal answers, the client does not panic and says what
// it was, read the way PayPal's JSON is meant to be read (here by encoding/json alone): a
// refused verification code ("ack" not Success) is the merchant's to retry (invalid input);
// a grant is the token and secret PayPal sent, both present; a request is PayPal's token,
// present, and the link to grant it; anything else is ours to look into (internal), never
// a success.
func FuzzPermissionsReplies(f *testing.F) {
	for _, body := range []string{
		`{"responseEnvelope":{"ack":"Success"},"token":"AAA","tokenSecret":"SSS","scope":["EXPRESS_CHECKOUT"]}`,
		`{"responseEnvelope":{"ack":"SuccessWithWarning"},"token":"A&B=C"}`,
		`{"responseEnvelope":{"ack":"Failure"},"error":[{"errorId":"520002","message":"Internal error"}]}`,
		`{"responseEnvelope":{"ack":"Failure"}}`,
		`{"responseEnvelope":{"ack":"Success"},"token":"AAA"}`,
		`{"responseEnvelope":{"ack":"Success"}}`, `{"responseEnvelope":{"ack":"SuccessWithWarning"},"token":""}`, // no token: once an empty link
		`{"responseEnvelope":{"ack":"Success"},"token":5}`,
		`{"responseEnvelope":{"ack":5}}`, `<html>busy</html>`, ``, `null`, `{"responseEnvelope":{"ack":"Success"},"token":"\ud800"}`,
	} {
		f.Add(200, []byte(body), true)
		f.Add(200, []byte(body), false)
	}
	f.Add(503, []byte(`{"responseEnvelope":{"ack":"Success"},"token":"AAA","tokenSecret":"SSS"}`), true)
	f.Fuzz(func(t *testing.T, status int, body []byte, verify bool) {
		if status < 100 || status > 999 {
			return // not an HTTP status
		}
		ep := paypal.Endpoints{API: "https://svcs.paypal.example", Web: "https://www.paypal.example"}
		c, err := paypal.NewClient(&http.Client{Transport: replyWith{status, body}}, map[provider.Env]paypal.Endpoints{provider.Sandbox: ep, provider.Live: ep},
			func(context.Context, provider.Env) (paypal.Credentials, error) {
				return paypal.Credentials{UserID: "u", Password: "p", Signature: "s", AppID: "a"}, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		var reply struct {
			ResponseEnvelope struct {
				Ack string `json:"ack"`
			} `json:"responseEnvelope"`
		}
		answered := status == 200 && json.Unmarshal(body, &reply) == nil
		succeeded := answered && (reply.ResponseEnvelope.Ack == "Success" || reply.ResponseEnvelope.Ack == "SuccessWithWarning")
		ctx := context.Background()
		if verify {
			var sent struct {
				Scope       []string `json:"scope"`
				Token       string   `json:"token"`
				TokenSecret string   `json:"tokenSecret"`
			}
			granted := succeeded && json.Unmarshal(body, &sent) == nil && sent.Token != "" && sent.TokenSecret != ""
			g, err := c.Verify(ctx, provider.Sandbox, "REQ-1", "verifier")
			switch code := apperr.CodeOf(err); {
			case granted:
				if err != nil || g.Token != sent.Token || g.TokenSecret != sent.TokenSecret || !slices.Equal(g.Scopes, sent.Scope) {
					t.Fatalf("%d %q: %+v, %v; want the grant sent", status, body, g, err)
				}
			case answered && !succeeded:
				if code != apperr.CodeInvalid || !strings.Contains(err.Error(), "did not confirm") {
					t.Fatalf("%d %q: %v, want the verification refused", status, body, err)
				}
			case err == nil || code != apperr.CodeInternal: // (CodeOf(nil) is internal too)
				t.Fatalf("%d %q: %+v, %v; want an internal error", status, body, g, err)
			}
			return
		}
		var sent struct {
			Token string `json:"token"`
		}
		requested := succeeded && json.Unmarshal(body, &sent) == nil && sent.Token != ""
		req, err := c.Request(ctx, provider.Sandbox, "https://api.example/cb?state=s")
		if !requested {
			if err == nil || apperr.CodeOf(err) != apperr.CodeInternal {
				t.Fatalf("%d %q: %+v, %v; want an internal error", status, body, req, err)
			}
			return
		}
		link, perr := url.Parse(req.GrantURL)
		if err != nil || perr != nil || req.Token != sent.Token || link.Query().Get("request_token") != sent.Token ||
			link.Query().Get("cmd") != "_grant-permission" || link.Host != "www.paypal.example" {
			t.Fatalf("%d %q: %+v, %v; want PayPal's token and its link", status, body, req, err)
		}
	})
}
