package promo

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Limits of SPEC 3.1.
const (
	MaxQuantity      = 10000
	MinLength        = 6
	MaxLength        = 32
	DefaultLength    = 8
	MinCustomLength  = 3
	MaxCustomLength  = 32
	MaxUses          = 1_000_000
	MaxAmountMinor   = 100_000_000 // a million in major units: more is a typo
	MaxPercentPoints = 10000
)

// Currencies a fixed discount may be in.
var Currencies = []string{"USD", "CAD", "GBP"}

// AppliesTo lists, per service, what a code may be limited to besides "all".
var AppliesTo = map[string][]string{
	"events":   {"event", "live_event", "recording"},
	"training": {"program", "session", "recording"},
}

// AppliesToAll is a code for every offering of its service.
const AppliesToAll = "all"

// Params are what every code of one creation shares.
type Params struct {
	Service   string   `json:"service"`
	Usage     Usage    `json:"usage"`
	Discount  Discount `json:"discount"`
	ExpiresOn string   `json:"expiresOn"`
	AppliesTo string   `json:"appliesTo"`
}

// ParamsInput is Params as an administrator sends them.
type ParamsInput struct {
	Service   string         `json:"service"`
	Usage     *Usage         `json:"usage"`
	Discount  *DiscountInput `json:"discount"`
	ExpiresOn string         `json:"expiresOn"`
	AppliesTo string         `json:"appliesTo"`
}

// DiscountInput is a discount as sent: an amount in minor units with its currency, or a
// percentage as a decimal string or number with at most two decimals ("12.5").
type DiscountInput struct {
	Kind        DiscountKind `json:"kind"`
	AmountMinor *int64       `json:"amountMinor"`
	Currency    string       `json:"currency"`
	Percent     Decimal      `json:"percent"`
}

// Check checks in and returns the params it describes, collecting problems into v, so that
// a request holding the params reports them with its own. today is the date in the site's
// time zone: a code may not expire before it.
func (in ParamsInput) Check(v *apperr.Errors, today string) Params {
	p := Params{Service: in.Service, ExpiresOn: in.ExpiresOn, AppliesTo: strings.TrimSpace(in.AppliesTo)}
	kinds, ok := AppliesTo[in.Service]
	if !ok {
		v.Add("service", `must be "events" or "training"`)
	}
	switch {
	case p.AppliesTo == "":
		p.AppliesTo = AppliesToAll
	case ok && p.AppliesTo != AppliesToAll && !slices.Contains(kinds, p.AppliesTo):
		v.Add("appliesTo", fmt.Sprintf("must be all or, for %s, one of %s", in.Service, strings.Join(kinds, ", ")))
	}
	if in.Usage == nil {
		v.Add("usage.kind", "is required: once, multiple (with max) or unlimited")
	} else {
		p.Usage = *in.Usage
		switch in.Usage.Kind {
		case UsageOnce, UsageUnlimited:
			if in.Usage.Max != 0 {
				v.Add("usage.max", "is only for usage multiple")
			}
		case UsageMultiple:
			if in.Usage.Max < 2 || in.Usage.Max > MaxUses {
				v.Add("usage.max", fmt.Sprintf("must be 2 to %d for usage multiple", MaxUses))
			}
		default:
			v.Add("usage.kind", "must be once, multiple or unlimited")
		}
	}
	p.Discount = in.Discount.validate(v)
	switch {
	case in.ExpiresOn == "":
		v.Add("expiresOn", "is required: the last day the code can be used, YYYY-MM-DD")
	default:
		if reason := CheckExpiry(in.ExpiresOn, today); reason != "" {
			v.Add("expiresOn", reason)
		}
	}
	return p
}

func (in *DiscountInput) validate(v *apperr.Errors) Discount {
	if in == nil {
		v.Add("discount.kind", "is required: amount or percent")
		return Discount{}
	}
	d := Discount{Kind: in.Kind}
	switch in.Kind {
	case DiscountAmount:
		if in.Percent != "" {
			v.Add("discount.percent", "is only for a percent discount")
		}
		switch {
		case in.AmountMinor == nil:
			v.Add("discount.amountMinor", "is required: the amount in minor units (cents, pence), e.g. 500 for 5.00")
		case *in.AmountMinor <= 0 || *in.AmountMinor > MaxAmountMinor:
			v.Add("discount.amountMinor", fmt.Sprintf("must be 1 to %d minor units", MaxAmountMinor))
		default:
			d.AmountMinor = *in.AmountMinor
		}
		if cur := strings.ToUpper(in.Currency); !slices.Contains(Currencies, cur) {
			v.Add("discount.currency", "must be USD, CAD or GBP")
		} else {
			d.Currency = cur
		}
	case DiscountPercent:
		if in.AmountMinor != nil || in.Currency != "" {
			v.Add("discount.amountMinor", "amountMinor and currency are only for an amount discount")
		}
		bp, err := in.Percent.BasisPoints()
		switch {
		case in.Percent == "":
			v.Add("discount.percent", "is required: more than 0, at most 100")
		case err != nil:
			v.Add("discount.percent", err.Error())
		case bp <= 0 || bp > MaxPercentPoints:
			v.Add("discount.percent", "must be more than 0 and at most 100")
		default:
			d.PercentBasisPoints = bp
		}
	default:
		v.Add("discount.kind", "must be amount or percent")
	}
	return d
}

// customCode is what an administrator may type as a code (after upper-casing).
// Compiled on first use, not in package init: init is paid by every cold start.
var customCode = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z0-9_-]+$`) })

// NormalizeCode is the form codes are stored and compared in: codes are case-insensitive.
func NormalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckCustomCode checks a custom code as typed and returns it in stored form, collecting
// problems into v under field.
func CheckCustomCode(v *apperr.Errors, field, raw string) string {
	c := NormalizeCode(raw)
	switch {
	case c == "":
		v.Add(field, "is required for a custom code")
	case len(c) < MinCustomLength || len(c) > MaxCustomLength:
		v.Add(field, fmt.Sprintf("must be %d to %d characters (has %d)", MinCustomLength, MaxCustomLength, len(c)))
	case !customCode().MatchString(c):
		v.Add(field, "may hold only letters A-Z, digits, '-' and '_'")
	}
	return c
}

// Expiry returns the instant a code expiring on day ends in loc.
func Expiry(day string, loc *time.Location) time.Time {
	t, _ := EndOfDay(day, loc) // day was validated
	return t
}
