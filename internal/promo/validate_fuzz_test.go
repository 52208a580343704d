package promo_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promotest"
)

// text is what a string field can hold after httpx.Decode.
var text = promotest.Text

// FuzzChangeInputs: an extend or delete selection (codes, comma-separated here) is refused
// naming codes, codes[i] of a code sent, or expiresOn; or it holds 1 to 1,000 distinct codes
// in stored form, in the order sent.
func FuzzChangeInputs(f *testing.F) {
	f.Add("SPRING25,summer-1", "2026-12-31", "2026-06-15", "2026-06-14")
	f.Add("abc123,ABC123 ,x", "2036-06-14", "", "")
	f.Add(",,"+strings.Repeat("A", 33)+",A B", "2026-06-13", "2026-06-14", "2026-06-15")
	f.Fuzz(func(t *testing.T, codes, expiresOn, today1, today2 string) {
		selection := strings.Split(text(codes), ",")
		var todays []string
		for _, d := range []string{today1, today2} {
			if _, err := promo.ParseDate(d); err == nil {
				todays = append(todays, d)
			}
		}
		fields := []string{"codes"} // of a delete; an extend's may name expiresOn too
		for i := range selection {
			fields = append(fields, fmt.Sprintf("codes[%d]", i))
		}
		checkSelection := func(got []string) {
			t.Helper()
			if len(got) == 0 || len(got) > promo.MaxChangeCodes {
				t.Fatalf("%q selected %d codes", codes, len(got))
			}
			next := 0 // the codes come in the order sent: each is a later one of the selection
			for _, c := range got {
				for next < len(selection) && promo.NormalizeCode(selection[next]) != c {
					next++
				}
				if next == len(selection) || !promotest.CodeShape.MatchString(c) {
					t.Fatalf("%q selected %q, not in order or not a code", codes, got)
				}
				next++
			}
			if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
				t.Fatalf("%q selected %q twice", codes, got)
			}
		}
		ext := promo.ExtendInput{Codes: selection, ExpiresOn: text(expiresOn)}
		if x, err := ext.Validate(todays); err != nil {
			apperrtest.RequireFields(t, ext, err, append(fields, "expiresOn")...)
		} else {
			checkSelection(x.Codes)
			earliest := x.ExpiresOn
			if len(todays) > 0 {
				earliest = slices.Min(todays)
			}
			if reason := promo.CheckExpiry(x.ExpiresOn, earliest); reason != "" {
				t.Fatalf("extend to %q accepted with todays %v: %s", x.ExpiresOn, todays, reason)
			}
		}
		del := promo.DeleteInput{Codes: selection}
		if d, err := del.Validate(); err != nil {
			apperrtest.RequireFields(t, del, err, fields...)
		} else {
			checkSelection(d.Codes)
		}
	})
}

// FuzzDiscount: money and percentages as sent (an amount in minor units with its currency,
// or a percentage): refused naming a discount field, or a discount in range that reads
// back, as recipients are shown it, as the same amount or percentage.
func FuzzDiscount(f *testing.F) {
	f.Add("amount", true, int64(1250), "gbp", "")
	f.Add("amount", true, int64(100000000), "CAD", "")
	f.Add("amount", true, int64(100000001), "USD", "")
	f.Add("amount", true, int64(-5), "EUR", "5")
	f.Add("amount", false, int64(0), "", "")
	f.Add("percent", false, int64(0), "", "12.5")
	f.Add("percent", false, int64(0), "", "0.01")
	f.Add("percent", true, int64(1), "USD", "100.00")
	f.Add("percent", false, int64(0), "", "1e2")
	f.Fuzz(func(t *testing.T, kind string, amountSent bool, amount int64, currency, percent string) {
		in := &promo.DiscountInput{Kind: promo.DiscountKind(text(kind)), Currency: text(currency), Percent: promo.Decimal(text(percent))}
		if amountSent {
			in.AmountMinor = &amount
		}
		var v apperr.Errors
		d := promo.ValidateDiscount(in, &v)
		if err := v.Err(); err != nil {
			apperrtest.RequireFields(t, in, err, "discount.kind", "discount.amountMinor", "discount.currency", "discount.percent")
			return
		}
		promotest.CheckDiscount(t, d)
	})
}
