package checkout

import (
	"context"
	"log/slog"
	"net/url"
)

// move stores o moved to state to by cause and applies the move's effect on the code use.
// moved is false when the order was no longer where it was read (another request moved it
// first): nothing is changed then, so a move is safe to retry. An authorisation of an
// order paid after all (expired, cancelled or failed) is recorded all the same
// (authoriseLate).
func (c *Checkout) move(ctx context.Context, o Order, to State, cause Cause, refs *ProviderRefs) (Order, bool, error) {
	return c.moveWith(ctx, o, to, cause, refs, c.d.Orders.Move)
}

// write stores to, one step from from as read; false when the order changed meanwhile.
type write func(ctx context.Context, from, to Order) (bool, error)

// moveWith is move storing the order with w: a notice's move records the notice with it.
// The move to authorised, wherever it comes from, e-mails the buyer once it is stored.
func (c *Checkout) moveWith(ctx context.Context, o Order, to State, cause Cause, refs *ProviderRefs, w write) (Order, bool, error) {
	next, moved, err := c.moveStored(ctx, o, to, cause, refs, w)
	if err == nil && moved && next.State == StateAuthorised {
		c.mailBuyer(ctx, next)
	}
	return next, moved, err
}

// moveStored is moveWith without the e-mail.
func (c *Checkout) moveStored(ctx context.Context, o Order, to State, cause Cause, refs *ProviderRefs, w write) (Order, bool, error) {
	now := c.d.Now()
	if to == StateAuthorised && o.StateAt(now).PaidAfterAll() {
		return c.authoriseLate(ctx, o, cause, refs, w)
	}
	next, ok := o.Move(to, now, cause)
	if !ok {
		return o, false, nil
	}
	if refs != nil {
		next.Refs = mergeRefs(next.Refs, *refs)
	}
	moved, err := w(ctx, o, next)
	if err != nil || !moved {
		return o, false, err
	}
	c.applyUse(ctx, o, to)
	return next, true, nil
}

// applyUse applies what moving o to to does to its code use, once the move is stored. A
// failure is logged, not returned: the move stands (a paid order stays paid).
func (c *Checkout) applyUse(ctx context.Context, o Order, to State) {
	if o.Code == "" {
		return
	}
	switch o.State.UseEffect(to) {
	case UseConfirmed:
		if ok, err := c.d.Codes.Confirm(ctx, o.Site, o.Code, o.Ref, o.CodeLimit); err != nil || !ok {
			// The order is paid: the payment stands even if its use cannot be recorded.
			slog.Default().WarnContext(ctx, "the code use of a paid order was not confirmed",
				"site", o.Site, "order", o.Ref, "reserved", ok, "error", errText(err))
		}
	case UseReleased:
		c.giveBack(ctx, o)
	case UseReturned:
		c.returnUse(ctx, o)
	}
}

// returnUse gives back a confirmed use (a voided or refunded payment), logging a failure.
func (c *Checkout) returnUse(ctx context.Context, o Order) {
	if _, err := c.d.Codes.Return(ctx, o.Site, o.Code, o.CodeLimit); err != nil {
		slog.Default().WarnContext(ctx, "the code use of a voided or refunded order was not given back",
			"site", o.Site, "order", o.Ref, "error", err.Error())
	}
}

// mergeRefs fills in the refs a provider handed out later, keeping those it gave before.
func mergeRefs(have, got ProviderRefs) ProviderRefs {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&have.TokenID, got.TokenID)
	set(&have.Token, got.Token)
	set(&have.PayerID, got.PayerID)
	set(&have.PNREF, got.PNREF)
	set(&have.TransactionID, got.TransactionID)
	set(&have.CaptureID, got.CaptureID)
	return have
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// BuyerBack is where a buyer coming back from the provider's page is sent on to: the
// platform's return or cancel URL, with the order's reference added as "order".
func BuyerBack(platformURL, ref string) string {
	u, err := url.Parse(platformURL)
	if err != nil { // validated when the order was created
		return platformURL
	}
	q := u.Query()
	q.Set("order", ref)
	u.RawQuery = q.Encode()
	return u.String()
}
