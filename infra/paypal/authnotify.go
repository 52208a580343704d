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
// payment: an IPN (payment_status Pending, pending_reason authorization) to the notify
// URL and a PAYMENT.AUTHORIZATION.CREATED event to the webhook listener, whichever of
// the two SetNotify configured.
func (s *Server) NotifyAuthorisation(ctx context.Context, authorisationID string) ([]Notification, error) {
	s.mu.Lock()
	cfg, a := s.notify, s.auths[authorisationID]
	invoice := s.invoiceOf(authorisationID)
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
	if cfg.IPNURL != "" {
		n, err := s.SendIPN(ctx, cfg.IPNURL, authorisationIPN(cfg, authorisationID, invoice, amt, a.currency, s.now()))
		sent, errs = append(sent, n), append(errs, err)
	}
	if cfg.WebhookURL != "" {
		event, err := authorisationEvent(authorisationID, invoice, amt, a.currency, s.now())
		if err != nil {
			return sent, err
		}
		n, err := s.SendEvent(ctx, cfg.WebhookURL, cfg.WebhookID, event)
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

// NotifyCapture sends the IPN PayPal sends once DoCapture captured amt of authorisation
// authorisationID as captureID: payment_status Completed, naming the authorisation.
func (s *Server) NotifyCapture(ctx context.Context, authorisationID, captureID, amt string) (Notification, error) {
	s.mu.Lock()
	cfg, a := s.notify, s.auths[authorisationID]
	invoice := s.invoiceOf(authorisationID)
	s.mu.Unlock()
	if a == nil {
		return Notification{}, fmt.Errorf("paypal stand-in: %w authorisation %q", standinpage.ErrUnknown, authorisationID)
	}
	if cfg.IPNURL == "" {
		return Notification{}, nil
	}
	fields := authorisationIPN(cfg, authorisationID, invoice, amt, a.currency, s.now())
	for i, f := range fields {
		switch f.Name {
		case "payment_status", "auth_status":
			fields[i].Value = "Completed"
		case "txn_id":
			fields[i].Value = captureID
		case "pending_reason":
			fields[i] = ipn.Field{Name: "parent_txn_id", Value: authorisationID}
		case "transaction_entity":
			fields[i].Value = "payment"
		}
	}
	return s.SendIPN(ctx, cfg.IPNURL, fields)
}

// invoiceOf is the invoice (our order reference) of the checkout that made an
// authorisation; s.mu is held.
func (s *Server) invoiceOf(authorisationID string) string {
	for _, c := range s.checkouts {
		if c.authorisation == authorisationID {
			return c.invoice
		}
	}
	return ""
}

// authorisationEvent is the PAYMENT.AUTHORIZATION.CREATED event of an authorisation.
func authorisationEvent(id, invoice, amt, currency string, at time.Time) ([]byte, error) {
	eventID := "WH-" + random(9) + "-" + random(9)
	stamp := at.UTC().Format(time.RFC3339)
	return json.Marshal(map[string]any{
		"id": eventID, "event_version": "1.0", "create_time": stamp, "resource_type": "authorization",
		"event_type": "PAYMENT.AUTHORIZATION.CREATED", "summary": "A payment authorization was created for " + amt + " " + currency,
		"resource": map[string]any{
			"id": id, "state": "authorized", "create_time": stamp, "update_time": stamp,
			"amount":         map[string]any{"total": amt, "currency": currency},
			"invoice_number": invoice, "payment_mode": "INSTANT_TRANSFER",
			"valid_until": at.AddDate(0, 0, 29).UTC().Format(time.RFC3339),
		},
		"links": []map[string]string{{"href": "/v1/notifications/webhooks-events/" + eventID, "rel": "self", "method": "GET"}},
	})
}
