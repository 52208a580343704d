package paymentpage

import "testing"

func TestFormatAmount(t *testing.T) {
	for _, c := range []struct {
		minor    int64
		currency string
		want     string
	}{
		{1234, "USD", "12.34"}, {5, "GBP", "0.05"}, {0, "EUR", "0.00"}, {100, "CAD", "1.00"},
		{1234, "JPY", "1234"}, {0, "JPY", "0"}, {1234, "KWD", "1.234"}, {7, "BHD", "0.007"},
	} {
		got, err := FormatAmount(c.minor, c.currency)
		if err != nil || got != c.want {
			t.Errorf("FormatAmount(%d, %s) = %q, %v; want %q", c.minor, c.currency, got, err, c.want)
		}
		back, err := ParseAmount(got, c.currency)
		if err != nil || back != c.minor {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", got, c.currency, back, err, c.minor)
		}
	}
	for _, c := range []struct {
		minor    int64
		currency string
	}{{-1, "USD"}, {maxAmount + 1, "USD"}, {1, "usd"}, {1, "US"}, {1, ""}} {
		if got, err := FormatAmount(c.minor, c.currency); err == nil {
			t.Errorf("FormatAmount(%d, %q) = %q, want an error", c.minor, c.currency, got)
		}
	}
}

func TestParseAmountRefuses(t *testing.T) {
	for _, c := range []struct{ s, currency string }{
		{"12.3", "USD"}, {"12", "USD"}, {"12.345", "USD"}, {"-1.00", "USD"}, {"+1.00", "USD"}, {" 1.00", "USD"},
		{"1,000.00", "USD"}, {"1e3", "USD"}, {".50", "USD"}, {"1.", "USD"}, {"12.00", "JPY"}, {"", "JPY"},
		{"1.00", "XYZ1"}, {"99999999999999.00", "USD"}, {"0x10", "JPY"},
	} {
		if n, err := ParseAmount(c.s, c.currency); err == nil {
			t.Errorf("ParseAmount(%q, %s) = %d, want an error", c.s, c.currency, n)
		}
	}
}
