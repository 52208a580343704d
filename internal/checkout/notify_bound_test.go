package checkout

import (
	"fmt"
	"testing"
)

// Forgeries cannot grow an order without bound (its item has DynamoDB's 400 KB limit and
// the history is read whole): past MaxRefusedNotices refusals, a refused notice is
// answered refused but not stored, and the genuine notice still applies.
func TestRefusedNoticesAreBounded(t *testing.T) {
	r := newRig(t)
	o := r.pending(t)
	for i := range MaxRefusedNotices + 5 {
		forged := notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised)
		forged.Refused, forged.RefusedID = "PayPal answered INVALID", fmt.Sprintf("refused:%d", i)
		got := r.notify(t, forged, nil)
		if got.Outcome != NoticeRefused || got.Unrecorded != (i >= MaxRefusedNotices) {
			t.Fatalf("forgery %d: %+v", i, got)
		}
	}
	stored := r.orders.get(o.Ref)
	if len(stored.History) != len(o.History)+MaxRefusedNotices || stored.State != StatePendingPayment {
		t.Fatalf("after %d forgeries: %s with %d entries", MaxRefusedNotices+5, stored.State, len(stored.History))
	}
	if got := r.notify(t, notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), nil); got.Outcome != NoticeApplied {
		t.Fatalf("the genuine notice after the forgeries: %v", got.Outcome)
	}
}

// A refusal with no note of its own says why and nothing more (no dangling separator).
func TestRefusalNoteEndsWithWhy(t *testing.T) {
	r := newRig(t)
	o := r.pending(t)
	forged := notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised)
	forged.Refused = "PayPal answered INVALID"
	r.notify(t, forged, nil)
	stored := r.orders.get(o.Ref)
	if e := stored.History[len(stored.History)-1]; e.Cause.Note != "refused: PayPal answered INVALID" {
		t.Fatalf("note %q", e.Cause.Note)
	}
}

// A refused notice's own note is what the message claimed, and says so: an administrator
// must not read "authorised" in a forgery's entry as a fact.
func TestRefusalNoteQuotesTheClaim(t *testing.T) {
	r := newRig(t)
	o := r.pending(t)
	forged := notice(o.Ref, "worldpay:1:Y", StateAuthorised)
	forged.Refused, forged.Note = "the callback password is wrong", "authorised 49.00 USD"
	r.notify(t, forged, nil)
	stored := r.orders.get(o.Ref)
	if e := stored.History[len(stored.History)-1]; e.Cause.Note != "refused: the callback password is wrong; the message said: authorised 49.00 USD" {
		t.Fatalf("note %q", e.Cause.Note)
	}
}
