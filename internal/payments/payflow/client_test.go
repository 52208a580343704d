package payflow_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	standin "github.com/boxofficehq/boxoffice/infra/payflow"
	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

var merchant = payflow.Credentials{Partner: "PayPal", Vendor: "acme", User: "acme-api", Password: "Zq9-merchant-password"}

type rig struct {
	t      *testing.T
	client *payflow.Client
	server *standin.Server
	url    string
	logs   *bytes.Buffer
	posted chan url.Values // silent posts
}

func newRig(t *testing.T) *rig {
	t.Helper()
	srv := standin.NewServer(merchant)
	r := &rig{t: t, server: srv, logs: &bytes.Buffer{}, posted: make(chan url.Values, 4)}
	srv.SilentPost = func(_ context.Context, _ string, f url.Values) { r.posted <- f }
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	r.url = hs.URL
	ep := payflow.Endpoints{API: hs.URL, Page: hs.URL + standin.PagePath}
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := payflow.NewClient(hs.Client(), map[provider.Env]payflow.Endpoints{provider.Sandbox: ep, provider.Live: ep}, log)
	if err != nil {
		t.Fatal(err)
	}
	r.client = c
	return r
}

func (r *rig) token(amount int64) payflow.SecureToken {
	r.t.Helper()
	tok, err := r.client.CreateSecureToken(context.Background(), provider.Sandbox, merchant, payflow.TokenRequest{
		TokenID: payflow.NewTokenID(), Amount: amount, Currency: "USD", Invoice: "ORD-1",
		ReturnURL: "https://shop.example/return", CancelURL: "https://shop.example/cancel", ErrorURL: "https://shop.example/error",
		SilentPostURL: "https://api.example/webhooks/payflow",
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return tok
}

// pay opens the hosted page the way the browser does (posting the token's form), presses
// decision, and returns where the page posts the browser on and with what.
func (r *rig) pay(tok payflow.SecureToken, decision string) (string, url.Values) {
	r.t.Helper()
	form := url.Values{}
	for _, f := range tok.Page.Fields {
		form.Add(f.Name, f.Value)
	}
	target, result, err := standin.Buy(http.DefaultClient, tok.Page.URL, form, decision)
	if err != nil {
		r.t.Fatal(err)
	}
	return target, result
}

// paid is a token paid on the page with decision, where the page sent the browser, and
// the return it posted.
func (r *rig) paid(amount int64, decision string) (payflow.SecureToken, string, payflow.Return) {
	r.t.Helper()
	tok := r.token(amount)
	target, fields := r.pay(tok, decision)
	ret, err := payflow.ParseReturn(fields)
	if err != nil {
		r.t.Fatal(err)
	}
	return tok, target, ret
}

func TestApproveConfirmCapture(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	tok := r.token(1234)
	if tok.Page.Method != http.MethodPost || tok.Page.Value("SECURETOKEN") != tok.Token || tok.Page.Value("SECURETOKENID") != tok.TokenID || tok.Page.Value("MODE") != "TEST" {
		t.Fatalf("page = %+v", tok.Page)
	}
	target, fields := r.pay(tok, standinpage.Approve)
	if target != "https://shop.example/return" {
		t.Fatalf("approved: posted to %s", target)
	}
	ret, err := payflow.ParseReturn(fields)
	if err != nil || ret.Result != 0 || ret.PNREF == "" || ret.Amount != "12.34" || ret.Invoice != "ORD-1" {
		t.Fatalf("return = %+v, %v", ret, err)
	}
	if silent := <-r.posted; silent.Get("PNREF") != ret.PNREF || silent.Get("SECURETOKENID") != tok.TokenID {
		t.Errorf("silent post = %v", silent)
	}
	want := payflow.Expected{Token: tok.Token, TokenID: tok.TokenID, Amount: 1234, Currency: "USD"}
	auth, err := r.client.Confirm(ctx, provider.Sandbox, merchant, ret, want)
	if err != nil || auth.PNREF != ret.PNREF || auth.Amount != 1234 {
		t.Fatalf("confirm = %+v, %v", auth, err)
	}
	// The same post for a cheaper order, or naming another transaction, is not trusted.
	cheaper := want
	cheaper.Amount = 100
	if _, err := r.client.Confirm(ctx, provider.Sandbox, merchant, ret, cheaper); !errors.Is(err, payflow.ErrMismatch) {
		t.Errorf("wrong amount: %v", err)
	}
	forged := ret
	forged.PNREF = "EOTHER000001"
	if _, err := r.client.Confirm(ctx, provider.Sandbox, merchant, forged, want); !errors.Is(err, payflow.ErrMismatch) {
		t.Errorf("other PNREF: %v", err)
	}
	capture, err := r.client.Capture(ctx, provider.Sandbox, merchant, auth.PNREF, 1234, "USD")
	if err != nil || capture == "" || capture == auth.PNREF {
		t.Fatalf("capture = %q, %v", capture, err)
	}
	// A retried capture is the same request: the same answer, not a refusal.
	again, err := r.client.Capture(ctx, provider.Sandbox, merchant, auth.PNREF, 1234, "USD")
	if err != nil || again != capture {
		t.Errorf("retried capture = %q, %v; want %q", again, err, capture)
	}
	if _, err := r.client.Void(ctx, provider.Sandbox, merchant, auth.PNREF); payflow.ResultCode(err) != 108 {
		t.Errorf("void after capture: %v, want RESULT 108", err)
	}
	// The page does not take a paid token again.
	form := url.Values{"SECURETOKEN": {tok.Token}, "SECURETOKENID": {tok.TokenID}}
	if resp, err := http.PostForm(tok.Page.URL, form); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("paid token's page: %v %v", resp, err)
	}
	if strings.Contains(r.logs.String(), merchant.Password) || !strings.Contains(r.logs.String(), "payflow call") {
		t.Errorf("debug log leaks the password or logs nothing:\n%s", r.logs)
	}
}

func TestDeclineAndCancel(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	tok, target, ret := r.paid(500, standinpage.Decline)
	if target != "https://shop.example/error" || ret.Result != 12 {
		t.Fatalf("declined: %s %+v", target, ret)
	}
	// Payflow posts a Silent Post for a transaction that succeeds only; the stand-in posts
	// it before it answers the browser, so one for the decline would be here already.
	select {
	case p := <-r.posted:
		t.Errorf("a Silent Post for a decline: %v", p)
	default:
	}
	want := payflow.Expected{Token: tok.Token, TokenID: tok.TokenID, Amount: 500, Currency: "USD"}
	if _, err := r.client.Confirm(ctx, provider.Sandbox, merchant, ret, want); payflow.ResultCode(err) != 12 {
		t.Errorf("confirm of a decline: %v, want RESULT 12", err)
	}
	// A forged approval of the declined token is refused too.
	forged := ret
	forged.Result = 0
	if _, err := r.client.Confirm(ctx, provider.Sandbox, merchant, forged, want); payflow.ResultCode(err) != 12 {
		t.Errorf("forged approval: %v", err)
	}
	// The buyer may try again, or cancel: the cancel URL gets the token ID.
	target, fields := r.pay(tok, standinpage.Cancel)
	id, err := payflow.ParseCancel(fields)
	if target != "https://shop.example/cancel" || err != nil || id != tok.TokenID {
		t.Errorf("cancel: %s %q %v", target, id, err)
	}
	// An approval no transaction stands behind is not believed.
	fresh := r.token(500)
	fake := payflow.Return{Result: 0, PNREF: "EFAKE0000001", Token: fresh.Token, TokenID: fresh.TokenID}
	if _, err := r.client.Confirm(ctx, provider.Sandbox, merchant, fake, payflow.Expected{Token: fresh.Token, TokenID: fresh.TokenID, Amount: 500, Currency: "USD"}); !errors.Is(err, payflow.ErrMismatch) {
		t.Errorf("approval of an unpaid token: %v", err)
	}
}

func TestVoidThenNoCapture(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	_, _, ret := r.paid(999, standinpage.Approve)
	if _, err := r.client.Void(ctx, provider.Sandbox, merchant, ret.PNREF); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.Capture(ctx, provider.Sandbox, merchant, ret.PNREF, 999, "USD"); payflow.ResultCode(err) != 111 {
		t.Errorf("capture after void: %v, want RESULT 111", err)
	}
	if _, err := r.client.Capture(ctx, provider.Sandbox, merchant, "ENOSUCH00000", 999, "USD"); payflow.ResultCode(err) != payflow.ResultNotFound {
		t.Errorf("capture of an unknown PNREF: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	req := payflow.TokenRequest{TokenID: payflow.NewTokenID(), Amount: 100, Currency: "USD", Invoice: "ORD-2",
		ReturnURL: "https://shop.example/r", CancelURL: "https://shop.example/c"}
	wrong := merchant
	wrong.Password = "guess"
	if _, err := r.client.CreateSecureToken(ctx, provider.Sandbox, wrong, req); payflow.ResultCode(err) != 1 || paymentpage.IsRetryable(err) {
		t.Errorf("wrong password: %v, want RESULT 1", err)
	}
	if _, err := r.client.CreateSecureToken(ctx, provider.Sandbox, merchant, req); err != nil {
		t.Fatal(err)
	}
	// A token ID is used once; the same request again would be answered alike, so change it.
	req.Amount = 200
	if _, err := r.client.CreateSecureToken(ctx, provider.Sandbox, merchant, req); payflow.ResultCode(err) != 7 {
		t.Errorf("token ID used twice: %v, want RESULT 7", err)
	}
	for name, bad := range map[string]payflow.TokenRequest{
		"short token ID": {TokenID: "abc", Amount: 1, Currency: "USD", Invoice: "I", ReturnURL: req.ReturnURL, CancelURL: req.CancelURL},
		"zero amount":    {TokenID: payflow.NewTokenID(), Currency: "USD", Invoice: "I", ReturnURL: req.ReturnURL, CancelURL: req.CancelURL},
		"relative URL":   {TokenID: payflow.NewTokenID(), Amount: 1, Currency: "USD", Invoice: "I", ReturnURL: "/r", CancelURL: req.CancelURL},
		"bad currency":   {TokenID: payflow.NewTokenID(), Amount: 1, Currency: "usd", Invoice: "I", ReturnURL: req.ReturnURL, CancelURL: req.CancelURL},
	} {
		if _, err := r.client.CreateSecureToken(ctx, provider.Sandbox, merchant, bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestTokenExpires(t *testing.T) {
	r := newRig(t)
	tok := r.token(100)
	now := time.Now()
	r.server.SetClock(func() time.Time { return now.Add(payflow.TokenLifetime + time.Minute) })
	resp, err := http.PostForm(tok.Page.URL, url.Values{"SECURETOKEN": {tok.Token}, "SECURETOKENID": {tok.TokenID}})
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("expired token's page: %v %v", resp, err)
	}
}

func TestLivePageHasNoTestMode(t *testing.T) {
	r := newRig(t)
	tok, err := r.client.CreateSecureToken(context.Background(), provider.Live, merchant, payflow.TokenRequest{
		TokenID: payflow.NewTokenID(), Amount: 100, Currency: "USD", Invoice: "ORD-3",
		ReturnURL: "https://shop.example/r", CancelURL: "https://shop.example/c",
	})
	if err != nil || tok.Page.Value("MODE") != "" {
		t.Errorf("live page = %+v, %v", tok.Page, err)
	}
	if payflow.Hosts[provider.Sandbox].API != "https://pilot-payflowpro.paypal.com" || payflow.Hosts[provider.Live].API != "https://payflowpro.paypal.com" {
		t.Errorf("hosts = %+v", payflow.Hosts)
	}
}

// The Gateway guide asks for a secure token ID of up to 36 alphanumeric characters: ours
// are 36 letters and digits, and not the same twice.
func TestNewTokenIDIsAlphanumeric(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := payflow.NewTokenID()
		if len(id) != 36 || strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != "" || seen[id] {
			t.Fatalf("NewTokenID() = %q", id)
		}
		seen[id] = true
	}
}
