package worldpay_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	standin "github.com/boxofficehq/boxoffice/infra/worldpay"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/worldpay"
)

const md5Secret = "Sup3r-Secret-Key-123!"

var admin = worldpay.RemoteAdmin{InstallationID: "211617", Password: "Zq9-remote-pw"}

type rig struct {
	t         *testing.T
	client    *worldpay.Client
	url       string
	logs      *bytes.Buffer
	responses chan url.Values
	targets   chan string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	srv := standin.NewServer(
		[]standin.Installation{
			{ID: "211616", MD5Secret: md5Secret, CallbackURL: "https://api.example/webhooks/worldpay", CallbackPassword: "cb-pw"},
			{ID: "300000", CallbackURL: "https://api.example/webhooks/worldpay", CallbackPassword: "cb-pw-2"},
		},
		[]standin.RemoteAdmin{{ID: admin.InstallationID, Password: admin.Password, For: "211616"}})
	r := &rig{t: t, logs: &bytes.Buffer{}, responses: make(chan url.Values, 4), targets: make(chan string, 4)}
	srv.PaymentResponse = func(_ context.Context, to string, f url.Values) { r.targets <- to; r.responses <- f }
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	r.url = hs.URL
	ep := worldpay.Endpoints{Purchase: hs.URL + "/wcc/purchase", Admin: hs.URL + "/wcc/itransaction"}
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := worldpay.NewClient(hs.Client(), map[provider.Env]worldpay.Endpoints{provider.Sandbox: ep, provider.Live: ep}, log)
	if err != nil {
		t.Fatal(err)
	}
	r.client = c
	return r
}

func order(cart string) worldpay.Purchase {
	return worldpay.Purchase{InstallationID: "211616", CartID: cart, Amount: 1234, Currency: "GBP", Description: "Workshop",
		BuyerName: "Ada", BuyerEmail: "ada@example.com", MD5Secret: md5Secret}
}

// submit posts the purchase form as the browser does and returns the page's status and body.
func submit(t *testing.T, page paymentpage.Redirect) (int, string) {
	t.Helper()
	form := url.Values{}
	for _, f := range page.Fields {
		form.Add(f.Name, f.Value)
	}
	resp, err := http.PostForm(page.URL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// decide presses decision on the payment page and returns what the buyer sees.
func (r *rig) decide(page, decision string) string {
	r.t.Helper()
	action, fields, err := standinpage.ReadForm(page)
	if err != nil {
		r.t.Fatal(err)
	}
	fields.Set("decision", decision)
	resp, err := http.PostForm(r.url+action, fields)
	if err != nil || resp.StatusCode != http.StatusOK {
		r.t.Fatalf("decision: %v %v", resp, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestSignatureVectors(t *testing.T) {
	// md5sum of "<secret>:<instId>:<amount>:<currency>:<cartId>", computed with coreutils.
	if got := worldpay.Signature(md5Secret, "211616", "12.34", "GBP", "ORD-42"); got != "415b09ebd1b2113552b7a5c5711d5723" {
		t.Errorf("GBP signature = %s", got)
	}
	r := newRig(t)
	jpy := order("ORD-43")
	jpy.Currency = "JPY"
	page, err := r.client.PurchasePage(provider.Sandbox, jpy)
	if err != nil {
		t.Fatal(err)
	}
	if page.Value("amount") != "1234" || page.Value("signature") != "35f1737336bd963501d029c3b89974e9" ||
		page.Value("signatureFields") != "instId:amount:currency:cartId" {
		t.Errorf("JPY page = %+v", page)
	}
}

func TestApproveThenCapture(t *testing.T) {
	r := newRig(t)
	page, err := r.client.PurchasePage(provider.Sandbox, order("ORD-42"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"instId": "211616", "cartId": "ORD-42", "amount": "12.34", "currency": "GBP", "testMode": "100", "authMode": "E", "signature": "415b09ebd1b2113552b7a5c5711d5723"} {
		if page.Value(name) != want {
			t.Errorf("%s = %q, want %q", name, page.Value(name), want)
		}
	}
	status, body := submit(t, page)
	if status != http.StatusOK {
		t.Fatalf("payment page: %d %s", status, body)
	}
	seen := r.decide(body, standinpage.Approve)
	if !strings.Contains(seen, "successful") {
		t.Errorf("the buyer sees %s", seen)
	}
	if to := <-r.targets; to != "https://api.example/webhooks/worldpay" {
		t.Errorf("payment response posted to %s", to)
	}
	resp, err := worldpay.ParsePaymentResponse(<-r.responses)
	if err != nil || resp.Status != "Y" || resp.CartID != "ORD-42" || resp.Amount != 1234 || resp.AuthMode != "E" || !resp.TestMode {
		t.Fatalf("payment response = %+v, %v", resp, err)
	}
	if resp.Authenticate("cb-pw") != nil || resp.Authenticate("guess") == nil {
		t.Error("the callback password does not authenticate the response")
	}
	ctx := context.Background()
	wrong := admin
	wrong.Password = "guess"
	if err := r.client.Capture(ctx, provider.Sandbox, wrong, resp.TransID); !refused(err) {
		t.Errorf("wrong password: %v", err)
	}
	if err := r.client.Capture(ctx, provider.Sandbox, admin, resp.TransID); err != nil {
		t.Fatal(err)
	}
	if err := r.client.Capture(ctx, provider.Sandbox, admin, resp.TransID); !refused(err) {
		t.Errorf("captured twice: %v", err)
	}
	if strings.Contains(r.logs.String(), admin.Password) || !strings.Contains(r.logs.String(), "worldpay remote admin") {
		t.Errorf("debug log leaks the password or logs nothing:\n%s", r.logs)
	}
}

func refused(err error) bool {
	_, ok := paymentpage.IsRefused(err)
	return ok
}

func TestDeclineAndCancel(t *testing.T) {
	r := newRig(t)
	page, _ := r.client.PurchasePage(provider.Sandbox, order("ORD-44"))
	_, body := submit(t, page)
	if seen := r.decide(body, standinpage.Decline); !strings.Contains(seen, "declined") {
		t.Errorf("declined: the buyer sees %s", seen)
	}
	select {
	case f := <-r.responses:
		t.Fatalf("a decline sent a payment response: %v", f)
	default:
	}
	// The buyer tries again and cancels: WorldPay reports C.
	if seen := r.decide(body, standinpage.Cancel); !strings.Contains(seen, "cancelled") {
		t.Errorf("cancelled: the buyer sees %s", seen)
	}
	<-r.targets
	resp, err := worldpay.ParsePaymentResponse(<-r.responses)
	if err != nil || resp.Status != "C" || resp.CartID != "ORD-44" {
		t.Errorf("cancel response = %+v, %v", resp, err)
	}
}

func TestPurchaseRefusals(t *testing.T) {
	r := newRig(t)
	for name, change := range map[string]func(*worldpay.Purchase){
		"unsigned":             func(p *worldpay.Purchase) { p.MD5Secret = "" },
		"wrong secret":         func(p *worldpay.Purchase) { p.MD5Secret = "another-secret-value-1!" },
		"unknown installation": func(p *worldpay.Purchase) { p.InstallationID = "999999" },
	} {
		p := order("ORD-45")
		change(&p)
		page, err := r.client.PurchasePage(provider.Sandbox, p)
		if err != nil {
			t.Fatal(err)
		}
		if status, body := submit(t, page); status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	// A tampered amount breaks the signature.
	page, _ := r.client.PurchasePage(provider.Sandbox, order("ORD-46"))
	for i := range page.Fields {
		if page.Fields[i].Name == "amount" {
			page.Fields[i].Value = "0.01"
		}
	}
	if status, _ := submit(t, page); status != http.StatusBadRequest {
		t.Errorf("tampered amount: %d", status)
	}
	// An installation without an MD5 secret takes unsigned orders.
	plain := order("ORD-47")
	plain.InstallationID, plain.MD5Secret = "300000", ""
	page, _ = r.client.PurchasePage(provider.Live, plain)
	if page.Value("signature") != "" || page.Value("testMode") != "0" {
		t.Errorf("live unsigned page = %+v", page)
	}
	if status, body := submit(t, page); status != http.StatusOK {
		t.Errorf("unsigned order: %d %s", status, body)
	}
	if _, err := r.client.PurchasePage(provider.Sandbox, worldpay.Purchase{InstallationID: "x", CartID: "c", Amount: 1, Currency: "GBP"}); err == nil {
		t.Error("a non-numeric installation ID was accepted")
	}
	if worldpay.Hosts[provider.Sandbox].Purchase != "https://secure-test.worldpay.com/wcc/purchase" {
		t.Errorf("hosts = %+v", worldpay.Hosts)
	}
}
