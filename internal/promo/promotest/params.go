// Package promotest is what the fuzz tests of the promotion code requests share (creation
// and import in promo/issue, extend and delete in promo): fuzzed code parameters, and checks
// that what a request accepts keeps SPEC 3.1's rules.
package promotest

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/promo"
)

// ParamsFields are the JSON paths a refusal of the shared code parameters may name.
var ParamsFields = []string{"service", "appliesTo", "usage.kind", "usage.max", "discount.kind", "discount.amountMinor", "discount.currency", "discount.percent", "expiresOn"}

// ParamsInput builds code parameters from fuzzed values; usageSent and discountSent say
// whether usage and discount are in the request at all, amountSent whether amountMinor is.
func ParamsInput(service, appliesTo, expiresOn string, usageSent bool, usageKind string, usageMax int,
	discountSent bool, discountKind string, amountSent bool, amount int64, currency, percent string) promo.ParamsInput {
	in := promo.ParamsInput{Service: service, AppliesTo: appliesTo, ExpiresOn: expiresOn}
	if usageSent {
		in.Usage = &promo.Usage{Kind: promo.UsageKind(usageKind), Max: usageMax}
	}
	if discountSent {
		in.Discount = &promo.DiscountInput{Kind: promo.DiscountKind(discountKind), Currency: currency, Percent: promo.Decimal(percent)}
		if amountSent {
			in.Discount.AmountMinor = &amount
		}
	}
	return in
}

// CheckParams fails t unless accepted parameters keep SPEC 3.1's rules; today is the site's
// date they were validated against.
func CheckParams(t testing.TB, p promo.Params, today string) {
	t.Helper()
	kinds, ok := promo.AppliesTo[p.Service]
	if !ok || p.AppliesTo != promo.AppliesToAll && !slices.Contains(kinds, p.AppliesTo) {
		t.Fatalf("accepted service %q applying to %q", p.Service, p.AppliesTo)
	}
	switch u := p.Usage; {
	case (u.Kind == promo.UsageOnce || u.Kind == promo.UsageUnlimited) && u.Max == 0:
	case u.Kind == promo.UsageMultiple && u.Max >= 2 && u.Max <= promo.MaxUses:
	default:
		t.Fatalf("accepted usage %+v", u)
	}
	CheckDiscount(t, p.Discount)
	if reason := promo.CheckExpiry(p.ExpiresOn, today); reason != "" {
		t.Fatalf("accepted expiry %q: %s", p.ExpiresOn, reason)
	}
}

// amountShown reads back what FormatDiscount shows for an amount: "£12.50".
var amountShown = regexp.MustCompile(`^(\$|CA\$|£)([0-9]+)\.([0-9]{2})$`)

// CheckDiscount fails t unless an accepted discount is in range and reads back, as shown to
// recipients, as the same discount.
func CheckDiscount(t testing.TB, d promo.Discount) {
	t.Helper()
	shown := promo.FormatDiscount(d)
	switch d.Kind {
	case promo.DiscountAmount:
		m := amountShown.FindStringSubmatch(shown)
		if d.AmountMinor < 1 || d.AmountMinor > promo.MaxAmountMinor || !slices.Contains(promo.Currencies, d.Currency) || d.PercentBasisPoints != 0 || m == nil {
			t.Fatalf("accepted %+v, shown %q", d, shown)
		}
		major, _ := strconv.ParseInt(m[2], 10, 64)
		minor, _ := strconv.ParseInt(m[3], 10, 64)
		if major*100+minor != d.AmountMinor {
			t.Fatalf("%+v is shown as %q", d, shown)
		}
	case promo.DiscountPercent:
		bp, err := promo.Decimal(strings.TrimSuffix(shown, "%")).BasisPoints()
		if d.PercentBasisPoints < 1 || d.PercentBasisPoints > promo.MaxPercentPoints || d.AmountMinor != 0 || d.Currency != "" || err != nil || bp != d.PercentBasisPoints {
			t.Fatalf("accepted %+v, shown %q (%d, %v)", d, shown, bp, err)
		}
	default:
		t.Fatalf("accepted discount kind %q", d.Kind)
	}
}

// Text is what a string field can hold after httpx.Decode, which refuses what is not UTF-8
// (FuzzDecode).
func Text(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// CodeShape is the shape of every code in stored form, custom or generated.
var CodeShape = regexp.MustCompile(`^[A-Z0-9_-]{3,32}$`)
