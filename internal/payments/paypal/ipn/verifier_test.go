package ipn_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	standin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// listener is the merchant's notify URL: it keeps every body PayPal posts.
type listener struct {
	*httptest.Server
	bodies chan []byte
}

func newListener(t *testing.T) *listener {
	l := &listener{bodies: make(chan []byte, 16)}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		l.bodies <- b
	}))
	t.Cleanup(l.Close)
	return l
}

// recorder passes requests to a PayPal stand-in and keeps the post-back bodies it saw.
type recorder struct {
	mu     sync.Mutex
	bodies [][]byte
	next   http.Handler
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(b))
	r.next.ServeHTTP(w, req)
}

func (r *recorder) last() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[len(r.bodies)-1]
}

type rig struct {
	sandbox, live   *standin.Server
	sandboxRecorder *recorder
	verifier        *ipn.Verifier
	listener        *listener
}

// newRig runs a sandbox and a live PayPal stand-in and a verifier posting back to each.
func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{sandbox: standin.NewServer(paypal.Credentials{}), live: standin.NewServer(paypal.Credentials{}), listener: newListener(t)}
	r.sandboxRecorder = &recorder{next: r.sandbox}
	sb, lv := httptest.NewServer(r.sandboxRecorder), httptest.NewServer(r.live)
	t.Cleanup(sb.Close)
	t.Cleanup(lv.Close)
	v, err := ipn.NewVerifier(sb.Client(), map[provider.Env]string{provider.Sandbox: sb.URL + "/cgi-bin/webscr", provider.Live: lv.URL + "/cgi-bin/webscr"}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.verifier = v
	return r
}

// send has s post fields to the listener and returns the body the listener got.
func (r *rig) send(t *testing.T, s *standin.Server, fields []ipn.Field) []byte {
	t.Helper()
	if _, err := s.SendIPN(context.Background(), r.listener.URL, fields); err != nil {
		t.Fatal(err)
	}
	return <-r.listener.bodies
}

func fields(pairs ...string) []ipn.Field {
	var fs []ipn.Field
	for i := 0; i+1 < len(pairs); i += 2 {
		fs = append(fs, ipn.Field{Name: pairs[i], Value: pairs[i+1]})
	}
	return fs
}

var authorisation = fields("mc_gross", "25.00", "invoice", "ORD-7", "payment_status", "Pending", "charset", "windows-1252",
	"first_name", "Zoë", "last_name", "Ibáñez", "txn_id", "8AB12345CD678901E", "receiver_email", "merchant@shop.example",
	"pending_reason", "authorization", "txn_type", "express_checkout", "auth_id", "8AB12345CD678901E", "mc_currency", "USD",
	"auth_status", "Pending", "test_ipn", "1")

func TestVerifiedMessage(t *testing.T) {
	r := newRig(t)
	body := r.send(t, r.sandbox, authorisation)
	m, err := ipn.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	env, err := r.verifier.Verify(context.Background(), m)
	if err != nil || env != provider.Sandbox {
		t.Fatalf("Verify = %q, %v; want sandbox", env, err)
	}
	if got, want := r.sandboxRecorder.last(), append([]byte(ipn.ValidatePrefix), body...); !bytes.Equal(got, want) {
		t.Errorf("post-back body\n%q\nwant\n%q", got, want)
	}
	if m.TxnID != "8AB12345CD678901E" || m.Gross != (ipn.Amount{Minor: 2500, Currency: "USD"}) || m.Invoice != "ORD-7" ||
		m.PaymentStatus != "Pending" || m.PendingReason != "authorization" || m.AuthID != m.TxnID || !m.Test {
		t.Errorf("message = %+v", m)
	}
}

func TestOneByteChangedIsInvalid(t *testing.T) {
	r := newRig(t)
	body := r.send(t, r.sandbox, authorisation)
	forged := bytes.Replace(body, []byte("mc_gross=25.00"), []byte("mc_gross=26.00"), 1)
	if bytes.Equal(forged, body) {
		t.Fatalf("the amount is not in %q", body)
	}
	m, err := ipn.Parse(forged)
	if err != nil {
		t.Fatal(err)
	}
	if env, err := r.verifier.Verify(context.Background(), m); !errors.Is(err, ipn.ErrInvalid) || paymentpage.IsRetryable(err) {
		t.Errorf("forged amount: %q, %v; want ErrInvalid", env, err)
	}
	// Never sent at all: the same answer.
	m, _ = ipn.Parse([]byte("txn_id=NEVER1&payment_status=Completed&test_ipn=1&charset=UTF-8"))
	if _, err := r.verifier.Verify(context.Background(), m); !errors.Is(err, ipn.ErrInvalid) {
		t.Errorf("never sent: %v", err)
	}
}

func TestWindows1252Names(t *testing.T) {
	r := newRig(t)
	body := r.send(t, r.sandbox, authorisation)
	// ë and á are one byte each in windows-1252 (EB, E1), not UTF-8's two.
	if !strings.Contains(string(body), "first_name=Zo%EB") || !strings.Contains(string(body), "last_name=Ib%E1%F1ez") {
		t.Fatalf("not written in windows-1252: %s", body)
	}
	m, err := ipn.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if m.FirstName != "Zoë" || m.LastName != "Ibáñez" || m.Charset != "windows-1252" {
		t.Errorf("names = %q %q (%s)", m.FirstName, m.LastName, m.Charset)
	}
	if _, err := r.verifier.Verify(context.Background(), m); err != nil {
		t.Errorf("the post-back must return the original bytes, not the decoded text: %v", err)
	}
}

func TestHostChosenByTestIPN(t *testing.T) {
	r := newRig(t)
	live := fields("txn_id", "LIVE0001", "payment_status", "Completed", "mc_gross", "10.00", "mc_currency", "EUR", "charset", "UTF-8")
	m, _ := ipn.Parse(r.send(t, r.live, live))
	if env, err := r.verifier.Verify(context.Background(), m); err != nil || env != provider.Live {
		t.Errorf("live message: %q, %v", env, err)
	}
	// A message claiming test_ipn=1 is asked of the sandbox only: the live stand-in sent
	// it, so the sandbox does not know it.
	claimed := append(fields("test_ipn", "1"), live...)
	m, _ = ipn.Parse(r.send(t, r.live, claimed))
	if env, err := r.verifier.Verify(context.Background(), m); !errors.Is(err, ipn.ErrInvalid) {
		t.Errorf("test_ipn=1 from live: %q, %v; want INVALID from the sandbox", env, err)
	}
}

func TestNoClearAnswerIsRetryable(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"error status": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) },
		"other word":   func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>maintenance</html>")) },
		"not found":    func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) },
	} {
		hs := httptest.NewServer(h)
		v, _ := ipn.NewVerifier(hs.Client(), map[provider.Env]string{provider.Sandbox: hs.URL, provider.Live: hs.URL}, 0, nil)
		m, _ := ipn.Parse([]byte("txn_id=X1&charset=UTF-8"))
		if _, err := v.Verify(context.Background(), m); !paymentpage.IsRetryable(err) || errors.Is(err, ipn.ErrInvalid) {
			t.Errorf("%s: %v, want retryable", name, err)
		}
		hs.Close()
	}
	// No answer at all: the server is gone.
	hs := httptest.NewServer(http.NotFoundHandler())
	hs.Close()
	v, _ := ipn.NewVerifier(http.DefaultClient, map[provider.Env]string{provider.Sandbox: hs.URL, provider.Live: hs.URL}, 0, nil)
	m, _ := ipn.Parse([]byte("txn_id=X1&charset=UTF-8"))
	if _, err := v.Verify(context.Background(), m); !paymentpage.IsRetryable(err) {
		t.Errorf("no server: %v, want retryable", err)
	}
}

func TestStandInAuthorisationIPN(t *testing.T) {
	// The stand-in's own notification of an authorisation, as the next step wires it.
	r := newRig(t)
	r.sandbox.SetNotify(standin.NotifyConfig{IPNURL: r.listener.URL, ReceiverEmail: "merchant@shop.example", ReceiverID: "MERCHANT1"})
	if _, err := r.sandbox.NotifyAuthorisation(context.Background(), "NO-SUCH-AUTH"); err == nil {
		t.Error("an unknown authorisation was notified")
	}
	if _, err := r.sandbox.SendIPN(context.Background(), r.listener.URL, fields("charset", "x-unknown", "txn_id", "1")); err == nil {
		t.Error("an IPN in an unknown charset was sent")
	}
	sent := r.send(t, r.sandbox, authorisation)
	list := r.sandbox.Notifications()
	if len(list) != 1 || !bytes.Equal(list[0].Body, sent) || len(list[0].Deliveries) != 1 || list[0].Deliveries[0] != http.StatusOK {
		t.Fatalf("notifications = %+v", list)
	}
	again, err := r.sandbox.Resend(context.Background(), list[0].ID)
	if err != nil || len(again.Deliveries) != 2 {
		t.Fatalf("resend = %+v, %v", again, err)
	}
	if b := <-r.listener.bodies; !bytes.Equal(b, sent) {
		t.Errorf("resent %q, first %q", b, sent)
	}
}
