package paypal

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/restwebhook"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// TestNotifyAuthorisationOverTheAPI: after a payment, the API under /_standin/ sends an
// IPN and a signed event that PayPal's verifiers accept, and resends each on request.
func TestNotifyAuthorisationOverTheAPI(t *testing.T) {
	s := NewServer(paypal.Credentials{})
	hs := httptest.NewServer(s)
	defer hs.Close()
	type delivery struct {
		header http.Header
		body   []byte
	}
	ipns, events := make(chan delivery, 4), make(chan delivery, 4)
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		map[string]chan delivery{"/ipn": ipns, "/events": events}[r.URL.Path] <- delivery{r.Header, b}
	}))
	defer listener.Close()
	s.SetNotify(NotifyConfig{BaseURL: hs.URL, IPNURL: listener.URL + "/ipn", WebhookURL: listener.URL + "/events", WebhookID: "WH-ID-1", ReceiverEmail: "merchant@shop.example"})
	// A payment as DoExpressCheckoutPayment leaves it.
	s.mu.Lock()
	s.auths["AUTH1"] = &authorisation{amount: 2500, currency: "USD", state: "Pending"}
	s.checkouts["EC-1"] = &checkout{invoice: "ORD-7", authorisation: "AUTH1"}
	s.mu.Unlock()

	resp, err := http.Post(hs.URL+"/_standin/authorisations/AUTH1/notify", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("notify: %v %v", resp, err)
	}
	var sent struct{ Sent []Notification }
	_ = json.NewDecoder(resp.Body).Decode(&sent)
	resp.Body.Close()
	if len(sent.Sent) != 2 {
		t.Fatalf("sent %+v", sent)
	}

	got := <-ipns
	m, err := ipn.Parse(got.body)
	if err != nil || m.AuthID != "AUTH1" || m.Gross != (ipn.Amount{Minor: 2500, Currency: "USD"}) || m.Invoice != "ORD-7" ||
		m.FirstName != buyerFirstName || m.LastName != buyerLastName || m.ReceiverEmail != "merchant@shop.example" {
		t.Fatalf("IPN %+v, %v", m, err)
	}
	v, _ := ipn.NewVerifier(hs.Client(), map[provider.Env]string{provider.Sandbox: hs.URL + "/cgi-bin/webscr", provider.Live: hs.URL + "/nowhere"}, 0, nil)
	if env, err := v.Verify(context.Background(), m); err != nil || env != provider.Sandbox {
		t.Errorf("IPN verification: %q, %v", env, err)
	}

	ev := <-events
	rv := restVerifier(t, hs)
	h, err := restwebhook.ReadHeaders(ev.header)
	if err != nil {
		t.Fatal(err)
	}
	if err := rv.Verify(context.Background(), h, ev.body, "WH-ID-1"); err != nil {
		t.Errorf("event verification: %v", err)
	}
	e, err := restwebhook.ParseEvent(ev.body)
	if err != nil || e.Type != restwebhook.AuthorizationCreated || e.Resource.ID != "AUTH1" || e.Resource.Invoice != "ORD-7" || e.Resource.Amount.Minor != 2500 {
		t.Errorf("event %+v, %v", e, err)
	}

	for _, n := range sent.Sent {
		resp, err := http.Post(hs.URL+"/_standin/notifications/"+n.ID+"/resend", "", nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("resend %s: %v %v", n.ID, resp, err)
		}
	}
	if again := <-ipns; string(again.body) != string(got.body) {
		t.Errorf("IPN resent as %q", again.body)
	}
	if again := <-events; string(again.body) != string(ev.body) || again.header.Get(restwebhook.HeaderTransmissionID) == h.TransmissionID {
		t.Errorf("event resent as the same transmission or another body")
	}
	for path, want := range map[string]int{"/_standin/authorisations/NONE/notify": 404, "/_standin/notifications/NONE/resend": 404} {
		if resp, err := http.Post(hs.URL+path, "", nil); err != nil || resp.StatusCode != want {
			t.Errorf("%s: %v %v", path, resp, err)
		}
	}
}

// restVerifier is PayPal's REST event verifier trusting the stand-in's CA.
func restVerifier(t *testing.T, hs *httptest.Server) *restwebhook.Verifier {
	t.Helper()
	ca, err := http.Get(hs.URL + "/_standin/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := io.ReadAll(ca.Body)
	ca.Body.Close()
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	rv, err := restwebhook.NewVerifier(hs.Client(), restwebhook.Config{CertURLPrefixes: []string{hs.URL + "/_standin/certs/"}, Roots: roots}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rv
}

// delivery is one notification a listener received.
type delivery struct {
	path   string
	header http.Header
	body   []byte
}

// newNotifying is a stand-in served over HTTP and a listener passing on what it receives.
func newNotifying(t *testing.T) (*Server, *httptest.Server, *httptest.Server, chan delivery) {
	t.Helper()
	s := NewServer(paypal.Credentials{})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	got := make(chan delivery, 8)
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- delivery{r.URL.Path, r.Header, b}
	}))
	t.Cleanup(listener.Close)
	return s, hs, listener, got
}

// A capture's notifications: the Completed IPN to the transaction's notify URL and a
// signed PAYMENT.CAPTURE.COMPLETED event naming the capture, its authorisation and the
// order, which PayPal's verifier accepts.
func TestNotifyCapture(t *testing.T) {
	s, hs, listener, got := newNotifying(t)
	s.SetNotify(NotifyConfig{BaseURL: hs.URL, IPNURL: listener.URL + "/configured", WebhookURL: listener.URL + "/events", WebhookID: "WH-ID-1", ReceiverEmail: "merchant@shop.example"})
	s.mu.Lock()
	s.auths["AUTH1"] = &authorisation{amount: 2500, currency: "USD", state: "Completed"}
	s.checkouts["EC-1"] = &checkout{invoice: "ORD-7", authorisation: "AUTH1", notifyURL: listener.URL + "/ipn/ORD-7"}
	s.mu.Unlock()

	sent, err := s.NotifyCapture(context.Background(), "AUTH1", "CAP1", "25.00")
	if err != nil || len(sent) != 2 || sent[0].Kind != KindIPN || sent[1].Kind != KindWebhook {
		t.Fatalf("sent %+v, %v", sent, err)
	}
	ipnDelivery, eventDelivery := <-got, <-got
	m, err := ipn.Parse(ipnDelivery.body)
	if err != nil || ipnDelivery.path != "/ipn/ORD-7" || m.PaymentStatus != "Completed" || m.TxnID != "CAP1" || m.ParentTxnID != "AUTH1" || m.Invoice != "ORD-7" {
		t.Errorf("the capture's IPN to %s: %+v, %v", ipnDelivery.path, m, err)
	}
	h, err := restwebhook.ReadHeaders(eventDelivery.header)
	if err != nil {
		t.Fatal(err)
	}
	if err := restVerifier(t, hs).Verify(context.Background(), h, eventDelivery.body, "WH-ID-1"); err != nil {
		t.Errorf("event verification: %v", err)
	}
	ev, err := restwebhook.ParseEvent(eventDelivery.body)
	if err != nil || eventDelivery.path != "/events" || ev.Type != restwebhook.CaptureCompleted || ev.Resource.ID != "CAP1" ||
		ev.Resource.Parents.Authorization != "AUTH1" || ev.Resource.Invoice != "ORD-7" || ev.Resource.Amount != (restwebhook.Amount{Minor: 2500, Currency: "USD"}) {
		t.Errorf("the capture's event: %+v, %v", ev, err)
	}
	if _, err := s.NotifyCapture(context.Background(), "NONE", "CAP2", "1.00"); err == nil {
		t.Error("an unknown authorisation's capture was notified")
	}
}

// A refund over the API: the Refunded IPN goes to the transaction's own NOTIFYURL (not the
// configured IPN URL) and the PAYMENT.CAPTURE.REFUNDED event to the listener, both naming
// the capture; a second refund takes what is left; more than that is refused.
func TestRefundOverTheAPI(t *testing.T) {
	s, hs, listener, got := newNotifying(t)
	s.SetNotify(NotifyConfig{BaseURL: hs.URL, IPNURL: listener.URL + "/configured", WebhookURL: listener.URL + "/events", WebhookID: "WH-ID-1", ReceiverEmail: "merchant@shop.example"})
	s.mu.Lock()
	s.checkouts["EC-1"] = &checkout{invoice: "ORD-7", authorisation: "AUTH1", notifyURL: listener.URL + "/ipn/ORD-7"}
	s.captures["CAP1"] = &capture{authorisation: "AUTH1", amount: 2500, currency: "USD"}
	s.mu.Unlock()

	refund := func(query string) int {
		resp, err := http.Post(hs.URL+"/_standin/captures/CAP1/refund"+query, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := refund("?amount=10.00"); status != http.StatusOK {
		t.Fatalf("refund: %d", status)
	}
	ipnDelivery, eventDelivery := <-got, <-got
	m, err := ipn.Parse(ipnDelivery.body)
	if err != nil || ipnDelivery.path != "/ipn/ORD-7" || m.PaymentStatus != "Refunded" || m.ParentTxnID != "CAP1" || m.Invoice != "ORD-7" ||
		m.Gross != (ipn.Amount{Minor: -1000, Currency: "USD"}) || m.TxnID == "" || m.TxnType != "" {
		t.Errorf("the refund's IPN to %s: %+v, %v", ipnDelivery.path, m, err)
	}
	ev, err := restwebhook.ParseEvent(eventDelivery.body)
	if err != nil || eventDelivery.path != "/events" || ev.Type != restwebhook.CaptureRefunded || ev.Resource.Parents.Capture != "CAP1" ||
		ev.Resource.Invoice != "ORD-7" || ev.Resource.Amount != (restwebhook.Amount{Minor: 1000, Currency: "USD"}) || ev.Resource.ID != m.TxnID {
		t.Errorf("the refund's event: %+v, %v", ev, err)
	}
	if status := refund(""); status != http.StatusOK {
		t.Fatalf("the rest: %d", status)
	}
	if m, _ := ipn.Parse((<-got).body); m.Gross.Minor != -1500 {
		t.Errorf("the second refund: %+v", m)
	}
	<-got
	for query, want := range map[string]int{"": http.StatusConflict, "?amount=0.01": http.StatusConflict, "?amount=1.5": http.StatusBadRequest} {
		if status := refund(query); status != want {
			t.Errorf("refund%s: %d, want %d", query, status, want)
		}
	}
	if resp, err := http.Post(hs.URL+"/_standin/captures/NONE/refund", "", nil); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown capture: %v %v", resp, err)
	}
}
