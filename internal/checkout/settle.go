package checkout

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// HoldFor is how long an administrator's capture or void holds the order: well past the
// function's timeout, so a hold lapses only when its request died.
const HoldFor = 2 * time.Minute

// MaxNoteLen bounds an administrator's note, in characters.
const MaxNoteLen = 500

// CaptureInput is an administrator's capture of an authorised order: through its provider,
// or (Elsewhere) the record of a capture made in the provider's merchant interface, which
// any provider's order may have (PayPal's and Payflow's merchant interfaces capture too).
type CaptureInput struct {
	Elsewhere bool   `json:"elsewhere"`
	Note      string `json:"note"`
}

// VoidInput is an administrator's void of an authorised order through its provider.
type VoidInput struct {
	Note string `json:"note"`
}

// change is one administrator's change of an order.
type change struct {
	actor, site, ref string
	action           Action
	to               State
	note             string
}

// Capture captures an authorised order in full through its provider, or records a capture
// made elsewhere. An order captured already answers as it is, so a retry is safe.
func (c *Checkout) Capture(ctx context.Context, actor, site, ref string, in CaptureInput) (Order, error) {
	ch := change{actor: actor, site: site, ref: ref, action: ActionCapture, to: StateCaptured, note: in.Note}
	if in.Elsewhere {
		ch.action = ActionRecordCapture
	}
	return c.settle(ctx, ch)
}

// Void voids an authorised order through its provider and gives its code use back. An
// order voided already answers as it is.
func (c *Checkout) Void(ctx context.Context, actor, site, ref string, in VoidInput) (Order, error) {
	return c.settle(ctx, change{actor: actor, site: site, ref: ref, action: ActionVoid, to: StateVoided, note: in.Note})
}

func (c *Checkout) settle(ctx context.Context, ch change) (Order, error) {
	note, err := checkNote(ch.note)
	if err != nil {
		return Order{}, err
	}
	ch.note = note
	o, err := c.Order(ctx, ch.site, ch.ref)
	if err != nil {
		return Order{}, err
	}
	if o.State == ch.to {
		return o, nil
	}
	if err := mayChange(o, ch, c.d.Now()); err != nil {
		return Order{}, err
	}
	if ch.action == ActionRecordCapture {
		return c.commit(ctx, ch, o, Settled{Note: "captured in the provider's merchant interface, recorded by an administrator"})
	}
	p, err := c.providerOf(ctx, o)
	if err != nil {
		return Order{}, err
	}
	if !slices.Contains(Actions(o, p), ch.action) {
		return Order{}, cannot(o, p, ch.action)
	}
	var held Order
	stored, ok, err := c.overNotes(ctx, ch, o, func(from Order) (bool, error) {
		held = c.held(ch, from)
		return c.d.Orders.Hold(ctx, from, held)
	})
	if err != nil || !ok {
		return c.lostTo(ch, stored, err)
	}
	call := c.d.Settle.Capture
	if ch.action == ActionVoid {
		call = c.d.Settle.Void
	}
	res, err := call(ctx, PageRequest{Order: held, Provider: *p, Env: o.Env()})
	if err != nil {
		c.release(ctx, held)
		return Order{}, err
	}
	return c.commit(ctx, ch, held, res)
}

// mayChange refuses a change of an order that is not authorised, or whose capture or void
// is with the provider now.
func mayChange(o Order, ch change, now time.Time) error {
	if o.State != StateAuthorised {
		return apperr.New(apperr.CodeConflict, "order %s is %s: only an authorised order can be %s", o.Ref, o.State, ch.to)
	}
	if o.Holding(now) {
		return apperr.New(apperr.CodeConflict, "a %s of order %s is with the provider now; read the order again in a moment", o.Hold.Action, o.Ref)
	}
	return nil
}

// cannot explains why the provider setup p does not let an administrator act on o.
func cannot(o Order, p *provider.Setup, a Action) error {
	switch {
	case p == nil || p.Kind != o.Provider:
		now := "none"
		if p != nil {
			now = string(p.Kind)
		}
		return apperr.New(apperr.CodeConflict, "order %s was paid through %s, and the site's provider is now %s: %s it in %s's merchant interface%s",
			o.Ref, o.Provider, now, verb(a), o.Provider, recordHint(a))
	case p.Kind == provider.WorldPay && a == ActionVoid:
		return apperr.New(apperr.CodeConflict, "Boxoffice does not void WorldPay payments: cancel order %s's authorisation in WorldPay's merchant interface", o.Ref)
	case p.Kind == provider.WorldPay:
		return apperr.New(apperr.CodeConflict, "the site's WorldPay setup has no remote administration installation: capture order %s in WorldPay's merchant interface%s", o.Ref, recordHint(a))
	}
	return apperr.New(apperr.CodeConflict, "order %s's provider %s cannot %s through Boxoffice", o.Ref, o.Provider, verb(a))
}

func verb(a Action) string {
	if a == ActionVoid {
		return "void"
	}
	return "capture"
}

func recordHint(a Action) string {
	if a == ActionVoid {
		return ""
	}
	return `, then record it here with {"elsewhere": true}`
}

// held is o marked as having a change with the provider, so that no second one is sent.
func (c *Checkout) held(ch change, o Order) Order {
	held := o
	held.Hold = &Hold{Action: string(ch.action), ID: rand.Text(), Until: c.d.Now().Add(HoldFor)}
	return held
}

// release ends the hold of a change the provider refused or did not answer: the order is
// as it was. A release that fails leaves the hold to lapse.
func (c *Checkout) release(ctx context.Context, held Order) {
	free := held
	free.Hold = nil
	if _, err := c.d.Orders.Hold(ctx, held, free); err != nil {
		slog.Default().WarnContext(ctx, "the hold of a refused capture or void was not released; it lapses",
			"site", held.Site, "order", held.Ref, "error", err.Error())
	}
}

// notedRetries bounds how many times a write is made again on an order that only provider
// notes (a duplicate notice, a refused forgery) kept changing meanwhile.
const notedRetries = 8

// commit stores the change with its audit entry, and for a void gives the code use back.
func (c *Checkout) commit(ctx context.Context, ch change, from Order, res Settled) (Order, error) {
	now := c.d.Now()
	changes := []audit.Change{{Field: "state", Before: string(from.State), After: string(ch.to)}}
	if res.Refs.CaptureID != "" {
		changes = append(changes, audit.Change{Field: "captureId", After: res.Refs.CaptureID})
	}
	if ch.note != "" {
		changes = append(changes, audit.Change{Field: "note", After: ch.note})
	}
	entry := audit.NewEntry(ch.site, ch.actor, auditAction(ch.action), ch.ref, now, changes)
	var next Order
	stored, moved, err := c.overNotes(ctx, ch, from, func(from Order) (bool, error) {
		var ok bool
		next, ok = from.Move(ch.to, now, Cause{By: "admin:" + ch.actor, Note: joinNote(res.Note, ch.note)})
		if !ok {
			return false, apperr.New(apperr.CodeConflict, "order %s is %s: only an authorised order can be %s", from.Ref, from.State, ch.to)
		}
		next.Refs = mergeRefs(next.Refs, res.Refs)
		return c.d.Orders.Settle(ctx, from, next, entry)
	})
	if err != nil || !moved {
		return c.lostTo(ch, stored, err)
	}
	c.applyUse(ctx, stored, ch.to)
	return next, nil
}

// overNotes makes write from the order as read (o), and again from the order read anew
// while what it lost to is only notes (same state, same hold or none, more history): a
// provider's note must not cost an administrator's change, least of all one the provider
// has made already. It answers the order the last write was from, or the order as stored
// when the write lost for good.
func (c *Checkout) overNotes(ctx context.Context, ch change, o Order, write func(from Order) (bool, error)) (Order, bool, error) {
	for try := 0; ; try++ {
		ok, err := write(o)
		if err != nil || ok {
			return o, ok, err
		}
		stored, err := c.Order(ctx, ch.site, ch.ref)
		if err != nil {
			return Order{}, false, err
		}
		if !onlyNoted(o, stored) || try == notedRetries {
			return stored, false, nil
		}
		slog.Default().InfoContext(ctx, "an order was noted while an administrator's change was written; writing it again",
			"site", ch.site, "order", ch.ref, "action", string(ch.action))
		o = stored
	}
}

// onlyNoted reports whether the order went from as read to now by notes alone.
func onlyNoted(read, now Order) bool {
	return now.State == read.State && holdID(now) == holdID(read) && len(now.History) > len(read.History)
}

func holdID(o Order) string {
	if o.Hold == nil {
		return ""
	}
	return o.Hold.ID
}

// lostTo answers a change that lost to another one (or whose write failed, err), from the
// order as the winner left it (now): that order if it is what was asked, else a conflict
// naming where it is.
func (c *Checkout) lostTo(ch change, now Order, err error) (Order, error) {
	if err != nil {
		return Order{}, err
	}
	if now.State == ch.to {
		return now, nil
	}
	if err := mayChange(now, ch, c.d.Now()); err != nil {
		return Order{}, err
	}
	return Order{}, apperr.New(apperr.CodeConflict, "order %s changed while it was being %s; read it again", ch.ref, ch.to)
}

func auditAction(a Action) string {
	switch a {
	case ActionVoid:
		return AuditVoid
	case ActionRecordCapture:
		return AuditRecordCapture
	}
	return AuditCapture
}

// checkNote trims an administrator's note and refuses one that is too long or not one
// line of plain text.
func checkNote(raw string) (string, error) {
	n := strings.TrimSpace(raw)
	if utf8.RuneCountInString(n) > MaxNoteLen {
		return "", apperr.Field("note", fmt.Sprintf("must be at most %d characters", MaxNoteLen))
	}
	if p := plaintext.Problem(n); p != "" {
		return "", apperr.Field("note", "must be one line of plain text; it holds "+p)
	}
	return n, nil
}
