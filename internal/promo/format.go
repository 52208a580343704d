package promo

import (
	"fmt"
	"strings"
)

// currencySymbols are how amounts are shown to recipients.
var currencySymbols = map[string]string{"USD": "$", "CAD": "CA$", "GBP": "£"}

// FormatDiscount shows a discount to a person: "20%", "12.5%", "$5.00", "£12.50".
func FormatDiscount(d Discount) string {
	if d.Kind == DiscountPercent {
		whole, frac := d.PercentBasisPoints/100, d.PercentBasisPoints%100
		if frac == 0 {
			return fmt.Sprintf("%d%%", whole)
		}
		return strings.TrimRight(fmt.Sprintf("%d.%02d", whole, frac), "0") + "%"
	}
	return fmt.Sprintf("%s%d.%02d", currencySymbols[d.Currency], d.AmountMinor/100, d.AmountMinor%100)
}

// FormatDate shows a YYYY-MM-DD date to a person: "31 December 2026".
func FormatDate(day string) string {
	d, err := ParseDate(day)
	if err != nil {
		return day
	}
	return d.Format("2 January 2006")
}

// String is FormatDiscount: how reports and the CSV show a discount.
func (d Discount) String() string { return FormatDiscount(d) }
