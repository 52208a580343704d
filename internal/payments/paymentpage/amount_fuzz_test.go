package paymentpage

import "testing"

// FuzzParseAmount: amounts come back from providers (replies, return posts); whatever the
// text, ParseAmount either refuses it or reads the one amount that FormatAmount writes the
// same way, so a reply cannot mean two different amounts.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12.34", "0.00", "1234", "1.234", "00.10", "-1.00", "1e2", "", ".", "１.00", "999999999999.99"} {
		for _, c := range []string{"USD", "JPY", "KWD", "usd"} {
			f.Add(s, c)
		}
	}
	f.Fuzz(func(t *testing.T, s, currency string) {
		n, err := ParseAmount(s, currency)
		if err != nil {
			return
		}
		back, ferr := FormatAmount(n, currency)
		if ferr != nil {
			t.Fatalf("ParseAmount(%q, %q) = %d, which FormatAmount refuses: %v", s, currency, n, ferr)
		}
		again, err := ParseAmount(back, currency)
		if err != nil || again != n {
			t.Fatalf("%q read as %d, written %q, read back %d, %v", s, n, back, again, err)
		}
	})
}
