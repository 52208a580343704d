package webhooksapp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	payflowstandin "github.com/boxofficehq/boxoffice/infra/payflow"
	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/webhooksapp"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentsecrets"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

const eventsDir = "../../../events/webhooks"

// seed gives site demo an Express Checkout provider on PayPal account pay@demo.example, and
// a pending test order of 49.00 USD paid through it.
func seed(t *testing.T, l *testenv.Local, ref string) *ordersdb.Store {
	t.Helper()
	orders := seedSite(t, l, "demo", &provider.Setup{Kind: provider.ExpressCheckoutUS, Currency: "USD", PayPalEmail: "pay@demo.example"})
	o := pendingOrder("demo", ref, provider.ExpressCheckoutUS)
	o.Refs = checkout.ProviderRefs{Token: "EC-TOKEN"}
	if _, err := orders.Create(context.Background(), o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	return orders
}

// seedSite enables site's events service with provider p, and returns the orders store.
func seedSite(t *testing.T, l *testenv.Local, site string, p *provider.Setup) *ordersdb.Store {
	t.Helper()
	ctx := context.Background()
	sites, log, err := settingsdb.NewAudited(l.DB, l.Tables["SitesTable"], l.Tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	on := true
	m := settings.NewManager(sites, nil)
	if _, err := m.Update(ctx, "setup", site, settings.Events, settings.Patch{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Change(ctx, "setup", site, "provider.set", "events", func(s settings.Site) (settings.Site, error) {
		return s.SetProvider(settings.Events, p)
	}); err != nil {
		t.Fatal(err)
	}
	orders, err := ordersdb.New(l.DB, l.Tables["OrdersTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	return orders
}

// pendingOrder is a pending test order of 49.00 USD for the Go Workshop.
func pendingOrder(site, ref string, kind provider.Kind) checkout.Order {
	now := time.Now().UTC().Truncate(time.Millisecond)
	return checkout.Order{Site: site, Ref: ref, Mode: settings.ModeTest, State: checkout.StatePendingPayment, Provider: kind,
		Offering: checkout.Offering{Service: "events", Type: "event", ID: "ev-1", Name: "Go Workshop", PriceMinor: 4900, Currency: "USD"},
		Buyer:    checkout.Buyer{Name: "Ann", Email: "ann@example.com"}, ReturnURL: "https://platform.example/done", CancelURL: "https://platform.example/cancel",
		Amounts:       checkout.Amounts{Currency: "USD", PriceMinor: 4900, TotalMinor: 4900},
		ReservedUntil: now.Add(30 * time.Minute), CreatedAt: now, UpdatedAt: now,
		History: []checkout.Entry{{At: now, To: checkout.StatePendingPayment, Cause: checkout.Cause{By: "buyer"}}}}
}

// storeSecrets puts site's events provider secrets in the Secrets Manager stand-in under
// the function's prefix, as the providers function does, and returns their name.
func storeSecrets(t *testing.T, l *testenv.Local, env map[string]string, site string, secrets provider.Secrets) string {
	t.Helper()
	name := env["SECRET_PREFIX"] + site + "/events"
	store, err := paymentsecrets.NewStore(l.SecretsManager, env["SECRET_PREFIX"])
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Create(context.Background(), name, secrets); err != nil {
		t.Fatal(err)
	}
	return name
}

// seedWorldPay gives site shop a WorldPay provider (localenv's installation, its callback
// password in the Secrets Manager stand-in under the function's prefix) and a pending
// test order of 49.00 USD paid through it.
func seedWorldPay(t *testing.T, l *testenv.Local, env map[string]string, ref string) *ordersdb.Store {
	t.Helper()
	ctx := context.Background()
	w := localenv.WorldPayInstallation
	secret := storeSecrets(t, l, env, "shop", provider.Secrets{provider.SecretCallbackPassword: w.CallbackPassword})
	orders := seedSite(t, l, "shop", &provider.Setup{Kind: provider.WorldPay, Currency: "USD", InstallationID: w.ID, SecretRef: secret})
	o := pendingOrder("shop", ref, provider.WorldPay)
	if _, err := orders.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	return orders
}

// payflowSale is an order of site pfshop paid on the Payflow stand-in's hosted page.
type payflowSale struct {
	ref, tokenID, token, pnref string
	orders                     *ordersdb.Store
}

// seedPayflow gives site pfshop a Payflow Pro provider (localenv's merchant, its password
// in the Secrets Manager stand-in under the function's prefix) and a pending test order of
// 49.00 USD, whose Secure Token (naming the route as its SILENTPOSTURL) the buyer approved
// on the stand-in's page.
func seedPayflow(t *testing.T, l *testenv.Local, env map[string]string) payflowSale {
	t.Helper()
	ctx := context.Background()
	m := localenv.PayflowMerchant
	secret := storeSecrets(t, l, env, "pfshop", provider.Secrets{provider.SecretPassword: m.Password})
	sale := payflowSale{ref: checkout.NewRef()}
	sale.orders = seedSite(t, l, "pfshop", &provider.Setup{Kind: provider.PayflowPro, Currency: "USD", PartnerID: m.Partner, Vendor: m.Vendor,
		UserID: m.User, SecretRef: secret, AccountType: provider.AccountPayflowPro, Cards: []provider.Card{provider.Visa}})
	ep := payflow.Endpoints{API: l.PayflowURL, Page: l.PayflowURL + payflowstandin.PagePath}
	client, err := payflow.NewClient(http.DefaultClient, map[provider.Env]payflow.Endpoints{provider.Sandbox: ep, provider.Live: ep}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := client.CreateSecureToken(ctx, provider.Sandbox, m, payflow.TokenRequest{TokenID: payflow.NewTokenID(), Amount: 4900, Currency: "USD",
		Invoice: sale.ref, ReturnURL: "https://platform.example/done", CancelURL: "https://platform.example/cancel",
		SilentPostURL: "https://api.example/webhooks/pfshop/payflow"})
	if err != nil {
		t.Fatal(err)
	}
	o := pendingOrder("pfshop", sale.ref, provider.PayflowPro)
	o.Refs = checkout.ProviderRefs{TokenID: tok.TokenID, Token: tok.Token}
	if _, err := sale.orders.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	page := url.Values{}
	for _, f := range tok.Page.Fields {
		page.Add(f.Name, f.Value)
	}
	_, posted, err := payflowstandin.Buy(http.DefaultClient, tok.Page.URL, page, standinpage.Approve)
	if err != nil {
		t.Fatal(err)
	}
	sale.tokenID, sale.token, sale.pnref = tok.TokenID, tok.Token, posted.Get("PNREF")
	return sale
}

// silentPostOf points a sample Silent Post at the sale: its order, token and transaction.
func silentPostOf(s payflowSale) func(ev *events.APIGatewayV2HTTPRequest) {
	return func(ev *events.APIGatewayV2HTTPRequest) {
		ev.Body = strings.NewReplacer("REPLACEDBYTESTSECURETOKENID000000000", s.tokenID, "SECURETOKEN=REPLACEDBYTEST", "SECURETOKEN="+url.QueryEscape(s.token),
			"BO-REPLACEDBYTEST", s.ref, "PNREF=B70CCC236815", "PNREF="+s.pnref).Replace(ev.Body)
	}
}

// forOrder points a sample payment response at order ref.
func forOrder(ref string) func(ev *events.APIGatewayV2HTTPRequest) {
	return func(ev *events.APIGatewayV2HTTPRequest) {
		ev.Body = strings.ReplaceAll(ev.Body, "BO-REPLACEDBYTEST", ref)
	}
}

// page checks the HTML answer WorldPay shows the buyer holds want, and the order's state and
// history length after it.
func page(orders *ordersdb.Store, ref, want string, entries int, state checkout.State) func(t *testing.T, a testenv.Answer) {
	return func(t *testing.T, a testenv.Answer) {
		if !strings.HasPrefix(a.Headers["Content-Type"], "text/html") || !strings.Contains(a.Raw, want) {
			t.Errorf("answer %q (%s), want %q", a.Raw, a.Headers["Content-Type"], want)
		}
		if !strings.Contains(want, "href") && strings.Contains(a.Raw, "href") {
			t.Errorf("a refused response's page links on: %s", a.Raw)
		}
		o, _, err := orders.Get(context.Background(), "shop", ref)
		if err != nil || len(o.History) != entries || o.State != state {
			t.Fatalf("order %s with %d entries (%v), want %s with %d", o.State, len(o.History), err, state, entries)
		}
	}
}

// payflowOrder checks the sale's order has entries history entries and is in state.
func payflowOrder(s payflowSale, entries int, state checkout.State) func(t *testing.T, a testenv.Answer) {
	return func(t *testing.T, a testenv.Answer) {
		o, _, err := s.orders.Get(context.Background(), "pfshop", s.ref)
		if err != nil || len(o.History) != entries || o.State != state {
			t.Fatalf("order %s with %d entries (%v), want %s with %d", o.State, len(o.History), err, state, entries)
		}
	}
}

// sentByPayPal has the PayPal stand-in send the IPN of the sample event, for order ref and
// transaction txn, and returns its body as sent: the stand-in answers VERIFIED to it only.
func sentByPayPal(t *testing.T, l *testenv.Local, ref, txn string) string {
	t.Helper()
	return payPalSent(t, l, map[string]string{"invoice": ref, "txn_id": txn, "auth_id": txn})
}

// signedByPayPal points a sample REST event at order ref, has the PayPal stand-in sign it
// for the local listener's webhook ID, and puts the delivery's headers and body on the
// event (a new transmission each time, as PayPal's retries are). For a forged sample,
// genuine is the body PayPal sent: that is what the stand-in signs, and the event keeps
// the sample's forged body under its signature.
func signedByPayPal(t *testing.T, l *testenv.Local, ref string, genuine func(string) string) func(ev *events.APIGatewayV2HTTPRequest) {
	return func(ev *events.APIGatewayV2HTTPRequest) {
		sink := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		defer sink.Close()
		body := strings.ReplaceAll(ev.Body, "REPLACEDBYTEST", ref[len("BO-"):])
		signed := body
		if genuine != nil {
			signed = genuine(body)
		}
		n, err := l.PayPal.SendEvent(context.Background(), sink.URL, localenv.PayPalSandboxWebhookID, []byte(signed))
		if err != nil {
			t.Fatal(err)
		}
		for k := range n.Header {
			if k != "X-Standin-Webhook-Id" {
				ev.Headers[strings.ToLower(k)] = n.Header.Get(k)
			}
		}
		ev.Body = body
	}
}

// TestEvents feeds every sample event through the exact handler main passes to
// lambda.Start, against DynamoDB Local and the PayPal stand-in's post-back: the
// authorisation IPN authorises the order, its resend changes nothing, a copy with one byte
// changed is refused by PayPal (INVALID) and recorded as refused, and a body that is no
// IPN is a 400. The REST samples go the same way, signed by the PayPal stand-in (whose CA
// and cert URL the template's environment trusts locally).
func TestEvents(t *testing.T) {
	l := testenv.NewLocal(t)
	ref := checkout.NewRef()
	orders := seed(t, l, ref)
	l.PayPal.SetNotify(localenv.PayPalNotify(l.PayPalURL, l.APIURL, "demo"))
	restRef := checkout.NewRef()
	if _, err := orders.Create(context.Background(), pendingOrder("demo", restRef, provider.ExpressCheckoutUS), checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	env := l.Env(t, "webhooks")
	wpRef := checkout.NewRef()
	wpOrders := seedWorldPay(t, l, env, wpRef)
	pf := seedPayflow(t, l, env)
	rt, err := webhooksapp.New(lambdaapp.MapLookup(env), l.DB, l.SecretsManager, l.SES, nil, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	genuine := sentByPayPal(t, l, ref, "AUTH"+ref[3:])
	forged := strings.Replace(genuine, "mc_gross=49.00", "mc_gross=19.00", 1)
	if forged == genuine {
		t.Fatal("the sample has no mc_gross=49.00 to change")
	}
	withBody := func(body string) func(ev *events.APIGatewayV2HTTPRequest) {
		return func(ev *events.APIGatewayV2HTTPRequest) { ev.Body = body }
	}
	historyOf := func(ref string, want int, state checkout.State) func(t *testing.T, a testenv.Answer) {
		return func(t *testing.T, a testenv.Answer) {
			o, _, err := orders.Get(context.Background(), "demo", ref)
			if err != nil || len(o.History) != want || o.State != state {
				t.Fatalf("order %s with %d entries (%v), want %s with %d", o.State, len(o.History), err, state, want)
			}
		}
	}
	history := func(want int, state checkout.State) func(t *testing.T, a testenv.Answer) {
		return historyOf(ref, want, state)
	}
	// The forged sample is the authorisation with one byte changed: 19.00 for 49.00.
	unforged := func(body string) string { return strings.Replace(body, `"19.00"`, `"49.00"`, 1) }
	testenv.RunHTTPEvents(t, lambdaapp.NewHTTPLambda(rt), eventsDir, []testenv.Step{
		{Event: "ipn-authorisation", Status: 200, Edit: withBody(genuine), Want: map[string]any{"outcome": "applied"},
			Check: history(2, checkout.StateAuthorised)},
		{Event: "ipn-authorisation-again", Status: 200, Edit: withBody(genuine), Want: map[string]any{"outcome": "duplicate"},
			Check: history(2, checkout.StateAuthorised)},
		{Event: "ipn-forged", Status: 200, Edit: withBody(forged), Want: map[string]any{"outcome": "refused"},
			Check: history(3, checkout.StateAuthorised)},
		{Event: "ipn-forged", Status: 200, Edit: withBody(forged), Want: map[string]any{"outcome": "duplicate"},
			Check: history(3, checkout.StateAuthorised)},
		{Event: "ipn-not-an-ipn", Status: 400, Want: map[string]any{"error.code": "invalid_input"}},
		{Event: "rest-authorisation", Status: 200, Edit: signedByPayPal(t, l, restRef, nil), Want: map[string]any{"outcome": "applied"},
			Check: historyOf(restRef, 2, checkout.StateAuthorised)},
		{Event: "rest-authorisation-again", Status: 200, Edit: signedByPayPal(t, l, restRef, nil), Want: map[string]any{"outcome": "duplicate"},
			Check: historyOf(restRef, 2, checkout.StateAuthorised)},
		{Event: "rest-forged", Status: 200, Edit: signedByPayPal(t, l, restRef, unforged), Want: map[string]any{"outcome": "refused"},
			Check: historyOf(restRef, 3, checkout.StateAuthorised)},
		{Event: "rest-unsigned", Status: 400, Edit: forOrder(restRef), Want: map[string]any{"error.code": "invalid_input"}},
		{Event: "rest-not-an-event", Status: 400, Edit: signedByPayPal(t, l, restRef, nil), Want: map[string]any{"error.code": "invalid_input"}},
		{Event: "worldpay-authorisation", Status: 200, Edit: forOrder(wpRef),
			Check: page(wpOrders, wpRef, `href="https://platform.example/done?order=`+wpRef+`"`, 2, checkout.StateAuthorised)},
		{Event: "worldpay-authorisation-again", Status: 200, Edit: forOrder(wpRef),
			Check: page(wpOrders, wpRef, `href="https://platform.example/done?order=`+wpRef+`"`, 2, checkout.StateAuthorised)},
		{Event: "worldpay-forged", Status: 200, Edit: forOrder(wpRef), Check: page(wpOrders, wpRef, "not accepted", 3, checkout.StateAuthorised)},
		{Event: "worldpay-not-a-response", Status: 400, Edit: forOrder(wpRef), Want: map[string]any{"error.code": "invalid_input"}},
		{Event: "payflow-authorisation", Status: 200, Edit: silentPostOf(pf), Want: map[string]any{"outcome": "applied"},
			Check: payflowOrder(pf, 2, checkout.StateAuthorised)},
		{Event: "payflow-authorisation-again", Status: 200, Edit: silentPostOf(pf), Want: map[string]any{"outcome": "duplicate"},
			Check: payflowOrder(pf, 2, checkout.StateAuthorised)},
		{Event: "payflow-forged", Status: 200, Edit: silentPostOf(pf), Want: map[string]any{"outcome": "refused"},
			Check: payflowOrder(pf, 3, checkout.StateAuthorised)},
		{Event: "payflow-forged", Status: 200, Edit: silentPostOf(pf), Want: map[string]any{"outcome": "duplicate"},
			Check: payflowOrder(pf, 3, checkout.StateAuthorised)},
		{Event: "payflow-unknown-token", Status: 200, Edit: silentPostOf(pf), Want: map[string]any{"outcome": "refused"},
			Check: payflowOrder(pf, 3, checkout.StateAuthorised)},
		{Event: "payflow-not-a-silent-post", Status: 400, Want: map[string]any{"error.code": "invalid_input"}},
	})
	if o, _, _ := pf.orders.Get(context.Background(), "pfshop", pf.ref); o.Refs.PNREF != pf.pnref ||
		o.History[1].Cause.Notification != "payflow:"+pf.pnref || o.History[1].Cause.By != "provider:payflow" ||
		!strings.Contains(o.History[2].Cause.Note, "is not the order's total 49.00 USD") {
		t.Errorf("the Payflow order: refs %+v, history %+v", o.Refs, o.History)
	}
	if o, _, _ := wpOrders.Get(context.Background(), "shop", wpRef); o.Refs.TransactionID != "3000000042" ||
		o.History[1].Cause.Notification != "worldpay:3000000042:Y" || !strings.Contains(o.History[2].Cause.Note, "callback password is wrong") ||
		strings.Contains(o.History[2].Cause.Note, "guessed-password") {
		t.Errorf("the WorldPay order: refs %+v, history %+v", o.Refs, o.History)
	}
	if o, _, _ := orders.Get(context.Background(), "demo", restRef); o.Refs.TransactionID != "AUTH-"+restRef[3:] ||
		o.History[1].Cause.Notification != "rest:WH-"+restRef[3:] || !strings.Contains(o.History[2].Cause.Note, "refused: the signature is not PayPal's") {
		t.Errorf("the REST order: refs %+v, history %+v", o.Refs, o.History)
	}
	o, _, _ := orders.Get(context.Background(), "demo", ref)
	applied, refused := o.History[1], o.History[2]
	if applied.Cause.By != "provider:paypal_ipn" || applied.Cause.Notification != "ipn:AUTH"+ref[3:]+":Pending" || o.Refs.TransactionID != "AUTH"+ref[3:] {
		t.Errorf("the authorisation in the history: %+v, refs %+v", applied, o.Refs)
	}
	if refused.From != refused.To || !strings.Contains(refused.Cause.Note, "refused: PayPal answered INVALID") {
		t.Errorf("the forgery in the history: %+v", refused)
	}
}
