package checkout

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// DefaultReservation is how long an order holds its code use and may be paid: Payflow's
// secure token lives 30 minutes.
const DefaultReservation = 30 * time.Minute

// ParseReservation reads a reservation's length as configured (the template's
// ReservationMinutes): whole minutes, from 1 to a day.
func ParseReservation(minutes string) (time.Duration, error) {
	n, err := strconv.Atoi(minutes)
	if err != nil || n < 1 || n > 24*60 {
		return 0, fmt.Errorf("%q: want whole minutes from 1 to 1440", minutes)
	}
	return time.Duration(n) * time.Minute, nil
}

// Deps are what the checkout use cases need.
type Deps struct {
	Sites  Sites
	Codes  CodeUses
	Orders Orders
	Pages  PaymentPages
	// Settle captures and voids authorised payments for the site's administrators.
	Settle Settlements
	Now    func() time.Time
	// Reservation is how long an unpaid order holds its code use (DefaultReservation if 0).
	Reservation time.Duration
	// AllowLoopback accepts http return URLs to a loopback host (the local stack only).
	AllowLoopback bool
	// NewRef makes order references (NewRef if nil).
	NewRef func() string
	// Guessing throttles unknown codes (see Guessing).
	Guessing Guessing
	// Mails and Mailer send the buyer's e-mail on authorisation, exactly once (both or
	// neither: without them no e-mail is sent, and those due wait for a function that has).
	Mails  MailLedger
	Mailer BuyerMailer
}

// Checkout quotes offerings, creates orders and follows them through their provider.
type Checkout struct {
	d Deps
}

// New returns the checkout use cases over d.
func New(d Deps) (*Checkout, error) {
	if d.Sites == nil || d.Codes == nil || d.Orders == nil || d.Pages == nil || d.Settle == nil || d.Now == nil {
		return nil, errors.New("checkout: sites, codes, orders, payment pages, settlements and a clock are required")
	}
	if err := d.Guessing.validate(); err != nil {
		return nil, err
	}
	if err := d.validateMail(); err != nil {
		return nil, err
	}
	if d.Reservation <= 0 {
		d.Reservation = DefaultReservation
	}
	if d.NewRef == nil {
		d.NewRef = NewRef
	}
	return &Checkout{d: d}, nil
}

// NewNotices returns the checkout use cases a function that only applies the providers'
// notices needs (Notified): sites, codes, orders and a clock; it takes no payments, so
// d.Pages and d.Settle may be nil.
func NewNotices(d Deps) (*Checkout, error) {
	if d.Sites == nil || d.Codes == nil || d.Orders == nil || d.Now == nil {
		return nil, errors.New("checkout notices: sites, codes, orders and a clock are required")
	}
	if err := d.validateMail(); err != nil {
		return nil, err
	}
	if d.Reservation <= 0 {
		d.Reservation = DefaultReservation
	}
	return &Checkout{d: d}, nil
}

func (d Deps) validateMail() error {
	if (d.Mails == nil) != (d.Mailer == nil) {
		return errors.New("checkout: the buyer e-mails need both their ledger and a mailer")
	}
	return nil
}

// sale is what a request sells with: the site's settings for the offering's service.
type sale struct {
	site settings.Site
	svc  settings.Service
	cfg  settings.Config
}

// saleFor reads the settings the offering's service sells with; a service that does not
// sell refuses the request.
func (c *Checkout) saleFor(ctx context.Context, site string, o Offering) (sale, error) {
	s, err := c.d.Sites.Get(ctx, site)
	if err != nil {
		return sale{}, err
	}
	svc := settings.Service(o.Service)
	ss := s.Services[svc]
	if !ss.Enabled {
		return sale{}, apperr.New(apperr.CodeConflict, "e-commerce is not enabled for %s on site %s", svc, site)
	}
	if p := ss.Config.Provider; p != nil && string(p.Currency) != o.Currency {
		return sale{}, apperr.Field("offering.currency", fmt.Sprintf("must be %s, the currency of the site's payment provider", p.Currency))
	}
	return sale{site: s, svc: svc, cfg: ss.Config}, nil
}

// Quote prices an offering with an optional code, with no side effect.
func (c *Checkout) Quote(ctx context.Context, site string, in QuoteInput) (Quote, error) {
	r, err := in.validate()
	if err != nil {
		return Quote{}, err
	}
	s, err := c.saleFor(ctx, site, r.Offering)
	if err != nil {
		return Quote{}, err
	}
	q, _, err := c.price(ctx, site, r, s, c.d.Now())
	return q, err
}

// price quotes r and returns the code it applies, if any.
func (c *Checkout) price(ctx context.Context, site string, r request, s sale, now time.Time) (Quote, promo.Code, error) {
	if r.Code == "" || !s.cfg.PromoCodesEnabled {
		return Price(r.Offering, r.Code, nil, s.cfg.PromoCodesEnabled, now), promo.Code{}, nil
	}
	if err := c.checkGuessing(ctx, site, r.Buyer.Email); err != nil {
		return Quote{}, promo.Code{}, err
	}
	code, held, found, err := c.d.Codes.Lookup(ctx, site, r.Code, now)
	if err != nil {
		return Quote{}, promo.Code{}, err
	}
	var st *Standing
	if found {
		st = &Standing{Code: code, Held: held}
	} else {
		c.countGuess(ctx, site, r.Buyer.Email)
	}
	return Price(r.Offering, r.Code, st, true, now), code, nil
}

// refused is the error an order gets for a code that does not apply.
func refused(code string, r Refusal) error {
	return &apperr.Error{Code: apperr.CodeCodeRefused, Message: fmt.Sprintf("promotion code %s: %s", code, r.Reason()),
		Details: []apperr.Detail{{Field: "code", Reason: string(r)}}}
}

// Order reads one order of a site, in its state at now.
func (c *Checkout) Order(ctx context.Context, site, ref string) (Order, error) {
	o, err := c.storedOrder(ctx, site, ref)
	if err != nil {
		return Order{}, err
	}
	o.State = o.StateAt(c.d.Now())
	return o, nil
}
