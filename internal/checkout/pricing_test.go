package checkout

import (
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo"
)

var quoteNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func percent(bp int) promo.Discount {
	return promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: bp}
}

func amount(minor int64, cur string) promo.Discount {
	return promo.Discount{Kind: promo.DiscountAmount, AmountMinor: minor, Currency: cur}
}

func TestDiscountMinor(t *testing.T) {
	for name, tc := range map[string]struct {
		price int64
		d     promo.Discount
		want  int64
	}{
		"20% of 49.00":                          {4900, percent(2000), 980},
		"12.5% of 0.99 rounds half-up 12.375":   {99, percent(1250), 12},
		"15% of 0.10 is 1.5, rounds up to 2":    {10, percent(1500), 2},
		"15% of 0.09 is 1.35, rounds to 1":      {9, percent(1500), 1},
		"0.01% of 49.99 is 0.4999, rounds 0":    {4999, percent(1), 0},
		"0.01% of 50.00 is exactly half":        {5000, percent(1), 1},
		"100% takes the whole price":            {4900, percent(10000), 4900},
		"an amount below the price":             {4900, amount(500, "USD"), 500},
		"an amount above the price stops at it": {300, amount(500, "USD"), 300},
		"a free offering has nothing off":       {0, percent(5000), 0},
		"a large price does not overflow":       {MaxPriceMinor, percent(9999), 99_990_000},
	} {
		t.Run(name, func(t *testing.T) {
			if got := DiscountMinor(tc.price, tc.d); got != tc.want {
				t.Fatalf("DiscountMinor(%d, %+v) = %d, want %d", tc.price, tc.d, got, tc.want)
			}
		})
	}
}

func offering() Offering {
	return Offering{Service: "events", Type: "event", ID: "ev-1", Name: "Go Workshop", PriceMinor: 4900, Currency: "USD"}
}

func goodCode() promo.Code {
	return promo.Code{Site: "demo", Code: "SAVE20", Service: "events", Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 10},
		Discount: percent(2000), ExpiresOn: "2026-06-01", ExpiresAt: quoteNow.Add(12 * time.Hour), AppliesTo: promo.AppliesToAll,
		Stored: promo.StatusActive}
}

func TestPrice(t *testing.T) {
	for name, tc := range map[string]struct {
		offering      func(*Offering)
		code          string
		standing      func(*Standing) // nil standing when the site has no such code
		noCode        bool
		codesDisabled bool
		wantRefused   Refusal
		wantDiscount  int64
	}{
		"no code":                     {code: "", noCode: true},
		"a good code":                 {code: "SAVE20", wantDiscount: 980},
		"codes disabled for the site": {code: "SAVE20", codesDisabled: true, wantRefused: RefusedCodesDisabled},
		"unknown":                     {code: "NOPE", noCode: true, wantRefused: RefusedUnknown},
		"deleted":                     {code: "SAVE20", standing: func(s *Standing) { s.Code.Stored = promo.StatusDeleted }, wantRefused: RefusedDeleted},
		"expired at midnight": {code: "SAVE20", standing: func(s *Standing) { s.Code.ExpiresAt = quoteNow },
			wantRefused: RefusedExpired},
		"good up to the last instant": {code: "SAVE20", standing: func(s *Standing) { s.Code.ExpiresAt = quoteNow.Add(time.Nanosecond) },
			wantDiscount: 980},
		"no uses left (held)": {code: "SAVE20", standing: func(s *Standing) { s.Held = 10 }, wantRefused: RefusedNoUsesLeft},
		"no uses left (used)": {code: "SAVE20", standing: func(s *Standing) { s.Code.Used = 10; s.Code.Stored = promo.StatusUsedUp },
			wantRefused: RefusedNoUsesLeft},
		"the last use": {code: "SAVE20", standing: func(s *Standing) { s.Held = 9 }, wantDiscount: 980},
		"once, used": {code: "SAVE20", standing: func(s *Standing) { s.Code.Usage = promo.Usage{Kind: promo.UsageOnce}; s.Held = 1 },
			wantRefused: RefusedNoUsesLeft},
		"unlimited, much used": {code: "SAVE20", standing: func(s *Standing) { s.Code.Usage = promo.Usage{Kind: promo.UsageUnlimited}; s.Held = 5000 },
			wantDiscount: 980},
		"wrong service": {code: "SAVE20", standing: func(s *Standing) { s.Code.Service = "training" }, wantRefused: RefusedWrongService},
		"wrong offering type": {code: "SAVE20", standing: func(s *Standing) { s.Code.AppliesTo = "recording" },
			wantRefused: RefusedWrongType},
		"the right offering type": {code: "SAVE20", standing: func(s *Standing) { s.Code.AppliesTo = "event" }, wantDiscount: 980},
		"a fixed discount in another currency": {code: "SAVE20", standing: func(s *Standing) { s.Code.Discount = amount(500, "GBP") },
			wantRefused: RefusedCurrency},
		"a fixed discount in the currency": {code: "SAVE20", standing: func(s *Standing) { s.Code.Discount = amount(500, "USD") },
			wantDiscount: 500},
		"a percentage in any currency": {code: "SAVE20", offering: func(o *Offering) { o.Currency = "EUR" }, wantDiscount: 980},
		"never below zero": {code: "SAVE20", offering: func(o *Offering) { o.PriceMinor = 300 },
			standing: func(s *Standing) { s.Code.Discount = amount(500, "USD") }, wantDiscount: 300},
		"deleted wins over the rest": {code: "SAVE20", standing: func(s *Standing) { s.Code.Stored = promo.StatusDeleted; s.Code.Service = "training"; s.Held = 10 },
			wantRefused: RefusedDeleted},
	} {
		t.Run(name, func(t *testing.T) {
			o := offering()
			if tc.offering != nil {
				tc.offering(&o)
			}
			var st *Standing
			if !tc.noCode {
				st = &Standing{Code: goodCode()}
				if tc.standing != nil {
					tc.standing(st)
				}
			}
			q := Price(o, tc.code, st, !tc.codesDisabled, quoteNow)
			if q.Refused != tc.wantRefused {
				t.Fatalf("refused = %q, want %q", q.Refused, tc.wantRefused)
			}
			wantDiscount := tc.wantDiscount
			if q.DiscountMinor != wantDiscount || q.TotalMinor != o.PriceMinor-wantDiscount || q.PriceMinor != o.PriceMinor {
				t.Fatalf("quote = %+v, want discount %d of %d", q, wantDiscount, o.PriceMinor)
			}
			if (q.Discount != nil) != (wantDiscount > 0) {
				t.Fatalf("discount = %v, want one only when it applies", q.Discount)
			}
			if q.Refused != "" && q.Refused.Reason() == string(q.Refused) {
				t.Fatalf("refusal %q has no reason to show", q.Refused)
			}
		})
	}
}
