package promodb

import "github.com/boxofficehq/boxoffice/internal/promo"

// UsageItem and DiscountItem are a code's usage and discount as the promotion codes table
// stores them: within a code's item, and within the plan of the import job that makes codes.

// UsageItem is a stored promo.Usage.
type UsageItem struct {
	Kind string `dynamodbav:"kind"`
	Max  int    `dynamodbav:"max,omitempty"`
}

// NewUsageItem maps u to its stored form.
func NewUsageItem(u promo.Usage) UsageItem { return UsageItem{Kind: string(u.Kind), Max: u.Max} }

// Usage maps the stored form back.
func (it UsageItem) Usage() promo.Usage {
	return promo.Usage{Kind: promo.UsageKind(it.Kind), Max: it.Max}
}

// DiscountItem is a stored promo.Discount.
type DiscountItem struct {
	Kind               string `dynamodbav:"kind"`
	AmountMinor        int64  `dynamodbav:"amountMinor,omitempty"`
	Currency           string `dynamodbav:"currency,omitempty"`
	PercentBasisPoints int    `dynamodbav:"percentBasisPoints,omitempty"`
}

// NewDiscountItem maps d to its stored form.
func NewDiscountItem(d promo.Discount) DiscountItem {
	return DiscountItem{Kind: string(d.Kind), AmountMinor: d.AmountMinor, Currency: d.Currency, PercentBasisPoints: d.PercentBasisPoints}
}

// Discount maps the stored form back.
func (it DiscountItem) Discount() promo.Discount {
	return promo.Discount{Kind: promo.DiscountKind(it.Kind), AmountMinor: it.AmountMinor, Currency: it.Currency, PercentBasisPoints: it.PercentBasisPoints}
}
