package checkout

import (
	"context"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Action is what an administrator can do with an order (SPEC 4.4).
type Action string

// The actions.
const (
	// ActionCapture captures an authorised order in full through its provider.
	ActionCapture Action = "capture"
	// ActionVoid voids an authorised order through its provider; its code use comes back.
	ActionVoid Action = "void"
	// ActionRecordCapture records a capture made in the provider's merchant interface:
	// nothing is sent to the provider.
	ActionRecordCapture Action = "record_capture"
)

// Audit actions of the administrators' changes of an order.
const (
	AuditCapture       = "order.capture"
	AuditRecordCapture = "order.record_capture"
	AuditVoid          = "order.void"
)

// Actions says what an administrator can do with o now, with the site's provider setup p
// (nil for none): an authorised order can always have a capture made elsewhere recorded;
// it is captured and voided through Payflow and Express Checkout, captured through WorldPay
// when the setup has remote administration (which Boxoffice uses for postAuth-full only:
// a WorldPay authorisation is cancelled in WorldPay's merchant interface). A setup of
// another provider than the order's cannot act on its payment.
func Actions(o Order, p *provider.Setup) []Action {
	if o.State != StateAuthorised {
		return []Action{}
	}
	out := []Action{}
	if p != nil && p.Kind == o.Provider {
		switch {
		case p.Kind == provider.WorldPay:
			if p.RemoteAdmin() {
				out = append(out, ActionCapture)
			}
		case p.Kind == provider.PayflowPro || p.Kind == provider.WebsitePaymentsProUK || p.Kind.ExpressCheckout():
			out = append(out, ActionCapture, ActionVoid)
		}
	}
	return append(out, ActionRecordCapture)
}

// AdminOrder is one order as its site's administrators see it: with its whole history and
// what they can do with it now.
func (c *Checkout) AdminOrder(ctx context.Context, site, ref string) (Order, []Action, error) {
	o, err := c.Order(ctx, site, ref)
	if err != nil {
		return Order{}, nil, err
	}
	p, err := c.providerOf(ctx, o)
	if err != nil {
		return Order{}, nil, err
	}
	return o, Actions(o, p), nil
}

// providerOf is the provider setup of the order's service now (nil for none).
func (c *Checkout) providerOf(ctx context.Context, o Order) (*provider.Setup, error) {
	s, err := c.d.Sites.Get(ctx, o.Site)
	if err != nil {
		return nil, err
	}
	return s.Provider(settings.Service(o.Offering.Service)), nil
}
