package webhooksapp_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	standin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/webhooksapp"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// restRig is the webhooks function served over HTTP with its template environment, and
// the PayPal stand-in signing REST events for site demo's route, as the local stack wires
// them: the stand-in's cert URL and CA by configuration, its listener's webhook ID.
type restRig struct {
	l      *testenv.Local
	orders *ordersdb.Store
	uses   *promodb.Uses
	route  string
	// sink takes deliveries meant to be tampered with before they reach the route.
	sink string
}

func newRESTRig(t *testing.T) *restRig {
	t.Helper()
	l := testenv.NewLocal(t)
	orders := seedSite(t, l, "demo", &provider.Setup{Kind: provider.ExpressCheckoutUS, Currency: "USD", PayPalEmail: localenv.PayPalMerchantEmail})
	rt, err := webhooksapp.New(lambdaapp.MapLookup(l.Env(t, "webhooks")), l.DB, l.SecretsManager, l.SES, nil, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(rt)
	t.Cleanup(hs.Close)
	sink := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(sink.Close)
	notify := localenv.PayPalNotify(l.PayPalURL, hs.URL, "demo")
	l.PayPal.SetNotify(notify)
	uses, err := promodb.NewUses(l.DB, l.Tables["PromoCodesTable"])
	if err != nil {
		t.Fatal(err)
	}
	return &restRig{l: l, orders: orders, uses: uses, route: notify.WebhookURL, sink: sink.URL}
}

// codedOrder stores a pending order of 49.00 USD holding a use of code SAVE (at most 3
// uses, one confirmed for another buyer already).
func (r *restRig) codedOrder(t *testing.T) checkout.Order {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	c := promo.Code{Site: "demo", Code: "SAVE", Service: "events", Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 3}, Used: 1,
		Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 1000}, ExpiresOn: "2099-12-31",
		ExpiresAt: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive, CreatedAt: now, CreatedBy: "creator"}
	testenv.PutCodes(t, r.l.DB, r.l.Tables["PromoCodesTable"], c)
	o := pendingOrder("demo", checkout.NewRef(), provider.ExpressCheckoutUS)
	o.Code, o.CodeLimit, o.Refs = "SAVE", 3, checkout.ProviderRefs{Token: "EC-TOKEN"}
	if status, err := r.uses.Reserve(ctx, c, o.Ref, o.ReservedUntil, now); err != nil || status != "" {
		t.Fatalf("reserve: %q, %v", status, err)
	}
	if _, err := r.orders.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	return o
}

// used is how many uses of SAVE are held.
func (r *restRig) used(t *testing.T) int {
	t.Helper()
	_, n, _, err := r.uses.Lookup(context.Background(), "demo", "SAVE", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// send has the stand-in sign event for the local listener's webhook ID and deliver it to
// the route, and returns the delivery and the status the route answered.
func (r *restRig) send(t *testing.T, event []byte) (standin.Notification, int) {
	t.Helper()
	n, _ := r.l.PayPal.SendEvent(context.Background(), r.route, localenv.PayPalSandboxWebhookID, event)
	if len(n.Deliveries) != 1 {
		t.Fatalf("the event was not delivered: %+v", n)
	}
	return n, n.Deliveries[0]
}

// resend has the stand-in deliver n again (a new transmission of the same event), and
// returns the route's answer.
func (r *restRig) resend(t *testing.T, n standin.Notification) int {
	t.Helper()
	again, _ := r.l.PayPal.Resend(context.Background(), n.ID)
	return again.Deliveries[len(again.Deliveries)-1]
}

// post delivers body with header to the route as it stands (for tampered deliveries).
func (r *restRig) post(t *testing.T, header http.Header, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.route, bytes.NewReader(body))
	req.Header = header.Clone()
	req.Header.Del("X-Standin-Webhook-Id")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// signed is a delivery of event the stand-in signed for webhookID, not delivered to the
// route.
func (r *restRig) signed(t *testing.T, webhookID string, event []byte) (http.Header, []byte) {
	t.Helper()
	n, err := r.l.PayPal.SendEvent(context.Background(), r.sink, webhookID, event)
	if err != nil {
		t.Fatal(err)
	}
	return n.Header, n.Body
}

func (r *restRig) order(t *testing.T, ref string) checkout.Order {
	t.Helper()
	o, found, err := r.orders.Get(context.Background(), "demo", ref)
	if err != nil || !found {
		t.Fatalf("order %s: %v, %v", ref, found, err)
	}
	return o
}

// The events PayPal sends about an Express Checkout payment, in the v2 shapes of its
// documentation: the authorisation, its capture, a refund of the capture, a reversal.
func authorisationEvent(id, ref, auth string) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"event_version":"1.0","event_type":"PAYMENT.AUTHORIZATION.CREATED","resource_type":"authorization","resource_version":"2.0",`+
		`"summary":"A payment authorization was created","resource":{"id":%q,"status":"CREATED","amount":{"currency_code":"USD","value":"49.00"},"invoice_id":%q,`+
		`"links":[{"href":"https://api.sandbox.paypal.com/v2/payments/authorizations/%s","rel":"self","method":"GET"}]}}`, id, auth, ref, auth))
}

func captureEvent(id, ref, auth, capture string) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"event_version":"1.0","event_type":"PAYMENT.CAPTURE.COMPLETED","resource_type":"capture","resource_version":"2.0",`+
		`"summary":"Payment completed for $ 49.00 USD","resource":{"id":%q,"status":"COMPLETED","final_capture":true,"amount":{"currency_code":"USD","value":"49.00"},"invoice_id":%q,`+
		`"links":[{"href":"https://api.sandbox.paypal.com/v2/payments/captures/%s","rel":"self","method":"GET"},{"href":"https://api.sandbox.paypal.com/v2/payments/authorizations/%s","rel":"up","method":"GET"}]}}`,
		id, capture, ref, capture, auth))
}

func refundEvent(eventType, id, ref, capture, value string) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"event_version":"1.0","event_type":%q,"resource_type":"refund","resource_version":"2.0",`+
		`"summary":"A $ %s USD capture payment was refunded","resource":{"id":"R-%s","status":"COMPLETED","amount":{"currency_code":"USD","value":%q},"invoice_id":%q,`+
		`"links":[{"href":"https://api.sandbox.paypal.com/v2/payments/captures/%s","rel":"up","method":"GET"}]}}`, id, eventType, value, id, value, ref, capture))
}

// TestRESTEventsFromTheStandIn delivers the stand-in's signed events to the route, in the
// worst order: a capture and a refund before the authorisation they follow are answered
// 503 (PayPal sends them again) and change nothing; every event five times is applied
// once; forgeries change nothing but the history; a full refund refunds the order and
// gives the code use back, once (partial refunds: refunds_test.go).
func TestRESTEventsFromTheStandIn(t *testing.T) {
	r := newRESTRig(t)
	o := r.codedOrder(t)
	auth, capture := "AUTH"+o.Ref[3:], "CAP"+o.Ref[3:]
	entries := func(want int, state checkout.State) checkout.Order {
		t.Helper()
		got := r.order(t, o.Ref)
		if len(got.History) != want || got.State != state {
			t.Fatalf("order %s with %d entries, want %s with %d: %+v", got.State, len(got.History), state, want, got.History)
		}
		return got
	}

	captured, status := r.send(t, captureEvent("WH-CAPTURE-1", o.Ref, auth, capture))
	if status != http.StatusServiceUnavailable {
		t.Fatalf("a capture before its authorisation: %d", status)
	}
	refunded, status := r.send(t, refundEvent("PAYMENT.CAPTURE.REFUNDED", "WH-REFUND-FULL", o.Ref, capture, "49.00"))
	if status != http.StatusServiceUnavailable {
		t.Fatalf("a refund before its capture: %d", status)
	}
	entries(1, checkout.StatePendingPayment)

	authorised, status := r.send(t, authorisationEvent("WH-AUTH-1", o.Ref, auth))
	for i := 0; i < 4 && status == http.StatusOK; i++ {
		status = r.resend(t, authorised)
	}
	if status != http.StatusOK {
		t.Fatalf("the authorisation: %d", status)
	}
	if got := entries(2, checkout.StateAuthorised); got.Refs.TransactionID != auth || got.History[1].Cause.Notification != "rest:WH-AUTH-1" ||
		got.History[1].Cause.By != "provider:paypal_rest" || r.used(t) != 2 {
		t.Fatalf("authorised: refs %+v, history %+v, %d uses", got.Refs, got.History, r.used(t))
	}

	// Forgeries and tampered deliveries of a capture: each refused, recorded, acknowledged.
	header, body := r.signed(t, localenv.PayPalSandboxWebhookID, captureEvent("WH-FORGED-1", o.Ref, auth, capture))
	tampered := bytes.Replace(body, []byte(`"49.00"`), []byte(`"48.00"`), 1)
	otherID := header.Clone()
	otherID.Set("Paypal-Transmission-Id", header.Get("Paypal-Transmission-Id")+"0")
	wrongHook, wrongBody := r.signed(t, "SOMEONE-ELSES-WEBHOOK", captureEvent("WH-FORGED-2", o.Ref, auth, capture))
	foreignCert, foreignBody := r.signed(t, localenv.PayPalSandboxWebhookID, captureEvent("WH-FORGED-4", o.Ref, auth, capture))
	foreignCert.Set("Paypal-Cert-Url", strings.Replace(foreignCert.Get("Paypal-Cert-Url"), r.l.PayPalURL, "https://certs.example", 1))
	r.l.PayPal.SetClock(func() time.Time { return time.Now().Add(-10 * time.Minute) })
	oldHeader, oldBody := r.signed(t, localenv.PayPalSandboxWebhookID, captureEvent("WH-FORGED-3", o.Ref, auth, capture))
	r.l.PayPal.SetClock(time.Now)
	for i, d := range []struct {
		header http.Header
		body   []byte
	}{
		{header, tampered}, {otherID, body}, {wrongHook, wrongBody}, {foreignCert, foreignBody}, {oldHeader, oldBody},
	} {
		if status := r.post(t, d.header, d.body); status != http.StatusOK {
			t.Errorf("forgery %d answered %d", i, status)
		}
	}
	got := entries(7, checkout.StateAuthorised)
	for _, e := range got.History[2:] {
		if !strings.Contains(e.Cause.Note, "refused: the signature is not PayPal's") || !strings.HasPrefix(e.Cause.Notification, "refused:") {
			t.Errorf("a forgery in the history: %+v", e)
		}
	}

	for i := 0; i < 5; i++ {
		if status := r.resend(t, captured); status != http.StatusOK {
			t.Fatalf("the capture, delivery %d: %d", i, status)
		}
	}
	if got := entries(8, checkout.StateCaptured); got.Refs.CaptureID != capture || got.History[7].Cause.Notification != "rest:WH-CAPTURE-1" {
		t.Fatalf("captured: %+v", got.Refs)
	}

	for i := 0; i < 5; i++ {
		if status := r.resend(t, refunded); status != http.StatusOK {
			t.Fatalf("the full refund, delivery %d: %d", i, status)
		}
	}
	entries(9, checkout.StateRefunded)
	if n := r.used(t); n != 1 {
		t.Fatalf("after the full refund %d uses are held, want the other buyer's 1", n)
	}
	if _, status := r.send(t, refundEvent("PAYMENT.CAPTURE.REVERSED", "WH-REVERSAL", o.Ref, capture, "-49.00")); status != http.StatusOK {
		t.Fatalf("the reversal: %d", status)
	}
	if got := entries(10, checkout.StateRefunded); !strings.Contains(got.History[9].Cause.Note, "reversed the payment") || r.used(t) != 1 {
		t.Fatalf("the reversal: %+v", got.History[9])
	}
}
