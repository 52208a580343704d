package expresscheckout_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	standin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/expresscheckout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

var platform = paypal.Credentials{UserID: "platform_api1.boxoffice.example", Password: "Zq9-platform-password", Signature: "Zq9-platform-signature", AppID: "APP-1"}

type rig struct {
	t      *testing.T
	client *expresscheckout.Client
	server *standin.Server
	url    string
	logs   *bytes.Buffer
}

func newRig(t *testing.T) *rig {
	t.Helper()
	srv := standin.NewServer(platform)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	r := &rig{t: t, server: srv, url: hs.URL, logs: &bytes.Buffer{}}
	ep := paypal.Endpoints{API: hs.URL, Web: hs.URL}
	creds := func(context.Context, provider.Env) (paypal.Credentials, error) { return platform, nil }
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := expresscheckout.NewClient(hs.Client(), map[provider.Env]paypal.Endpoints{provider.Sandbox: ep, provider.Live: ep}, creds, log)
	if err != nil {
		t.Fatal(err)
	}
	r.client = c
	return r
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// grant walks the merchant through the permission flow on the stand-in and returns the
// permission, as the providers function stores it.
func (r *rig) grant() paypal.Permission {
	r.t.Helper()
	ep := paypal.Endpoints{API: r.url, Web: r.url}
	perms, err := paypal.NewClient(nil, map[provider.Env]paypal.Endpoints{provider.Sandbox: ep, provider.Live: ep},
		func(context.Context, provider.Env) (paypal.Credentials, error) { return platform, nil })
	if err != nil {
		r.t.Fatal(err)
	}
	ctx := context.Background()
	req, err := perms.Request(ctx, provider.Sandbox, "https://api.example/cb")
	if err != nil {
		r.t.Fatal(err)
	}
	resp, err := noRedirect.PostForm(r.url+"/cgi-bin/webscr", url.Values{"cmd": {"_grant-permission"}, "request_token": {req.Token}})
	if err != nil {
		r.t.Fatal(err)
	}
	back, _ := url.Parse(resp.Header.Get("Location"))
	g, err := perms.Verify(ctx, provider.Sandbox, req.Token, back.Query().Get("verification_code"))
	if err != nil {
		r.t.Fatal(err)
	}
	return paypal.Permission{Token: g.Token, TokenSecret: g.TokenSecret}
}

func (r *rig) start(perm paypal.Permission, amount int64) expresscheckout.Started {
	r.t.Helper()
	st, err := r.client.SetExpressCheckout(context.Background(), provider.Sandbox, perm, expresscheckout.SetRequest{
		Amount: amount, Currency: "USD", Invoice: "ORD-7", Description: "Workshop",
		ReturnURL: "https://shop.example/return?order=7", CancelURL: "https://shop.example/cancel?order=7",
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

// decide opens the approval page as the browser does, presses decision, and returns where
// PayPal redirects the browser.
func (r *rig) decide(st expresscheckout.Started, decision string) *url.URL {
	r.t.Helper()
	resp, err := http.Get(st.Page.URL)
	if err != nil || resp.StatusCode != http.StatusOK {
		r.t.Fatalf("approval page: %v %v", resp, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action, fields, err := standinpage.ReadForm(string(body))
	if err != nil {
		r.t.Fatal(err)
	}
	fields.Set("decision", decision)
	back, err := noRedirect.PostForm(r.url+action, fields)
	if err != nil || back.StatusCode != http.StatusFound {
		r.t.Fatalf("decision: %v %v", back, err)
	}
	u, _ := url.Parse(back.Header.Get("Location"))
	return u
}

func TestApproveAuthoriseCapture(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	perm := r.grant()
	st := r.start(perm, 2500)
	if st.Page.Method != http.MethodGet || !strings.Contains(st.Page.URL, "cmd=_express-checkout") || !strings.Contains(st.Page.URL, "token="+st.Token) {
		t.Fatalf("page = %+v", st.Page)
	}
	back := r.decide(st, standinpage.Approve)
	if back.Host != "shop.example" || back.Path != "/return" || back.Query().Get("order") != "7" {
		t.Fatalf("approved: back to %s", back)
	}
	ret, err := expresscheckout.ParseReturn(back.Query())
	if err != nil || ret.Token != st.Token {
		t.Fatalf("return = %+v, %v", ret, err)
	}
	d, err := r.client.GetDetails(ctx, provider.Sandbox, perm, ret.Token)
	if err != nil || d.PayerID != ret.PayerID || d.Amount != 2500 || d.Currency != "USD" || d.Invoice != "ORD-7" || d.CheckoutStatus != "PaymentActionNotInitiated" {
		t.Fatalf("details = %+v, %v", d, err)
	}
	pay, err := r.client.DoPayment(ctx, provider.Sandbox, perm, ret, 2500, "USD", "ORD-7", "")
	if err != nil || pay.AuthorizationID == "" || pay.Status != "Pending" || pay.PendingReason != "authorization" || pay.Amount != 2500 {
		t.Fatalf("payment = %+v, %v", pay, err)
	}
	// A retried DoExpressCheckoutPayment is the same message: the same authorisation.
	again, err := r.client.DoPayment(ctx, provider.Sandbox, perm, ret, 2500, "USD", "ORD-7", "")
	if err != nil || again.AuthorizationID != pay.AuthorizationID {
		t.Errorf("retried payment = %+v, %v", again, err)
	}
	if d, _ := r.client.GetDetails(ctx, provider.Sandbox, perm, ret.Token); d.CheckoutStatus != "PaymentActionCompleted" {
		t.Errorf("status after payment = %q", d.CheckoutStatus)
	}
	cp, err := r.client.DoCapture(ctx, provider.Sandbox, perm, pay.AuthorizationID, 2500, "USD", "ORD-7")
	if err != nil || cp.TransactionID == "" || cp.Status != "Completed" || cp.Amount != 2500 {
		t.Fatalf("capture = %+v, %v", cp, err)
	}
	if err := r.client.DoVoid(ctx, provider.Sandbox, perm, pay.AuthorizationID); expresscheckout.ErrorCode(err) != "10602" {
		t.Errorf("void after capture: %v, want 10602", err)
	}
	for _, secret := range []string{platform.Password, platform.Signature, perm.TokenSecret} {
		if strings.Contains(r.logs.String(), secret) {
			t.Errorf("debug log leaks a secret:\n%s", r.logs)
		}
	}
	if !strings.Contains(r.logs.String(), "paypal call") {
		t.Errorf("no debug log line")
	}
}

func TestDeclineCancelVoid(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	perm := r.grant()
	// Declined: PayPal sends the buyer back, and the payment then fails.
	st := r.start(perm, 1000)
	ret, err := expresscheckout.ParseReturn(r.decide(st, standinpage.Decline).Query())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.DoPayment(ctx, provider.Sandbox, perm, ret, 1000, "USD", "ORD-7", ""); expresscheckout.ErrorCode(err) != "10417" || paymentpage.IsRetryable(err) {
		t.Errorf("declined payment: %v, want 10417", err)
	}
	// Cancelled: back to the cancel URL with the token.
	st = r.start(perm, 1000)
	back := r.decide(st, standinpage.Cancel)
	token, err := expresscheckout.ParseCancel(back.Query())
	if back.Path != "/cancel" || err != nil || token != st.Token {
		t.Errorf("cancel: %s %q %v", back, token, err)
	}
	// A forged PayerID is refused; then an authorisation is voided and cannot be captured.
	st = r.start(perm, 1000)
	ret, _ = expresscheckout.ParseReturn(r.decide(st, standinpage.Approve).Query())
	forged := ret
	forged.PayerID = "AAAAAAAAAAAAA"
	if _, err := r.client.DoPayment(ctx, provider.Sandbox, perm, forged, 1000, "USD", "ORD-7", ""); expresscheckout.ErrorCode(err) != "10406" {
		t.Errorf("forged PayerID: %v", err)
	}
	pay, err := r.client.DoPayment(ctx, provider.Sandbox, perm, ret, 1000, "USD", "ORD-7", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.client.DoVoid(ctx, provider.Sandbox, perm, pay.AuthorizationID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.DoCapture(ctx, provider.Sandbox, perm, pay.AuthorizationID, 1000, "USD", "ORD-7"); expresscheckout.ErrorCode(err) != "10600" {
		t.Errorf("capture after void: %v, want 10600", err)
	}
}

func TestPermission(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	req := expresscheckout.SetRequest{Amount: 100, Currency: "USD", Invoice: "I", ReturnURL: "https://s.example/r", CancelURL: "https://s.example/c"}
	if _, err := r.client.SetExpressCheckout(ctx, provider.Sandbox, paypal.Permission{}, req); !errors.Is(err, expresscheckout.ErrNotGranted) {
		t.Errorf("no permission: %v", err)
	}
	perm := r.grant()
	for name, bad := range map[string]paypal.Permission{
		"unknown token": {Token: "access-forged", TokenSecret: perm.TokenSecret},
		"wrong secret":  {Token: perm.Token, TokenSecret: "secret-guess"},
	} {
		if _, err := r.client.SetExpressCheckout(ctx, provider.Sandbox, bad, req); expresscheckout.ErrorCode(err) != "10002" {
			t.Errorf("%s: %v, want 10002", name, err)
		}
	}
	// A signature is good for a while only.
	r.server.SetClock(func() time.Time { return time.Now().Add(time.Hour) })
	if _, err := r.client.SetExpressCheckout(ctx, provider.Sandbox, perm, req); expresscheckout.ErrorCode(err) != "10002" {
		t.Errorf("stale signature: %v, want 10002", err)
	}
	r.server.SetClock(time.Now)
	// Another merchant's checkout is not this one's.
	st := r.start(perm, 100)
	other := r.grant()
	if _, err := r.client.GetDetails(ctx, provider.Sandbox, other, st.Token); expresscheckout.ErrorCode(err) != "10410" {
		t.Errorf("another merchant's token: %v, want 10410", err)
	}
	bad := req
	bad.CancelURL = ""
	if _, err := r.client.SetExpressCheckout(ctx, provider.Sandbox, perm, bad); err == nil {
		t.Error("no cancel URL: accepted")
	}
	if _, err := r.client.DoPayment(ctx, provider.Sandbox, perm, expresscheckout.Return{Token: st.Token, PayerID: "ABCDEFGHIJKLM"}, 100, "USD", "ORD-7", "/webhooks/acme/paypal/ipn"); err == nil {
		t.Error("a relative notify URL: accepted")
	}
}

func TestAuthorizationSignature(t *testing.T) {
	// Computed outside Go (Python's hmac) from PayPal's SDK algorithm.
	got := paypal.Authorization(paypal.Credentials{UserID: "user.test.com", Password: "1234567890"},
		paypal.Permission{Token: "1234567890123456789012345678901234567890", TokenSecret: "1234567890"},
		"POST", "https://api-3t.paypal.com/nvp", time.Unix(1311832612, 0))
	want := "token=1234567890123456789012345678901234567890,signature=IlfIfqAJqgH9sDz+AFIaqQ29+PQ=,timestamp=1311832612"
	if got != want {
		t.Errorf("Authorization = %s\nwant %s", got, want)
	}
	sc, err := paypal.ParseAuthorization(got)
	if err != nil || !sc.Verify(paypal.Credentials{UserID: "user.test.com", Password: "1234567890"},
		paypal.Permission{Token: "1234567890123456789012345678901234567890", TokenSecret: "1234567890"}, "POST", "https://api-3t.paypal.com/nvp") {
		t.Errorf("the header does not verify: %+v %v", sc, err)
	}
	if sc.Verify(paypal.Credentials{UserID: "user.test.com", Password: "1234567890"},
		paypal.Permission{Token: "1234567890123456789012345678901234567890", TokenSecret: "other"}, "POST", "https://api-3t.paypal.com/nvp") {
		t.Error("verified with another secret")
	}
}
