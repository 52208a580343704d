package checkout

import (
	"context"
	"log/slog"
	"time"
)

// lateTries bounds authoriseLate's reads: each retry follows a move someone else made
// meanwhile (the sweep expiring the order), and there are only so many moves an order has.
const lateTries = 3

// authoriseLate records an authorisation the provider made after the order stopped
// waiting for one (State.PaidAfterAll: its reservation ran out, the buyer cancelled, or a
// decline was reported before the buyer paid after all). The buyer paid, so the order is authorised whatever became of its code use: the use is counted
// again if the code still has one; if not (another buyer took it over, the code is deleted
// or expired) the history says so and a warning is logged, and the payment stands.
//
// The use is taken before the move, so the history entry can say what became of it; a
// move that loses to another one gives the use back and reads the order again.
func (c *Checkout) authoriseLate(ctx context.Context, o Order, cause Cause, refs *ProviderRefs, w write) (Order, bool, error) {
	for try := 0; ; try++ {
		now := c.d.Now()
		if !o.State.CanMove(StateAuthorised) {
			return o, false, nil
		}
		taken, why := c.retakeUse(ctx, o, now)
		cs := cause
		cs.Note = joinNote(cause.Note, paidAfter[o.StateAt(now)])
		if !taken {
			cs.Note = joinNote(cs.Note, "its promotion code's use could not be counted: "+why)
			slog.Default().WarnContext(ctx, "an order paid after all; its code use is not counted",
				"site", o.Site, "order", o.Ref, "state", o.State, "code", o.Code, "why", why)
		}
		next, _ := o.Move(StateAuthorised, now, cs)
		if refs != nil {
			next.Refs = mergeRefs(next.Refs, *refs)
		}
		moved, err := w(ctx, o, next)
		if err == nil && moved {
			return next, true, nil
		}
		if taken && o.Code != "" {
			c.returnUse(ctx, o) // this move did not happen: nor does its use
		}
		if err != nil || try+1 == lateTries {
			return o, false, err
		}
		if o, err = c.storedOrder(ctx, o.Site, o.Ref); err != nil {
			return o, false, err
		}
	}
}

// paidAfter says in the history what the order was before the provider reported it paid.
var paidAfter = map[State]string{
	StateExpired:   "paid after the order's reservation ran out",
	StateCancelled: "paid after the order was cancelled",
	StateFailed:    "paid after the payment was reported failed",
}

// retakeUse counts the use of a late order's code: its own reservation if it still holds
// it, else a new one if the code has a use left. why says what stopped it.
func (c *Checkout) retakeUse(ctx context.Context, o Order, now time.Time) (bool, string) {
	if o.Code == "" {
		return true, ""
	}
	if ok, err := c.d.Codes.Confirm(ctx, o.Site, o.Code, o.Ref, o.CodeLimit); err != nil {
		return false, "the codes store failed: " + err.Error()
	} else if ok {
		return true, ""
	}
	code, _, found, err := c.d.Codes.Lookup(ctx, o.Site, o.Code, now)
	switch {
	case err != nil:
		return false, "the codes store failed: " + err.Error()
	case !found:
		return false, "the code no longer exists"
	}
	st, err := c.d.Codes.Reserve(ctx, code, o.Ref, now.Add(c.d.Reservation), now)
	switch {
	case err != nil:
		return false, "the codes store failed: " + err.Error()
	case st != "":
		return false, "the code is " + string(st)
	}
	if ok, err := c.d.Codes.Confirm(ctx, o.Site, o.Code, o.Ref, o.CodeLimit); err != nil || !ok {
		return false, "its new reservation could not be confirmed " + errText(err)
	}
	return true, ""
}

// joinNote adds more to a history note.
func joinNote(note, more string) string {
	switch {
	case note == "":
		return more
	case more == "":
		return note
	}
	return note + "; " + more
}
