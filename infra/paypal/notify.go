package paypal

// The stand-in's notifications, as PayPal sends them: IPNs (answered at the post-back,
// VERIFIED only for a message it sent, byte for byte) and signed REST webhook events (its
// certificate served at a cert URL). They are sent after each DoExpressCheckoutPayment
// that authorised and each DoCapture when SetNotify's OnPayment is set (the local stack
// sets it), and by NotifyAuthorisation, NotifyCapture and the API under /_standin/:
//
//	GET  /_standin/certs/{id}                    the signing certificate (PEM), the cert URL
//	GET  /_standin/ca.pem                        the CA a local verifier is told to trust
//	GET  /_standin/notifications                 what was sent (JSON)
//	POST /_standin/notifications/{id}/resend     send one again, to exercise duplicates
//	POST /_standin/authorisations/{id}/notify    notify an authorisation (IPN and event)

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
)

// NotifyConfig is where the stand-in sends notifications and as whom.
type NotifyConfig struct {
	BaseURL       string // the stand-in's own URL, for the cert URL in signed events
	IPNURL        string // the merchant's notify URL; no IPN when empty
	WebhookURL    string // the app's webhook listener; no event when empty
	WebhookID     string // the ID PayPal gave that listener, part of every signature
	ReceiverEmail string // the merchant's PayPal account
	ReceiverID    string
	// OnPayment sends the authorisation's notifications (NotifyAuthorisation) after each
	// DoExpressCheckoutPayment that authorised, in the background, as PayPal does.
	OnPayment bool
}

// Notification is one message the stand-in sent, and how each delivery was answered.
type Notification struct {
	ID         string      `json:"id"`
	Kind       string      `json:"kind"` // "ipn" or "webhook"
	URL        string      `json:"url"`
	Body       []byte      `json:"body"`
	Header     http.Header `json:"header"`
	Deliveries []int       `json:"deliveries"` // each answer's status; 0 when none came
}

// The kinds of Notification.
const (
	KindIPN     = "ipn"
	KindWebhook = "webhook"
)

// deliveryTimeout bounds one delivery, as PayPal gives up on a slow listener.
const deliveryTimeout = 10 * time.Second

// SetNotify sets where notifications go.
func (s *Server) SetNotify(cfg NotifyConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notify = cfg
}

// afterCall sends, in the background when SetNotify asked for it, what PayPal sends after
// an NVP call's success: the authorisation's notifications after DoExpressCheckoutPayment,
// the capture's IPN after DoCapture. A delivery that fails is in Notifications, as PayPal's
// would be in its IPN history.
func (s *Server) afterCall(method string, reply url.Values) {
	s.mu.Lock()
	on := s.notify.OnPayment
	s.mu.Unlock()
	if !on || reply.Get("ACK") != "Success" {
		return
	}
	switch method {
	case "DoExpressCheckoutPayment":
		go func() { _, _ = s.NotifyAuthorisation(context.Background(), reply.Get("PAYMENTINFO_0_TRANSACTIONID")) }()
	case "DoCapture":
		go func() {
			_, _ = s.NotifyCapture(context.Background(), reply.Get("AUTHORIZATIONID"), reply.Get("TRANSACTIONID"), reply.Get("AMT"))
		}()
	}
}

// CACertPEM is the stand-in's CA certificate, which signed its signing certificate.
func (s *Server) CACertPEM() ([]byte, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	return sg.caPEM, nil
}

func (s *Server) signing() (*signer, error) {
	s.signerOnce.Do(func() { s.signer, s.signerErr = newSigner(s.now()) })
	return s.signer, s.signerErr
}

// SendIPN posts an IPN of fields, in their order, written in the charset field's encoding
// (windows-1252 when there is none), to url.
func (s *Server) SendIPN(ctx context.Context, url string, fields []ipn.Field) (Notification, error) {
	charset := ipn.DefaultCharset
	if i := slices.IndexFunc(fields, func(f ipn.Field) bool { return f.Name == "charset" }); i >= 0 {
		charset = fields[i].Value
	}
	body, err := ipn.Encode(fields, charset)
	if err != nil {
		return Notification{}, err
	}
	n := &Notification{ID: "IPN-" + random(8), Kind: KindIPN, URL: url, Body: body,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=" + charset}}}
	s.mu.Lock()
	s.sent[n.ID] = n
	s.order = append(s.order, n.ID)
	s.mu.Unlock()
	return s.deliver(ctx, n)
}

// SendEvent posts a REST webhook event, signed for webhookID, to url.
func (s *Server) SendEvent(ctx context.Context, url, webhookID string, event []byte) (Notification, error) {
	header, err := s.transmission(webhookID, event)
	if err != nil {
		return Notification{}, err
	}
	n := &Notification{ID: "WHT-" + random(8), Kind: KindWebhook, URL: url, Body: event, Header: header}
	s.mu.Lock()
	s.sent[n.ID] = n
	s.order = append(s.order, n.ID)
	s.mu.Unlock()
	return s.deliver(ctx, n)
}

// transmission returns the headers of a new transmission of body: an ID, the time, and
// the signature over both.
func (s *Server) transmission(webhookID string, body []byte) (http.Header, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	base := s.notify.BaseURL
	s.mu.Unlock()
	id := random(4) + "-" + random(2) + "-" + random(2) + "-" + random(2) + "-" + random(6)
	at := s.now().UTC().Format(time.RFC3339)
	sig, err := sg.sign(id, at, webhookID, body)
	if err != nil {
		return nil, err
	}
	return http.Header{
		"Content-Type": {"application/json"}, "Paypal-Auth-Algo": {"SHA256withRSA"}, "Paypal-Auth-Version": {"v2"},
		"Paypal-Cert-Url": {strings.TrimSuffix(base, "/") + "/_standin/certs/" + sg.certID}, "Paypal-Transmission-Id": {id},
		"Paypal-Transmission-Sig": {sig}, "Paypal-Transmission-Time": {at}, "X-Standin-Webhook-Id": {webhookID},
	}, nil
}

// Resend delivers a notification again: an IPN byte for byte, an event as a new
// transmission of the same body (as PayPal's retries are).
func (s *Server) Resend(ctx context.Context, id string) (Notification, error) {
	s.mu.Lock()
	n, ok := s.sent[id]
	s.mu.Unlock()
	if !ok {
		return Notification{}, fmt.Errorf("%w: no notification %q", errUnknown, id)
	}
	if n.Kind == KindWebhook {
		s.mu.Lock()
		webhookID, body := n.Header.Get("X-Standin-Webhook-Id"), n.Body
		s.mu.Unlock()
		header, err := s.transmission(webhookID, body)
		if err != nil {
			return Notification{}, err
		}
		s.mu.Lock()
		n.Header = header
		s.mu.Unlock()
	}
	return s.deliver(ctx, n)
}

// Notifications lists what was sent, oldest first.
func (s *Server) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Notification, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.copyOf(s.sent[id]))
	}
	return out
}

func (s *Server) copyOf(n *Notification) Notification {
	c := *n
	c.Header = n.Header.Clone()
	c.Deliveries = slices.Clone(n.Deliveries)
	return c
}

// deliver posts n once and records the answer. A listener that does not answer 2xx is an
// error, as PayPal counts it (it would retry).
func (s *Server) deliver(ctx context.Context, n *Notification) (Notification, error) {
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	s.mu.Lock()
	url, body, header := n.URL, n.Body, n.Header.Clone()
	s.mu.Unlock()
	header.Del("X-Standin-Webhook-Id")
	status, err := post(ctx, s.client, url, body, header)
	s.mu.Lock()
	n.Deliveries = append(n.Deliveries, status)
	c := s.copyOf(n)
	s.mu.Unlock()
	if err == nil && (status < 200 || status > 299) {
		err = fmt.Errorf("paypal stand-in: %s answered %d", url, status)
	}
	return c, err
}

func post(ctx context.Context, hc paymentpage.Doer, url string, body []byte, header http.Header) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header = header
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, nil
}

// notifyValidate answers an IPN post-back: VERIFIED when what follows the command is, byte
// for byte, an IPN the stand-in sent; INVALID otherwise.
func (s *Server) notifyValidate(w http.ResponseWriter, body []byte) {
	msg, _ := bytes.CutPrefix(body, []byte(ipn.ValidatePrefix))
	s.mu.Lock()
	verified := slices.ContainsFunc(s.order, func(id string) bool {
		n := s.sent[id]
		return n.Kind == KindIPN && bytes.Equal(n.Body, msg)
	})
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	if verified {
		_, _ = w.Write([]byte("VERIFIED"))
		return
	}
	_, _ = w.Write([]byte("INVALID"))
}

func (s *Server) certHandler(w http.ResponseWriter, r *http.Request) {
	sg, err := s.signing()
	if err != nil || r.PathValue("id") != sg.certID {
		http.Error(w, "no such certificate", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(sg.leafPEM)
}

func (s *Server) caHandler(w http.ResponseWriter, _ *http.Request) {
	ca, err := s.CACertPEM()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(ca)
}

func (s *Server) listHandler(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Notifications())
}

func (s *Server) resendHandler(w http.ResponseWriter, r *http.Request) {
	n, err := s.Resend(r.Context(), r.PathValue("id"))
	answerSent(w, []Notification{n}, err)
}

func (s *Server) notifyHandler(w http.ResponseWriter, r *http.Request) {
	ns, err := s.NotifyAuthorisation(r.Context(), r.PathValue("id"))
	answerSent(w, ns, err)
}

// answerSent tells the test what was sent: 404 for an unknown notification or
// authorisation, 502 when a listener did not take a delivery (the notifications still say
// what it answered).
func answerSent(w http.ResponseWriter, ns []Notification, err error) {
	switch {
	case errors.Is(err, errUnknown):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	case err != nil:
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": err.Error(), "notifications": ns})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"notifications": ns})
	}
}

var errUnknown = errors.New("paypal stand-in: unknown")

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
