package promo

import (
	"strings"
	"testing"
	"time"
)

func TestGenerate(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for i := 0; i < 2000; i++ {
		c := Generate(8)
		if len(c) != 8 || seen[c] {
			t.Fatalf("code %q (seen %t)", c, seen[c])
		}
		seen[c] = true
		for _, r := range c {
			if !strings.ContainsRune(Alphabet, r) || strings.ContainsRune("01OI", r) {
				t.Fatalf("code %q has %q", c, r)
			}
			counts[r]++
		}
	}
	if len(Alphabet) != 32 || len(counts) != 32 {
		t.Errorf("alphabet %d symbols, %d used", len(Alphabet), len(counts))
	}
}

func TestExpiryEndsAtMidnightInTheSiteZone(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	la, _ := time.LoadLocation("America/Los_Angeles")
	for _, tc := range []struct {
		day  string
		loc  *time.Location
		want string
	}{
		{"2026-12-31", time.UTC, "2027-01-01T00:00:00Z"},
		{"2026-12-31", ams, "2026-12-31T23:00:00Z"},
		{"2026-07-01", ams, "2026-07-01T22:00:00Z"}, // summer time
		{"2026-03-07", la, "2026-03-08T08:00:00Z"},  // the night DST starts
	} {
		if got := Expiry(tc.day, tc.loc).Format(time.RFC3339); got != tc.want {
			t.Errorf("%s in %s ends %s, want %s", tc.day, tc.loc, got, tc.want)
		}
	}
	now := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)
	if Today(now, ams) != "2026-11-29" || Today(now, time.UTC) != "2026-11-28" {
		t.Error("today depends on the zone")
	}
}

func TestStatusAt(t *testing.T) {
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c := Code{Usage: Usage{Kind: UsageMultiple, Max: 3}, ExpiresAt: end, Stored: StatusActive}
	before, at := end.Add(-time.Nanosecond), end
	if c.StatusAt(before) != StatusActive || c.StatusAt(at) != StatusExpired {
		t.Error("expiry instant")
	}
	c.Used = 3
	if c.StatusAt(before) != StatusUsedUp {
		t.Error("used up")
	}
	c.Stored = StatusDeleted
	if c.StatusAt(at) != StatusDeleted {
		t.Error("deleted wins")
	}
	if (Code{Usage: Usage{Kind: UsageUnlimited}, Used: 1000, ExpiresAt: end, Stored: StatusActive}).StatusAt(before) != StatusActive {
		t.Error("unlimited is never used up")
	}
}

func TestFormatDiscount(t *testing.T) {
	for d, want := range map[Discount]string{
		{Kind: DiscountPercent, PercentBasisPoints: 2000}:          "20%",
		{Kind: DiscountPercent, PercentBasisPoints: 1250}:          "12.5%",
		{Kind: DiscountPercent, PercentBasisPoints: 5}:             "0.05%",
		{Kind: DiscountAmount, AmountMinor: 500, Currency: "USD"}:  "$5.00",
		{Kind: DiscountAmount, AmountMinor: 1205, Currency: "GBP"}: "£12.05",
		{Kind: DiscountAmount, AmountMinor: 99, Currency: "CAD"}:   "CA$0.99",
	} {
		if got := FormatDiscount(d); got != want {
			t.Errorf("%+v = %q, want %q", d, got, want)
		}
	}
	if FormatDate("2026-12-31") != "31 December 2026" {
		t.Error(FormatDate("2026-12-31"))
	}
}
