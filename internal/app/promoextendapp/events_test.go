package promoextendapp_test

import (
	"context"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/promoextendapp"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changedb"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

const eventsDir = "../../../events/promo-extend"

var created = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

func seedCode(t *testing.T, l *testenv.Local, code, service, expiresOn string, stored promo.Status) {
	t.Helper()
	end, _ := promo.EndOfDay(expiresOn, time.UTC)
	c := promo.Code{
		Site: "demo", Code: code, Service: service, Usage: promo.Usage{Kind: promo.UsageUnlimited},
		Discount:  promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000},
		ExpiresOn: expiresOn, ExpiresAt: end, AppliesTo: promo.AppliesToAll, Stored: stored,
		CreatedAt: created, CreatedBy: "creator",
	}
	if stored == promo.StatusDeleted {
		c.DeletedAt, c.DeletedBy = created.Add(time.Hour), "creator"
	}
	testenv.PutCodes(t, l.DB, l.Tables["PromoCodesTable"], c)
}

// TestEvents feeds every sample event through the exact handler main passes to lambda.Start,
// against a demo site whose events sell in Oslo time, and then looks at what was stored.
func TestEvents(t *testing.T) {
	l := testenv.NewLocal(t)
	ctx := context.Background()
	sites, auditLog, err := settingsdb.NewAudited(l.DB, l.Tables["SitesTable"], l.Tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	oslo := "Europe/Oslo"
	if _, err := settings.NewManager(sites, nil).Update(ctx, "setup", "demo", settings.Events, settings.Patch{TimeZone: &oslo}); err != nil {
		t.Fatal(err)
	}
	seedCode(t, l, "SPRING-2027", "events", "2026-12-31", promo.StatusActive)
	seedCode(t, l, "VIP-GOLD", "training", "2034-06-30", promo.StatusActive)
	seedCode(t, l, "OLD-DEAL", "events", "2026-12-31", promo.StatusDeleted)
	seedCode(t, l, "LATE-PASS", "events", "2034-12-31", promo.StatusActive)

	rt, err := promoextendapp.New(lambdaapp.MapLookup(l.Env(t, "promo-extend")), l.DB, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	testenv.RunHTTPEvents(t, lambdaapp.NewHTTPLambda(rt), eventsDir, []testenv.Step{
		{Event: "extend-mixed", Status: 200, Want: map[string]any{
			"expiresOn":                    "2034-06-30",
			"results.0.code":               "SPRING-2027",
			"results.0.result":             "extended",
			"results.0.expiresOn.before":   "2026-12-31",
			"results.0.expiresOn.after":    "2034-06-30",
			"results.1.code":               "VIP-GOLD",
			"results.1.result":             "unchanged",
			"results.1.expiresOn":          "2034-06-30",
			"results.2.code":               "OLD-DEAL",
			"results.2.result":             "deleted",
			"results.3.code":               "NOPE-404",
			"results.3.result":             "not_found",
			"results.4.code":               "LATE-PASS",
			"results.4.result":             "earlier_than_current",
			"results.4.expiresOn":          "2034-12-31",
			"results.5":                    nil, // five codes sent, five results
			"summary.extended":             1.0,
			"summary.unchanged":            1.0,
			"summary.deleted":              1.0,
			"summary.not_found":            1.0,
			"summary.earlier_than_current": 1.0,
			"summary.before_today":         0.0,
		}},
		{Event: "extend-past-date", Status: 400, Want: map[string]any{"error.code": "invalid_input", "error.details.0.field": "expiresOn"}},
		{Event: "extend-malformed-code", Status: 400, Want: map[string]any{"error.code": "invalid_input", "error.details.0.field": "codes[1]"}},
		{Event: "extend-other-site", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "extend-no-token", Status: 401, Want: map[string]any{"error.code": "unauthenticated"}},
		// The same request again: what was extended is now unchanged.
		{Event: "extend-mixed", Status: 200, Want: map[string]any{"results.0.result": "unchanged", "summary.extended": 0.0, "summary.unchanged": 2.0}},
	})

	codes, err := changedb.New(l.DB, l.Tables["PromoCodesTable"], auditLog)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := codes.Get(ctx, "demo", "SPRING-2027")
	if err != nil {
		t.Fatal(err)
	}
	// The day ends at midnight in Oslo (summer time, UTC+2).
	if c.ExpiresOn != "2034-06-30" || !c.ExpiresAt.Equal(time.Date(2034, 6, 30, 22, 0, 0, 0, time.UTC)) || c.UpdatedBy != "admin-1 <admin@demo.example>" {
		t.Fatalf("SPRING-2027 = %+v", c)
	}
	page, err := auditLog.List(ctx, "demo", "", audit.MaxLimit)
	if err != nil {
		t.Fatal(err)
	}
	var extends []audit.Entry
	for _, e := range page.Entries {
		if e.Action == promo.ActionExtend {
			extends = append(extends, e)
		}
	}
	if len(extends) != 1 || extends[0].Target != "SPRING-2027" || extends[0].Actor != "admin-1 <admin@demo.example>" {
		t.Fatalf("extend audit entries %+v", extends)
	}
}
