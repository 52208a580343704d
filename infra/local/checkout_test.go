package local

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
)

const offeringJSON = `{"service":"events","type":"event","id":"ev-1","name":"Go Workshop","priceMinor":4900,"currency":"USD"}`

// TestGatewayEnforcesScopes: like API Gateway, the local gateway refuses (403) an
// administrator's token on a checkout route, whose template route needs the checkout
// scope; a checkout token on an administrator's route passes the gateway (no scope there)
// and the function refuses it.
func TestGatewayEnforcesScopes(t *testing.T) {
	srv, signer := gateway(t)
	call := caller(t, srv)
	admin, _ := signer.Mint("admin", "admin@acme.example", []string{"acme"}, time.Hour)
	machine, _ := signer.MintScoped("platform", "", []string{"acme"}, "checkout", time.Hour)

	status, body, h := call("POST", "/sites/acme/checkout/quote", admin, `{"offering":`+offeringJSON+`}`)
	if status != 403 || body["message"] != "Forbidden" || !strings.Contains(h.Get("WWW-Authenticate"), "insufficient_scope") {
		t.Fatalf("an administrator's token on a checkout route: %d %v %v", status, body, h)
	}
	status, body, _ = call("GET", "/sites/acme/settings", machine, "")
	if status != 403 || body["error"].(map[string]any)["code"] != "forbidden" {
		t.Fatalf("a checkout token on an administrator's route: %d %v", status, body)
	}
	// The checkout token reaches checkout, which says the service does not sell yet.
	status, body, _ = call("POST", "/sites/acme/checkout/quote", machine, `{"offering":`+offeringJSON+`}`)
	if status != 409 || body["error"].(map[string]any)["code"] != "conflict" {
		t.Fatalf("a checkout token on a checkout route: %d %v", status, body)
	}
}

// TestFreeOrderThroughTheGateway walks a buyer's order for a 100% code as `make run`
// serves it: the administrator enables the service and creates the code, the platform's
// machine token quotes and orders, and the one use is sold once.
func TestFreeOrderThroughTheGateway(t *testing.T) {
	srv, signer := gateway(t)
	call := caller(t, srv)
	admin, _ := signer.Mint("admin", "admin@acme.example", []string{"acme"}, time.Hour)
	machine, _ := signer.MintScoped("platform", "", []string{"acme"}, "checkout", time.Hour)
	if status, body, _ := call("PATCH", "/sites/acme/settings/events", admin, `{"enabled":true,"promoCodesEnabled":true,"merchantName":"Acme"}`); status != 200 {
		t.Fatalf("settings: %d %v", status, body)
	}
	if status, body, _ := call("POST", "/sites/acme/promo-codes", admin,
		`{"type":"custom","code":"FREEPASS","service":"events","usage":{"kind":"once"},"discount":{"kind":"percent","percent":100},"expiresOn":"2034-12-31"}`); status != 201 {
		t.Fatalf("code: %d %v", status, body)
	}
	status, body, _ := call("POST", "/sites/acme/checkout/quote", machine, `{"offering":`+offeringJSON+`,"code":"freepass"}`)
	if status != 200 || body["totalMinor"] != 0.0 || body["applied"] != true {
		t.Fatalf("quote: %d %v", status, body)
	}
	order := `{"offering":` + offeringJSON + `,"code":"FREEPASS","buyer":{"name":"Ann","email":"ann@example.com"},` +
		`"returnUrl":"http://127.0.0.1:8080/done","cancelUrl":"http://127.0.0.1:8080/cancel"}`
	status, body, _ = call("POST", "/sites/acme/checkout/orders", machine, order)
	if status != 201 || body["state"] != "completed" {
		t.Fatalf("order: %d %v", status, body)
	}
	status, body, _ = call("POST", "/sites/acme/checkout/orders", machine, order)
	if status != 409 || body["error"].(map[string]any)["code"] != "code_refused" {
		t.Fatalf("the code's second use: %d %v", status, body)
	}
	status, body, _ = call("GET", "/sites/acme/promo-codes?code=FREEPASS", admin, "")
	rows, _ := body["items"].([]any)
	if status != 200 || len(rows) != 1 || rows[0].(map[string]any)["status"] != "used_up" {
		t.Fatalf("the report after the sale: %d %v", status, body)
	}
}

// TestScheduleExpiresOrders: the local stack runs the checkout sweep on a timer, as the
// template's Schedule event does on AWS.
func TestScheduleExpiresOrders(t *testing.T) {
	l := testenv.NewLocal(t)
	log, err := auditdb.New(l.DB, l.Tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	orders, err := ordersdb.New(l.DB, l.Tables["OrdersTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	o := checkout.Order{Site: "acme", Ref: checkout.NewRef(), Mode: "test",
		Offering: checkout.Offering{Service: "events", Type: "event", ID: "ev-1", Name: "Old", PriceMinor: 100, Currency: "USD"},
		Amounts:  checkout.Amounts{Currency: "USD", PriceMinor: 100, TotalMinor: 100}, State: checkout.StatePendingPayment,
		ReservedUntil: past.Add(30 * time.Minute), CreatedAt: past, UpdatedAt: past,
		History: []checkout.Entry{{At: past, To: checkout.StatePendingPayment, Cause: checkout.Cause{By: "buyer"}}}}
	if _, err := orders.Create(context.Background(), o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	stop, err := startSchedules(l.Template, localenv.Refs(localenv.Resources(l.Template, l.Tables)), localenv.StandIns{PayPal: l.PayPalURL},
		registry.Clients{DynamoDB: l.DB, SecretsManager: l.SecretsManager, S3: l.S3, SES: l.SES}, 10*time.Millisecond, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	// Wait for the event itself: the order's stored state changing.
	for {
		got, _, err := orders.Get(context.Background(), "acme", o.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == checkout.StateExpired {
			if last := got.History[len(got.History)-1]; last.Cause.By != "sweep" {
				t.Fatalf("expired by %q", last.Cause.By)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
