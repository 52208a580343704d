package paypal_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	standin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

var platform = paypal.Credentials{UserID: "platform_api1.boxoffice.example", Password: "pw", Signature: "sig", AppID: "APP-80W284485P519543T"}

func client(t *testing.T, creds paypal.Credentials) (*paypal.Client, string) {
	t.Helper()
	hs := httptest.NewServer(standin.NewServer(platform))
	t.Cleanup(hs.Close)
	ep := paypal.Endpoints{API: hs.URL, Web: hs.URL}
	c, err := paypal.NewClient(hs.Client(), map[provider.Env]paypal.Endpoints{provider.Sandbox: ep, provider.Live: ep},
		func(context.Context, provider.Env) (paypal.Credentials, error) { return creds, nil })
	if err != nil {
		t.Fatal(err)
	}
	return c, hs.URL
}

// TestPermissionFlow: request, grant on the merchant page, callback, exchange.
func TestPermissionFlow(t *testing.T) {
	c, _ := client(t, platform)
	ctx := context.Background()
	callback := "https://api.boxoffice.example/providers/paypal/permission/callback?state=abc"
	req, err := c.Request(ctx, provider.Sandbox, callback)
	if err != nil {
		t.Fatal(err)
	}
	if req.Token == "" || !strings.Contains(req.GrantURL, "cmd=_grant-permission") || !strings.Contains(req.GrantURL, url.QueryEscape(req.Token)) {
		t.Fatalf("request = %+v", req)
	}
	// The merchant opens the link and presses Grant; PayPal redirects to the callback.
	page, err := http.Get(req.GrantURL)
	if err != nil || page.StatusCode != 200 || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("grant page: %v %v", page, err)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	granted, err := noRedirect.PostForm(strings.Split(req.GrantURL, "?")[0], url.Values{"cmd": {"_grant-permission"}, "request_token": {req.Token}})
	if err != nil || granted.StatusCode != http.StatusFound {
		t.Fatalf("grant: %v %v", granted, err)
	}
	back, _ := url.Parse(granted.Header.Get("Location"))
	q := back.Query()
	if q.Get("state") != "abc" || q.Get("request_token") != req.Token || q.Get("verification_code") == "" {
		t.Fatalf("callback = %s", back)
	}
	// A wrong verifier is refused as the client's mistake; the right one gives the token.
	if _, err := c.Verify(ctx, provider.Sandbox, req.Token, "wrong"); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("wrong verifier: %v", err)
	}
	grant, err := c.Verify(ctx, provider.Sandbox, req.Token, q.Get("verification_code"))
	if err != nil {
		t.Fatal(err)
	}
	if grant.Token == "" || grant.TokenSecret == "" || len(grant.Scopes) != len(paypal.Scopes) {
		t.Errorf("grant = token %t, secret %t, scopes %v", grant.Token != "", grant.TokenSecret != "", grant.Scopes)
	}
	if _, err := c.Verify(ctx, provider.Sandbox, req.Token, q.Get("verification_code")); err == nil {
		t.Error("a verification code was exchanged twice")
	}
}

func TestWrongPlatformCredentials(t *testing.T) {
	bad := platform
	bad.Signature = "forged"
	c, _ := client(t, bad)
	_, err := c.Request(context.Background(), provider.Sandbox, "https://x.example/cb")
	if apperr.CodeOf(err) != apperr.CodeInternal {
		t.Errorf("refused platform credentials should be our fault (internal), got %v", err)
	}
}
