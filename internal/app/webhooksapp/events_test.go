package webhooksapp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/webhooksapp"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
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
	ctx := context.Background()
	sites, log, err := settingsdb.NewAudited(l.DB, l.Tables["SitesTable"], l.Tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	on := true
	m := settings.NewManager(sites, nil)
	if _, err := m.Update(ctx, "setup", "demo", settings.Events, settings.Patch{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Change(ctx, "setup", "demo", "provider.set", "events", func(s settings.Site) (settings.Site, error) {
		return s.SetProvider(settings.Events, &provider.Setup{Kind: provider.ExpressCheckoutUS, Currency: "USD", PayPalEmail: "pay@demo.example"})
	}); err != nil {
		t.Fatal(err)
	}
	orders, err := ordersdb.New(l.DB, l.Tables["OrdersTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	o := checkout.Order{Site: "demo", Ref: ref, Mode: settings.ModeTest, State: checkout.StatePendingPayment, Provider: provider.ExpressCheckoutUS,
		Offering: checkout.Offering{Service: "events", Type: "event", ID: "ev-1", Name: "Go Workshop", PriceMinor: 4900, Currency: "USD"},
		Buyer:    checkout.Buyer{Name: "Ann", Email: "ann@example.com"}, ReturnURL: "https://platform.example/done", CancelURL: "https://platform.example/cancel",
		Amounts: checkout.Amounts{Currency: "USD", PriceMinor: 4900, TotalMinor: 4900}, Refs: checkout.ProviderRefs{Token: "EC-TOKEN"},
		ReservedUntil: now.Add(30 * time.Minute), CreatedAt: now, UpdatedAt: now,
		History: []checkout.Entry{{At: now, To: checkout.StatePendingPayment, Cause: checkout.Cause{By: "buyer"}}}}
	if _, err := orders.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	return orders
}

// sentByPayPal has the PayPal stand-in send the IPN of the sample event, for order ref and
// transaction txn, and returns its body as sent: the stand-in answers VERIFIED to it only.
func sentByPayPal(t *testing.T, l *testenv.Local, ref, txn string) string {
	t.Helper()
	sample, err := ipn.Parse([]byte(testenv.LoadHTTPEvent(t, eventsDir, "ipn-authorisation").Body))
	if err != nil {
		t.Fatal(err)
	}
	fields := sample.Fields
	for i, f := range fields {
		switch f.Name {
		case "invoice":
			fields[i].Value = ref
		case "txn_id", "auth_id":
			fields[i].Value = txn
		}
	}
	got := make(chan []byte, 1)
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	}))
	defer listener.Close()
	if _, err := l.PayPal.SendIPN(context.Background(), listener.URL, fields); err != nil {
		t.Fatal(err)
	}
	return string(<-got)
}

// TestEvents feeds every sample event through the exact handler main passes to
// lambda.Start, against DynamoDB Local and the PayPal stand-in's post-back: the
// authorisation IPN authorises the order, its resend changes nothing, a copy with one byte
// changed is refused by PayPal (INVALID) and recorded as refused, and a body that is no
// IPN is a 400.
func TestEvents(t *testing.T) {
	l := testenv.NewLocal(t)
	ref := checkout.NewRef()
	orders := seed(t, l, ref)
	rt, err := webhooksapp.New(lambdaapp.MapLookup(l.Env(t, "webhooks")), l.DB, l.SecretsManager, nil, testenv.Logger(t))
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
	history := func(want int, state checkout.State) func(t *testing.T, a testenv.Answer) {
		return func(t *testing.T, a testenv.Answer) {
			o, _, err := orders.Get(context.Background(), "demo", ref)
			if err != nil || len(o.History) != want || o.State != state {
				t.Fatalf("order %s with %d entries (%v), want %s with %d", o.State, len(o.History), err, state, want)
			}
		}
	}
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
	})
	o, _, _ := orders.Get(context.Background(), "demo", ref)
	applied, refused := o.History[1], o.History[2]
	if applied.Cause.By != "provider:paypal_ipn" || applied.Cause.Notification != "ipn:AUTH"+ref[3:]+":Pending" || o.Refs.TransactionID != "AUTH"+ref[3:] {
		t.Errorf("the authorisation in the history: %+v, refs %+v", applied, o.Refs)
	}
	if refused.From != refused.To || !strings.Contains(refused.Cause.Note, "refused: PayPal answered INVALID") {
		t.Errorf("the forgery in the history: %+v", refused)
	}
}
