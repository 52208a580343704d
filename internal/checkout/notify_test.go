package checkout

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// notice is an IPN-like notice for order ref reporting state to.
func notice(ref, id string, to State) Notice {
	return Notice{Site: "demo", Ref: ref, ID: id, Kind: "paypal_ipn", To: to, Refs: ProviderRefs{TransactionID: "AUTH-1"}}
}

func (r *rig) notify(t *testing.T, n Notice, check Check) Receipt {
	t.Helper()
	got, err := r.c.Notified(context.Background(), n, check)
	if err != nil {
		t.Fatalf("notice %s: %v", n.ID, err)
	}
	return got
}

func (r *rig) pending(t *testing.T) Order {
	t.Helper()
	o, _, err := r.create(t, goodOrderInput(), Key{})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// The same authorisation delivered five times authorises the order once: one history
// entry, one confirmed code use; the four others are duplicates and change nothing.
func TestNoticeFiveTimesAppliesOnce(t *testing.T) {
	r := newRig(t)
	o := r.pending(t)
	var outcomes []NoticeOutcome
	for range 5 {
		outcomes = append(outcomes, r.notify(t, notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), nil).Outcome)
	}
	got := r.orders.get(o.Ref)
	if got.State != StateAuthorised || len(got.History) != len(o.History)+1 || got.Refs.TransactionID != "AUTH-1" {
		t.Fatalf("after five deliveries: %s, %+v", got.State, got.History)
	}
	if outcomes[0] != NoticeApplied || strings.Count(joinOutcomes(outcomes), string(NoticeDuplicate)) != 4 {
		t.Fatalf("outcomes %v", outcomes)
	}
	if len(r.confirm) != 1 {
		t.Fatalf("code use confirmed %d times", len(r.confirm))
	}
	if e := got.History[len(got.History)-1]; e.Cause.By != "provider:paypal_ipn" || e.Cause.Notification != "ipn:AUTH-1:Pending" {
		t.Fatalf("history entry %+v", e)
	}
}

func joinOutcomes(os []NoticeOutcome) string {
	var b strings.Builder
	for _, o := range os {
		b.WriteString(string(o) + " ")
	}
	return b.String()
}

// Messages in either order end in the same state: a capture reported after the return
// authorised the order, then the authorisation's own IPN, late: captured, and the late one
// is noted as no change. Reversed (capture first on a pending order), the capture is
// answered retryable until the authorisation came.
func TestNoticesInEitherOrderEndCaptured(t *testing.T) {
	auth, capture := func(ref string) Notice { return notice(ref, "ipn:AUTH-1:Pending", StateAuthorised) },
		func(ref string) Notice { return notice(ref, "ipn:CAP-1:Completed", StateCaptured) }

	r := newRig(t)
	o := r.pending(t)
	r.notify(t, auth(o.Ref), nil)
	r.notify(t, capture(o.Ref), nil)
	inOrder := r.orders.get(o.Ref)

	r = newRig(t)
	o = r.pending(t)
	_, err := r.c.Notified(context.Background(), capture(o.Ref), nil)
	if apperr.CodeOf(err) != apperr.CodeUnavailable || len(r.orders.get(o.Ref).History) != len(o.History) {
		t.Fatalf("a capture before its authorisation: %v, %+v", err, r.orders.get(o.Ref).History)
	}
	r.notify(t, auth(o.Ref), nil)
	r.notify(t, capture(o.Ref), nil) // PayPal's retry
	if late := r.notify(t, auth(o.Ref), nil); late.Outcome != NoticeDuplicate {
		t.Fatalf("the authorisation again: %v", late.Outcome)
	}
	reversed := r.orders.get(o.Ref)
	if inOrder.State != StateCaptured || reversed.State != StateCaptured || len(inOrder.History) != len(reversed.History) {
		t.Fatalf("in order %s (%d entries), reversed %s (%d entries)", inOrder.State, len(inOrder.History), reversed.State, len(reversed.History))
	}
}

// A notice behind the order (the authorisation's IPN after an administrator captured) is
// noted in the history as no change, and the order stays where it is.
func TestLateNoticeNeverMovesBack(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	r.notify(t, notice(o.Ref, "ipn:CAP-1:Completed", StateCaptured), nil)
	got := r.notify(t, notice(o.Ref, "ipn:AUTH-9:Pending", StateAuthorised), nil)
	stored := r.orders.get(o.Ref)
	last := stored.History[len(stored.History)-1]
	if got.Outcome != NoticeNoted || stored.State != StateCaptured || last.From != StateCaptured || last.To != StateCaptured ||
		!strings.Contains(last.Cause.Note, "does not go back to authorised") {
		t.Fatalf("late notice: %v, %s, %+v", got.Outcome, stored.State, last)
	}
	if again := r.notify(t, notice(o.Ref, "ipn:AUTH-9:Pending", StateAuthorised), nil); again.Outcome != NoticeDuplicate ||
		len(r.orders.get(o.Ref).History) != len(stored.History) {
		t.Fatalf("the late notice again: %v", again.Outcome)
	}
}

// A refused notice (a failed check, or INVALID at the post-back) is recorded as refused
// with why, once per message, and changes nothing else; it does not use up the genuine
// message's identity, which applies afterwards.
func TestRefusedNoticesChangeNothing(t *testing.T) {
	r := newRig(t)
	o := r.pending(t)
	wrongAmount := func(o Order, p *provider.Setup, _ *Notice) string {
		if p == nil || p.Kind != provider.PayflowPro {
			return "no provider"
		}
		return "mc_gross 1.00 USD is not the order's total"
	}
	forged := notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised)
	forged.Refused, forged.RefusedID = "PayPal answered INVALID", "refused:abc"
	for _, n := range []struct {
		n     Notice
		check Check
	}{{notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), wrongAmount}, {forged, nil}, {forged, nil}} {
		got := r.notify(t, n.n, n.check)
		if got.Outcome != NoticeRefused && got.Outcome != NoticeDuplicate {
			t.Fatalf("refused notice: %v", got.Outcome)
		}
	}
	stored := r.orders.get(o.Ref)
	if stored.State != StatePendingPayment || len(stored.History) != len(o.History)+2 || len(r.confirm) != 0 {
		t.Fatalf("after refusals: %s, %+v, confirmed %v", stored.State, stored.History, r.confirm)
	}
	for _, e := range stored.History[len(o.History):] {
		if e.From != e.To || !strings.HasPrefix(e.Cause.Note, "refused: ") {
			t.Fatalf("refusal entry %+v", e)
		}
	}
	if got := r.notify(t, notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), nil); got.Outcome != NoticeApplied {
		t.Fatalf("the genuine notice after the forgeries: %v", got.Outcome)
	}
}

// A notice for an order the site does not have records nothing.
func TestNoticeOfUnknownOrder(t *testing.T) {
	r := newRig(t)
	for _, ref := range []string{"BO-AAAAAAAAAAAA", "nonsense"} {
		if got := r.notify(t, notice(ref, "ipn:X:Pending", StateAuthorised), nil); got.Outcome != NoticeUnknownOrder {
			t.Fatalf("%s: %v", ref, got.Outcome)
		}
	}
}

// A full refund gives the code use back; a note-only notice (a partial refund) keeps it.
func TestRefundNotices(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	r.notify(t, notice(o.Ref, "ipn:CAP-1:Completed", StateCaptured), nil)
	partial := notice(o.Ref, "ipn:REF-1:Refunded", "")
	partial.Note = "partial refund of 10.00 USD"
	if got := r.notify(t, partial, nil); got.Outcome != NoticeNoted || got.Order.State != StateCaptured || r.returned != 0 {
		t.Fatalf("partial refund: %v %s, returned %d", got.Outcome, got.Order.State, r.returned)
	}
	if got := r.notify(t, notice(o.Ref, "ipn:REF-2:Refunded", StateRefunded), nil); got.Outcome != NoticeApplied || r.returned != 1 {
		t.Fatalf("full refund: %v, returned %d", got.Outcome, r.returned)
	}
}

// An authorisation reported after the order's reservation ran out authorises it all the
// same (the buyer paid), recorded with the notice: a resend is a duplicate.
func TestLateAuthorisationNotice(t *testing.T) {
	r := newRig(t)
	o := r.pending(t)
	r.now = o.ReservedUntil.Add(time.Minute)
	got := r.notify(t, notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), nil)
	if got.Outcome != NoticeApplied || got.Order.State != StateAuthorised || !strings.Contains(lastNote(got.Order), "paid after the order's reservation ran out") {
		t.Fatalf("late authorisation: %v, %s, %q", got.Outcome, got.Order.State, lastNote(got.Order))
	}
	if again := r.notify(t, notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), nil); again.Outcome != NoticeDuplicate ||
		len(r.orders.get(o.Ref).History) != len(o.History)+1 {
		t.Fatalf("again: %v, %+v", again.Outcome, r.orders.get(o.Ref).History)
	}
}
