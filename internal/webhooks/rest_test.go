package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/restwebhook"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

type fakeREST struct {
	verify func(webhookID string) error
}

func (f fakeREST) Verify(_ context.Context, _ restwebhook.Headers, _ []byte, webhookID string) error {
	return f.verify(webhookID)
}

var restIDs = map[provider.Env]string{provider.Sandbox: "WH-SANDBOX", provider.Live: "WH-LIVE"}

// signedFor is a verifier that finds deliveries signed for the webhook ID id only.
func signedFor(id string) fakeREST {
	return fakeREST{verify: func(webhookID string) error {
		if webhookID != id {
			return fmt.Errorf("%w: the signature does not match", restwebhook.ErrUnverified)
		}
		return nil
	}}
}

func restHeaders() http.Header {
	return http.Header{
		restwebhook.HeaderTransmissionID: {"b1"}, restwebhook.HeaderTransmissionTime: {"2026-06-01T12:00:00Z"},
		restwebhook.HeaderTransmissionSig: {"AAEC"}, restwebhook.HeaderAuthAlgo: {restwebhook.AuthAlgo},
		restwebhook.HeaderCertURL: {"https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1"},
	}
}

// restEvent is an event of type about a resource, in PayPal's v2 shape: resource
// holds the resource's fields besides its invoice_id (ref).
func restEvent(eventType, resource string) []byte {
	return []byte(`{"id":"WH-1","event_type":"` + eventType + `","resource":{"invoice_id":"` + ref + `",` + resource + `}}`)
}

const (
	authResource    = `"id":"AUTH1","status":"CREATED","amount":{"value":"49.00","currency_code":"USD"}`
	captureResource = `"id":"CAP1","status":"COMPLETED","amount":{"value":"49.00","currency_code":"USD"},"supplementary_data":{"related_ids":{"authorization_id":"AUTH1"}}`
)

func refundResource(value string) string {
	return `"id":"REF1","status":"COMPLETED","amount":{"value":"` + value + `","currency_code":"USD"},"links":[{"rel":"up","href":"https://api.paypal.com/v2/payments/captures/CAP1"}]`
}

// receivedREST runs an event through ReceiveREST with verifier v, and returns the notice
// checkout was given, checked against order() (captured as CAP1 when captured) and
// setup, and the result.
func receivedREST(t *testing.T, raw []byte, v RESTVerifier, captured bool) (checkout.Notice, Result, error) {
	t.Helper()
	var got checkout.Notice
	o := order()
	if captured {
		o.State, o.Refs.CaptureID = checkout.StateCaptured, "CAP1"
	}
	notices := fakeNotices{notified: func(n checkout.Notice, check checkout.Check) (checkout.Receipt, error) {
		if check != nil {
			n.Refused = check(o, setup, &n)
		}
		got = n
		if n.Refused != "" {
			return checkout.Receipt{Outcome: checkout.NoticeRefused, Why: n.Refused}, nil
		}
		return checkout.Receipt{Outcome: checkout.NoticeApplied}, nil
	}}
	w, err := New(Deps{Notices: notices, IPN: fakeVerifier{verify: func(*ipn.Message) (provider.Env, error) { return provider.Sandbox, nil }},
		Orders: fakeOrders{}, Secrets: fakeSecrets{}, REST: v, WebhookIDs: restIDs})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.ReceiveREST(context.Background(), "acme", restHeaders(), raw)
	return got, res, err
}

func TestRESTStates(t *testing.T) {
	for _, c := range []struct {
		eventType, resource string
		to                  checkout.State
		note                string
		refs                checkout.ProviderRefs
	}{
		{restwebhook.AuthorizationCreated, authResource, checkout.StateAuthorised, "authorised 49.00 USD", checkout.ProviderRefs{TransactionID: "AUTH1"}},
		{restwebhook.AuthorizationVoided, `"id":"AUTH1","status":"VOIDED"`, checkout.StateVoided, "voided", checkout.ProviderRefs{}},
		{restwebhook.CaptureCompleted, captureResource, checkout.StateCaptured, "captured 49.00 USD", checkout.ProviderRefs{CaptureID: "CAP1"}},
		{restwebhook.CaptureDenied, strings.Replace(captureResource, "COMPLETED", "DECLINED", 1), checkout.StateFailed, "denied", checkout.ProviderRefs{}},
		{restwebhook.CapturePending, strings.Replace(captureResource, "COMPLETED", "PENDING", 1), "", "pending", checkout.ProviderRefs{}},
		{restwebhook.CaptureReversed, `"id":"REV1","status":"COMPLETED","amount":{"value":"-49.00","currency_code":"USD"},"links":[{"rel":"up","href":"https://api.paypal.com/v2/payments/captures/CAP1"}]`,
			"", "reversed the payment: 49.00 USD taken back", checkout.ProviderRefs{}},
	} {
		n, res, err := receivedREST(t, restEvent(c.eventType, c.resource), signedFor("WH-SANDBOX"), true)
		if err != nil || res.Outcome != checkout.NoticeApplied || n.To != c.to || !strings.Contains(n.Note, c.note) || n.Refs != c.refs ||
			n.ID != "rest:WH-1" || n.Kind != KindREST || n.Ref != ref || n.Site != "acme" || !strings.HasPrefix(n.RefusedID, "refused:") {
			t.Errorf("%s: %+v, %+v, %v", c.eventType, n, res, err)
		}
	}
}

func TestRESTRefunds(t *testing.T) {
	full := restEvent(restwebhook.CaptureRefunded, refundResource("49.00"))
	if n, _, _ := receivedREST(t, full, signedFor("WH-SANDBOX"), true); n.To != checkout.StateRefunded || n.Refused != "" {
		t.Errorf("full refund: %+v", n)
	}
	partial := restEvent(restwebhook.CaptureRefunded, refundResource("10.00"))
	if n, _, _ := receivedREST(t, partial, signedFor("WH-SANDBOX"), true); n.To != "" || !strings.Contains(n.Note, "partial refund of 10.00 USD") || n.Refused != "" {
		t.Errorf("partial refund: %+v", n)
	}
	tooMuch := restEvent(restwebhook.CaptureRefunded, refundResource("50.00"))
	if n, _, _ := receivedREST(t, tooMuch, signedFor("WH-SANDBOX"), true); !strings.Contains(n.Refused, "more than what is left of the order's total (0.00 USD of 49.00 USD refunded)") {
		t.Errorf("a refund over the total: %+v", n)
	}
	otherCapture := restEvent(restwebhook.CaptureRefunded, strings.Replace(refundResource("49.00"), "captures/CAP1", "captures/CAP2", 1))
	if n, _, _ := receivedREST(t, otherCapture, signedFor("WH-SANDBOX"), true); !strings.Contains(n.Refused, "names none of the order's PayPal transactions") {
		t.Errorf("a refund of another capture: %+v", n)
	}
}

// A verified event that does not match its order is refused, with why: the environment is
// the one whose webhook ID the signature is for, never one the event names.
func TestRESTChecks(t *testing.T) {
	for _, c := range []struct {
		body     []byte
		verifier RESTVerifier
		want     string
	}{
		{restEvent(restwebhook.CaptureCompleted, captureResource), signedFor("WH-LIVE"), "a live message for a sandbox order"},
		{restEvent(restwebhook.CaptureCompleted, strings.Replace(captureResource, "49.00", "1.00", 1)), signedFor("WH-SANDBOX"), "is not the order's total 49.00 USD"},
		{restEvent(restwebhook.CaptureCompleted, strings.Replace(captureResource, `"USD"`, `"EUR"`, 1)), signedFor("WH-SANDBOX"), "is not the order's USD"},
		{restEvent(restwebhook.CaptureCompleted, strings.ReplaceAll(captureResource, "AUTH1", "AUTH2")), signedFor("WH-SANDBOX"), "names none of the order's PayPal transactions"},
		{restEvent(restwebhook.AuthorizationVoided, `"id":"AUTH9"`), signedFor("WH-SANDBOX"), "names none of the order's PayPal transactions"},
	} {
		n, res, err := receivedREST(t, c.body, c.verifier, false)
		if err != nil || !strings.Contains(n.Refused, c.want) || res.Outcome != checkout.NoticeRefused || res.Why != n.Refused {
			t.Errorf("%s: refused %q, %+v, %v; want %q", c.body, n.Refused, res, err, c.want)
		}
	}
}

// A delivery PayPal did not sign is refused under its body's hash, never its event's
// identity; one that could not be checked now, or with no webhook ID configured, is
// unavailable (5xx); missing headers or no event at all are invalid input; an event type
// Boxoffice does not act on is ignored.
func TestRESTVerification(t *testing.T) {
	body := restEvent(restwebhook.CaptureCompleted, captureResource)
	n, res, err := receivedREST(t, body, signedFor("WH-OTHER"), false)
	if err != nil || res.Outcome != checkout.NoticeRefused || !strings.Contains(n.Refused, "not PayPal's") || n.RefusedID != refusedID(body) || n.Ref != ref {
		t.Fatalf("unverified: %+v, %+v, %v", n, res, err)
	}
	if _, res, err := receivedREST(t, []byte("not json"), signedFor("WH-OTHER"), false); err != nil || res.Outcome != checkout.NoticeRefused {
		t.Errorf("unverified and no event: %+v, %v", res, err)
	}
	unavailable := fakeREST{verify: func(string) error {
		return &paymentpage.Unavailable{Provider: "paypal", Retryable: true, Err: errors.New("no answer")}
	}}
	if n, _, err := receivedREST(t, body, unavailable, false); apperr.CodeOf(err) != apperr.CodeUnavailable || n.ID != "" {
		t.Errorf("certificate not fetched: %v, %+v", err, n)
	}
	w, _ := New(Deps{Notices: fakeNotices{}, IPN: fakeVerifier{}, Orders: fakeOrders{}, Secrets: fakeSecrets{}, REST: signedFor("WH-SANDBOX")})
	if _, err := w.ReceiveREST(context.Background(), "acme", restHeaders(), body); apperr.CodeOf(err) != apperr.CodeUnavailable {
		t.Errorf("no webhook ID configured: %v", err)
	}
	w, _ = New(Deps{Notices: fakeNotices{}, IPN: fakeVerifier{}, Orders: fakeOrders{}, Secrets: fakeSecrets{}, REST: signedFor("WH-SANDBOX"),
		WebhookIDs: map[provider.Env]string{provider.Sandbox: "", provider.Live: ""}})
	if _, err := w.ReceiveREST(context.Background(), "acme", restHeaders(), body); apperr.CodeOf(err) != apperr.CodeUnavailable {
		t.Errorf("empty webhook IDs: %v", err)
	}
	h := restHeaders()
	h.Del(restwebhook.HeaderTransmissionSig)
	if _, err := w.ReceiveREST(context.Background(), "acme", h, body); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("no signature header: %v", err)
	}
	if _, _, err := receivedREST(t, []byte(`{"id":"WH-1"}`), signedFor("WH-SANDBOX"), false); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("a verified body that is no event: %v", err)
	}
	for _, ignored := range [][]byte{
		restEvent("CHECKOUT.ORDER.APPROVED", `"id":"ORDER1"`),
		[]byte(`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"CAP1"}}`), // names no order
	} {
		if _, res, err := receivedREST(t, ignored, signedFor("WH-SANDBOX"), false); err != nil || res.Outcome != NoticeIgnored {
			t.Errorf("%s: %+v, %v", ignored, res, err)
		}
	}
}

// FuzzReceiveREST: whatever a verified body holds, the route reads it into a notice of the
// event's own identity on the order it names, ignores it, or refuses it as invalid input;
// never another error, never a panic.
func FuzzReceiveREST(f *testing.F) {
	f.Add(restEvent(restwebhook.CaptureCompleted, captureResource))
	f.Add(restEvent(restwebhook.CaptureRefunded, refundResource("-1.00")))
	f.Add(restEvent(restwebhook.AuthorizationVoided, `"id":"AUTH1","amount":{"total":"49.00","currency":"USD"}`))
	f.Add([]byte(`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.REVERSED","resource":{"id":"R","invoice_number":"x"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		n, res, err := receivedREST(t, body, signedFor("WH-SANDBOX"), true)
		switch {
		case err != nil:
			if apperr.CodeOf(err) != apperr.CodeInvalid && apperr.CodeOf(err) != apperr.CodeTooLarge {
				t.Fatalf("%q: %v", body, err)
			}
		case res.Outcome == NoticeIgnored:
		case n.ID == "" || !strings.HasPrefix(n.ID, "rest:") || n.Ref == "" || n.Kind != KindREST || (n.Refused == "") != (res.Outcome == checkout.NoticeApplied):
			t.Fatalf("%q read as %+v, %+v", body, n, res)
		}
	})
}
