package paypal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
)

// The stand-in's buyer: a name that windows-1252 writes in bytes UTF-8 does not, so that a
// listener reading the wrong charset shows.
const (
	buyerFirstName = "Zoë"
	buyerLastName  = "Ibáñez-Müller"
	buyerEmail     = "buyer@buyer.example"
)

// NotifyAuthorisation sends what PayPal sends once DoExpressCheckoutPayment authorised a
// payment: an IPN (payment_status Pending, pending_reason authorization) to the
// transaction's notify URL and a PAYMENT.AUTHORIZATION.CREATED event to the webhook
// listener, whichever of the two there is.
func (s *Server) NotifyAuthorisation(ctx context.Context, authorisationID string) ([]Notification, error) {
	s.mu.Lock()
	cfg, a := s.notify, s.auths[authorisationID]
	invoice, ipnURL := s.transactionOf(authorisationID)
	s.mu.Unlock()
	if a == nil {
		return nil, fmt.Errorf("paypal stand-in: %w authorisation %q", standinpage.ErrUnknown, authorisationID)
	}
	amt, err := paymentpage.FormatAmount(a.amount, a.currency)
	if err != nil {
		return nil, err
	}
	var sent []Notification
	var errs []error
	if ipnURL != "" {
		n, err := s.SendIPN(ctx, ipnURL, authorisationIPN(cfg, authorisationID, invoice, amt, a.currency, s.now()))
		sent, errs = append(sent, n), append(errs, err)
	}
	if cfg.WebhookURL != "" {
		n, err := s.sendResourceEvent(ctx, cfg, authorisationEvent(authorisationID, invoice, amt, a.currency, s.now()))
		sent, errs = append(sent, n), append(errs, err)
	}
	return sent, errors.Join(errs...)
}

// authorisationIPN is the IPN of an Express Checkout authorisation, its fields in the
// order PayPal's sandbox posts them.
func authorisationIPN(cfg NotifyConfig, id, invoice, amt, currency string, at time.Time) []ipn.Field {
	f := func(name, value string) ipn.Field { return ipn.Field{Name: name, Value: value} }
	return []ipn.Field{
		f("mc_gross", amt), f("invoice", invoice), f("auth_exp", at.AddDate(0, 0, 29).Format("15:04:05 Jan 02, 2006 MST")),
		f("protection_eligibility", "Eligible"), f("payer_id", "STANDINPAYER1"),
		f("payment_date", at.Format("15:04:05 Jan 02, 2006 MST")), f("payment_status", "Pending"), f("charset", "windows-1252"),
		f("first_name", buyerFirstName), f("transaction_entity", "auth"), f("notify_version", "3.9"), f("custom", ""),
		f("payer_status", "verified"), f("business", cfg.ReceiverEmail), f("verify_sign", random(28)),
		f("payer_email", buyerEmail), f("txn_id", id), f("payment_type", "instant"), f("last_name", buyerLastName),
		f("receiver_email", cfg.ReceiverEmail), f("auth_amount", amt), f("receiver_id", cfg.ReceiverID),
		f("pending_reason", "authorization"), f("txn_type", "express_checkout"), f("auth_id", id), f("mc_currency", currency),
		f("remaining_settle", "10"), f("auth_status", "Pending"), f("test_ipn", "1"), f("ipn_track_id", random(7)),
	}
}

// NotifyCapture sends what PayPal sends once DoCapture captured amt of authorisation
// authorisationID as captureID: the IPN (payment_status Completed, naming the
// authorisation) to the transaction's notify URL and a PAYMENT.CAPTURE.COMPLETED event to
// the webhook listener, whichever of the two there is.
func (s *Server) NotifyCapture(ctx context.Context, authorisationID, captureID, amt string) ([]Notification, error) {
	s.mu.Lock()
	cfg, a := s.notify, s.auths[authorisationID]
	invoice, ipnURL := s.transactionOf(authorisationID)
	s.mu.Unlock()
	if a == nil {
		return nil, fmt.Errorf("paypal stand-in: %w authorisation %q", standinpage.ErrUnknown, authorisationID)
	}
	at := s.now()
	var sent []Notification
	var errs []error
	if ipnURL != "" {
		fields := reshape(authorisationIPN(cfg, authorisationID, invoice, amt, a.currency, at), map[string]ipn.Field{
			"payment_status": {Name: "payment_status", Value: "Completed"}, "auth_status": {Name: "auth_status", Value: "Completed"},
			"txn_id": {Name: "txn_id", Value: captureID}, "pending_reason": {Name: "parent_txn_id", Value: authorisationID},
			"transaction_entity": {Name: "transaction_entity", Value: "payment"},
		})
		n, err := s.SendIPN(ctx, ipnURL, fields)
		sent, errs = append(sent, n), append(errs, err)
	}
	if cfg.WebhookURL != "" {
		n, err := s.sendResourceEvent(ctx, cfg, s.captureEvent(authorisationID, captureID, invoice, amt, a.currency, at))
		sent, errs = append(sent, n), append(errs, err)
	}
	return sent, errors.Join(errs...)
}

// captureEvent is the PAYMENT.CAPTURE.COMPLETED event of a capture (v2, as PayPal sends
// it): the capture, its authorisation in related_ids and in the "up" link.
func (s *Server) captureEvent(authorisationID, captureID, invoice, amt, currency string, at time.Time) resourceEvent {
	stamp := at.UTC().Format(time.RFC3339)
	return resourceEvent{eventType: "PAYMENT.CAPTURE.COMPLETED", resourceType: "capture", at: at,
		summary: "Payment completed for " + amt + " " + currency,
		resource: map[string]any{
			"id": captureID, "status": "COMPLETED", "amount": map[string]any{"value": amt, "currency_code": currency},
			"final_capture": true, "invoice_id": invoice, "create_time": stamp, "update_time": stamp,
			"supplementary_data": map[string]any{"related_ids": map[string]any{"authorization_id": authorisationID}},
			"links": []map[string]string{
				{"href": s.apiLink("/v2/payments/captures/" + captureID), "rel": "self", "method": "GET"},
				{"href": s.apiLink("/v2/payments/authorizations/" + authorisationID), "rel": "up", "method": "GET"},
			},
		}}
}

// reshape is an IPN's fields with some replaced, in place and order: by name, the field
// that takes its place (another name for one PayPal puts there instead), none for a
// field it leaves out (the zero Field).
func reshape(fields []ipn.Field, with map[string]ipn.Field) []ipn.Field {
	out := make([]ipn.Field, 0, len(fields))
	for _, f := range fields {
		if r, ok := with[f.Name]; ok {
			f = r
		}
		if f.Name != "" {
			out = append(out, f)
		}
	}
	return out
}

// transactionOf is the invoice (our order reference) of the checkout that made an
// authorisation, and where its IPNs go: the NOTIFYURL it was set up with, else the
// configured IPN URL; s.mu is held.
func (s *Server) transactionOf(authorisationID string) (invoice, ipnURL string) {
	for _, c := range s.checkouts {
		if c.authorisation == authorisationID {
			invoice, ipnURL = c.invoice, c.notifyURL
			break
		}
	}
	if ipnURL == "" {
		ipnURL = s.notify.IPNURL
	}
	return invoice, ipnURL
}

// resourceEvent is a REST webhook event about one resource, in PayPal's envelope.
type resourceEvent struct {
	eventType, resourceType, summary string
	resource                         map[string]any
	at                               time.Time
}

// sendResourceEvent signs e for the configured listener and sends it there.
func (s *Server) sendResourceEvent(ctx context.Context, cfg NotifyConfig, e resourceEvent) (Notification, error) {
	eventID := "WH-" + random(9) + "-" + random(9)
	body, err := json.Marshal(map[string]any{
		"id": eventID, "event_version": "1.0", "create_time": e.at.UTC().Format(time.RFC3339), "resource_type": e.resourceType,
		"event_type": e.eventType, "summary": e.summary, "resource": e.resource,
		"links": []map[string]string{{"href": "/v1/notifications/webhooks-events/" + eventID, "rel": "self", "method": "GET"}},
	})
	if err != nil {
		return Notification{}, err
	}
	return s.SendEvent(ctx, cfg.WebhookURL, cfg.WebhookID, body)
}

// authorisationEvent is the PAYMENT.AUTHORIZATION.CREATED event of an authorisation (v1).
func authorisationEvent(id, invoice, amt, currency string, at time.Time) resourceEvent {
	stamp := at.UTC().Format(time.RFC3339)
	return resourceEvent{eventType: "PAYMENT.AUTHORIZATION.CREATED", resourceType: "authorization", at: at,
		summary: "A payment authorization was created for " + amt + " " + currency,
		resource: map[string]any{
			"id": id, "state": "authorized", "create_time": stamp, "update_time": stamp,
			"amount":         map[string]any{"total": amt, "currency": currency},
			"invoice_number": invoice, "payment_mode": "INSTANT_TRANSFER",
			"valid_until": at.AddDate(0, 0, 29).UTC().Format(time.RFC3339),
		}}
}
