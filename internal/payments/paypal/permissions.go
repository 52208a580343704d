// Package paypal talks to PayPal's Permissions API, through which a merchant grants the
// platform the right to run Express Checkout on their account: RequestPermissions returns a
// request token; the merchant grants it on PayPal's site (cmd=_grant-permission); PayPal
// sends the merchant back to the callback with a verification code, which GetAccessToken
// exchanges for the access token and token secret.
package paypal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Endpoints are one PayPal environment's hosts: the API (svcs.*) and the site the merchant
// visits (www.*).
type Endpoints struct {
	API string
	Web string
}

// Credentials are the platform's own PayPal API credentials (classic API signature) and
// application ID, which every Permissions API call is made with.
type Credentials struct {
	UserID    string `json:"userId"`
	Password  string `json:"password"`
	Signature string `json:"signature"`
	AppID     string `json:"appId"`
}

// Scopes are the permissions Boxoffice asks for: taking payments, capturing authorised
// ones, and refunding them.
var Scopes = []string{"EXPRESS_CHECKOUT", "AUTH_CAPTURE", "REFUND"}

// Client is a setup.Permissions over PayPal's Permissions API.
type Client struct {
	http        paymentpage.Doer
	endpoints   map[provider.Env]Endpoints
	credentials func(ctx context.Context, env provider.Env) (Credentials, error)
}

var _ setup.Permissions = (*Client)(nil)

// NewClient returns a client of the given environments; credentials supplies the platform's
// credentials per environment (read from the secret store, not from configuration).
func NewClient(hc *http.Client, endpoints map[provider.Env]Endpoints, credentials func(context.Context, provider.Env) (Credentials, error)) (*Client, error) {
	for _, env := range []provider.Env{provider.Sandbox, provider.Live} {
		e := endpoints[env]
		if e.API == "" || e.Web == "" {
			return nil, fmt.Errorf("paypal: the API and web endpoints of %s are required", env)
		}
	}
	if credentials == nil {
		return nil, fmt.Errorf("paypal: a credentials source is required")
	}
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{http: hc, endpoints: endpoints, credentials: credentials}, nil
}

// Request asks for the merchant's permission and returns the link to grant it.
func (c *Client) Request(ctx context.Context, env provider.Env, callbackURL string) (setup.PermissionRequest, error) {
	form := url.Values{"callback": {callbackURL}}
	for i, s := range Scopes {
		form.Set(fmt.Sprintf("scope(%d)", i), s)
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, env, "RequestPermissions", form, &out); err != nil {
		// Refused here means the platform's own credentials or setup are wrong: ours to fix.
		return setup.PermissionRequest{}, apperr.Internal(err)
	}
	if out.Token == "" {
		// A link without a token would send the merchant to a grant page that grants nothing.
		return setup.PermissionRequest{}, unavailable("RequestPermissions", fmt.Errorf("no token in the answer"))
	}
	grant := c.endpoints[env].Web + "/cgi-bin/webscr?" + url.Values{"cmd": {"_grant-permission"}, "request_token": {out.Token}}.Encode()
	return setup.PermissionRequest{Token: out.Token, GrantURL: grant}, nil
}

// Verify exchanges the request token and the verification code for the access token.
func (c *Client) Verify(ctx context.Context, env provider.Env, requestToken, verifier string) (setup.Grant, error) {
	var out struct {
		Scope       []string `json:"scope"`
		Token       string   `json:"token"`
		TokenSecret string   `json:"tokenSecret"`
	}
	if err := c.call(ctx, env, "GetAccessToken", url.Values{"token": {requestToken}, "verifier": {verifier}}, &out); err != nil {
		if r, ok := err.(*refused); ok {
			return setup.Grant{}, apperr.New(apperr.CodeInvalid, "PayPal did not confirm the permission (%s); ask for a new link", r.reason)
		}
		return setup.Grant{}, err
	}
	if out.Token == "" || out.TokenSecret == "" {
		return setup.Grant{}, apperr.Internal(fmt.Errorf("paypal GetAccessToken: no token in the answer"))
	}
	return setup.Grant{Token: out.Token, TokenSecret: out.TokenSecret, Scopes: out.Scope}, nil
}

// envelope is the part of every answer that says whether the call succeeded.
type envelope struct {
	ResponseEnvelope struct {
		Ack string `json:"ack"`
	} `json:"responseEnvelope"`
	Error []struct {
		ErrorID string `json:"errorId"`
		Message string `json:"message"`
	} `json:"error"`
}

// call posts a name-value request and decodes the JSON answer.
func (c *Client) call(ctx context.Context, env provider.Env, op string, form url.Values, out any) error {
	creds, err := c.credentials(ctx, env)
	if err != nil {
		return err
	}
	form.Set("requestEnvelope.errorLanguage", "en_US")
	raw, err := paymentpage.Post(ctx, c.http, paymentpage.Call{
		Provider: "paypal", Op: op, URL: c.endpoints[env].API + "/Permissions/" + op,
		ContentType: "application/x-www-form-urlencoded", Body: form.Encode(),
		Header: http.Header{
			"X-Paypal-Security-Userid":      {creds.UserID},
			"X-Paypal-Security-Password":    {creds.Password},
			"X-Paypal-Security-Signature":   {creds.Signature},
			"X-Paypal-Application-Id":       {creds.AppID},
			"X-Paypal-Request-Data-Format":  {"NV"},
			"X-Paypal-Response-Data-Format": {"JSON"},
		},
	})
	if err != nil {
		return unavailable(op, err)
	}
	var env2 envelope
	if json.Unmarshal(raw, &env2) != nil {
		return unavailable(op, fmt.Errorf("the answer is not JSON"))
	}
	if ack := env2.ResponseEnvelope.Ack; ack != "Success" && ack != "SuccessWithWarning" {
		msg := "no reason given"
		if len(env2.Error) > 0 {
			msg = env2.Error[0].ErrorID + " " + env2.Error[0].Message
		}
		return &refused{op: op, reason: msg}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return unavailable(op, err)
	}
	return nil
}

// refused is PayPal's answer "Failure" to a call.
type refused struct{ op, reason string }

func (r *refused) Error() string { return "paypal " + r.op + " refused: " + r.reason }

func unavailable(op string, err error) error {
	return apperr.Internal(fmt.Errorf("paypal %s: %w", op, err))
}
