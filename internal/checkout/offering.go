// Package checkout is the money path of SPEC 4.1: what is sold (an offering), what it costs
// with a promotion code (a quote), and the order a buyer pays through a provider's page, with
// the states it moves through. It imports no AWS package; the stores and the payment pages
// are ports declared here.
package checkout

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Limits of an offering and a buyer.
const (
	MaxOfferingID   = 64
	MaxName         = 200
	MaxPriceMinor   = 100_000_000 // a million in major units: more is a typo
	MaxCodeInputLen = 64
)

// Currencies the platform knows (SPEC 2); EUR is WorldPay's only.
var Currencies = []string{"USD", "CAD", "GBP", "EUR"}

// Offering is what a buyer pays for: a program, event, session or recording of a service.
type Offering struct {
	Service    string `json:"service"`
	Type       string `json:"type"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	PriceMinor int64  `json:"priceMinor"`
	Currency   string `json:"currency"`
}

// OfferingInput is an offering as sent; the price is a pointer so that a missing one is
// told from a free offering.
type OfferingInput struct {
	Service    string `json:"service"`
	Type       string `json:"type"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	PriceMinor *int64 `json:"priceMinor"`
	Currency   string `json:"currency"`
}

// validate checks in under field prefix p ("offering") and returns the offering it describes.
func (in *OfferingInput) validate(v *apperr.Errors, p string) Offering {
	if in == nil {
		v.Add(p, "is required: service, type, id, name, priceMinor, currency")
		return Offering{}
	}
	o := Offering{Service: in.Service, Type: in.Type, ID: in.ID, Name: strings.TrimSpace(in.Name), Currency: strings.ToUpper(in.Currency)}
	types, ok := promo.AppliesTo[in.Service]
	if !ok {
		v.Add(p+".service", `must be "events" or "training"`)
	} else if !slices.Contains(types, in.Type) {
		v.Add(p+".type", fmt.Sprintf("must be, for %s, one of %s", in.Service, strings.Join(types, ", ")))
	}
	if reason := checkID(in.ID); reason != "" {
		v.Add(p+".id", reason)
	}
	if reason := checkName(o.Name); reason != "" {
		v.Add(p+".name", reason)
	}
	switch {
	case in.PriceMinor == nil:
		v.Add(p+".priceMinor", "is required: the price in minor units (cents, pence), e.g. 4900 for 49.00")
	case *in.PriceMinor < 0 || *in.PriceMinor > MaxPriceMinor:
		v.Add(p+".priceMinor", fmt.Sprintf("must be 0 to %d minor units", MaxPriceMinor))
	default:
		o.PriceMinor = *in.PriceMinor
	}
	if !slices.Contains(Currencies, o.Currency) {
		v.Add(p+".currency", "must be USD, CAD, GBP or EUR")
	}
	return o
}

// checkID says why s cannot be an offering's ID: 1-64 of letters, digits and . _ : -.
func checkID(s string) string {
	if s == "" || len(s) > MaxOfferingID {
		return fmt.Sprintf("is required: 1 to %d characters", MaxOfferingID)
	}
	for _, r := range s {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune("._:-", r)) {
			return "may hold only letters A-Z and a-z, digits, '.', '_', ':' and '-'"
		}
	}
	return ""
}

// checkName says why s cannot be a name shown to people: 1-200 characters, no control ones.
func checkName(s string) string {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "is required"
	case n > MaxName:
		return fmt.Sprintf("must be at most %d characters (has %d)", MaxName, n)
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "must be plain text on one line"
	}
	return ""
}
