package restwebhook_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	standin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/restwebhook"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// paypalHost serves the Java SDK's certificate chain over HTTPS at its real cert URL: the
// client dials the local server whatever host it asks for.
func paypalHost(t *testing.T, fetches *atomic.Int32) *http.Client {
	t.Helper()
	chain := read(t, "java-sdk-cert-chain.pem")
	hs := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "api.sandbox.paypal.com" || r.URL.Path != "/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270" {
			http.NotFound(w, r)
			return
		}
		fetches.Add(1)
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(chain)
	}))
	t.Cleanup(hs.Close)
	tr := hs.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.ServerName = "example.com" // the test server's certificate name
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, hs.Listener.Addr().String())
	}
	return &http.Client{Transport: tr}
}

var javaHeaders = http.Header{
	"Paypal-Cert-Url":          {"https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270"},
	"Paypal-Transmission-Id":   {"afa30d40-ca4a-11e9-ab68-7d4e2605c70c"},
	"Paypal-Transmission-Time": {"2019-08-29T10:49:33Z"},
	"Paypal-Auth-Algo":         {"SHA256withRSA"},
	"Paypal-Transmission-Sig":  {"K7DF5+hOyGS6v0xTZ9PkEO+BFNQmpryxw2hFlXbHgmxpu+883ldEC9HcL6ccEmB8sfy80y/Q3qcZZL1MR8Qi0e1ysylVj/yROgKK6zBsQPoNmgXC8yTiNoAjULuhk5Aoau0Itk3nrkgAfji1zvADlErMFM9VZe2nDvhM3nDMLjCi/K5fRjWp3eGo6Nx17GX/WIEibeKDyS+YdJMex3i+KO4aWmm9zznC/FJ5Y/ntd0MxOJNrM0r0f3y7c3e3sO5pB3oPgN6KzKVS5P6AWHqtS8acD3DjgCKZ1uqKz7q954G1aBz2/m0wRGOFFsv0/D3FE2uIheRRmoQtVSOAX7Aupg=="},
}

const javaWebhookID = "0FV983392A0531201"

func TestRealPayPalSample(t *testing.T) {
	var fetches atomic.Int32
	hc := paypalHost(t, &fetches)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(read(t, "digicert-high-assurance-ev-root.pem")) {
		t.Fatal("no root")
	}
	at := time.Date(2019, 8, 29, 10, 51, 0, 0, time.UTC)
	newVerifier := func(now time.Time, tolerance time.Duration) *restwebhook.Verifier {
		v, err := restwebhook.NewVerifier(hc, restwebhook.Config{Roots: roots, Now: func() time.Time { return now }, Tolerance: tolerance}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	body := read(t, "java-sdk-event.json")
	h, err := restwebhook.ReadHeaders(javaHeaders)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	v := newVerifier(at, 0)
	if err := v.Verify(ctx, h, body, javaWebhookID); err != nil {
		t.Fatalf("PayPal's own delivery: %v", err)
	}
	ev, err := restwebhook.ParseEvent(body)
	if err != nil || ev.ID != "WH-7MU294299R542214K-4N1831857K851783H" || ev.Type != "PAYMENTS.PAYMENT.CREATED" || ev.Resource.ID != "PAYID-LVT22VY7N839502VJ678725M" {
		t.Errorf("event = %+v, %v", ev, err)
	}
	tampered := []byte(strings.Replace(string(body), `"30.11"`, `"30.12"`, 1))
	for name, c := range map[string]struct {
		v         *restwebhook.Verifier
		body      []byte
		webhookID string
	}{
		"one byte of the body":    {v, tampered, javaWebhookID},
		"another listener's ID":   {v, body, "0FV983392A0531202"},
		"delivered now, not then": {newVerifier(time.Now(), 0), body, javaWebhookID},
		"after the cert's expiry": {newVerifier(time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC), 3*365*24*time.Hour), body, javaWebhookID},
	} {
		if err := c.v.Verify(ctx, h, c.body, c.webhookID); !errors.Is(err, restwebhook.ErrUnverified) {
			t.Errorf("%s: %v, want unverified", name, err)
		}
	}
	// Without the DigiCert root the same chain is nobody's.
	untrusted, _ := restwebhook.NewVerifier(hc, restwebhook.Config{Roots: x509.NewCertPool(), Now: func() time.Time { return at }}, nil)
	if err := untrusted.Verify(ctx, h, body, javaWebhookID); !errors.Is(err, restwebhook.ErrUnverified) {
		t.Errorf("untrusted root: %v", err)
	}
}

// rig is the PayPal stand-in signing events to a listener, and a verifier trusting the
// stand-in's CA at its cert URL, as the local stack configures it.
type rig struct {
	server   *standin.Server
	url      string
	fetches  atomic.Int32
	got      chan *http.Request
	bodies   chan []byte
	listener string
	now      atomic.Pointer[time.Time]
	verifier *restwebhook.Verifier
}

const webhookID = "1JE4291016473214C"

func newRig(t *testing.T, cfg restwebhook.Config) *rig {
	t.Helper()
	r := &rig{server: standin.NewServer(paypal.Credentials{}), got: make(chan *http.Request, 8), bodies: make(chan []byte, 8)}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasPrefix(req.URL.Path, "/_standin/certs/") {
			r.fetches.Add(1)
		}
		r.server.ServeHTTP(w, req)
	}))
	t.Cleanup(hs.Close)
	l := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.got <- req
		r.bodies <- b
	}))
	t.Cleanup(l.Close)
	r.url, r.listener = hs.URL, l.URL
	r.server.SetNotify(standin.NotifyConfig{BaseURL: hs.URL})
	ca, err := r.server.CACertPEM()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Roots == nil {
		cfg.Roots = x509.NewCertPool()
		cfg.Roots.AppendCertsFromPEM(ca)
	}
	if cfg.CertURLPrefixes == nil {
		cfg.CertURLPrefixes = []string{hs.URL + "/_standin/certs/"}
	}
	now := time.Now()
	r.now.Store(&now)
	cfg.Now = func() time.Time { return *r.now.Load() }
	if r.verifier, err = restwebhook.NewVerifier(hs.Client(), cfg, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) advance(d time.Duration) {
	now := r.now.Load().Add(d)
	r.now.Store(&now)
}

// send has the stand-in deliver event and returns the delivery's headers and body.
func (r *rig) send(t *testing.T, event string) (restwebhook.Headers, []byte, standin.Notification) {
	t.Helper()
	n, err := r.server.SendEvent(context.Background(), r.listener, webhookID, []byte(event))
	if err != nil {
		t.Fatal(err)
	}
	return r.received(t), <-r.bodies, n
}

func (r *rig) received(t *testing.T) restwebhook.Headers {
	t.Helper()
	req := <-r.got
	h, err := restwebhook.ReadHeaders(req.Header)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

const captureEvent = `{"id":"WH-58D329510W468432D-8HN650336L201105X","event_version":"1.0","create_time":"2019-02-14T21:50:07.940Z","resource_type":"capture","resource_version":"2.0","event_type":"PAYMENT.CAPTURE.COMPLETED","summary":"Payment completed for $ 2.51 USD","resource":{"id":"27M47624FP291604U","amount":{"currency_code":"USD","value":"2.51"},"final_capture":true,"invoice_id":"ORD-7","custom_id":"site-1","status":"COMPLETED","supplementary_data":{"related_ids":{"order_id":"5O190127TN364715T","authorization_id":"7TX84025JS547654B"}},"links":[{"href":"https://api.paypal.com/v2/payments/captures/27M47624FP291604U","rel":"self","method":"GET"},{"href":"https://api.paypal.com/v2/payments/authorizations/7TX84025JS547654B","rel":"up","method":"GET"}]}}`

func TestStandInSignedEvent(t *testing.T) {
	r := newRig(t, restwebhook.Config{})
	ctx := context.Background()
	h, body, n := r.send(t, captureEvent)
	if err := r.verifier.Verify(ctx, h, body, webhookID); err != nil {
		t.Fatalf("the stand-in's delivery: %v", err)
	}
	// The same certificate again comes from the cache.
	h2, body2, _ := r.send(t, captureEvent)
	if err := r.verifier.Verify(ctx, h2, body2, webhookID); err != nil || r.fetches.Load() != 1 {
		t.Errorf("second delivery: %v, %d certificate fetches; want 1", err, r.fetches.Load())
	}
	// A resend is a new transmission of the same event: it verifies too.
	if _, err := r.server.Resend(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	h3, body3 := r.received(t), <-r.bodies
	if h3.TransmissionID == h.TransmissionID || string(body3) != string(body) || r.verifier.Verify(ctx, h3, body3, webhookID) != nil {
		t.Errorf("resent: %+v", h3)
	}

	flipped := append([]byte(nil), h.Signature...)
	flipped[10] ^= 1
	badSig, badURL, badTime := h, h, h
	badSig.Signature = flipped
	badURL.CertURL = strings.Replace(h.CertURL, "127.0.0.1", "localhost", 1)
	badTime.TimeText = h.Time.Add(time.Second).Format(time.RFC3339)
	for name, c := range map[string]struct {
		h    restwebhook.Headers
		body string
	}{
		"one byte of the body": {h, strings.Replace(string(body), "2.51", "2.52", 1)},
		"one bit of the sig":   {badSig, string(body)},
		"another cert URL":     {badURL, string(body)},
		"another signed time":  {badTime, string(body)},
	} {
		if err := r.verifier.Verify(ctx, c.h, []byte(c.body), webhookID); !errors.Is(err, restwebhook.ErrUnverified) {
			t.Errorf("%s: %v, want unverified", name, err)
		}
	}
	r.advance(6 * time.Minute)
	if err := r.verifier.Verify(ctx, h, body, webhookID); !errors.Is(err, restwebhook.ErrUnverified) {
		t.Errorf("six minutes late: %v", err)
	}

	ev, err := restwebhook.ParseEvent(body)
	want := restwebhook.Resource{ID: "27M47624FP291604U", Status: "COMPLETED", Amount: restwebhook.Amount{Minor: 251, Currency: "USD"},
		Invoice: "ORD-7", Custom: "site-1", Parents: restwebhook.Parents{Order: "5O190127TN364715T", Authorization: "7TX84025JS547654B"}}
	if err != nil || ev.Type != restwebhook.CaptureCompleted || ev.Resource != want {
		t.Errorf("event = %+v, %v", ev, err)
	}
}

func TestCertificateRefusals(t *testing.T) {
	ctx := context.Background()
	// In production only PayPal's hosts are asked: the stand-in's URL is refused unfetched.
	prod := newRig(t, restwebhook.Config{CertURLPrefixes: []string{}})
	h, body, _ := prod.send(t, captureEvent)
	if err := prod.verifier.Verify(ctx, h, body, webhookID); !errors.Is(err, restwebhook.ErrUnverified) || prod.fetches.Load() != 0 {
		t.Errorf("stand-in cert URL with PayPal's prefixes: %v (%d fetches)", err, prod.fetches.Load())
	}
	// A certificate from the right place, but chaining to nobody trusted.
	other := newRig(t, restwebhook.Config{Roots: x509.NewCertPool()})
	h, body, _ = other.send(t, captureEvent)
	if err := other.verifier.Verify(ctx, h, body, webhookID); !errors.Is(err, restwebhook.ErrUnverified) {
		t.Errorf("untrusted CA: %v", err)
	}
	// A certificate for another name.
	named := newRig(t, restwebhook.Config{CertNames: []string{"api.paypal.com"}})
	h, body, _ = named.send(t, captureEvent)
	if err := named.verifier.Verify(ctx, h, body, webhookID); !errors.Is(err, restwebhook.ErrUnverified) {
		t.Errorf("another name: %v", err)
	}
	// An expired cache entry is fetched again.
	r := newRig(t, restwebhook.Config{CacheTTL: time.Minute, Tolerance: time.Hour})
	h, body, _ = r.send(t, captureEvent)
	_ = r.verifier.Verify(ctx, h, body, webhookID)
	r.advance(2 * time.Minute)
	if err := r.verifier.Verify(ctx, h, body, webhookID); err != nil || r.fetches.Load() != 2 {
		t.Errorf("after the cache period: %v, %d fetches; want 2", err, r.fetches.Load())
	}
	// PayPal not answering is worth a retry; no certificate there is not.
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.Contains(req.URL.Path, "missing") {
			http.NotFound(w, req)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer down.Close()
	v, _ := restwebhook.NewVerifier(down.Client(), restwebhook.Config{CertURLPrefixes: []string{down.URL + "/certs/"}}, nil)
	h.CertURL = down.URL + "/certs/CERT-1"
	h.Time, h.TimeText = time.Now(), time.Now().UTC().Format(time.RFC3339)
	if err := v.Verify(ctx, h, body, webhookID); !paymentpage.IsRetryable(err) {
		t.Errorf("503 at the cert URL: %v, want retryable", err)
	}
	h.CertURL = down.URL + "/certs/missing"
	if err := v.Verify(ctx, h, body, webhookID); !errors.Is(err, restwebhook.ErrUnverified) {
		t.Errorf("404 at the cert URL: %v, want unverified", err)
	}
}
