package promodeleteapp_test

import (
	"context"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/promodeleteapp"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changedb"
)

const eventsDir = "../../../events/promo-delete"

var created = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

func seedCode(t *testing.T, l *testenv.Local, code, service string, stored promo.Status) {
	t.Helper()
	end, _ := promo.EndOfDay("2026-12-31", time.UTC)
	c := promo.Code{
		Site: "demo", Code: code, Service: service, Usage: promo.Usage{Kind: promo.UsageOnce},
		Discount:  promo.Discount{Kind: promo.DiscountAmount, AmountMinor: 1000, Currency: "USD"},
		ExpiresOn: "2026-12-31", ExpiresAt: end, AppliesTo: promo.AppliesToAll, Stored: stored,
		CreatedAt: created, CreatedBy: "creator",
	}
	if stored == promo.StatusDeleted {
		c.DeletedAt, c.DeletedBy = created.Add(time.Hour), "creator"
	}
	testenv.PutCodes(t, l.DB, l.Tables["PromoCodesTable"], c)
}

// TestEvents feeds every sample event through the exact handler main passes to lambda.Start,
// then checks that each deleted code was deleted and audited once, however often asked.
func TestEvents(t *testing.T) {
	l := testenv.NewLocal(t)
	ctx := context.Background()
	seedCode(t, l, "SPRING-2027", "events", promo.StatusActive)
	seedCode(t, l, "VIP-GOLD", "training", promo.StatusUsedUp)
	seedCode(t, l, "OLD-DEAL", "events", promo.StatusDeleted)

	rt, err := promodeleteapp.New(lambdaapp.MapLookup(l.Env(t, "promo-delete")), l.DB, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	const admin = "admin-1 <admin@demo.example>"
	var deletedAt any
	testenv.RunHTTPEvents(t, lambdaapp.NewHTTPLambda(rt), eventsDir, []testenv.Step{
		{Event: "delete-codes", Status: 200, Want: map[string]any{
			"results.0.code": "SPRING-2027", "results.0.result": "deleted", "results.0.deletedBy": admin,
			"results.1.code": "VIP-GOLD", "results.1.result": "deleted",
			"results.2.code": "NOPE-404", "results.2.result": "not_found", "results.2.deletedAt": nil,
			"results.3":         nil, // three codes sent, three results
			"summary.deleted":   2.0,
			"summary.not_found": 1.0, "summary.already_deleted": 0.0,
		}, Check: func(t *testing.T, a testenv.Answer) { deletedAt = a.Get("results.0.deletedAt") }},
		// Deleting is idempotent: the same request again changes nothing.
		{Event: "delete-codes", Status: 200, Want: map[string]any{
			"results.0.result": "already_deleted", "results.1.result": "already_deleted", "results.2.result": "not_found",
			"summary.deleted": 0.0, "summary.already_deleted": 2.0,
		}, Check: func(t *testing.T, a testenv.Answer) {
			if got := a.Get("results.0.deletedAt"); got != deletedAt || got == nil {
				t.Errorf("deletedAt %v, first answered %v", got, deletedAt)
			}
		}},
		{Event: "delete-already-deleted", Status: 200, Want: map[string]any{
			"results.0.result": "already_deleted", "results.1.result": "already_deleted",
			"results.2.code": "OLD-DEAL", "results.2.result": "already_deleted", "results.2.deletedBy": "creator",
			"summary.already_deleted": 3.0,
		}},
		{Event: "delete-no-codes", Status: 400, Want: map[string]any{"error.code": "invalid_input", "error.details.0.field": "codes"}},
		{Event: "delete-other-site", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "delete-no-token", Status: 401, Want: map[string]any{"error.code": "unauthenticated"}},
	})

	auditLog, err := auditdb.New(l.DB, l.Tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	codes, err := changedb.New(l.DB, l.Tables["PromoCodesTable"], auditLog)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"SPRING-2027", "VIP-GOLD"} {
		c, found, err := codes.Get(ctx, "demo", code)
		if err != nil || !found || c.Stored != promo.StatusDeleted || c.DeletedBy != admin || c.StatusAt(time.Now()) != promo.StatusDeleted {
			t.Errorf("%s = %+v (%v)", code, c, err)
		}
	}
	page, err := auditLog.List(ctx, "demo", "", audit.MaxLimit)
	if err != nil {
		t.Fatal(err)
	}
	byTarget := map[string]int{}
	for _, e := range page.Entries {
		if e.Action != promo.ActionDelete || e.Actor != admin {
			t.Errorf("entry %+v", e)
		}
		byTarget[e.Target]++
	}
	if len(byTarget) != 2 || byTarget["SPRING-2027"] != 1 || byTarget["VIP-GOLD"] != 1 {
		t.Fatalf("delete audit entries by code: %v", byTarget)
	}
}
