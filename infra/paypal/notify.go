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
//	POST /_standin/captures/{id}/refund          refund a capture (amount=10.00, or all that is
//	                                             left): the Refunded IPN and the REFUNDED event

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
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

// Notification is one message the stand-in sent, and how each delivery was answered; its
// Kind is KindIPN or KindWebhook.
type Notification = standinpage.Sent

// The kinds of Notification.
const (
	KindIPN     = "ipn"
	KindWebhook = "webhook"
)

// webhookIDHeader keeps an event's webhook ID for its resend's new signature; the outbox
// does not post it.
const webhookIDHeader = "X-Standin-Webhook-Id"

// SetNotify sets where notifications go.
func (s *Server) SetNotify(cfg NotifyConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notify = cfg
}

// afterCall sends, in the background when SetNotify asked for it, what PayPal sends after
// an NVP call's success: the authorisation's notifications after DoExpressCheckoutPayment,
// the capture's after DoCapture. A delivery that fails is in Notifications, as PayPal's
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
	n, _, err := s.outbox.Send(ctx, Notification{ID: "IPN-" + random(8), Kind: KindIPN, URL: url, Body: body,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=" + charset}}})
	return n, err
}

// SendEvent posts a REST webhook event, signed for webhookID, to url.
func (s *Server) SendEvent(ctx context.Context, url, webhookID string, event []byte) (Notification, error) {
	header, err := s.transmission(webhookID, event)
	if err != nil {
		return Notification{}, err
	}
	n, _, err := s.outbox.Send(ctx, Notification{ID: "WHT-" + random(8), Kind: KindWebhook, URL: url, Body: event, Header: header})
	return n, err
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
		"Paypal-Transmission-Sig": {sig}, "Paypal-Transmission-Time": {at}, webhookIDHeader: {webhookID},
	}, nil
}

// Resend delivers a notification again: an IPN byte for byte, an event as a new
// transmission of the same body (as PayPal's retries are).
func (s *Server) Resend(ctx context.Context, id string) (Notification, error) {
	n, _, err := s.outbox.Resend(ctx, id)
	return n, err
}

// renew is a resent notification's header: an event's new transmission, an IPN's own.
func (s *Server) renew(n Notification) (http.Header, error) {
	if n.Kind != KindWebhook {
		return n.Header, nil
	}
	return s.transmission(n.Header.Get(webhookIDHeader), n.Body)
}

// Notifications lists what was sent, oldest first.
func (s *Server) Notifications() []Notification { return s.outbox.List() }

// notifyValidate answers an IPN post-back: VERIFIED when what follows the command is, byte
// for byte, an IPN the stand-in sent; INVALID otherwise.
func (s *Server) notifyValidate(w http.ResponseWriter, body []byte) {
	msg, _ := bytes.CutPrefix(body, []byte(ipn.ValidatePrefix))
	verified := slices.ContainsFunc(s.Notifications(), func(n Notification) bool {
		return n.Kind == KindIPN && bytes.Equal(n.Body, msg)
	})
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

func (s *Server) notifyHandler(w http.ResponseWriter, r *http.Request) {
	ns, err := s.NotifyAuthorisation(r.Context(), r.PathValue("id"))
	standinpage.AnswerSent(w, ns, err)
}
