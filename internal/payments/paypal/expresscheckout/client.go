// Package expresscheckout is a client of PayPal Express Checkout (NVP API) on a merchant's
// account through the API permission the merchant granted the platform: SetExpressCheckout
// of an authorisation (PAYMENTREQUEST_0_PAYMENTACTION=Authorization), the buyer's approval
// on PayPal, then on return GetExpressCheckoutDetails and DoExpressCheckoutPayment, and
// later DoCapture or DoVoid of the authorisation. Every call is signed with the platform's
// API credentials and the merchant's permission token (X-PP-AUTHORIZATION).
package expresscheckout

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Version is the NVP API version the client speaks.
const Version = "124.0"

// Hosts are PayPal's: the signature API (api-3t) and the site the buyer approves on.
var Hosts = map[provider.Env]paypal.Endpoints{
	provider.Sandbox: {API: "https://api-3t.sandbox.paypal.com", Web: "https://www.sandbox.paypal.com"},
	provider.Live:    {API: "https://api-3t.paypal.com", Web: "https://www.paypal.com"},
}

// ErrNotGranted reports a merchant who has not granted the platform the API permission (or
// whose grant holds in the other environment): no call is made.
var ErrNotGranted = errors.New("paypal: the merchant has not granted the Express Checkout API permission")

// Client calls the Express Checkout NVP API.
type Client struct {
	hc        paymentpage.Doer
	endpoints map[provider.Env]paypal.Endpoints
	platform  func(context.Context, provider.Env) (paypal.Credentials, error)
	log       *slog.Logger
	now       func() time.Time
}

// NewClient returns a client of the given environments (Hosts for PayPal's own); platform
// supplies the platform's API credentials per environment. log gets one debug line per
// call, never a credential.
func NewClient(hc paymentpage.Doer, endpoints map[provider.Env]paypal.Endpoints, platform func(context.Context, provider.Env) (paypal.Credentials, error), log *slog.Logger) (*Client, error) {
	if platform == nil {
		return nil, fmt.Errorf("expresscheckout: a platform credentials source is required")
	}
	log, err := paymentpage.Check("expresscheckout", hc, endpoints, func(e paypal.Endpoints) bool { return e.API != "" && e.Web != "" }, log)
	if err != nil {
		return nil, err
	}
	return &Client{hc: hc, endpoints: endpoints, platform: platform, log: log, now: time.Now}, nil
}

// Retried PayPal errors: an internal error and a transaction refused because of a
// temporary processing problem.
var transient = map[string]bool{"10001": true, "10445": true}

// call sends one NVP call on the merchant's account and returns the reply when ACK is
// Success (or SuccessWithWarning).
func (c *Client) call(ctx context.Context, env provider.Env, perm paypal.Permission, method string, form url.Values) (url.Values, error) {
	if perm.Token == "" || perm.TokenSecret == "" {
		return nil, ErrNotGranted
	}
	ep, ok := c.endpoints[env]
	if !ok {
		return nil, fmt.Errorf("expresscheckout: unknown environment %q", env)
	}
	platform, err := c.platform(ctx, env)
	if err != nil {
		return nil, err
	}
	endpoint := ep.API + "/nvp"
	form.Set("METHOD", method)
	form.Set("VERSION", Version)
	started := c.now()
	raw, err := paymentpage.Post(ctx, c.hc, paymentpage.Call{
		Provider: "paypal", Op: method, URL: endpoint, ContentType: "application/x-www-form-urlencoded", Body: form.Encode(),
		Header: map[string][]string{paypal.AuthorizationHeader: {paypal.Authorization(platform, perm, "POST", endpoint, started)}},
	})
	if err != nil {
		c.log.DebugContext(ctx, "paypal call failed", "method", method, "env", env, "error", err)
		return nil, err
	}
	reply, err := url.ParseQuery(string(raw))
	if err != nil {
		return nil, &paymentpage.Unavailable{Provider: "paypal", Op: method, Err: fmt.Errorf("the reply is not name-value pairs")}
	}
	ack := reply.Get("ACK")
	c.log.DebugContext(ctx, "paypal call", "method", method, "env", env, "ack", ack, "error_code", reply.Get("L_ERRORCODE0"),
		"correlation_id", reply.Get("CORRELATIONID"), "took", c.now().Sub(started))
	switch ack {
	case "Success", "SuccessWithWarning":
		return reply, nil
	case "Failure", "FailureWithWarning":
		code := reply.Get("L_ERRORCODE0")
		if transient[code] {
			return nil, &paymentpage.Unavailable{Provider: "paypal", Op: method, Retryable: true, Err: fmt.Errorf("%s %s", code, reply.Get("L_LONGMESSAGE0"))}
		}
		return nil, &paymentpage.Refused{Provider: "paypal", Op: method, Code: code, Message: reply.Get("L_LONGMESSAGE0")}
	}
	return nil, &paymentpage.Unavailable{Provider: "paypal", Op: method, Err: fmt.Errorf("ACK %q", ack)}
}

// ErrorCode returns PayPal's L_ERRORCODE0 of a refusal, or "" when err is not one.
func ErrorCode(err error) string {
	if r, ok := paymentpage.IsRefused(err); ok && r.Provider == "paypal" {
		return r.Code
	}
	return ""
}

// messageID is the MSGSUBID of a call that changes something: the same call again is the
// same message, which PayPal performs once.
func messageID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func unusable(method, what string) error {
	return &paymentpage.Unavailable{Provider: "paypal", Op: method, Err: errors.New("the reply has " + what)}
}
