package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Notice is a provider's verified message about an order's payment (an IPN, a REST event, a
// Silent Post, a payment response), as the webhooks function read it.
type Notice struct {
	Site, Ref string
	// ID is the message's provider identity (IPN: txn_id with payment_status): it is
	// recorded with the change it causes, so a second delivery changes nothing.
	ID string
	// Kind names the message in the history: "paypal_ipn" and so on.
	Kind string
	// To is the state the message reports, "" for one that changes no state (a partial
	// refund, a reversal: noted in the history only).
	To   State
	Refs ProviderRefs
	Note string
	// Refund is the refund the message reports, nil for none: it is counted on the order
	// in the same write as the message's change. Check clears it for a refund counted
	// before, and refuses one over what is left of the total (Order.CountRefund).
	Refund *Refund
	// Refused, when set, says why the message is not believed (PayPal answered INVALID):
	// it is recorded in the history under RefusedID (a hash of the message, so that the
	// same forgery posted again is recorded once; "refused:"+ID when empty) and changes
	// nothing else. A refused
	// message never takes ID: a forgery must not use up the genuine message's identity.
	Refused   string
	RefusedID string
}

// Check looks at a verified notice against its order and the provider set up for the
// order's service (nil for none), and says why it is refused ("" to accept it): the
// receiver, amount, currency and environment checks of each protocol. It may make n a
// note (To "": a partial refund, which SPEC 4.1 gives no state; a refund counted before).
type Check func(o Order, p *provider.Setup, n *Notice) string

// NoticeOutcome is what became of a notice.
type NoticeOutcome string

// The outcomes.
const (
	// NoticeApplied: the order moved to the notice's state.
	NoticeApplied NoticeOutcome = "applied"
	// NoticeNoted: recorded in the history with no change of state (a note only, or a
	// state the order is already in or past: states only move forward).
	NoticeNoted NoticeOutcome = "noted"
	// NoticeDuplicate: this message was recorded before; nothing changed.
	NoticeDuplicate NoticeOutcome = "duplicate"
	// NoticeRefused: recorded in the history as refused, with why.
	NoticeRefused NoticeOutcome = "refused"
	// NoticeUnknownOrder: no such order of the site; nothing is recorded (logged only).
	NoticeUnknownOrder NoticeOutcome = "unknown_order"
)

// NoticeWrite is the outcome of storing a notice with its order's change.
type NoticeWrite int

// The outcomes of NoticeWrite.
const (
	NoticeStored NoticeWrite = iota
	// NoticeSeen: the notice's ID was recorded already (nothing was written).
	NoticeSeen
	// NoticeOrderChanged: the order is no longer as read (nothing was written).
	NoticeOrderChanged
)

// noticeTries bounds the reads of one notice: each retry follows a change someone else
// made to the order meanwhile (the buyer's return, the sweep, another notice).
const noticeTries = 4

// Receipt is a notice's outcome and the order as it left it.
type Receipt struct {
	Outcome NoticeOutcome
	Order   Order
	// Why says why a notice was refused or noted.
	Why string
	// Unrecorded: a refusal that was not stored, the order holding MaxRefusedNotices
	// refusals already (the caller logs it).
	Unrecorded bool
}

// MaxRefusedNotices bounds the refusals stored in one order's history: forgeries cost
// nothing to send, and the order's item (history included) has DynamoDB's 400 KB limit.
const MaxRefusedNotices = 25

// refusedNotices counts the refusals in o's history (their notification ids are
// "refused:...").
func refusedNotices(o Order) int {
	n := 0
	for _, e := range o.History {
		if strings.HasPrefix(e.Cause.Notification, "refused:") {
			n++
		}
	}
	return n
}

// Notified applies a verified notice to its order exactly once: its ID is stored in the
// same transaction as the change it causes (a move, or a history entry when the state
// stays), so a duplicate changes nothing however often it comes; a state behind the
// order's (a late or out-of-order message) is noted, never moved back to. check refuses a
// message that does not match its order (recorded as refused, with why). Store failures
// are returned, so the provider is answered with a retryable failure.
func (c *Checkout) Notified(ctx context.Context, n Notice, check Check) (Receipt, error) {
	if !CheckRef(n.Ref) {
		return Receipt{Outcome: NoticeUnknownOrder}, nil
	}
	for try := 0; ; try++ {
		o, found, err := c.d.Orders.Get(ctx, n.Site, n.Ref)
		if err != nil {
			return Receipt{}, err
		}
		if !found {
			return Receipt{Outcome: NoticeUnknownOrder}, nil
		}
		checked := n
		if n.Refused == "" && check != nil {
			p, err := c.providerOf(ctx, o)
			if err != nil {
				return Receipt{}, err
			}
			checked.Refused = check(o, p, &checked)
		}
		if checked.Refused != "" && checked.RefusedID == "" {
			checked.RefusedID = "refused:" + n.ID
		}
		if checked.Refused != "" && refusedNotices(o) >= MaxRefusedNotices {
			return Receipt{Outcome: NoticeRefused, Order: o, Why: checked.Refused, Unrecorded: true}, nil
		}
		r, written, err := c.apply(ctx, o, checked)
		if err != nil || written != NoticeOrderChanged {
			if err == nil && r.Outcome != NoticeApplied {
				c.mailDue(ctx, r.Order) // a duplicate finds the e-mail a failed send left due
			}
			return r, err
		}
		if try+1 == noticeTries {
			return Receipt{}, fmt.Errorf("order %s of %s kept changing while notice %s was applied", n.Ref, n.Site, n.ID)
		}
	}
}

// apply stores one notice's effect on o as read.
func (c *Checkout) apply(ctx context.Context, o Order, n Notice) (Receipt, NoticeWrite, error) {
	cause := Cause{By: "provider:" + n.Kind, Notification: n.ID, Note: n.Note}
	now := c.d.Now()
	if n.Refused != "" {
		cause.Notification, cause.Note = n.RefusedID, joinNote("refused: "+n.Refused, claimed(n.Note))
		return c.note(ctx, o, o.Note(now, cause), n.RefusedID, NoticeRefused, n.Refused)
	}
	at := o.StateAt(now)
	switch {
	case n.To == "":
		return c.note(ctx, o, o.Note(now, cause).withRefund(n.Refund), n.ID, NoticeNoted, n.Note)
	case !at.CanMove(n.To) && at.Reaches(n.To):
		// A message that came before the one it follows (a capture before the
		// authorisation): the provider is asked to send it again later, nothing recorded.
		return Receipt{}, NoticeStored, apperr.New(apperr.CodeUnavailable,
			"order %s is %s: notice %s reports %s, which follows a state the order has not reached yet", o.Ref, at, n.ID, n.To)
	case at == n.To || !at.CanMove(n.To):
		why := fmt.Sprintf("no change: the order is %s already", at)
		if at != n.To {
			why = fmt.Sprintf("no change: the order is %s, which does not go back to %s", at, n.To)
		}
		cause.Note = joinNote(why, n.Note)
		return c.note(ctx, o, o.Note(now, cause).withRefund(n.Refund), n.ID, NoticeNoted, why)
	}
	write := func(ctx context.Context, from, to Order) (bool, error) {
		written, err := c.d.Orders.Notice(ctx, from, to.withRefund(n.Refund), n.ID)
		if err == nil && written == NoticeSeen {
			err = errNoticeSeen // stops the move (authoriseLate's retries too): nothing to do
		}
		return written == NoticeStored, err
	}
	next, moved, err := c.moveWith(ctx, o, n.To, cause, &n.Refs, write)
	switch {
	case errors.Is(err, errNoticeSeen):
		return Receipt{Outcome: NoticeDuplicate, Order: o}, NoticeSeen, nil
	case err != nil:
		return Receipt{}, NoticeStored, err
	case moved:
		return Receipt{Outcome: NoticeApplied, Order: next.withRefund(n.Refund)}, NoticeStored, nil
	}
	return Receipt{}, NoticeOrderChanged, nil
}

// claimed is a refused message's note, marked as what it said rather than what happened.
func claimed(note string) string {
	if note == "" {
		return ""
	}
	return "the message said: " + note
}

// errNoticeSeen ends a notice's move whose notice was recorded before.
var errNoticeSeen = errors.New("the notice was recorded before")

// note stores next, o with a history entry that keeps its state, under the notice id.
func (c *Checkout) note(ctx context.Context, o, next Order, id string, outcome NoticeOutcome, why string) (Receipt, NoticeWrite, error) {
	written, err := c.d.Orders.Notice(ctx, o, next, id)
	switch {
	case err != nil:
		return Receipt{}, written, err
	case written == NoticeSeen:
		return Receipt{Outcome: NoticeDuplicate, Order: o}, written, nil
	case written == NoticeOrderChanged:
		return Receipt{}, written, nil
	}
	return Receipt{Outcome: outcome, Order: next, Why: why}, written, nil
}
