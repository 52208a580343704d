package checkout

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
)

// lateReturn has the buyer of o come back, after its reservation ran out, with the payment
// authorised on the provider's page.
func (r *rig) lateReturn(t *testing.T, o Order) Order {
	t.Helper()
	r.outcome = Outcome{State: StateAuthorised, Refs: ProviderRefs{PNREF: "LATE01"}, Note: "authorised on Payflow's hosted page"}
	if _, err := r.c.Returned(context.Background(), "demo", o.Ref, url.Values{}); err != nil {
		t.Fatal(err)
	}
	return r.orders.get(o.Ref)
}

func lastNote(o Order) string { return o.History[len(o.History)-1].Cause.Note }

// The buyer paid as the reservation ran out, and nobody took the use over: the order is
// authorised and its own reservation confirmed.
func TestLatePaymentKeepsItsUse(t *testing.T) {
	r := newRig(t)
	o, _, _ := r.create(t, goodOrderInput(), Key{})
	r.now = o.ReservedUntil.Add(time.Minute)
	got := r.lateReturn(t, o)
	if got.State != StateAuthorised || got.Refs.PNREF != "LATE01" || !strings.Contains(lastNote(got), "paid after the order's reservation ran out") ||
		strings.Contains(lastNote(got), "could not be counted") {
		t.Fatalf("late payment: %s, %q", got.State, lastNote(got))
	}
	if len(r.confirm) != 1 || r.held != 1 || len(r.started) != 1 {
		t.Fatalf("confirmed %v, held %d", r.confirm, r.held)
	}
	if !r.pageRequestWasLate() {
		t.Fatal("the provider was not told the order is late")
	}
}

func (r *rig) pageRequestWasLate() bool { return r.lastFinish.Late }

// Another buyer took the last use over once the reservation ran out: the payment is
// recorded all the same, and the history says the use could not be counted.
func TestLatePaymentWhoseUseWasTakenOver(t *testing.T) {
	r := newRig(t)
	r.code.Usage.Max = 1
	o, _, _ := r.create(t, goodOrderInput(), Key{})
	r.now = o.ReservedUntil.Add(time.Minute)
	delete(r.reserved, o.Ref) // taken over by another order, which holds the only use
	got := r.lateReturn(t, o)
	if got.State != StateAuthorised || !strings.Contains(lastNote(got), "its promotion code's use could not be counted: the code is used_up") {
		t.Fatalf("late payment: %s, %q", got.State, lastNote(got))
	}
	if r.held != 1 {
		t.Fatalf("held %d, want the other order's one", r.held)
	}
}

// The sweep expired the order (its use given back) before the buyer came back with the
// payment: the order is authorised after all, and takes a use again as the code has one.
func TestPaymentAfterTheSweep(t *testing.T) {
	r := newRig(t)
	o, _, _ := r.create(t, goodOrderInput(), Key{})
	r.now = o.ReservedUntil.Add(time.Minute)
	if res, err := r.c.Sweep(context.Background()); err != nil || res.Expired != 1 || r.held != 0 {
		t.Fatalf("sweep: %+v, %v, held %d", res, err, r.held)
	}
	got := r.lateReturn(t, o)
	if got.State != StateAuthorised || got.History[len(got.History)-1].From != StateExpired || strings.Contains(lastNote(got), "could not be counted") {
		t.Fatalf("after the sweep: %s, %+v", got.State, got.History)
	}
	if r.held != 1 || len(r.confirm) != 2 {
		t.Fatalf("held %d, confirmed %v", r.held, r.confirm)
	}
	// The sweep finds nothing more to do; a second return changes nothing.
	if res, _ := r.c.Sweep(context.Background()); res.Expired != 0 {
		t.Fatalf("a second sweep expired %d", res.Expired)
	}
	if again := r.lateReturn(t, o); len(again.History) != len(got.History) || r.held != 1 {
		t.Fatalf("a second return: %+v, held %d", again.History, r.held)
	}
}

// A late move that loses to the sweep gives back the use it took and tries again from
// where the sweep left the order.
func TestLatePaymentRacingTheSweep(t *testing.T) {
	r := newRig(t)
	o, _, _ := r.create(t, goodOrderInput(), Key{})
	r.now = o.ReservedUntil.Add(time.Minute)
	stale := r.orders.get(o.Ref)
	if _, err := r.c.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The return read the order before the sweep stored it.
	got, moved, err := r.c.move(context.Background(), stale, StateAuthorised, Cause{By: "provider:payflow_pro"}, nil)
	if err != nil || !moved || got.State != StateAuthorised || r.held != 1 || r.returned != 1 {
		t.Fatalf("late move: %s %v %v, held %d, returned %d", got.State, moved, err, r.held, r.returned)
	}
}

// Express Checkout makes the payment on return (DoExpressCheckoutPayment): an order that
// expired meanwhile takes none and expires.
func TestLateApprovalExpires(t *testing.T) {
	r := newRig(t)
	o, _, _ := r.create(t, goodOrderInput(), Key{})
	r.now = o.ReservedUntil.Add(time.Minute)
	r.outcome = Outcome{State: StateExpired, Note: "approved after the reservation ran out; no payment was taken"}
	if _, err := r.c.Returned(context.Background(), "demo", o.Ref, url.Values{}); err != nil {
		t.Fatal(err)
	}
	if got := r.orders.get(o.Ref); got.State != StateExpired || len(r.released) != 1 {
		t.Fatalf("late approval: %s, released %v", got.State, r.released)
	}
}

// Declined on the page, then paid with another card on the same page (Payflow's hosted
// page lets the buyer try again): the buyer's second return authorises the failed order
// after all, told to the provider as late (nothing more is charged), its use counted again.
func TestPaymentAfterADecline(t *testing.T) {
	r := newRig(t)
	o, _, _ := r.create(t, goodOrderInput(), Key{})
	r.outcome = Outcome{State: StateFailed, Note: "declined on Payflow's hosted page"}
	if _, err := r.c.Returned(context.Background(), "demo", o.Ref, url.Values{}); err != nil {
		t.Fatal(err)
	}
	if got := r.orders.get(o.Ref); got.State != StateFailed || r.held != 0 {
		t.Fatalf("after the decline: %s, held %d", got.State, r.held)
	}
	got := r.lateReturn(t, o)
	if got.State != StateAuthorised || !strings.Contains(lastNote(got), "paid after the payment was reported failed") || r.held != 1 {
		t.Fatalf("after the payment: %s, %q, held %d", got.State, lastNote(got), r.held)
	}
	if !r.pageRequestWasLate() {
		t.Fatal("the provider was not told the order is no longer pending")
	}
}
