package checkout

import (
	"context"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// storedOrder reads an order as stored, for a buyer's browser coming back for it.
func (c *Checkout) storedOrder(ctx context.Context, site, ref string) (Order, error) {
	if !CheckRef(ref) {
		return Order{}, apperr.New(apperr.CodeNotFound, "no order %q", ref)
	}
	o, found, err := c.d.Orders.Get(ctx, site, ref)
	if err != nil {
		return Order{}, err
	}
	if !found {
		return Order{}, apperr.New(apperr.CodeNotFound, "no order %s", ref)
	}
	return o, nil
}

// Returned handles the buyer's return from the provider's page: the provider confirms
// the outcome, the order moves (authorised or failed), and the answer is the platform's
// return URL. An order that is no longer pending is left as it is, but for one that was
// never paid (State.PaidAfterAll): the buyer may have paid on the page after all, and a
// payment the provider made is recorded (Late; authoriseLate), never dropped, while none
// is made on the buyer's return (Express Checkout's DoExpressCheckoutPayment is not called).
func (c *Checkout) Returned(ctx context.Context, site, ref string, params url.Values) (string, error) {
	o, err := c.storedOrder(ctx, site, ref)
	if err != nil {
		return "", err
	}
	late := o.StateAt(c.d.Now()).PaidAfterAll()
	if o.Provider == "" || o.State != StatePendingPayment && !late {
		c.mailDue(ctx, o) // the notice authorised it first, and its e-mail may have failed
		return BuyerBack(o.ReturnURL, o.Ref), nil
	}
	s, err := c.saleFor(ctx, site, o.Offering)
	if err != nil {
		return "", err
	}
	if s.cfg.Provider == nil {
		return "", apperr.New(apperr.CodeConflict, "site %s has no payment provider set up for %s any more", site, s.svc)
	}
	out, err := c.d.Pages.Finish(ctx, PageRequest{Order: o, Provider: *s.cfg.Provider, Env: o.Env(),
		MerchantName: s.cfg.MerchantName, PaymentPage: s.cfg.PaymentPage, Late: late}, params)
	if err != nil {
		return "", err
	}
	switch out.State {
	case StateAuthorised, StateFailed, StateExpired:
		if _, _, err := c.move(ctx, o, out.State, Cause{By: "provider:" + string(o.Provider), Note: out.Note}, &out.Refs); err != nil {
			return "", err
		}
	}
	return BuyerBack(o.ReturnURL, o.Ref), nil
}

// Cancelled handles the buyer cancelling on the provider's page: a pending order is
// cancelled, giving its code use back, and the answer is the platform's cancel URL.
func (c *Checkout) Cancelled(ctx context.Context, site, ref string) (string, error) {
	o, err := c.storedOrder(ctx, site, ref)
	if err != nil {
		return "", err
	}
	if o.StateAt(c.d.Now()) == StatePendingPayment {
		if _, _, err := c.move(ctx, o, StateCancelled, Cause{By: "buyer"}, nil); err != nil {
			return "", err
		}
	}
	return BuyerBack(o.CancelURL, o.Ref), nil
}
