package checkout

import (
	"testing"
	"time"
)

func TestMoves(t *testing.T) {
	allowed := map[[2]State]UseEffect{
		{StatePendingPayment, StateAuthorised}: UseConfirmed,
		{StatePendingPayment, StateCompleted}:  UseConfirmed,
		{StatePendingPayment, StateCancelled}:  UseReleased,
		{StatePendingPayment, StateFailed}:     UseReleased,
		{StatePendingPayment, StateExpired}:    UseReleased,
		{StateAuthorised, StateCaptured}:       UseKept,
		{StateAuthorised, StateVoided}:         UseReturned,
		{StateCaptured, StateRefunded}:         UseReturned,
		{StateExpired, StateAuthorised}:        UseRetaken,
		{StateCancelled, StateAuthorised}:      UseRetaken,
		{StateFailed, StateAuthorised}:         UseRetaken,
	}
	for _, from := range States {
		for _, to := range States {
			effect, ok := allowed[[2]State{from, to}]
			if got := from.CanMove(to); got != ok {
				t.Errorf("%s -> %s: CanMove = %v, want %v", from, to, got, ok)
			}
			if got := from.UseEffect(to); got != effect {
				t.Errorf("%s -> %s: UseEffect = %v, want %v", from, to, got, effect)
			}
		}
	}
	for _, s := range []State{StateVoided, StateRefunded, StateCompleted} {
		if !s.Final() {
			t.Errorf("%s must be final", s)
		}
	}
	if State("paid").Valid() || !StateCaptured.Valid() {
		t.Error("Valid must know the states")
	}
}

func TestOrderMove(t *testing.T) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	o := Order{State: StatePendingPayment, History: []Entry{{At: at, To: StatePendingPayment}}}
	next, ok := o.Move(StateAuthorised, at.Add(time.Minute), Cause{By: "provider:payflow_pro", Notification: "n1"})
	if !ok || next.State != StateAuthorised || len(next.History) != 2 || next.History[1].From != StatePendingPayment ||
		next.History[1].Cause.Notification != "n1" || !next.UpdatedAt.Equal(at.Add(time.Minute)) {
		t.Fatalf("moved = %+v, %v", next, ok)
	}
	if len(o.History) != 1 || o.State != StatePendingPayment {
		t.Fatal("Move changed the order it was called on")
	}
	if _, ok := next.Move(StatePendingPayment, at, Cause{}); ok {
		t.Fatal("an order moved back")
	}
}

func TestStateAt(t *testing.T) {
	until := time.Date(2026, 6, 1, 12, 30, 0, 0, time.UTC)
	o := Order{State: StatePendingPayment, ReservedUntil: until}
	if got := o.StateAt(until.Add(-time.Nanosecond)); got != StatePendingPayment {
		t.Fatalf("before: %s", got)
	}
	if got := o.StateAt(until); got != StateExpired {
		t.Fatalf("at the deadline: %s", got)
	}
	o.State = StateAuthorised
	if got := o.StateAt(until.Add(time.Hour)); got != StateAuthorised {
		t.Fatalf("a paid order expired: %s", got)
	}
}

func TestRefs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		r := NewRef()
		if !CheckRef(r) || seen[r] {
			t.Fatalf("ref %q: valid %v, seen %v", r, CheckRef(r), seen[r])
		}
		seen[r] = true
	}
	for _, bad := range []string{"", "BO-", "BO-ABCDEFGHJKL", "BO-ABCDEFGHJKLMN", "XX-ABCDEFGHJKLM", "BO-ABCDEFGHJKL0", "bo-abcdefghjklm"} {
		if CheckRef(bad) {
			t.Errorf("CheckRef(%q) = true", bad)
		}
	}
}
