package checkout

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// CreateRequest is an order request with where Boxoffice's own buyer-facing routes are.
type CreateRequest struct {
	Site  string
	Input OrderInput
	// Key makes a retried request answer the order the first one created: the request's
	// Idempotency-Key as the HTTP layer read and fingerprinted it (idempotency.Identify), so
	// the header means one thing across the API. Its record is the order store's key item,
	// written in the order's own transaction.
	Key Key
	// Back builds Boxoffice's return and cancel URLs for an order reference.
	Back func(ref string) (returnURL, cancelURL string)
}

// Create creates an order: it reserves the code's use, stores the order, and gets the
// provider's page. A total of zero completes the order at once, with no provider. created
// is false when the answer is the order an earlier request with the same key created.
func (c *Checkout) Create(ctx context.Context, req CreateRequest) (o Order, created bool, err error) {
	r, err := req.Input.validate(c.d.AllowLoopback)
	if err != nil {
		return Order{}, false, err
	}
	key := req.Key
	if key.Key != "" && key.Fingerprint == "" {
		return Order{}, false, apperr.Internal(errors.New("checkout: an idempotency key without its request's fingerprint"))
	}
	if key.Key != "" {
		if prior, found, err := c.d.Orders.ByKey(ctx, req.Site, key.Key); err != nil {
			return Order{}, false, err
		} else if found {
			o, err := c.replay(ctx, req, prior, key)
			return o, false, err
		}
	}
	s, err := c.saleFor(ctx, req.Site, r.Offering)
	if err != nil {
		return Order{}, false, err
	}
	now := c.d.Now()
	q, code, err := c.price(ctx, req.Site, r, s, now)
	if err != nil {
		return Order{}, false, err
	}
	if q.Refused != "" {
		return Order{}, false, refused(r.Code, q.Refused)
	}
	if q.TotalMinor > 0 && s.cfg.Provider == nil {
		return Order{}, false, apperr.New(apperr.CodeConflict, "site %s has no payment provider set up for %s", req.Site, s.svc)
	}
	o = c.newOrder(req.Site, r, q, s, code, now)
	if q.Code != "" {
		st, err := c.d.Codes.Reserve(ctx, code, o.Ref, o.ReservedUntil, now)
		if err != nil {
			return Order{}, false, err
		}
		if st != "" {
			return Order{}, false, refused(r.Code, refusalOf(st))
		}
	}
	if q.TotalMinor == 0 {
		return c.createFree(ctx, req, o, key)
	}
	out, err := c.d.Orders.Create(ctx, o, key)
	if err != nil || !out.New {
		c.giveBack(ctx, o) // nothing stored holds this reservation
	}
	if err != nil {
		return Order{}, false, err
	}
	if !out.New { // a retry with the same key won the race
		o, err := c.replay(ctx, req, out, key)
		return o, false, err
	}
	o, err = c.startPage(ctx, req, out.Order, s)
	return o, true, err
}

// refusalOf maps the status a reservation was refused with to the buyer's refusal.
func refusalOf(st promo.Status) Refusal {
	switch st {
	case promo.StatusDeleted:
		return RefusedDeleted
	case promo.StatusExpired:
		return RefusedExpired
	}
	return RefusedNoUsesLeft
}

func (c *Checkout) newOrder(site string, r request, q Quote, s sale, code promo.Code, now time.Time) Order {
	o := Order{
		Site: site, Ref: c.d.NewRef(), Mode: settings.ModeTest, Offering: r.Offering, Buyer: r.Buyer,
		ReturnURL: r.ReturnURL, CancelURL: r.CancelURL, Code: q.Code, Discount: q.Discount,
		Amounts:       Amounts{Currency: r.Offering.Currency, PriceMinor: q.PriceMinor, DiscountMinor: q.DiscountMinor, TotalMinor: q.TotalMinor},
		State:         StatePendingPayment,
		ReservedUntil: now.Add(c.d.Reservation), CreatedAt: now, UpdatedAt: now,
		History: []Entry{{At: now, To: StatePendingPayment, Cause: Cause{By: "buyer"}}},
	}
	if q.Code != "" {
		o.CodeLimit = code.Usage.Limit()
	}
	if s.cfg.Mode == settings.ModeProduction {
		o.Mode = settings.ModeProduction
	}
	if p := s.cfg.Provider; p != nil && q.TotalMinor > 0 {
		o.Provider = p.Kind
	}
	return o
}

// createFree stores an order that owes nothing as completed, its code use confirmed.
func (c *Checkout) createFree(ctx context.Context, req CreateRequest, o Order, key Key) (Order, bool, error) {
	done, _ := o.Move(StateCompleted, o.CreatedAt, Cause{By: "checkout", Note: "total is zero"})
	done.ReservedUntil = time.Time{}
	out, err := c.d.Orders.Create(ctx, done, key)
	if err != nil || !out.New {
		c.giveBack(ctx, o)
		if err != nil {
			return Order{}, false, err
		}
		prior, err := c.replay(ctx, req, out, key) // a retry with the same key won the race
		return prior, false, err
	}
	if o.Code != "" {
		if _, err := c.d.Codes.Confirm(ctx, o.Site, o.Code, o.Ref, o.CodeLimit); err != nil {
			return Order{}, false, err
		}
	}
	return out.Order, true, nil
}

// replay answers a retried request: the order its key created, if the request is the same.
func (c *Checkout) replay(ctx context.Context, req CreateRequest, prior Created, key Key) (Order, error) {
	if prior.Fingerprint != key.Fingerprint {
		return Order{}, idempotency.KeyReused()
	}
	o := prior.Order
	if o.State == StatePendingPayment && o.Redirect == nil && o.StateAt(c.d.Now()) == StatePendingPayment {
		// The first request stored the order but did not get its page: get it now.
		s, err := c.saleFor(ctx, req.Site, o.Offering)
		if err != nil {
			return Order{}, err
		}
		return c.startPage(ctx, req, o, s)
	}
	return o, nil
}

// startPage gets the provider's page for a stored pending order and stores what the
// provider handed out. A provider that refuses fails the order, giving its code use back.
func (c *Checkout) startPage(ctx context.Context, req CreateRequest, o Order, s sale) (Order, error) {
	pr := PageRequest{Order: o, Provider: *s.cfg.Provider, Env: s.site.Env(s.svc), MerchantName: s.cfg.MerchantName, PaymentPage: s.cfg.PaymentPage}
	if req.Back != nil {
		pr.ReturnURL, pr.CancelURL = req.Back(o.Ref)
	}
	page, err := c.d.Pages.Start(ctx, pr)
	if err != nil {
		if failed, ok := o.Move(StateFailed, c.d.Now(), Cause{By: "provider:" + string(o.Provider), Note: "the payment page could not be started"}); ok {
			if moved, merr := c.d.Orders.Move(ctx, o, failed); merr == nil && moved {
				c.giveBack(ctx, o)
			}
		}
		return Order{}, err
	}
	o.Refs, o.Redirect = page.Refs, &page.Redirect
	if err := c.d.Orders.SetPayment(ctx, o); err != nil {
		return Order{}, err
	}
	return o, nil
}

// giveBack releases the code use o reserved, logging (not failing on) an error: an
// unreleased reservation expires and is taken over when the code is at its limit.
func (c *Checkout) giveBack(ctx context.Context, o Order) {
	if o.Code == "" {
		return
	}
	if _, err := c.d.Codes.Release(ctx, o.Site, o.Code, o.Ref); err != nil {
		slog.Default().WarnContext(ctx, "release of a code use failed; it expires with its reservation",
			"site", o.Site, "order", o.Ref, "error", err.Error())
	}
}
