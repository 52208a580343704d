package webhooksapp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/checkout"
)

// refundRig is an IPN journey whose order is captured, which also receives the REST
// events the PayPal stand-in signs for the sandbox listener: both routes through the
// function's handler, against DynamoDB Local.
type refundRig struct {
	*ipnRig
	sink string // where the stand-in posts the events it signs, for the test to hand on
}

func newRefundRig(t *testing.T) *refundRig {
	t.Helper()
	r := &refundRig{ipnRig: newIPNRig(t)}
	sink := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(sink.Close)
	r.sink = sink.URL
	r.l.PayPal.SetNotify(localenv.PayPalNotify(r.l.PayPalURL, sink.URL, r.site))
	r.expect(t, r.authorisation(t, nil), http.StatusOK, "applied")
	r.expect(t, r.later(t, "Completed", r.capt, "49.00"), http.StatusOK, "applied")
	r.is(t, checkout.StateCaptured, 2, 1, 1)
	return r
}

// refundIPN is the Refunded IPN of refund id (its txn_id) of value (49.00 for all).
func (r *refundRig) refundIPN(t *testing.T, id, value string) string {
	t.Helper()
	return r.later(t, "Refunded", id, "-"+value)
}

// refundREST delivers the PAYMENT.CAPTURE.REFUNDED event eventID, whose refund is
// "R-"+eventID, signed by the stand-in, to the REST route as API Gateway hands it on.
func (r *refundRig) refundREST(t *testing.T, eventID, value string) testenv.Answer {
	t.Helper()
	n, err := r.l.PayPal.SendEvent(context.Background(), r.sink, localenv.PayPalSandboxWebhookID,
		refundEvent("PAYMENT.CAPTURE.REFUNDED", eventID, r.ref, r.capt, value))
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{"content-type": "application/json"}
	for name, v := range n.Header {
		if !strings.EqualFold(name, "X-Standin-Webhook-Id") {
			headers[strings.ToLower(name)] = v[0]
		}
	}
	return testenv.CallWithHeaders(t, r.h, http.MethodPost, "/webhooks/"+r.site+"/paypal/rest", string(n.Body), nil, headers)
}

// fiveTimes delivers a message five times: applied or noted once (first), then duplicates.
func fiveTimes(t *testing.T, deliver func() testenv.Answer, first string) {
	t.Helper()
	for i := range 5 {
		deliver().Want(t, http.StatusOK, map[string]any{"outcome": map[bool]string{true: first, false: "duplicate"}[i == 0]})
	}
}

func (r *refundRig) noted(t *testing.T, o checkout.Order, wants ...string) {
	t.Helper()
	for i, want := range wants {
		if e := o.History[r.entries+2+i]; !strings.Contains(e.Cause.Note, want) {
			t.Errorf("entry %d: %+v, want %q", i, e, want)
		}
	}
}

// Two partial refunds adding up to the total refund the order and give its code use back,
// once; each refund is reported by its IPN and its REST event, each delivered five times,
// and counted once (the other message is a note).
func TestPartialRefundsAddUp(t *testing.T) {
	r := newRefundRig(t)
	first := r.refundIPN(t, "R-WH-PART-1", "10.00")
	fiveTimes(t, func() testenv.Answer { return r.post(t, first) }, "noted")
	fiveTimes(t, func() testenv.Answer { return r.refundREST(t, "WH-PART-1", "10.00") }, "noted")
	if o := r.is(t, checkout.StateCaptured, 4, 1, 1); o.Amounts.RefundedMinor != 1000 || len(o.RefundIDs) != 1 {
		t.Fatalf("after the first refund: %d refunded, %v", o.Amounts.RefundedMinor, o.RefundIDs)
	}

	fiveTimes(t, func() testenv.Answer { return r.refundREST(t, "WH-PART-2", "39.00") }, "applied")
	r.is(t, checkout.StateRefunded, 5, 0, 0)
	second := r.refundIPN(t, "R-WH-PART-2", "39.00")
	fiveTimes(t, func() testenv.Answer { return r.post(t, second) }, "noted")
	o := r.is(t, checkout.StateRefunded, 6, 0, 0)
	if o.Amounts.RefundedMinor != 4900 || strings.Join(o.RefundIDs, " ") != "R-WH-PART-1 R-WH-PART-2" {
		t.Fatalf("after the second refund: %d refunded, %v", o.Amounts.RefundedMinor, o.RefundIDs)
	}
	r.noted(t, o, "partial refund of 10.00 USD (10.00 USD of 49.00 USD refunded)",
		"refund R-WH-PART-1 of 10.00 USD counted already (10.00 USD of 49.00 USD refunded)",
		"refund of 39.00 USD (49.00 USD of 49.00 USD refunded)",
		"refund R-WH-PART-2 of 39.00 USD counted already (49.00 USD of 49.00 USD refunded)")
}

// A refund over what is left of the total is refused (recorded with why, acknowledged),
// counts nothing and leaves the order captured; the refund of what is left refunds it.
func TestOverRefundRefused(t *testing.T) {
	r := newRefundRig(t)
	r.expect(t, r.refundIPN(t, "R-WH-OVER-1", "10.00"), http.StatusOK, "noted")
	r.refundREST(t, "WH-OVER-2", "40.00").Want(t, http.StatusOK, map[string]any{"outcome": "refused"})
	r.expect(t, r.refundIPN(t, "R-WH-OVER-3", "49.00"), http.StatusOK, "refused")
	if o := r.is(t, checkout.StateCaptured, 5, 1, 1); o.Amounts.RefundedMinor != 1000 || len(o.RefundIDs) != 1 {
		t.Fatalf("after the refusals: %d refunded, %v", o.Amounts.RefundedMinor, o.RefundIDs)
	}
	r.expect(t, r.refundIPN(t, "R-WH-OVER-4", "39.00"), http.StatusOK, "applied")
	o := r.is(t, checkout.StateRefunded, 6, 0, 0)
	r.noted(t, o, "partial refund of 10.00 USD",
		"refused: a refund of 40.00 USD is more than what is left of the order's total (10.00 USD of 49.00 USD refunded)",
		"refused: a refund of 49.00 USD is more than what is left")
}
