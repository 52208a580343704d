package local

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	paypalstandin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
)

// journey is a buyer's way through checkout on the local stack: the platform's machine
// token orders, the buyer's browser goes to the stand-in's page and back.
type journey struct {
	t                   *testing.T
	call                call
	adminToken, machine string
	local               *testenv.Local
	// api is the gateway's URL.
	api string
}

func newJourney(t *testing.T) *journey {
	srv, signer, l := gatewayOn(t)
	j := &journey{t: t, call: caller(t, srv), local: l, api: srv.URL}
	j.adminToken, _ = signer.Mint("admin", "admin@acme.example", []string{"acme"}, time.Hour)
	j.machine, _ = signer.MintScoped("platform", "", []string{"acme"}, "checkout", time.Hour)
	if status, body, _ := j.call("PATCH", "/sites/acme/settings/events", j.adminToken, `{"enabled":true,"promoCodesEnabled":true,"merchantName":"Acme"}`); status != 200 {
		t.Fatalf("settings: %d %v", status, body)
	}
	return j
}

// setProvider sets acme's events provider up through the providers API.
func (j *journey) setProvider(body string) {
	j.t.Helper()
	if status, got, _ := j.call("PUT", "/sites/acme/providers/events", j.adminToken, body); status != 200 {
		j.t.Fatalf("put provider: %d %v", status, got)
	}
}

// code creates a one-use 10% code.
func (j *journey) code(c string) {
	j.t.Helper()
	if status, body, _ := j.call("POST", "/sites/acme/promo-codes", j.adminToken,
		`{"type":"custom","code":"`+c+`","service":"events","usage":{"kind":"once"},"discount":{"kind":"percent","percent":10},"expiresOn":"2034-12-31"}`); status != 201 {
		j.t.Fatalf("code: %d %v", status, body)
	}
}

// order creates an order (with code, if any) and returns its answer.
func (j *journey) order(code string) (int, map[string]any) {
	j.t.Helper()
	withCode := ""
	if code != "" {
		withCode = `"code":"` + code + `",`
	}
	status, body, _ := j.call("POST", "/sites/acme/checkout/orders", j.machine, `{"offering":`+offeringJSON+`,`+withCode+
		`"buyer":{"name":"Ann","email":"ann@example.com"},"returnUrl":"http://127.0.0.1:8080/done","cancelUrl":"http://127.0.0.1:8080/cancel"}`)
	return status, body
}

func (j *journey) state(ref string) string {
	j.t.Helper()
	status, body, _ := j.call("GET", "/sites/acme/checkout/orders/"+ref, j.machine, "")
	if status != 200 {
		j.t.Fatalf("get order: %d %v", status, body)
	}
	s, _ := body["state"].(string)
	return s
}

var browser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// page goes to the order's payment page as the browser does, and returns the stand-in's
// decision form, its action made absolute.
func (j *journey) page(order map[string]any, standIn string) (string, url.Values) {
	j.t.Helper()
	pay, _ := order["payment"].(map[string]any)
	to, _ := pay["url"].(string)
	if !strings.HasPrefix(to, standIn) {
		j.t.Fatalf("the payment page %v is not the stand-in's at %s", pay, standIn)
	}
	var resp *http.Response
	var err error
	if pay["method"] == "GET" {
		resp, err = browser.Get(to)
	} else {
		fields := url.Values{}
		list, _ := pay["fields"].([]any)
		for _, f := range list {
			f := f.(map[string]any)
			fields.Add(f["name"].(string), f["value"].(string))
		}
		resp, err = browser.PostForm(to, fields)
	}
	if err != nil {
		j.t.Fatal(err)
	}
	action, form := j.form(resp)
	return standIn + action, form
}

// form reads the form of a stand-in's page (a decision, or the page that posts the browser on).
func (j *journey) form(resp *http.Response) (string, url.Values) {
	j.t.Helper()
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		j.t.Fatalf("%s: %d %s", resp.Request.URL, resp.StatusCode, body)
	}
	action, form, err := standinpage.ReadForm(string(body))
	if err != nil {
		j.t.Fatalf("%s: %v", resp.Request.URL, err)
	}
	return action, form
}

// back follows the provider's redirect of the browser to checkout's route, and returns
// where checkout sends the buyer on.
func (j *journey) back(resp *http.Response, err error) *url.URL {
	j.t.Helper()
	if err != nil {
		j.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		j.t.Fatalf("checkout's %s answered %d, want a redirect", resp.Request.URL.Path, resp.StatusCode)
	}
	u, _ := url.Parse(resp.Header.Get("Location"))
	return u
}

// payflowDecide decides on the Payflow page; the hosted page posts the browser on to
// checkout's return (or cancel) route, which sends it to the platform's page.
func (j *journey) payflowDecide(order map[string]any, standIn, decision string) *url.URL {
	j.t.Helper()
	action, form := j.page(order, standIn)
	form.Set("decision", decision)
	resp, err := browser.PostForm(action, form)
	if err != nil {
		j.t.Fatal(err)
	}
	to, posted := j.form(resp)
	return j.back(browser.PostForm(to, posted))
}

// cancelThenBuy orders with a one-use code, cancels on the provider's page (decide takes
// the buyer there, chooses, and returns where checkout sends the buyer on), sees the use
// come back by ordering again, approves that order, and sees it authorised and the code
// used up. It returns the authorised order's reference.
func (j *journey) cancelThenBuy(code string, decide func(order map[string]any, decision string) *url.URL) string {
	j.t.Helper()
	status, order := j.order(code)
	if status != 201 || order["state"] != "pending_payment" {
		j.t.Fatalf("order: %d %v", status, order)
	}
	ref := order["ref"].(string)
	if back := decide(order, standinpage.Cancel); back.Path != "/cancel" || back.Query().Get("order") != ref {
		j.t.Fatalf("cancelled: back to %s", back)
	}
	if s := j.state(ref); s != "cancelled" {
		j.t.Fatalf("after cancel: %s", s)
	}
	status, order = j.order(code)
	if status != 201 {
		j.t.Fatalf("the code after a cancel: %d %v", status, order)
	}
	ref = order["ref"].(string)
	if back := decide(order, standinpage.Approve); back.Path != "/done" || back.Query().Get("order") != ref {
		j.t.Fatalf("approved: back to %s", back)
	}
	if s := j.state(ref); s != "authorised" {
		j.t.Fatalf("after approval: %s", s)
	}
	j.oneBuyerMail(ref)
	if status, body := j.order(code); status != 409 {
		j.t.Errorf("the code's use after a sale: %d %v", status, body)
	}
	return ref
}

// admin posts an administrator's change of an order and returns the answer.
func (j *journey) admin(ref, change, body string) (int, map[string]any) {
	j.t.Helper()
	status, got, _ := j.call("POST", "/sites/acme/orders/"+ref+"/"+change, j.adminToken, body)
	return status, got
}

// captureAndVoid captures the sold order through the orders API (and again: safe to
// retry), then buys a second order without a code and voids it, and sees both in their
// history as the administrator's.
func (j *journey) captureAndVoid(sold string, decide func(order map[string]any, decision string) *url.URL) {
	j.t.Helper()
	for range 2 {
		if status, got := j.admin(sold, "capture", `{}`); status != 200 || got["state"] != "captured" || len(got["actions"].([]any)) != 0 {
			j.t.Fatalf("capture: %d %v", status, got)
		}
	}
	status, order := j.order("")
	if status != 201 {
		j.t.Fatalf("second order: %d %v", status, order)
	}
	ref := order["ref"].(string)
	decide(order, standinpage.Approve)
	status, got, _ := j.call("GET", "/sites/acme/orders/"+ref, j.adminToken, "")
	if status != 200 || got["state"] != "authorised" || !contains(got["actions"], "void") {
		j.t.Fatalf("the second order: %d %v", status, got)
	}
	if status, got := j.admin(ref, "void", `{"note":"seat released"}`); status != 200 || got["state"] != "voided" {
		j.t.Fatalf("void: %d %v", status, got)
	}
	if status, got := j.admin(ref, "capture", `{}`); status != 409 {
		j.t.Fatalf("capture of a voided order: %d %v", status, got)
	}
	_, got, _ = j.call("GET", "/sites/acme/orders/"+ref, j.adminToken, "")
	history := got["history"].([]any)
	last := history[len(history)-1].(map[string]any)
	if last["to"] != "voided" || !strings.HasPrefix(last["by"].(string), "admin:admin") || !strings.HasSuffix(last["note"].(string), "seat released") {
		j.t.Fatalf("the void in the history: %v", last)
	}
}

func contains(list any, want string) bool {
	items, _ := list.([]any)
	for _, it := range items {
		if it == want {
			return true
		}
	}
	return false
}

func TestPayflowJourney(t *testing.T) {
	for _, kind := range []string{"payflow_pro", "website_payments_pro_uk"} {
		t.Run(kind, func(t *testing.T) {
			j := newJourney(t)
			l := localenv.PayflowMerchant
			account, cards := "payflow_pro", `["visa"]`
			if kind == "website_payments_pro_uk" {
				account, cards = "website_payments_pro_payflow_edition", `["visa","mastercard"]`
			}
			j.setProvider(`{"kind":"` + kind + `","partnerId":"` + l.Partner + `","vendor":"` + l.Vendor + `","userId":"` + l.User +
				`","password":"` + l.Password + `","accountType":"` + account + `","cards":` + cards + `,"currency":"USD"}`)
			j.code("PFONCE")
			decide := func(order map[string]any, decision string) *url.URL {
				return j.payflowDecide(order, j.local.PayflowURL, decision)
			}
			sold := j.cancelThenBuy("PFONCE", decide)
			j.silentPostAuthorised(sold, "PFONCE")
			j.captureAndVoid(sold, decide)
		})
	}
}

// silentPostAuthorised checks the sold order was authorised by the Silent Post the stand-in
// posted to the webhooks route before the buyer came back (the return then changed
// nothing), that the same Silent Post four more times changes nothing, and that the code's
// use was confirmed once; then that an order whose buyer never comes back is authorised by
// its Silent Post alone.
func (j *journey) silentPostAuthorised(sold, code string) {
	j.t.Helper()
	history := j.orderHistory(sold)
	posts := j.local.Payflow.SilentPosts()
	if len(posts) != 1 || posts[0].URL != j.api+"/webhooks/acme/payflow" || len(posts[0].Deliveries) != 1 || posts[0].Deliveries[0] != 200 {
		j.t.Fatalf("Silent Posts: %+v", posts)
	}
	if len(history) != 2 || history[1]["by"] != "provider:payflow" || history[1]["notification"] != "payflow:"+posts[0].ID {
		j.t.Fatalf("the sale's history: %v", history)
	}
	for range 4 {
		if _, err := j.local.Payflow.ResendSilentPost(j.t.Context(), posts[0].ID); err != nil {
			j.t.Fatal(err)
		}
	}
	if s, h := j.state(sold), j.history(sold); s != "authorised" || h != len(history) {
		j.t.Errorf("the Silent Post five times: %s with %d entries, want authorised with %d", s, h, len(history))
	}
	if used := j.used(code); used != float64(1) {
		j.t.Errorf("code %s used %v times, want 1", code, used)
	}
	status, order := j.order("")
	if status != 201 {
		j.t.Fatalf("order: %d %v", status, order)
	}
	ref := order["ref"].(string)
	action, form := j.page(order, j.local.PayflowURL)
	form.Set("decision", standinpage.Approve)
	resp, err := browser.PostForm(action, form)
	if err != nil {
		j.t.Fatal(err)
	}
	j.form(resp) // the browser never follows the page on to the return route
	if s := j.state(ref); s != "authorised" {
		j.t.Errorf("without the buyer's return: %s", s)
	}
}

// orderHistory is the order's history as administrators see it.
func (j *journey) orderHistory(ref string) []map[string]any {
	j.t.Helper()
	_, got, _ := j.call("GET", "/sites/acme/orders/"+ref, j.adminToken, "")
	list, _ := got["history"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		out = append(out, e.(map[string]any))
	}
	return out
}

// used is how often the code was used, as the promotion code list shows it.
func (j *journey) used(code string) any {
	j.t.Helper()
	status, got, _ := j.call("GET", "/sites/acme/promo-codes", j.adminToken, "")
	if status != 200 {
		j.t.Fatalf("promo codes: %d %v", status, got)
	}
	for _, v := range got {
		list, _ := v.([]any)
		for _, row := range list {
			if r, _ := row.(map[string]any); r["code"] == code {
				usage, _ := r["usage"].(map[string]any)
				return usage["used"]
			}
		}
	}
	return nil
}

// A Silent Post after the buyer's return authorised the order is noted once, and changes
// nothing however often it comes (here it reaches the route only after the return: the
// stand-in hands it to the test, which posts it to the route itself).
func TestPayflowSilentPostAfterTheReturn(t *testing.T) {
	j := newJourney(t)
	held := make(chan url.Values, 1)
	j.local.Payflow.SilentPost = func(_ context.Context, _ string, fields url.Values) { held <- fields }
	l := localenv.PayflowMerchant
	j.setProvider(`{"kind":"payflow_pro","partnerId":"` + l.Partner + `","vendor":"` + l.Vendor + `","userId":"` + l.User +
		`","password":"` + l.Password + `","accountType":"payflow_pro","cards":["visa"],"currency":"USD"}`)
	j.code("PFLATE")
	status, order := j.order("PFLATE")
	if status != 201 {
		t.Fatalf("order: %d %v", status, order)
	}
	ref := order["ref"].(string)
	if back := j.payflowDecide(order, j.local.PayflowURL, standinpage.Approve); back.Query().Get("order") != ref || j.state(ref) != "authorised" {
		t.Fatalf("the buyer's return: %s, order %s", back, j.state(ref))
	}
	silent := <-held
	entries := j.history(ref)
	for i, want := range []string{"noted", "duplicate", "duplicate", "duplicate", "duplicate"} {
		resp, err := browser.PostForm(j.api+"/webhooks/acme/payflow", silent)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"outcome":"`+want+`"`) {
			t.Errorf("Silent Post %d: %d %s, want %s", i+1, resp.StatusCode, body, want)
		}
	}
	if s, h := j.state(ref), j.history(ref); s != "authorised" || h != entries+1 {
		t.Errorf("after the Silent Posts: %s with %d entries, want authorised with %d", s, h, entries+1)
	}
	if used := j.used("PFLATE"); used != float64(1) {
		t.Errorf("code used %v times, want 1", used)
	}
}

func TestExpressCheckoutJourney(t *testing.T) {
	j := newJourney(t)
	if granted, html := grantExpressCheckout(t, j.call, j.adminToken); granted.StatusCode != 200 {
		t.Fatalf("grant: %d %s", granted.StatusCode, html)
	}
	// The merchant's PayPal account names no IPN URL: each transaction's NOTIFYURL (acme's
	// IPN route, which checkout sent with SetExpressCheckout) is where its IPNs go. The
	// platform's REST listener is acme's REST route.
	notify := localenv.PayPalNotify(j.local.PayPalURL, j.api, "acme")
	notify.ReceiverEmail, notify.IPNURL = "pay@acme.example", ""
	j.local.PayPal.SetNotify(notify)
	j.code("ECONCE")
	standIn := j.local.PayPalURL
	decide := func(order map[string]any, decision string) *url.URL {
		action, form := j.page(order, standIn)
		form.Set("decision", decision)
		resp, err := browser.PostForm(action, form)
		toCheckout := j.back(resp, err) // PayPal redirects the browser to checkout's route
		back := j.back(browser.Get(toCheckout.String()))
		if decision == standinpage.Approve {
			// Both notifications of the authorisation have arrived before the journey goes on.
			j.deliveredIPN(order["ref"].(string), "Pending")
			j.deliveredEvent(order["ref"].(string), "PAYMENT.AUTHORIZATION.CREATED")
		}
		return back
	}
	sold := j.cancelThenBuy("ECONCE", decide)
	authorised := j.deliveredIPN(sold, "Pending")
	before := j.ipnHistory(sold)
	// The IPN authorised the order, or came after the buyer's return did and is noted.
	if id, _ := before[0]["notification"].(string); len(before) != 1 || !strings.HasPrefix(id, "ipn:") || !strings.HasSuffix(id, ":Pending") {
		t.Fatalf("the authorisation IPN in the history: %v", before)
	}
	resp, err := http.Post(j.local.PayPalURL+"/_standin/notifications/"+authorised.ID+"/resend", "application/json", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("resend: %v %v", resp, err)
	}
	resp.Body.Close()
	if after := j.ipnHistory(sold); len(after) != 1 || j.state(sold) != "authorised" {
		t.Fatalf("after the resend: %v", after)
	}
	j.oneBuyerMail(sold)
	j.captureAndVoid(sold, decide)
	// DoCapture's IPN and PAYMENT.CAPTURE.COMPLETED event: the capture the administrator
	// made, applied by the first to come or (after the administrator's own record of it)
	// noted, each once.
	captured := j.deliveredIPN(sold, "Completed")
	j.deliveredEvent(sold, "PAYMENT.CAPTURE.COMPLETED")
	if got := j.ipnHistory(sold); len(got) != 2 || !strings.HasSuffix(got[1]["notification"].(string), ":Completed") || j.state(sold) != "captured" {
		t.Fatalf("the capture's IPN in the history: %v", got)
	}
	// The authorisation's and the capture's REST events were verified (the stand-in's CA
	// and cert URL by configuration) and recorded.
	if got := j.historyBy(sold, "provider:paypal_rest"); len(got) != 2 || !strings.HasPrefix(got[0]["notification"].(string), "rest:WH-") ||
		!strings.HasPrefix(got[1]["notification"].(string), "rest:WH-") || got[1]["to"] != "captured" {
		t.Fatalf("the authorisation's and the capture's events in the history: %v", got)
	}
	// PayPal reports a full refund of the capture: the order is refunded and the code's one
	// use given back, once (the Refunded IPN applies it, the REFUNDED event, the same refund, is noted as counted already).
	capture, err := ipn.Parse(captured.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Post(j.local.PayPalURL+"/_standin/captures/"+capture.TxnID+"/refund", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("refund: %v %v", resp, err)
	}
	resp.Body.Close()
	if got := j.ipnHistory(sold); len(got) != 3 || !strings.HasSuffix(got[2]["notification"].(string), ":Refunded") || j.state(sold) != "refunded" {
		t.Fatalf("the refund's IPN in the history: %v", got)
	}
	j.deliveredEvent(sold, "PAYMENT.CAPTURE.REFUNDED")
	if got := j.historyBy(sold, "provider:paypal_rest"); len(got) != 3 || !strings.Contains(got[2]["note"].(string), "counted already") {
		t.Fatalf("the refund's event in the history: %v", got)
	}
	if status, body := j.order("ECONCE"); status != 201 {
		t.Fatalf("the code after the refund: %d %v", status, body)
	}
}

// deliveredIPN waits for the PayPal stand-in's IPN of order ref with payment_status status
// to be delivered (it notifies in the background after the payment and the capture, as
// PayPal does) and answered 200.
func (j *journey) deliveredIPN(ref, status string) paypalstandin.Notification {
	j.t.Helper()
	return j.delivered(paypalstandin.KindIPN, "invoice="+ref, "payment_status="+status)
}

// deliveredEvent waits for the PayPal stand-in's REST event of type eventType about order
// ref to be delivered and answered 200.
func (j *journey) deliveredEvent(ref, eventType string) paypalstandin.Notification {
	j.t.Helper()
	return j.delivered(paypalstandin.KindWebhook, `"`+ref+`"`, `"event_type":"`+eventType+`"`)
}

func (j *journey) delivered(kind string, holding ...string) paypalstandin.Notification {
	j.t.Helper()
	for {
		for _, n := range j.local.PayPal.Notifications() {
			body := string(n.Body)
			if n.Kind == kind && len(n.Deliveries) > 0 && !slices.ContainsFunc(holding, func(h string) bool { return !strings.Contains(body, h) }) {
				if n.Deliveries[0] != 200 {
					j.t.Fatalf("the %s holding %q was answered %v", kind, holding, n.Deliveries)
				}
				return n
			}
		}
		time.Sleep(10 * time.Millisecond) // the delivery is on its way
	}
}

// ipnHistory is the order's history entries caused by an IPN.
func (j *journey) ipnHistory(ref string) []map[string]any {
	j.t.Helper()
	return j.historyBy(ref, "provider:paypal_ipn")
}

// historyBy is the order's history entries made by by.
func (j *journey) historyBy(ref, by string) []map[string]any {
	j.t.Helper()
	status, got, _ := j.call("GET", "/sites/acme/orders/"+ref, j.adminToken, "")
	if status != 200 {
		j.t.Fatalf("order: %d %v", status, got)
	}
	var out []map[string]any
	for _, e := range got["history"].([]any) {
		if e := e.(map[string]any); e["by"] == by {
			out = append(out, e)
		}
	}
	return out
}

// TestExpressCheckoutWithoutPermission: an order for a merchant who has not granted the
// permission is refused with a clear conflict, and its code use comes back.
func TestExpressCheckoutWithoutPermission(t *testing.T) {
	j := newJourney(t)
	j.setProvider(`{"kind":"express_checkout_us","paypalEmail":"pay@acme.example"}`)
	j.code("NOGRANT")
	status, body := j.order("NOGRANT")
	e, _ := body["error"].(map[string]any)
	if status != 409 || e["code"] != "conflict" || !strings.Contains(e["message"].(string), "permission") {
		t.Fatalf("order without the permission: %d %v", status, body)
	}
	grantExpressCheckout(t, j.call, j.adminToken)
	if status, body := j.order("NOGRANT"); status != 201 {
		t.Errorf("the code once granted: %d %v", status, body)
	}
}

// TestWorldPayJourney goes as far as WorldPay's payment page: the signed purchase form is
// accepted by (the stand-in of) WorldPay, and the order waits for the payment response
// (the webhooks function's, which is not built yet: so no WorldPay order is authorised
// here, and its capture through remote administration is tested in the pages package
// against the stand-in). The setup has remote administration; a pending order has
// nothing to capture.
func TestWorldPayJourney(t *testing.T) {
	j := newJourney(t)
	w, ra := localenv.WorldPayInstallation, localenv.WorldPayRemoteAdmin
	j.setProvider(`{"kind":"worldpay","installationId":"` + w.ID + `","callbackPassword":"` + w.CallbackPassword +
		`","md5Secret":"` + w.MD5Secret + `","remoteAdminInstallationId":"` + ra.ID + `","remoteAdminPassword":"` + ra.Password + `","currency":"USD"}`)
	if status, got, _ := j.call("GET", "/sites/acme/providers/events", j.adminToken, ""); status != 200 ||
		got["provider"].(map[string]any)["remoteAdminInstallationId"] != ra.ID {
		t.Fatalf("provider: %d %v", status, got)
	}
	status, order := j.order("")
	if status != 201 || order["state"] != "pending_payment" {
		t.Fatalf("order: %d %v", status, order)
	}
	ref := order["ref"].(string)
	if status, got := j.admin(ref, "capture", `{}`); status != 409 || !strings.Contains(got["error"].(map[string]any)["message"].(string), "pending_payment") {
		t.Errorf("capture of a pending order: %d %v", status, got)
	}
	// Approved: WorldPay posts the payment response to the order's MC_callback, and the
	// buyer sees the webhook's page, which links back to the platform's return page.
	if page := j.worldPayDecide(order, standinpage.Approve); !strings.Contains(page, `href="http://127.0.0.1:8080/done?order=`+ref+`"`) {
		t.Fatalf("after approval the buyer sees %s", page)
	}
	if s := j.state(ref); s != "authorised" {
		t.Fatalf("after approval: %s", s)
	}
	j.oneBuyerMail(ref)
	if status, got := j.admin(ref, "capture", `{}`); status != 200 || got["state"] != "captured" {
		t.Fatalf("capture through remote administration: %d %v", status, got)
	}
	history := j.history(ref)
	sent := j.local.WorldPay.Responses()
	if len(sent) != 1 || sent[0].URL != j.api+"/webhooks/acme/worldpay" {
		t.Fatalf("payment responses: %+v", sent)
	}
	if _, err := j.local.WorldPay.Resend(t.Context(), sent[0].ID); err != nil {
		t.Fatal(err)
	}
	if s, h := j.state(ref), j.history(ref); s != "captured" || h != history {
		t.Errorf("a resend changed the order: %s, %d entries (was %d)", s, h, history)
	}
	// A forged response (the genuine one with another callback password) changes nothing,
	// and the buyer is shown no link.
	forged, err := url.ParseQuery(string(sent[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	forged.Set("callbackPW", "guessed")
	resp, err := browser.PostForm(j.api+"/webhooks/acme/worldpay", forged)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Contains(string(body), "href=") || j.state(ref) != "captured" || j.history(ref) != history+1 {
		t.Errorf("a forged response: %d %s; order %s with %d entries", resp.StatusCode, body, j.state(ref), j.history(ref))
	}
	// Cancelled on WorldPay's page: the order is cancelled and its code use comes back.
	j.code("WPCANCEL")
	status, order = j.order("WPCANCEL")
	if status != 201 {
		t.Fatalf("order with a code: %d %v", status, order)
	}
	second := order["ref"].(string)
	if page := j.worldPayDecide(order, standinpage.Cancel); !strings.Contains(page, `href="http://127.0.0.1:8080/cancel?order=`+second+`"`) {
		t.Fatalf("after cancelling the buyer sees %s", page)
	}
	if s := j.state(second); s != "cancelled" {
		t.Fatalf("after cancel: %s", s)
	}
	if status, got := j.order("WPCANCEL"); status != 201 {
		t.Errorf("the code after a cancel: %d %v", status, got)
	}
}

// worldPayDecide decides on WorldPay's page and returns the page the buyer is shown then:
// the one the payment response's callback answered.
func (j *journey) worldPayDecide(order map[string]any, decision string) string {
	j.t.Helper()
	action, form := j.page(order, j.local.WorldPayURL)
	form.Set("decision", decision)
	resp, err := browser.PostForm(action, form)
	if err != nil {
		j.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return string(body)
}

// history is how many entries the order's history has, as administrators see it.
func (j *journey) history(ref string) int {
	j.t.Helper()
	status, got, _ := j.call("GET", "/sites/acme/orders/"+ref, j.adminToken, "")
	if status != 200 {
		j.t.Fatalf("get order: %d %v", status, got)
	}
	h, _ := got["history"].([]any)
	return len(h)
}
