package issue

import (
	"context"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// fakeSites is Sites with a func field.
type fakeSites struct {
	get func(site string) (settings.Site, error)
}

func (f fakeSites) Get(_ context.Context, site string) (settings.Site, error) { return f.get(site) }

// fakeCodes is Codes with a func field.
type fakeCodes struct {
	insert func(codes []promo.Code) ([]promo.Code, error)
}

func (f fakeCodes) Insert(_ context.Context, codes []promo.Code, _ audit.Entry, _ func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
	return f.insert(codes)
}

// fakeMailer refuses to be used.
type fakeMailer struct{ t *testing.T }

func (f fakeMailer) Send(context.Context, string, string, string) (string, string, error) {
	f.t.Fatal("no mail should be sent")
	return "", "", nil
}

func issuer(t *testing.T, enabled bool, tz string) (*Issuer, *[]promo.Code) {
	t.Helper()
	var inserted []promo.Code
	s := settings.New("acme")
	cfg := s.Services[settings.Events]
	cfg.Enabled, cfg.Config.PromoCodesEnabled, cfg.Config.TimeZone = true, enabled, tz
	s.Services[settings.Events] = cfg
	is, err := New(Deps{
		Sites: fakeSites{get: func(string) (settings.Site, error) { return s, nil }},
		Codes: fakeCodes{insert: func(c []promo.Code) ([]promo.Code, error) { inserted = append(inserted, c...); return c, nil }},
		Jobs:  noJobs{}, Mailer: fakeMailer{t},
		Now: func() time.Time { return time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return is, &inserted
}

func TestNewRequiresCollaborators(t *testing.T) {
	if _, err := New(Deps{Sites: fakeSites{}, Codes: fakeCodes{}, Mailer: fakeMailer{t}}); err == nil {
		t.Error("an issuer without a job store was built")
	}
}

// noJobs is a job store no test here reaches.
type noJobs struct{ Jobs }

func input(expires string) CreateInput {
	q := 3
	return CreateInput{
		ParamsInput: promo.ParamsInput{Service: "events", Usage: &promo.Usage{Kind: promo.UsageOnce},
			Discount: &promo.DiscountInput{Kind: promo.DiscountPercent, Percent: "10"}, ExpiresOn: expires},
		Type: TypeGenerated, Quantity: &q,
	}
}

func TestCreateRefusedWhenSwitchedOff(t *testing.T) {
	is, inserted := issuer(t, false, "UTC")
	_, err := is.Create(context.Background(), "u", "acme", input("2026-12-31"), "inv")
	if apperr.CodeOf(err) != apperr.CodeConflict || len(*inserted) != 0 {
		t.Errorf("switched off: %v, %d codes", err, len(*inserted))
	}
	if _, _, err := is.StartImport(context.Background(), "u", "acme", ImportInput{ParamsInput: input("2026-12-31").ParamsInput}); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Errorf("import switched off: %v", err)
	}
}

// TestTodayIsTheSiteZone: at 23:30 UTC on 28 November it is already the 29th in Amsterdam,
// so a code may not expire on the 28th there; in UTC it may.
func TestTodayIsTheSiteZone(t *testing.T) {
	is, _ := issuer(t, true, "Europe/Amsterdam")
	if _, err := is.Create(context.Background(), "u", "acme", input("2026-11-28"), "inv"); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("yesterday in Amsterdam: %v", err)
	}
	is, inserted := issuer(t, true, "UTC")
	out, err := is.Create(context.Background(), "u", "acme", input("2026-11-28"), "inv")
	if err != nil || len(out.Codes) != 3 || len(*inserted) != 3 {
		t.Fatalf("today in UTC: %v, %d codes", err, len(out.Codes))
	}
	if got := out.Codes[0].ExpiresAt; !got.Equal(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("expires at %s", got)
	}
}
