package webhooksapp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/webhooksapp"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// payPalSent has the PayPal stand-in send the sample authorisation IPN with fields set
// (appended when the sample lacks them, removed when set to ""), and returns its body as
// sent: the stand-in answers VERIFIED to exactly these bytes.
func payPalSent(t *testing.T, l *testenv.Local, set map[string]string) string {
	t.Helper()
	sample, err := ipn.Parse([]byte(testenv.LoadHTTPEvent(t, eventsDir, "ipn-authorisation").Body))
	if err != nil {
		t.Fatal(err)
	}
	var fields []ipn.Field
	seen := map[string]bool{}
	for _, f := range sample.Fields {
		if v, ok := set[f.Name]; ok {
			f.Value, seen[f.Name] = v, true
		}
		if f.Value != "" {
			fields = append(fields, f)
		}
	}
	for name, v := range set {
		if !seen[name] && v != "" {
			fields = append(fields, ipn.Field{Name: name, Value: v})
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

// journey is a site's pending test order of 49.00 USD, holding a reservation of a use of
// code SPRING20 (of 50), and the webhooks function's handler, against DynamoDB Local and
// the stand-ins; path is the route its provider posts to.
type journey struct {
	l          *testenv.Local
	h          lambdaapp.HTTPLambda
	orders     *ordersdb.Store
	uses       *promodb.Uses
	site, path string
	ref        string
	entries    int // the order's history entries when made
}

// newJourney sets site's events service up with provider p and makes the order; env is
// the webhooks function's environment (its secret prefix is where p's secret lives).
func newJourney(t *testing.T, l *testenv.Local, env map[string]string, site, path string, p *provider.Setup) *journey {
	t.Helper()
	ctx := context.Background()
	r := &journey{l: l, site: site, path: path, ref: checkout.NewRef()}
	r.orders = seedSite(t, l, site, p)
	code := promo.Code{Site: site, Code: "SPRING20", Service: "events", Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 50},
		Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000}, ExpiresOn: "2034-12-31",
		ExpiresAt: time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC), AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive,
		CreatedAt: time.Now().Add(-time.Hour), CreatedBy: "setup"}
	testenv.PutCodes(t, l.DB, l.Tables["PromoCodesTable"], code)
	uses, err := promodb.NewUses(l.DB, l.Tables["PromoCodesTable"])
	if err != nil {
		t.Fatal(err)
	}
	r.uses = uses
	o := pendingOrder(site, r.ref, p.Kind)
	o.Code, o.CodeLimit = "SPRING20", 50
	if st, err := uses.Reserve(ctx, code, o.Ref, o.ReservedUntil, time.Now()); err != nil || st != "" {
		t.Fatalf("reserve: %q, %v", st, err)
	}
	if _, err := r.orders.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	r.entries = len(o.History)
	rt, err := webhooksapp.New(lambdaapp.MapLookup(env), l.DB, l.SecretsManager, l.SES, nil, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	r.h = lambdaapp.NewHTTPLambda(rt)
	return r
}

// ipnRig is a journey of site demo through Express Checkout, whose IPNs the PayPal
// stand-in sends.
type ipnRig struct {
	*journey
	auth, capt string // the order's authorisation and capture transactions
}

func newIPNRig(t *testing.T) *ipnRig {
	t.Helper()
	l := testenv.NewLocal(t)
	j := newJourney(t, l, l.Env(t, "webhooks"), "demo", "/webhooks/demo/paypal/ipn",
		&provider.Setup{Kind: provider.ExpressCheckoutUS, Currency: "USD", PayPalEmail: "pay@demo.example"})
	return &ipnRig{journey: j, auth: "AUTH" + j.ref[3:], capt: "CAPT" + j.ref[3:]}
}

// The messages PayPal sends about the order's payment, as the stand-in sends them.
func (r *ipnRig) authorisation(t *testing.T, set map[string]string) string {
	t.Helper()
	fields := map[string]string{"invoice": r.ref, "txn_id": r.auth, "auth_id": r.auth}
	for k, v := range set {
		fields[k] = v
	}
	return payPalSent(t, r.l, fields)
}

// later is a message about the captured payment: a capture (Completed), a refund, a
// reversal; gross is its mc_gross.
func (r *ipnRig) later(t *testing.T, status, txn, gross string) string {
	t.Helper()
	parent := r.capt
	if status == "Completed" || status == "Voided" {
		parent = r.auth
	}
	return r.authorisation(t, map[string]string{"payment_status": status, "txn_id": txn, "parent_txn_id": parent, "mc_gross": gross,
		"pending_reason": "", "auth_status": map[bool]string{true: "Voided", false: "Completed"}[status == "Voided"],
		"reason_code": map[bool]string{true: "chargeback", false: ""}[status == "Reversed"]})
}

// post delivers a form body to the journey's route as API Gateway hands it to the function.
func (r *journey) post(t *testing.T, body string) testenv.Answer {
	t.Helper()
	return testenv.CallWithHeaders(t, r.h, http.MethodPost, r.path, body, nil,
		map[string]string{"content-type": "application/x-www-form-urlencoded"})
}

// expect posts body and checks the status and outcome PayPal is answered.
func (r *ipnRig) expect(t *testing.T, body string, status int, outcome string) {
	t.Helper()
	a := r.post(t, body)
	if outcome == "" {
		a.Want(t, status, map[string]any{"error.code": "unavailable"})
		return
	}
	a.Want(t, status, map[string]any{"outcome": outcome})
}

// order is the order as stored, with its code use: used (confirmed) and held (confirmed
// and reserved).
func (r *journey) order(t *testing.T) (o checkout.Order, used, held int) {
	t.Helper()
	o, found, err := r.orders.Get(context.Background(), r.site, r.ref)
	if err != nil || !found {
		t.Fatalf("order %s: %v, %v", r.ref, found, err)
	}
	c, held, _, err := r.uses.Lookup(context.Background(), r.site, "SPRING20", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return o, c.Used, held
}

// is checks the order's state, history length (beyond its creation's) and code use.
func (r *journey) is(t *testing.T, state checkout.State, entries, used, held int) checkout.Order {
	t.Helper()
	o, u, h := r.order(t)
	if o.State != state || len(o.History)-r.entries != entries || u != used || h != held {
		t.Fatalf("order %s with %d new entries, code used %d held %d; want %s, %d, %d, %d: %+v",
			o.State, len(o.History)-r.entries, u, h, state, entries, used, held, o.History)
	}
	return o
}

// Every forged, tampered or mismatched IPN is answered 200 (PayPal must not send it again),
// recorded as refused in the order's history, and changes nothing else: not the state, not
// the code use, not the notice ledger (the genuine message applies after all of them).
func TestIPNForgeriesChangeNothing(t *testing.T) {
	r := newIPNRig(t)
	genuine := r.authorisation(t, nil)
	oneByte := strings.Replace(genuine, "payer_status=verified", "payer_status=verifiec", 1)
	if oneByte == genuine {
		t.Fatal("the sample has no payer_status=verified")
	}
	for i, c := range []struct {
		name, body, why string
	}{
		{"one byte changed", oneByte, "INVALID"},
		{"wrong receiver", r.authorisation(t, map[string]string{"business": "thief@evil.example", "receiver_email": "thief@evil.example"}), "not the site's PayPal account"},
		{"wrong amount", r.authorisation(t, map[string]string{"mc_gross": "1.00", "auth_amount": "1.00"}), "not the order's total"},
		{"wrong currency", r.authorisation(t, map[string]string{"mc_currency": "EUR"}), "not the order's USD"},
		{"live message", r.authorisation(t, map[string]string{"test_ipn": ""}), "a live message for a sandbox order"},
	} {
		a := r.post(t, c.body)
		a.Want(t, http.StatusOK, map[string]any{"outcome": "refused"})
		o := r.is(t, checkout.StatePendingPayment, i+1, 0, 1)
		e := o.History[len(o.History)-1]
		if !strings.Contains(e.Cause.Note, c.why) || !strings.HasPrefix(e.Cause.Notification, "refused:") || e.From != e.To {
			t.Errorf("%s: entry %+v, want a refusal saying %q", c.name, e, c.why)
		}
	}
	other := r.authorisation(t, map[string]string{"invoice": checkout.NewRef()})
	a := r.post(t, other)
	a.Want(t, http.StatusOK, map[string]any{"outcome": "refused"})
	if why, _ := a.Get("why").(string); !strings.Contains(why, "has no order") {
		t.Errorf("unknown order: %s", a.Raw)
	}
	r.is(t, checkout.StatePendingPayment, 5, 0, 1)
	r.expect(t, genuine, http.StatusOK, "applied")
	if o := r.is(t, checkout.StateAuthorised, 6, 1, 1); o.Refs.TransactionID != r.auth {
		t.Errorf("refs %+v", o.Refs)
	}
}

// The same message delivered five times changes the order once: one entry, one code use
// confirmed; the other four are duplicates. A void five times gives the use back once.
func TestIPNFiveTimesChangesOnce(t *testing.T) {
	r := newIPNRig(t)
	auth, void := r.authorisation(t, nil), r.later(t, "Voided", r.auth, "49.00")
	for i := range 5 {
		r.expect(t, auth, http.StatusOK, map[bool]string{true: "applied", false: "duplicate"}[i == 0])
	}
	r.is(t, checkout.StateAuthorised, 1, 1, 1)
	for i := range 5 {
		r.expect(t, void, http.StatusOK, map[bool]string{true: "applied", false: "duplicate"}[i == 0])
	}
	r.is(t, checkout.StateVoided, 2, 0, 0)
}

// Messages out of order end in the right state and never move the order backwards: a
// capture before its authorisation is answered 503 (PayPal sends it again) until the
// authorisation came; a void after the capture, a partial refund, a reversal and its
// cancellation are noted; the refund of the rest after them refunds the order and gives the code
// use back exactly once, however often it comes.
func TestIPNOutOfOrder(t *testing.T) {
	r := newIPNRig(t)
	capture := r.later(t, "Completed", r.capt, "49.00")
	r.expect(t, capture, http.StatusServiceUnavailable, "")
	r.is(t, checkout.StatePendingPayment, 0, 0, 1)
	r.expect(t, r.authorisation(t, nil), http.StatusOK, "applied")
	r.expect(t, capture, http.StatusOK, "applied")
	if o := r.is(t, checkout.StateCaptured, 2, 1, 1); o.Refs.CaptureID != r.capt {
		t.Errorf("refs %+v", o.Refs)
	}
	r.expect(t, r.later(t, "Voided", r.auth, "49.00"), http.StatusOK, "noted")
	r.expect(t, r.later(t, "Refunded", "REFP"+r.ref[3:], "-10.00"), http.StatusOK, "noted")
	r.expect(t, r.later(t, "Reversed", "REVS"+r.ref[3:], "-49.00"), http.StatusOK, "noted")
	r.expect(t, r.later(t, "Canceled_Reversal", "CREV"+r.ref[3:], "49.00"), http.StatusOK, "noted")
	o := r.is(t, checkout.StateCaptured, 6, 1, 1)
	for i, want := range []string{"does not go back to voided", "partial refund of 10.00 USD", "reversed the payment (chargeback)", "cancelled the reversal"} {
		if e := o.History[r.entries+2+i]; !strings.Contains(e.Cause.Note, want) || e.From != e.To {
			t.Errorf("entry %d: %+v, want %q", i, e, want)
		}
	}
	refund := r.later(t, "Refunded", "REFF"+r.ref[3:], "-39.00")
	r.expect(t, refund, http.StatusOK, "applied")
	r.expect(t, refund, http.StatusOK, "duplicate")
	r.is(t, checkout.StateRefunded, 7, 0, 0)
	r.expect(t, r.authorisation(t, nil), http.StatusOK, "duplicate")
	r.expect(t, r.later(t, "Reversed", "REV2"+r.ref[3:], "-49.00"), http.StatusOK, "noted")
	r.is(t, checkout.StateRefunded, 8, 0, 0)
}

// A denied payment fails the order and gives the reserved use back, once; an expired
// authorisation voids an authorised order and gives the confirmed use back, once.
func TestIPNDeniedAndExpired(t *testing.T) {
	r := newIPNRig(t)
	denied := r.authorisation(t, map[string]string{"payment_status": "Denied", "pending_reason": "", "auth_status": ""})
	r.expect(t, denied, http.StatusOK, "applied")
	r.expect(t, denied, http.StatusOK, "duplicate")
	r.is(t, checkout.StateFailed, 1, 0, 0)

	r = newIPNRig(t)
	r.expect(t, r.authorisation(t, nil), http.StatusOK, "applied")
	expired := r.authorisation(t, map[string]string{"payment_status": "Expired", "pending_reason": "", "auth_status": "Expired"})
	r.expect(t, expired, http.StatusOK, "applied")
	r.expect(t, expired, http.StatusOK, "duplicate")
	r.is(t, checkout.StateVoided, 2, 0, 0)
}
