package webhooks

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	standin "github.com/boxofficehq/boxoffice/infra/payflow"
	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

var (
	pfMerchant = payflow.Credentials{Partner: "PayPal", Vendor: "acme", User: "acme-api", Password: "pf-password"}
	pfSetup    = &provider.Setup{Kind: provider.PayflowPro, Currency: "USD", PartnerID: "PayPal", Vendor: "acme", UserID: "acme-api", SecretRef: "pf-secret"}
)

type fakePayflowOrders struct {
	payflowOrder func(site, tokenID string) (checkout.Order, *provider.Setup, bool, error)
}

func (f fakePayflowOrders) PayflowOrder(_ context.Context, site, tokenID string) (checkout.Order, *provider.Setup, bool, error) {
	return f.payflowOrder(site, tokenID)
}

// pfRig is a Payflow stand-in the real client confirms Silent Posts with, and acme's
// pending order of 49.00 USD paid on its hosted page.
type pfRig struct {
	t         *testing.T
	gateway   *httptest.Server
	client    *payflow.Client
	order     checkout.Order
	silent    url.Values // the last Silent Post the stand-in sent
	secretErr error
	notified  []checkout.Notice
}

func newPFRig(t *testing.T) *pfRig {
	t.Helper()
	r := &pfRig{t: t}
	srv := standin.NewServer(pfMerchant)
	srv.SilentPost = func(_ context.Context, _ string, f url.Values) { r.silent = f }
	r.gateway = httptest.NewServer(srv)
	t.Cleanup(r.gateway.Close)
	ep := payflow.Endpoints{API: r.gateway.URL, Page: r.gateway.URL + standin.PagePath}
	c, err := payflow.NewClient(r.gateway.Client(), map[provider.Env]payflow.Endpoints{provider.Sandbox: ep, provider.Live: ep}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.client = c
	tok, err := c.CreateSecureToken(context.Background(), provider.Sandbox, pfMerchant, payflow.TokenRequest{
		TokenID: payflow.NewTokenID(), Amount: 4900, Currency: "USD", Invoice: ref,
		ReturnURL: "https://platform.example/done", CancelURL: "https://platform.example/cancel",
		SilentPostURL: "https://api.example/webhooks/acme/payflow",
	})
	if err != nil {
		t.Fatal(err)
	}
	r.order = checkout.Order{Site: "acme", Ref: ref, Mode: settings.ModeTest, State: checkout.StatePendingPayment, Provider: provider.PayflowPro,
		Amounts: checkout.Amounts{Currency: "USD", TotalMinor: 4900}, Refs: checkout.ProviderRefs{TokenID: tok.TokenID, Token: tok.Token},
		Redirect: &checkout.Redirect{Method: tok.Page.Method, URL: tok.Page.URL}}
	for _, f := range tok.Page.Fields {
		r.order.Redirect.Fields = append(r.order.Redirect.Fields, checkout.Field{Name: f.Name, Value: f.Value})
	}
	return r
}

// pay decides on the order's hosted page and returns what the page posted with the
// browser (the same fields as the Silent Post).
func (r *pfRig) pay(decision string) url.Values {
	r.t.Helper()
	form := url.Values{}
	for _, f := range r.order.Redirect.Fields {
		form.Add(f.Name, f.Value)
	}
	_, back, err := standin.Buy(r.gateway.Client(), r.order.Redirect.URL, form, decision)
	if err != nil {
		r.t.Fatal(err)
	}
	return back
}

// receive runs a Silent Post through ReceivePayflow, checkout's check applied as Notified
// applies it.
func (r *pfRig) receive(raw []byte) (Result, error) {
	r.t.Helper()
	notices := fakeNotices{notified: func(n checkout.Notice, check checkout.Check) (checkout.Receipt, error) {
		if n.Refused == "" && check != nil {
			n.Refused = check(r.order, pfSetup, &n)
		}
		r.notified = append(r.notified, n)
		if n.Refused != "" {
			return checkout.Receipt{Outcome: checkout.NoticeRefused, Why: n.Refused}, nil
		}
		return checkout.Receipt{Outcome: checkout.NoticeApplied}, nil
	}}
	orders := fakePayflowOrders{payflowOrder: func(site, tokenID string) (checkout.Order, *provider.Setup, bool, error) {
		if site != r.order.Site || tokenID != r.order.Refs.TokenID {
			return checkout.Order{}, nil, false, nil
		}
		return r.order, pfSetup, true, nil
	}}
	secrets := fakeSecrets{read: func(name string) (provider.Secrets, error) {
		if name != pfSetup.SecretRef {
			r.t.Errorf("read secret %q", name)
		}
		return provider.Secrets{provider.SecretPassword: pfMerchant.Password}, r.secretErr
	}}
	w, err := New(Deps{Notices: notices, IPN: fakeVerifier{}, Orders: fakeOrders{}, Secrets: secrets, Payflow: r.client, PayflowOrders: orders})
	if err != nil {
		r.t.Fatal(err)
	}
	return w.ReceivePayflow(context.Background(), "acme", raw)
}

func edited(v url.Values, edit func(url.Values)) []byte {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	edit(c)
	return []byte(c.Encode())
}

func TestPayflowSilentPostAuthorises(t *testing.T) {
	r := newPFRig(t)
	r.pay(standinpage.Approve)
	if r.silent == nil {
		t.Fatal("the stand-in sent no Silent Post")
	}
	res, err := r.receive([]byte(r.silent.Encode()))
	if err != nil || res.Outcome != checkout.NoticeApplied || len(r.notified) != 1 {
		t.Fatalf("approved: %+v, %v, %d notices", res, err, len(r.notified))
	}
	pnref := r.silent.Get("PNREF")
	if n := r.notified[0]; n.To != checkout.StateAuthorised || n.ID != "payflow:"+pnref || n.Refs.PNREF != pnref || n.Kind != KindPayflow ||
		n.Ref != ref || !strings.Contains(n.Note, "49.00 USD") || n.Refused != "" {
		t.Errorf("the notice: %+v", n)
	}
}

// A Silent Post that does not match its order, or that Payflow's inquiry does not
// confirm, is recorded as refused (under its hash) and changes nothing.
func TestPayflowSilentPostRefusals(t *testing.T) {
	set := func(k, v string) func(url.Values) { return func(u url.Values) { u.Set(k, v) } }
	oneByte := func(u url.Values) { p := []byte(u.Get("PNREF")); p[5] ^= 1; u.Set("PNREF", string(p)) }
	for _, c := range []struct {
		name string
		edit func(url.Values)
		want string
	}{
		{"wrong amount", set("AMT", "1.00"), "is not the order's total 49.00 USD"},
		{"wrong currency", set("CURRENCY", "EUR"), `currency "EUR"`},
		{"not an amount", set("AMT", "49"), `amount "49"`},
		{"another token", set("SECURETOKEN", "forged"), "secure token is not the order's"},
		{"one byte of the PNREF changed", oneByte, "inquiry does not confirm it"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newPFRig(t)
			r.pay(standinpage.Approve)
			res, err := r.receive(edited(r.silent, c.edit))
			if err != nil || len(r.notified) != 1 {
				t.Fatalf("%v, %d notices", err, len(r.notified))
			}
			n := r.notified[0]
			if res.Outcome != checkout.NoticeRefused || !strings.Contains(n.Refused, c.want) || !strings.HasPrefix(n.RefusedID, "refused:") {
				t.Errorf("%+v, %+v", res, n)
			}
		})
	}
	// An approval of a declined payment: the inquiry disagrees.
	r := newPFRig(t)
	declined := r.pay(standinpage.Decline)
	res, err := r.receive(edited(declined, func(u url.Values) { u.Set("RESULT", "0"); u.Set("RESPMSG", "Approved") }))
	if err != nil || res.Outcome != checkout.NoticeRefused || len(r.notified) != 1 || !strings.Contains(r.notified[0].Refused, "finds RESULT 12") {
		t.Errorf("a forged approval: %+v, %v, %+v", res, err, r.notified)
	}
}

// A decline the inquiry confirms fails the order; a post of a token no order of the site
// was paid with is refused with nothing recorded.
func TestPayflowSilentPostDeclineAndUnknownToken(t *testing.T) {
	r := newPFRig(t)
	declined := r.pay(standinpage.Decline)
	res, err := r.receive([]byte(declined.Encode()))
	if err != nil || res.Outcome != checkout.NoticeApplied || len(r.notified) != 1 {
		t.Fatalf("declined: %+v, %v", res, err)
	}
	if n := r.notified[0]; n.To != checkout.StateFailed || n.ID != "payflow:"+declined.Get("PNREF") || !strings.Contains(n.Note, "RESULT 12") {
		t.Errorf("the decline: %+v", n)
	}
	r = newPFRig(t)
	r.pay(standinpage.Approve)
	res, err = r.receive(edited(r.silent, func(u url.Values) { u.Set("SECURETOKENID", strings.Repeat("A", 36)) }))
	if err != nil || res.Outcome != checkout.NoticeRefused || len(r.notified) != 0 || !strings.Contains(res.Why, "secure token ID") {
		t.Errorf("unknown token ID: %+v, %v, %d notices", res, err, len(r.notified))
	}
}

// Not a Silent Post: invalid input; the password not readable or Payflow not answering
// the inquiry: unavailable (5xx, Payflow may post again), nothing applied.
func TestPayflowSilentPostFailures(t *testing.T) {
	r := newPFRig(t)
	r.pay(standinpage.Approve)
	for _, raw := range []string{"%zz", "RESULT=0&PNREF=E1", string(edited(r.silent, func(u url.Values) { u.Del("PNREF") })), ""} {
		if _, err := r.receive([]byte(raw)); apperr.CodeOf(err) != apperr.CodeInvalid {
			t.Errorf("%q: %v", raw, err)
		}
	}
	r.secretErr = errors.New("secrets manager: timeout")
	if _, err := r.receive([]byte(r.silent.Encode())); apperr.CodeOf(err) != apperr.CodeUnavailable {
		t.Errorf("secret unreadable: %v", err)
	}
	r.secretErr = nil
	r.gateway.Close()
	if _, err := r.receive([]byte(r.silent.Encode())); apperr.CodeOf(err) != apperr.CodeUnavailable {
		t.Errorf("Payflow unreachable: %v", err)
	}
	if len(r.notified) != 0 {
		t.Errorf("notices applied: %+v", r.notified)
	}
}
