package checkoutapp_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/checkoutapp"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

const eventsDir = "../../../events/checkout"

// payflowPages stands in for the provider clients: a secure token page to post to, a
// return that the provider confirms as authorised with the PNREF it posted, and the
// capture and void of that authorisation.
type payflowPages struct{ started, captured, voided int }

func (p *payflowPages) Capture(_ context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	p.captured++
	return checkout.Settled{Refs: checkout.ProviderRefs{CaptureID: "C" + r.Order.Refs.PNREF}, Note: "captured through Payflow"}, nil
}

func (p *payflowPages) Void(_ context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	p.voided++
	return checkout.Settled{Note: "voided through Payflow"}, nil
}

func (p *payflowPages) Start(_ context.Context, r checkout.PageRequest) (checkout.Page, error) {
	p.started++
	return checkout.Page{
		Redirect: checkout.Redirect{Method: "POST", URL: "https://pilot-payflowlink.paypal.com",
			Fields: []checkout.Field{{Name: "SECURETOKEN", Value: "tok"}, {Name: "SECURETOKENID", Value: "id-" + r.Order.Ref}}},
		Refs: checkout.ProviderRefs{TokenID: "id-" + r.Order.Ref, Token: "tok"},
	}, nil
}

func (p *payflowPages) Finish(_ context.Context, _ checkout.PageRequest, params url.Values) (checkout.Outcome, error) {
	return checkout.Outcome{State: checkout.StateAuthorised, Refs: checkout.ProviderRefs{PNREF: params.Get("PNREF")}}, nil
}

func ptr(s string) *string { return &s }

func seed(t *testing.T, l *testenv.Local) {
	t.Helper()
	ctx := context.Background()
	sites, _, err := settingsdb.NewAudited(l.DB, l.Tables["SitesTable"], l.Tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	on, name := true, "Demo Academy"
	m := settings.NewManager(sites, nil)
	if _, err := m.Update(ctx, "setup", "demo", settings.Events, settings.Patch{Enabled: &on, PromoCodesEnabled: &on, MerchantName: &name}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Change(ctx, "setup", "demo", "provider.set", "events", func(s settings.Site) (settings.Site, error) {
		return s.SetProvider(settings.Events, &provider.Setup{Kind: provider.PayflowPro, Currency: "USD", PartnerID: "PayPal", Vendor: "demo", UserID: "demo"})
	}); err != nil {
		t.Fatal(err)
	}
	code := func(c string, u promo.Usage, bp int) promo.Code {
		return promo.Code{Site: "demo", Code: c, Service: "events", Usage: u, Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: bp},
			ExpiresOn: "2034-12-31", ExpiresAt: time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC), AppliesTo: promo.AppliesToAll,
			Stored: promo.StatusActive, CreatedAt: time.Now().Add(-time.Hour), CreatedBy: "setup"}
	}
	testenv.PutCodes(t, l.DB, l.Tables["PromoCodesTable"],
		code("SPRING20", promo.Usage{Kind: promo.UsageMultiple, Max: 50}, 2000),
		code("FREEPASS", promo.Usage{Kind: promo.UsageOnce}, 10000))
}

// TestEvents feeds every sample event through the exact handler main passes to
// lambda.Start (HTTP requests and the schedule's event alike), against DynamoDB Local.
func TestEvents(t *testing.T) {
	l := testenv.NewLocal(t)
	seed(t, l)
	pages := &payflowPages{}
	app, err := checkoutapp.New(lambdaapp.MapLookup(l.Env(t, "checkout")), l.DB, pages, l.SES, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	handler := app.Lambda(testenv.Logger(t))
	var ref, freeRef string
	withRef := func(r *string) func(ev *events.APIGatewayV2HTTPRequest) {
		return func(ev *events.APIGatewayV2HTTPRequest) {
			ev.RawPath = strings.Replace(ev.RawPath, "BO-REPLACEDBYTEST", *r, 1)
			ev.RequestContext.HTTP.Path = ev.RawPath
			ev.PathParameters["ref"] = *r
		}
	}
	testenv.RunHTTPEvents(t, viaLambda(handler), eventsDir, []testenv.Step{
		{Event: "quote-with-code", Status: 200, Want: map[string]any{"applied": true, "code": "SPRING20", "priceMinor": 4900.0,
			"discountMinor": 980.0, "totalMinor": 3920.0, "discount.text": "20%"}},
		{Event: "quote-unknown-code", Status: 200, Want: map[string]any{"applied": false, "refused": "unknown", "totalMinor": 4900.0}},
		{Event: "quote-admin-token", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "create-order", Status: 201, Want: map[string]any{"state": "pending_payment", "test": true, "totalMinor": 3920.0,
			"provider": "payflow_pro", "payment.method": "POST", "payment.fields.0.name": "SECURETOKEN"},
			Check: func(t *testing.T, a testenv.Answer) { ref, _ = a.Get("ref").(string) }},
		{Event: "create-order", Status: 200, Check: func(t *testing.T, a testenv.Answer) {
			if a.Get("ref") != ref || pages.started != 1 {
				t.Errorf("the retry answered %v (first %s) after %d pages", a.Get("ref"), ref, pages.started)
			}
		}},
		{Event: "create-order-free", Status: 201, Want: map[string]any{"state": "completed", "totalMinor": 0.0, "payment": nil},
			Check: func(t *testing.T, a testenv.Answer) { freeRef, _ = a.Get("ref").(string) }},
		{Event: "create-order-used-up", Status: 409, Want: map[string]any{"error.code": "code_refused", "error.details.0.field": "code",
			"error.details.0.reason": "no_uses_left"}},
		{Event: "create-order-invalid", Status: 400, Check: func(t *testing.T, a testenv.Answer) {
			fields := map[string]bool{}
			for _, d := range a.Get("error.details").([]any) {
				fields[d.(map[string]any)["field"].(string)] = true
			}
			for _, f := range []string{"offering.priceMinor", "offering.currency", "buyer.name", "buyer.email", "returnUrl", "cancelUrl"} {
				if !fields[f] {
					t.Errorf("no detail on %s: %s", f, a.Raw)
				}
			}
		}},
		{Event: "create-order-other-site", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "get-order", Status: 200, Edit: withRef(&freeRef), Want: map[string]any{"state": "completed", "history.1.to": "completed"}},
		{Event: "buyer-return", Status: 303, Edit: withRef(&ref), Check: func(t *testing.T, a testenv.Answer) {
			if a.Headers["Location"] != "https://platform.example/checkout/done?order="+ref {
				t.Errorf("Location = %q", a.Headers["Location"])
			}
		}},
		{Event: "get-order", Status: 200, Edit: withRef(&ref), Want: map[string]any{"state": "authorised", "history.1.by": "provider:payflow_pro", "payment": nil}},
		{Event: "buyer-cancel", Status: 303, Edit: withRef(&ref), Check: func(t *testing.T, a testenv.Answer) {
			if a.Headers["Location"] != "https://platform.example/checkout/cancelled?order="+ref {
				t.Errorf("Location = %q", a.Headers["Location"])
			}
		}},
		{Event: "get-order", Status: 200, Edit: withRef(&ref), Want: map[string]any{"state": "authorised"}}, // a paid order stays paid
		{Event: "list-orders", Status: 200, Check: func(t *testing.T, a testenv.Answer) {
			if got, _ := a.Get("orders").([]any); len(got) != 1 || a.Get("orders.0.ref") != ref || a.Get("orders.0.test") != true {
				t.Errorf("the site's authorised test orders: %s", a.Raw)
			}
		}},
		{Event: "list-orders-checkout-token", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		// The site's administrators: one order with what they can do, capture, void, export.
		{Event: "admin-get-order", Status: 200, Edit: withRef(&ref), Want: map[string]any{"state": "authorised",
			"providerRefs.pnref": "A10B9C8D7E6F", "actions.0": "capture", "actions.1": "void",
			"actions.2": "record_capture", "history.1.to": "authorised"}, Check: func(t *testing.T, a testenv.Answer) {
			if a.Get("providerRefs.tokenId") != "id-"+ref || a.Get("ref") != ref {
				t.Errorf("the order's refs: %s", a.Raw)
			}
		}},
		{Event: "admin-capture-order", Status: 200, Edit: withRef(&ref), Want: map[string]any{"state": "captured", "actions": []any{},
			"history.2.by": "admin:admin-1 <admin@demo.example>", "history.2.note": "captured through Payflow; seat confirmed"},
			Check: func(t *testing.T, a testenv.Answer) {
				// The capture's own transaction is shown: it is what a refund in the
				// provider's interface names.
				if pages.captured != 1 || a.Get("providerRefs.captureId") != "C"+"A10B9C8D7E6F" {
					t.Errorf("%d captures sent; the capture's id in the answer: %s", pages.captured, a.Raw)
				}
			}},
		{Event: "admin-record-capture", Status: 200, Edit: withRef(&ref), Want: map[string]any{"state": "captured"}, // safe to retry
			Check: func(t *testing.T, a testenv.Answer) {
				if pages.captured != 1 || len(a.Get("history").([]any)) != 3 {
					t.Errorf("a retry captured again: %d sent, %s", pages.captured, a.Raw)
				}
			}},
		{Event: "admin-void-order", Status: 409, Edit: withRef(&ref), Want: map[string]any{"error.code": "conflict"}},
		{Event: "admin-get-order", Status: 200, Edit: withRef(&freeRef), Want: map[string]any{"state": "completed", "actions": []any{}}},
		{Event: "admin-get-order", Status: 404, Edit: withRef(ptr("BO-NOSUCHORDER1")), Want: map[string]any{"error.code": "not_found"}},
		{Event: "orders-report-csv", Status: 200, Check: func(t *testing.T, a testenv.Answer) {
			lines := strings.Split(strings.TrimPrefix(a.Raw, "\uFEFF"), "\r\n")
			if a.Headers["Content-Type"] != "text/csv; charset=utf-8" || !strings.HasPrefix(a.Headers["Content-Disposition"], "attachment; filename=") ||
				lines[0] != "ref,created_at,state,test,service,offering_type,offering_id,offering_name,buyer_name,buyer_email,code,currency,price_minor,discount_minor,total_minor,provider,transaction_id,updated_at" ||
				len(lines) != 4 || !strings.Contains(a.Raw, ref+",") || !strings.Contains(a.Raw, ",captured,true,events,") {
				t.Errorf("CSV export: %v\n%s", a.Headers, a.Raw)
			}
		}},
	})

	// The schedule's event expires an order whose reservation ran out, giving its use back.
	uses, _ := promodb.NewUses(l.DB, l.Tables["PromoCodesTable"])
	log, _ := auditdb.New(l.DB, l.Tables["AuditTable"])
	orders, _ := ordersdb.New(l.DB, l.Tables["OrdersTable"], log)
	past := time.Now().Add(-2 * time.Hour)
	spring, _, _, _ := uses.Lookup(context.Background(), "demo", "SPRING20", time.Now())
	stale := checkout.Order{Site: "demo", Ref: checkout.NewRef(), Mode: settings.ModeTest, Code: "SPRING20", CodeLimit: 50,
		Offering: checkout.Offering{Service: "events", Type: "event", ID: "ev-1", Name: "Old", PriceMinor: 100, Currency: "USD"},
		Amounts:  checkout.Amounts{Currency: "USD", PriceMinor: 100, TotalMinor: 80}, State: checkout.StatePendingPayment,
		ReservedUntil: past.Add(30 * time.Minute), CreatedAt: past, UpdatedAt: past,
		History: []checkout.Entry{{At: past, To: checkout.StatePendingPayment, Cause: checkout.Cause{By: "buyer"}}}}
	if st, err := uses.Reserve(context.Background(), spring, stale.Ref, stale.ReservedUntil, past); err != nil || st != "" {
		t.Fatalf("reserve: %q, %v", st, err)
	}
	if _, err := orders.Create(context.Background(), stale, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(eventsDir + "/scheduled/sweep.json")
	if err != nil {
		t.Fatal(err)
	}
	out, err := handler(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if res := out.(checkout.SweepResult); res.Expired != 1 {
		t.Fatalf("sweep = %+v", res)
	}
	got, _, _ := orders.Get(context.Background(), "demo", stale.Ref)
	if got.State != checkout.StateExpired {
		t.Fatalf("stale order: %s", got.State)
	}
	if ok, _ := uses.Release(context.Background(), "demo", "SPRING20", stale.Ref); ok {
		t.Fatal("the sweep did not give the stale order's use back")
	}
	if _, err := handler(context.Background(), []byte(`{"hello":"world"}`)); err == nil {
		t.Fatal("an unknown event was taken")
	}
}
