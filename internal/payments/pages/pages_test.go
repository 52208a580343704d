package pages_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	payflowstandin "github.com/boxofficehq/boxoffice/infra/payflow"
	paypalstandin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/infra/standinpage"
	worldpaystandin "github.com/boxofficehq/boxoffice/infra/worldpay"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/pages"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/expresscheckout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/worldpay"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

var (
	merchant = payflow.Credentials{Partner: "PayPal", Vendor: "acmevendor", User: "acmevendor", Password: "Pf-secret-password-1"}
	platform = paypal.Credentials{UserID: "platform_api1.example", Password: "Pp-platform-password", Signature: "Pp-platform-signature", AppID: "APP-1"}
	install  = worldpaystandin.Installation{ID: "204596", MD5Secret: "Md5SecretValue4Demo2026", CallbackURL: "https://api.example/webhooks/worldpay"}
	// remoteAdmin is the remote administration installation of install.
	remoteAdmin = worldpaystandin.RemoteAdmin{ID: "204597", Password: "Remote-admin-pw-1", For: install.ID}
)

// secretStore is the secret store as the cached reader answers it: values by SecretRef.
type secretStore map[string]provider.Secrets

func (s secretStore) Read(_ context.Context, name string) (provider.Secrets, error) {
	v, ok := s[name]
	if !ok {
		return nil, apperr.New(apperr.CodeNotFound, "no secret %s", name)
	}
	return v, nil
}

type rig struct {
	t                        *testing.T
	pages                    *pages.Pages
	secrets                  secretStore
	payflow, paypal, worldpy string
	// responses are the payment responses WorldPay's stand-in posted, by cartId.
	mu        sync.Mutex
	responses map[string]url.Values
	// silentPosts are the Silent Post URLs Payflow's stand-in posted to, by SECURETOKENID.
	silentPosts map[string]string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	pfs := payflowstandin.NewServer(merchant)
	pf := httptest.NewServer(pfs)
	pp := httptest.NewServer(paypalstandin.NewServer(platform))
	wps := worldpaystandin.NewServer([]worldpaystandin.Installation{install}, []worldpaystandin.RemoteAdmin{remoteAdmin})
	wp := httptest.NewServer(wps)
	for _, s := range []*httptest.Server{pf, pp, wp} {
		t.Cleanup(s.Close)
	}
	both := func(e payflow.Endpoints) map[provider.Env]payflow.Endpoints {
		return map[provider.Env]payflow.Endpoints{provider.Sandbox: e, provider.Live: e}
	}
	pfc, err := payflow.NewClient(http.DefaultClient, both(payflow.Endpoints{API: pf.URL, Page: pf.URL + payflowstandin.PagePath}), nil)
	if err != nil {
		t.Fatal(err)
	}
	ppEnds := map[provider.Env]paypal.Endpoints{provider.Sandbox: {API: pp.URL, Web: pp.URL}, provider.Live: {API: pp.URL, Web: pp.URL}}
	creds := func(context.Context, provider.Env) (paypal.Credentials, error) { return platform, nil }
	ecc, err := expresscheckout.NewClient(http.DefaultClient, ppEnds, creds, nil)
	if err != nil {
		t.Fatal(err)
	}
	wpc, err := worldpay.NewClient(http.DefaultClient, map[provider.Env]worldpay.Endpoints{
		provider.Sandbox: {Purchase: wp.URL + "/wcc/purchase", Admin: wp.URL + "/wcc/itransaction"},
		provider.Live:    {Purchase: wp.URL + "/wcc/purchase", Admin: wp.URL + "/wcc/itransaction"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, secrets: secretStore{}, payflow: pf.URL, paypal: pp.URL, worldpy: wp.URL, responses: map[string]url.Values{}, silentPosts: map[string]string{}}
	pfs.SilentPost = func(_ context.Context, to string, fields url.Values) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.silentPosts[fields.Get("SECURETOKENID")] = to
	}
	wps.PaymentResponse = func(_ context.Context, _ string, fields url.Values) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.responses[fields.Get("cartId")] = fields
	}
	if r.pages, err = pages.New(pages.Deps{Payflow: pfc, Express: ecc, WorldPay: wpc, Secrets: r.secrets,
		Webhook: func(site string, route pages.WebhookRoute) string {
			return "https://api.example/webhooks/" + site + "/" + string(route)
		}}); err != nil {
		t.Fatal(err)
	}
	// The merchant's Express Checkout grant, made on the stand-in as the providers function makes it.
	perms, err := paypal.NewClient(nil, ppEnds, creds)
	if err != nil {
		t.Fatal(err)
	}
	req, err := perms.Request(context.Background(), provider.Sandbox, "https://api.example/cb")
	if err != nil {
		t.Fatal(err)
	}
	back := r.choose(pp.URL+"/cgi-bin/webscr", url.Values{"cmd": {"_grant-permission"}, "request_token": {req.Token}})
	g, err := perms.Verify(context.Background(), provider.Sandbox, req.Token, back.Query().Get("verification_code"))
	if err != nil {
		t.Fatal(err)
	}
	r.secrets["ec"] = provider.Secrets{provider.SecretPermissionToken: g.Token, provider.SecretPermissionTokenSecret: g.TokenSecret}
	r.secrets["pf"] = provider.Secrets{provider.SecretPassword: merchant.Password}
	r.secrets["wp"] = provider.Secrets{provider.SecretCallbackPassword: "cb-pass", provider.SecretMD5: install.MD5Secret}
	return r
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// choose posts a decision form and returns where the provider redirects the browser.
func (r *rig) choose(to string, form url.Values) *url.URL {
	r.t.Helper()
	resp, err := noRedirect.PostForm(to, form)
	if err != nil || resp.StatusCode != http.StatusFound {
		r.t.Fatalf("post %s: %v %v", to, resp, err)
	}
	resp.Body.Close()
	u, _ := url.Parse(resp.Header.Get("Location"))
	return u
}

// open follows a page redirect as a browser does and returns the page's form.
func (r *rig) open(base string, rd checkout.Redirect) (string, url.Values) {
	r.t.Helper()
	var resp *http.Response
	var err error
	if rd.Method == http.MethodGet {
		resp, err = http.Get(rd.URL)
	} else {
		form := url.Values{}
		for _, f := range rd.Fields {
			form.Add(f.Name, f.Value)
		}
		resp, err = http.PostForm(rd.URL, form)
	}
	if err != nil {
		r.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("%s %s: %d %s", rd.Method, rd.URL, resp.StatusCode, body)
	}
	action, fields, err := standinpage.ReadForm(string(body))
	if err != nil {
		r.t.Fatalf("%s: %v in %s", rd.URL, err, body)
	}
	if strings.HasPrefix(action, "/") {
		action = base + action
	}
	return action, fields
}

func request(kind provider.Kind, setup provider.Setup) checkout.PageRequest {
	setup.Kind = kind
	o := checkout.Order{Site: "acme", Ref: checkout.NewRef(), Mode: "test", Provider: kind,
		Offering: checkout.Offering{Service: "events", Type: "event", ID: "ev-1", Name: "Go Workshop", PriceMinor: 4900, Currency: "USD"},
		Buyer:    checkout.Buyer{Name: "Ann", Email: "ann@example.com"},
		Amounts:  checkout.Amounts{Currency: "USD", PriceMinor: 4900, TotalMinor: 4900}, State: checkout.StatePendingPayment}
	back := "https://api.example/checkout/acme/orders/" + o.Ref
	return checkout.PageRequest{Order: o, Provider: setup, Env: provider.Sandbox, ReturnURL: back + "/return", CancelURL: back + "/cancel"}
}

func payflowSetup() provider.Setup {
	return provider.Setup{PartnerID: merchant.Partner, Vendor: merchant.Vendor, UserID: merchant.User, Currency: "USD", SecretRef: "pf"}
}

// payExpress starts an Express Checkout page, decides on PayPal's approval page, and
// returns the order with its refs and where PayPal sent the browser back.
func (r *rig) payExpress(kind provider.Kind, decision string) (checkout.PageRequest, *url.URL) {
	r.t.Helper()
	pr := request(kind, expressSetup(provider.Sandbox))
	page, err := r.pages.Start(context.Background(), pr)
	if err != nil {
		r.t.Fatal(err)
	}
	pr.Order.Refs = page.Refs
	action, fields := r.open(r.paypal, page.Redirect)
	fields.Set("decision", decision)
	return pr, r.choose(action, fields)
}

// pay starts a Payflow page, decides on it, and returns the order with its refs and what
// the hosted page posted back with the browser.
func (r *rig) payPayflow(kind provider.Kind, decision string) (checkout.PageRequest, url.Values) {
	r.t.Helper()
	ctx := context.Background()
	pr := request(kind, payflowSetup())
	page, err := r.pages.Start(ctx, pr)
	if err != nil {
		r.t.Fatal(err)
	}
	if page.Redirect.Method != http.MethodPost || page.Refs.TokenID == "" || page.Refs.Token == "" {
		r.t.Fatalf("page = %+v", page)
	}
	pr.Order.Refs = page.Refs
	action, fields := r.open(r.payflow, page.Redirect)
	fields.Set("decision", decision)
	resp, err := http.PostForm(action, fields)
	if err != nil {
		r.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	to, posted, err := standinpage.ReadForm(string(body))
	if err != nil {
		r.t.Fatal(err)
	}
	want := pr.ReturnURL
	if decision == standinpage.Cancel {
		want = pr.CancelURL
	}
	if to != want {
		r.t.Fatalf("%s: the browser is posted to %s, want %s", decision, to, want)
	}
	return pr, posted
}

func TestPayflowApproveIsConfirmed(t *testing.T) {
	r := newRig(t)
	for _, kind := range []provider.Kind{provider.PayflowPro, provider.WebsitePaymentsProUK} {
		pr, posted := r.payPayflow(kind, standinpage.Approve)
		out, err := r.pages.Finish(context.Background(), pr, posted)
		if err != nil || out.State != checkout.StateAuthorised || out.Refs.PNREF != posted.Get("PNREF") || out.Refs.TokenID != pr.Order.Refs.TokenID {
			t.Errorf("%s approved: %+v, %v", kind, out, err)
		}
		r.mu.Lock()
		silent := r.silentPosts[pr.Order.Refs.TokenID]
		r.mu.Unlock()
		if want := "https://api.example/webhooks/" + pr.Order.Site + "/payflow"; silent != want {
			t.Errorf("%s: the Silent Post went to %q, want the token's SILENTPOSTURL %q", kind, silent, want)
		}
	}
}

func TestPayflowDeclineFails(t *testing.T) {
	r := newRig(t)
	pr, posted := r.payPayflow(provider.PayflowPro, standinpage.Decline)
	out, err := r.pages.Finish(context.Background(), pr, posted)
	if err != nil || out.State != checkout.StateFailed || !strings.Contains(out.Note, "12") {
		t.Errorf("declined: %+v, %v", out, err)
	}
}

// TestPayflowForgedReturnChangesNothing: a return is believed only as far as the inquiry
// backs it. An approval of a token no one paid with, or another order's post, is refused
// as bad input; an approval forged over a decline gets the inquiry's word: failed.
func TestPayflowForgedReturnChangesNothing(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	unpaid := request(provider.PayflowPro, payflowSetup())
	page, err := r.pages.Start(ctx, unpaid)
	if err != nil {
		t.Fatal(err)
	}
	unpaid.Order.Refs = page.Refs
	forged := url.Values{"RESULT": {"0"}, "PNREF": {"A10FORGED123"}, "SECURETOKEN": {page.Refs.Token}, "SECURETOKENID": {page.Refs.TokenID}, "AMT": {"49.00"}}
	if out, err := r.pages.Finish(ctx, unpaid, forged); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("an approval of an unpaid token: %+v, %v, want invalid_input", out, err)
	}
	declined, posted := r.payPayflow(provider.PayflowPro, standinpage.Decline)
	posted.Set("RESULT", "0")
	if out, err := r.pages.Finish(ctx, declined, posted); err != nil || out.State != checkout.StateFailed {
		t.Errorf("an approval forged over a decline: %+v, %v, want failed", out, err)
	}
	other, _ := r.payPayflow(provider.PayflowPro, standinpage.Approve)
	if _, err := r.pages.Finish(ctx, other, posted); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("another order's post: %v, want invalid_input", err)
	}
	if _, err := r.pages.Finish(ctx, declined, url.Values{"RESULT": {"0"}}); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("a post without token: %v, want invalid_input", err)
	}
}

// TestPayflowWrongPasswordIsAConflict: the merchant's login refused by Payflow is a clear
// conflict naming the provider's answer, and the password is not in it.
func TestPayflowWrongPasswordIsAConflict(t *testing.T) {
	r := newRig(t)
	r.secrets["pf"] = provider.Secrets{provider.SecretPassword: "Wrong-password-9"}
	_, err := r.pages.Start(context.Background(), request(provider.PayflowPro, payflowSetup()))
	e := apperr.As(err)
	if e.Code != apperr.CodeConflict || !strings.Contains(e.Message, "payflow") || strings.Contains(e.Error(), "Wrong-password-9") {
		t.Errorf("wrong password: %v", err)
	}
}

// TestPayflowRefusedInquiryLeavesTheReturnPending: an inquiry Payflow refuses (the
// merchant's password changed since the page was made) is a conflict for the buyer's
// return, not a declined payment, for an approval and a decline alike, and the password is
// not in it; once the inquiry is answered, the same return is confirmed or failed.
func TestPayflowRefusedInquiryLeavesTheReturnPending(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	approved, approval := r.payPayflow(provider.PayflowPro, standinpage.Approve)
	declined, decline := r.payPayflow(provider.PayflowPro, standinpage.Decline)
	r.secrets["pf"] = provider.Secrets{provider.SecretPassword: "Wrong-password-9"}
	for name, ret := range map[string]struct {
		pr     checkout.PageRequest
		posted url.Values
	}{"approved": {approved, approval}, "declined": {declined, decline}} {
		out, err := r.pages.Finish(ctx, ret.pr, ret.posted)
		if e := apperr.As(err); e.Code != apperr.CodeConflict || !strings.Contains(e.Message, "Inquiry") || strings.Contains(e.Error(), "Wrong-password-9") || out.State != "" {
			t.Errorf("%s, the inquiry refused: %+v, %v", name, out, err)
		}
	}
	r.secrets["pf"] = provider.Secrets{provider.SecretPassword: merchant.Password}
	if out, err := r.pages.Finish(ctx, approved, approval); err != nil || out.State != checkout.StateAuthorised {
		t.Errorf("the approval returned again: %+v, %v", out, err)
	}
	if out, err := r.pages.Finish(ctx, declined, decline); err != nil || out.State != checkout.StateFailed {
		t.Errorf("the decline returned again: %+v, %v", out, err)
	}
}

func expressSetup(env provider.Env) provider.Setup {
	return provider.Setup{PayPalEmail: "merchant@acme.example", Currency: "USD", SecretRef: "ec", Permission: &provider.Permission{Env: env}}
}

func TestExpressCheckoutApproveAuthorises(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, kind := range []provider.Kind{provider.ExpressCheckoutUS, provider.ExpressCheckoutCA} {
		pr := request(kind, expressSetup(provider.Sandbox))
		page, err := r.pages.Start(ctx, pr)
		if err != nil || page.Redirect.Method != http.MethodGet || !strings.Contains(page.Redirect.URL, "token="+page.Refs.Token) {
			t.Fatalf("%s page = %+v, %v", kind, page, err)
		}
		pr.Order.Refs = page.Refs
		action, fields := r.open(r.paypal, page.Redirect)
		fields.Set("decision", standinpage.Approve)
		back := r.choose(action, fields)
		if back.String() != pr.ReturnURL+"?"+back.RawQuery {
			t.Fatalf("approved: back to %s", back)
		}
		out, err := r.pages.Finish(ctx, pr, back.Query())
		if err != nil || out.State != checkout.StateAuthorised || out.Refs.TransactionID == "" || out.Refs.PayerID != back.Query().Get("PayerID") {
			t.Errorf("%s approved: %+v, %v", kind, out, err)
		}
		// Another checkout's return is not this order's.
		if _, err := r.pages.Finish(ctx, request(kind, expressSetup(provider.Sandbox)), back.Query()); apperr.CodeOf(err) != apperr.CodeInvalid {
			t.Errorf("a return for another order: %v", err)
		}
	}
}

func TestExpressCheckoutDeclineFails(t *testing.T) {
	r := newRig(t)
	pr, back := r.payExpress(provider.ExpressCheckoutUS, standinpage.Decline)
	out, err := r.pages.Finish(context.Background(), pr, back.Query())
	if err != nil || out.State != checkout.StateFailed || out.Note == "" {
		t.Errorf("declined: %+v, %v", out, err)
	}
}

// TestExpressCheckoutNeedsThePermission: without a grant in the order's environment, no
// call is made and the answer says what to do.
func TestExpressCheckoutNeedsThePermission(t *testing.T) {
	r := newRig(t)
	for name, s := range map[string]provider.Setup{
		"never granted":           {PayPalEmail: "m@acme.example", Currency: "USD"},
		"granted in live only":    expressSetup(provider.Live),
		"granted, tokens missing": {PayPalEmail: "m@acme.example", Currency: "USD", Permission: &provider.Permission{Env: provider.Sandbox}},
	} {
		_, err := r.pages.Start(context.Background(), request(provider.ExpressCheckoutUS, s))
		if e := apperr.As(err); e.Code != apperr.CodeConflict || !strings.Contains(e.Message, "permission") {
			t.Errorf("%s: %v, want a conflict about the permission", name, err)
		}
	}
}

// TestWorldPayPurchasePage: the signed purchase form takes the buyer to WorldPay's page
// (the stand-in refuses a form its MD5 secret does not sign); the return leaves the order
// pending, as the payment response reports it.
func TestWorldPayPurchasePage(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pr := request(provider.WorldPay, provider.Setup{InstallationID: install.ID, Currency: "USD", SecretRef: "wp"})
	page, err := r.pages.Start(ctx, pr)
	if err != nil {
		t.Fatal(err)
	}
	form := map[string]string{}
	for _, f := range page.Redirect.Fields {
		form[f.Name] = f.Value
	}
	if form["cartId"] != pr.Order.Ref || form["amount"] != "49.00" || form["MC_callback"] != "https://api.example/webhooks/"+pr.Order.Site+"/worldpay" || form["instId"] != install.ID || form["testMode"] != "100" ||
		form["signature"] != worldpay.Signature(install.MD5Secret, install.ID, "49.00", "USD", pr.Order.Ref) {
		t.Fatalf("purchase form = %v", form)
	}
	r.open(r.worldpy, page.Redirect) // WorldPay's page, with its payment form
	r.secrets["wp"] = provider.Secrets{provider.SecretCallbackPassword: "cb-pass", provider.SecretMD5: "AnotherMd5Secret2026xx"}
	bad, err := r.pages.Start(ctx, pr)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.PostForm(bad.Redirect.URL, formValues(bad.Redirect))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Errorf("a purchase signed with another secret reached the payment page")
	}
	out, err := r.pages.Finish(ctx, pr, url.Values{})
	if err != nil || out.State != checkout.StatePendingPayment {
		t.Errorf("WorldPay return: %+v, %v", out, err)
	}
}

func formValues(rd checkout.Redirect) url.Values {
	v := url.Values{}
	for _, f := range rd.Fields {
		v.Add(f.Name, f.Value)
	}
	return v
}
