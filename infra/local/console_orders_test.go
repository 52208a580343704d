package local

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/standinpage"
)

// consoleOrdersSite is the site whose orders the browser test lists and acts on: a site of
// its own, so that the other steps still start from a fresh one.
const consoleOrdersSite = "demo-orders"

// consoleOrders makes that site's orders through the API as the platform and its buyers
// would: a Payflow Pro provider, a 10% code, one test order authorised in test mode, then
// in production two orders authorised at (the stand-in of) Payflow's page, one cancelled
// there, and nine left pending, enough for two pages of ten. It returns the browser test's
// environment naming them.
func consoleOrders(t *testing.T, s *Stack) []string {
	t.Helper()
	call := callerAt(t, s.APIURL)
	site := consoleOrdersSite
	admin, err := s.Signer.Mint("admin", "admin@example.com", []string{site}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	machine, err := s.Signer.MintScoped("platform", "", []string{site}, "checkout", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	must := func(want int, method, path, token, body string) map[string]any {
		t.Helper()
		status, got, _ := call(method, path, token, body)
		if status != want {
			t.Fatalf("%s %s: %d %v", method, path, status, got)
		}
		return got
	}
	must(200, "PATCH", "/sites/"+site+"/settings/events", admin, `{"enabled":true,"promoCodesEnabled":true,"merchantName":"Orders Ltd"}`)
	l := localenv.PayflowMerchant
	must(200, "PUT", "/sites/"+site+"/providers/events", admin, `{"kind":"payflow_pro","partnerId":"`+l.Partner+`","vendor":"`+l.Vendor+
		`","userId":"`+l.User+`","password":"`+l.Password+`","accountType":"payflow_pro","cards":["visa"],"currency":"USD"}`)
	must(201, "POST", "/sites/"+site+"/promo-codes", admin,
		`{"type":"custom","code":"E2E10","service":"events","usage":{"kind":"unlimited"},"discount":{"kind":"percent","percent":10},"expiresOn":"2034-12-31"}`)

	buyer := &journey{t: t}
	order := func(name, code string) map[string]any {
		t.Helper()
		withCode := ""
		if code != "" {
			withCode = `"code":"` + code + `",`
		}
		email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@orders.example"
		return must(201, "POST", "/sites/"+site+"/checkout/orders", machine, `{"offering":`+offeringJSON+`,`+withCode+
			`"buyer":{"name":"`+name+`","email":"`+email+`"},"returnUrl":"http://127.0.0.1:8080/done","cancelUrl":"http://127.0.0.1:8080/cancel"}`)
	}
	// decided takes the buyer to the provider's page to decide, then checks the order's state.
	decided := func(o map[string]any, decision, want string) string {
		t.Helper()
		buyer.payflowDecide(o, s.PayflowURL, decision)
		ref := o["ref"].(string)
		if got := must(200, "GET", "/sites/"+site+"/checkout/orders/"+ref, machine, "")["state"]; got != want {
			t.Fatalf("order %s after %s: %v, want %s", ref, decision, got, want)
		}
		return ref
	}

	// A new site is in test mode.
	testRef := decided(order("Tess Test", "E2E10"), standinpage.Approve, "authorised")
	must(200, "PUT", "/sites/"+site+"/settings/events/mode", admin, `{"mode":"production"}`)
	var pending []string
	for i := 1; i <= 9; i++ {
		pending = append(pending, order(fmt.Sprintf("Pat Pending%d", i), "")["ref"].(string))
	}
	cancelled := decided(order("Cal Cancel", ""), standinpage.Cancel, "cancelled")
	toVoid := decided(order("Vic Void", ""), standinpage.Approve, "authorised")
	toCapture := decided(order("Cap Capture", "E2E10"), standinpage.Approve, "authorised")
	return []string{
		"ORDERS_SITE=" + site,
		"ORDERS_TEST=" + testRef,
		"ORDERS_CAPTURE=" + toCapture,
		"ORDERS_VOID=" + toVoid,
		"ORDERS_CANCELLED=" + cancelled,
		"ORDERS_PENDING=" + strings.Join(pending, ","),
	}
}
