package checkout

// State is where an order is in its life (SPEC 4.1). States only move forward.
type State string

// The states.
const (
	StatePendingPayment State = "pending_payment"
	StateAuthorised     State = "authorised"
	StateCaptured       State = "captured"
	StateCancelled      State = "cancelled"
	StateFailed         State = "failed"
	StateExpired        State = "expired"
	StateVoided         State = "voided"
	StateRefunded       State = "refunded"
	// StateCompleted is an order whose total was zero (a 100% code): complete at once, with
	// no provider and nothing to capture.
	StateCompleted State = "completed"
)

// States lists every state.
var States = []State{StatePendingPayment, StateAuthorised, StateCaptured, StateCancelled, StateFailed,
	StateExpired, StateVoided, StateRefunded, StateCompleted}

// next holds the moves each state allows.
var next = map[State][]State{
	StatePendingPayment: {StateAuthorised, StateCancelled, StateFailed, StateExpired, StateCompleted},
	// An order that was never paid, as far as Boxoffice knew, but that the provider reports
	// authorised after all is authorised: the money is taken (PaidAfterAll).
	StateExpired:    {StateAuthorised},
	StateCancelled:  {StateAuthorised},
	StateFailed:     {StateAuthorised},
	StateAuthorised: {StateCaptured, StateVoided},
	StateCaptured:   {StateRefunded},
}

// PaidAfterAll reports whether an order in s gave its code use back as never paid, and
// still takes an authorisation the provider reports late: the buyer paid on the page as
// the reservation ran out (expired), went back and paid after cancelling (WorldPay's page
// posts C, then Y), or paid with another card after a decline (Payflow's page). Its code
// use is counted again (authoriseLate).
func (s State) PaidAfterAll() bool {
	return s == StateExpired || s == StateCancelled || s == StateFailed
}

// Valid reports whether s names a state.
func (s State) Valid() bool {
	for _, x := range States {
		if s == x {
			return true
		}
	}
	return false
}

// CanMove reports whether an order may move from s to to.
func (s State) CanMove(to State) bool {
	for _, x := range next[s] {
		if x == to {
			return true
		}
	}
	return false
}

// Reaches reports whether an order in s may get to to by one or more moves.
func (s State) Reaches(to State) bool {
	seen := map[State]bool{s: true}
	for todo := []State{s}; len(todo) > 0; todo = todo[1:] {
		for _, x := range next[todo[0]] {
			if x == to {
				return true
			}
			if !seen[x] {
				seen[x] = true
				todo = append(todo, x)
			}
		}
	}
	return false
}

// Final reports whether no move leaves s.
func (s State) Final() bool { return len(next[s]) == 0 }

// UseEffect is what a move does to the order's use of its promotion code.
type UseEffect int

// The effects.
const (
	UseKept UseEffect = iota
	// UseConfirmed turns the reservation into a use: the buyer has paid (or owes nothing).
	UseConfirmed
	// UseReleased gives a reserved use back: the order was never paid.
	UseReleased
	// UseReturned gives a confirmed use back: the payment was voided or refunded in full.
	UseReturned
	// UseRetaken counts a use again that was given back: the order was paid after all.
	UseRetaken
)

// UseEffect says what moving to to does to the code use an order holds.
func (s State) UseEffect(to State) UseEffect {
	switch {
	case !s.CanMove(to):
		return UseKept
	case s.PaidAfterAll() && to == StateAuthorised:
		return UseRetaken
	case to == StateAuthorised || to == StateCompleted:
		return UseConfirmed
	case to == StateCancelled || to == StateFailed || to == StateExpired:
		return UseReleased
	case to == StateVoided || to == StateRefunded:
		return UseReturned
	}
	return UseKept
}
