package checkout

import (
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// refundCheck is a protocol's refund check as the webhooks make it: CountRefund decides.
func refundCheck(o Order, _ *provider.Setup, n *Notice) string {
	if n.Refund == nil {
		return ""
	}
	switch count, _ := o.CountRefund(*n.Refund); count {
	case RefundOver:
		return "more than what is left"
	case RefundCounted:
		n.To, n.Refund = "", nil
	case RefundPartial:
		n.To = ""
	}
	return ""
}

func refundNotice(ref, id, refundID string, minor int64) Notice {
	n := notice(ref, id, StateRefunded)
	n.Refund = &Refund{ID: refundID, Minor: minor}
	return n
}

// captured is an order with a code, authorised and captured by notices.
func (r *rig) captured(t *testing.T) Order {
	t.Helper()
	o := r.pending(t)
	r.notify(t, notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), nil)
	r.notify(t, notice(o.Ref, "ipn:CAP-1:Completed", StateCaptured), nil)
	if got := r.orders.get(o.Ref); got.State != StateCaptured || o.Code == "" {
		t.Fatalf("not a captured order with a code: %s %q", got.State, o.Code)
	}
	return r.orders.get(o.Ref)
}

// Two partial refunds adding up to the total refund the order and give its code use back
// once; each is reported by two messages (IPN and REST) delivered five times, and counted
// once; a third refund is refused.
func TestPartialRefundsAddUp(t *testing.T) {
	r := newRig(t)
	o := r.captured(t)
	total := o.Amounts.TotalMinor
	first, second := total/3, total-total/3
	deliver := func(refundID string, minor int64) []NoticeOutcome {
		var out []NoticeOutcome
		for range 5 {
			out = append(out, r.notify(t, refundNotice(o.Ref, "ipn:"+refundID+":Refunded", refundID, minor), refundCheck).Outcome,
				r.notify(t, refundNotice(o.Ref, "rest:WH-"+refundID, refundID, minor), refundCheck).Outcome)
		}
		return out
	}
	out := deliver("R-1", first)
	got := r.orders.get(o.Ref)
	if got.State != StateCaptured || got.Amounts.RefundedMinor != first || len(got.RefundIDs) != 1 || r.returned != 0 {
		t.Fatalf("after the first refund: %s, refunded %d %v, returned %d", got.State, got.Amounts.RefundedMinor, got.RefundIDs, r.returned)
	}
	if out[0] != NoticeNoted || out[1] != NoticeNoted || len(got.History) != len(o.History)+2 {
		t.Fatalf("the first refund's outcomes %v, history %+v", out, got.History)
	}
	out = deliver("R-2", second)
	got = r.orders.get(o.Ref)
	if got.State != StateRefunded || got.Amounts.RefundedMinor != total || len(got.RefundIDs) != 2 || r.returned != 1 {
		t.Fatalf("after the second refund: %s, refunded %d of %d %v, returned %d", got.State, got.Amounts.RefundedMinor, total, got.RefundIDs, r.returned)
	}
	if out[0] != NoticeApplied || out[1] != NoticeNoted {
		t.Fatalf("the second refund's outcomes %v", out)
	}
	if rc := r.notify(t, refundNotice(o.Ref, "ipn:R-3:Refunded", "R-3", 1), refundCheck); rc.Outcome != NoticeRefused ||
		rc.Order.Amounts.RefundedMinor != total || r.returned != 1 {
		t.Fatalf("a refund over the total: %+v, returned %d", rc, r.returned)
	}
}

func TestCountRefund(t *testing.T) {
	o := Order{Amounts: Amounts{TotalMinor: 1000, RefundedMinor: 400}, RefundIDs: []string{"R-1"}}
	for _, c := range []struct {
		r        Refund
		count    RefundCount
		refunded int64
	}{
		{Refund{ID: "R-1", Minor: 400}, RefundCounted, 400},
		{Refund{ID: "R-1", Minor: 600}, RefundCounted, 400},
		{Refund{ID: "R-2", Minor: 100}, RefundPartial, 500},
		{Refund{ID: "R-2", Minor: 600}, RefundFull, 1000},
		{Refund{ID: "R-2", Minor: 601}, RefundOver, 400},
		{Refund{ID: "R-2", Minor: 0}, RefundOver, 400},
		{Refund{ID: "R-2", Minor: -5}, RefundOver, 400},
	} {
		if count, refunded := o.CountRefund(c.r); count != c.count || refunded != c.refunded {
			t.Errorf("%+v: %d, %d; want %d, %d", c.r, count, refunded, c.count, c.refunded)
		}
	}
	counted := o.withRefund(&Refund{ID: "R-2", Minor: 100})
	if again := counted.withRefund(&Refund{ID: "R-2", Minor: 100}); again.Amounts.RefundedMinor != 500 || len(again.RefundIDs) != 2 ||
		len(o.RefundIDs) != 1 || o.Amounts.RefundedMinor != 400 {
		t.Fatalf("counted %+v, again %+v, o %+v", counted, again, o)
	}
}
