package issue_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// TestCreationWritesAConsistentCodeOrNothing is a property over many random creations
// (expiry dates from last year to the year 9999, percentages of every shape, time zones):
// either the request is refused and nothing reaches the store, or every code handed to the
// store survives its stored form unchanged and is active until the end of its expiry day.
// (A date in the year 9999 once wrote a code that read back expiring in the year 1.)
func TestCreationWritesAConsistentCodeOrNothing(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	zones := []string{"UTC", "Europe/Amsterdam", "Pacific/Kiritimati", "Pacific/Pago_Pago"}
	percents := []string{"20", "12.5", "100", "0.01", "12.+5", "5.", "1e1", "101", "0"}
	rng := rand.New(rand.NewPCG(1, 2))
	written := 0
	for i := 0; i < 400; i++ {
		zone := zones[rng.IntN(len(zones))]
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		var day string
		switch rng.IntN(3) {
		case 0:
			day = now.AddDate(0, 0, rng.IntN(4000)-30).Format(promo.DateLayout)
		case 1:
			day = fmt.Sprintf("%04d-%02d-%02d", 2020+rng.IntN(7980), 1+rng.IntN(12), 1+rng.IntN(28))
		default:
			day = "9999-12-31"
		}
		percent := percents[rng.IntN(len(percents))]
		qty := 1 + rng.IntN(3)

		var inserted []promo.Code
		codes := &fakeCodes{insert: func(cs []promo.Code, _ audit.Entry, _ func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
			inserted = append(inserted, cs...)
			return cs, nil
		}}
		is := creator(t, zone, codes, now)
		in := issue.CreateInput{Type: "generated", Quantity: &qty}
		in.Service, in.ExpiresOn = "events", day
		in.Usage = &promo.Usage{Kind: promo.UsageOnce}
		in.Discount = &promo.DiscountInput{Kind: promo.DiscountPercent, Percent: promo.Decimal(percent)}

		_, err = is.Create(context.Background(), "admin", site, in, "inv")
		if err != nil {
			if len(inserted) > 0 {
				t.Fatalf("%s, %s%% in %s: refused (%v) after writing %d codes", day, percent, zone, err, len(inserted))
			}
			continue
		}
		written++
		if len(inserted) != qty {
			t.Fatalf("%s: %d codes written, want %d", day, len(inserted), qty)
		}
		end, err := promo.EndOfDay(day, loc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range inserted {
			item, err := promodb.MarshalCode(c)
			if err != nil {
				t.Fatalf("%s: the code cannot be stored: %v", day, err)
			}
			back, err := promodb.UnmarshalCode(item)
			if err != nil {
				t.Fatalf("%s: the stored code cannot be read: %v", day, err)
			}
			if !reflect.DeepEqual(back, c) {
				t.Fatalf("%s: stored %+v, read back %+v", day, c, back)
			}
			if !c.ExpiresAt.Equal(end) || c.StatusAt(end.Add(-time.Nanosecond)) != promo.StatusActive || c.StatusAt(end) != promo.StatusExpired {
				t.Fatalf("%s in %s: expiresAt %s, want the end of that day (%s)", day, zone, c.ExpiresAt, end)
			}
		}
	}
	if written == 0 {
		t.Fatal("no creation was accepted: the property was never exercised")
	}
}

// creator is an Issuer whose site has promotion codes on in zone, over codes.
func creator(t *testing.T, zone string, codes issue.Codes, now time.Time) *issue.Issuer {
	t.Helper()
	s := settings.New(site)
	cfg := s.Services[settings.Events]
	cfg.Enabled, cfg.Config.PromoCodesEnabled, cfg.Config.TimeZone = true, true, zone
	cfg.Config.MerchantName, cfg.Config.SupportInfo = "Acme Academy", "help@acme.example"
	s.Services[settings.Events] = cfg
	is, err := issue.New(issue.Deps{
		Sites: &fakeSites{get: func(string) (settings.Site, error) { return s, nil }}, Codes: codes,
		Jobs: &fakeJobs{}, Mailer: &fakeMailer{}, Objects: &fakeObjects{}, Uploads: &fakeUploads{},
		Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return is
}
