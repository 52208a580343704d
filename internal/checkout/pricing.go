package checkout

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Refusal is why a promotion code does not apply to an offering: a stable code clients may
// switch on (SPEC 4.1).
type Refusal string

// The refusals.
const (
	RefusedUnknown       Refusal = "unknown"
	RefusedDeleted       Refusal = "deleted"
	RefusedExpired       Refusal = "expired"
	RefusedNoUsesLeft    Refusal = "no_uses_left"
	RefusedWrongService  Refusal = "wrong_service"
	RefusedWrongType     Refusal = "wrong_offering_type"
	RefusedCurrency      Refusal = "currency_mismatch"
	RefusedCodesDisabled Refusal = "codes_disabled"
)

// Reason says a refusal to a buyer.
func (r Refusal) Reason() string {
	switch r {
	case RefusedUnknown:
		return "the site has no such promotion code"
	case RefusedDeleted:
		return "the promotion code was withdrawn"
	case RefusedExpired:
		return "the promotion code has expired"
	case RefusedNoUsesLeft:
		return "the promotion code has no uses left"
	case RefusedWrongService:
		return "the promotion code is for another service"
	case RefusedWrongType:
		return "the promotion code does not apply to this type of offering"
	case RefusedCurrency:
		return "the promotion code's amount is in another currency than the price"
	case RefusedCodesDisabled:
		return "promotion codes are not enabled for this service"
	}
	return string(r)
}

// Quote is what an offering costs with an optional code. When Refused is set the code does
// not apply and the total is the full price.
type Quote struct {
	Offering      Offering
	Code          string
	Discount      *promo.Discount
	PriceMinor    int64
	DiscountMinor int64
	TotalMinor    int64
	Refused       Refusal
}

// Standing is a code as checkout sees it: the code, and how many of its uses are taken
// (confirmed, or reserved by a reservation that has not expired).
type Standing struct {
	Code promo.Code
	Held int
}

// Price quotes o with code at now. s is the code's standing, nil when the site has no such
// code. A code expires at midnight in its service's time zone: that instant is the code's
// ExpiresAt (promo.EndOfDay), so no zone is needed here.
func Price(o Offering, code string, s *Standing, codesEnabled bool, now time.Time) Quote {
	q := Quote{Offering: o, Code: code, PriceMinor: o.PriceMinor, TotalMinor: o.PriceMinor}
	if code == "" {
		return q
	}
	if r := refusal(o, s, codesEnabled, now); r != "" {
		q.Refused = r
		return q
	}
	d := s.Code.Discount
	q.Discount = &d
	q.DiscountMinor = DiscountMinor(o.PriceMinor, d)
	q.TotalMinor = o.PriceMinor - q.DiscountMinor
	return q
}

// refusal checks a code against an offering in the order a buyer can act on: a code that
// does not exist or is withdrawn first, then what it is for, then whether it is still good.
func refusal(o Offering, s *Standing, codesEnabled bool, now time.Time) Refusal {
	switch {
	case !codesEnabled:
		return RefusedCodesDisabled
	case s == nil:
		return RefusedUnknown
	}
	c := s.Code
	switch {
	case c.Stored == promo.StatusDeleted:
		return RefusedDeleted
	case c.Service != o.Service:
		return RefusedWrongService
	case c.AppliesTo != promo.AppliesToAll && c.AppliesTo != o.Type:
		return RefusedWrongType
	case c.Discount.Kind == promo.DiscountAmount && c.Discount.Currency != o.Currency:
		return RefusedCurrency
	case !now.Before(c.ExpiresAt):
		return RefusedExpired
	case c.Usage.Limit() > 0 && (s.Held >= c.Usage.Limit() || c.Used >= c.Usage.Limit()):
		return RefusedNoUsesLeft
	}
	return ""
}

// DiscountMinor is what d takes off price, in minor units: a percentage rounds half-up to
// the minor unit, and no discount is more than the price.
func DiscountMinor(price int64, d promo.Discount) int64 {
	var off int64
	switch d.Kind {
	case promo.DiscountPercent:
		off = (price*int64(d.PercentBasisPoints) + promo.MaxPercentPoints/2) / promo.MaxPercentPoints
	case promo.DiscountAmount:
		off = d.AmountMinor
	}
	return max(0, min(off, price))
}
