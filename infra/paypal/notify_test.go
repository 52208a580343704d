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
	roots := x509.NewCertPool()
	ca, _ := http.Get(hs.URL + "/_standin/ca.pem")
	caPEM, _ := io.ReadAll(ca.Body)
	ca.Body.Close()
	roots.AppendCertsFromPEM(caPEM)
	rv, _ := restwebhook.NewVerifier(hs.Client(), restwebhook.Config{CertURLPrefixes: []string{hs.URL + "/_standin/certs/"}, Roots: roots}, nil)
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
