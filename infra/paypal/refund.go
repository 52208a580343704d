package paypal

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// errRefund is a refund PayPal would refuse: more than what is left of the capture.
var errRefund = errors.New("paypal stand-in: the refund is more than what is left of the capture")

// Refund refunds amount (minor units; 0 for all that is left) of the capture captureID, as
// the merchant's "Issue a refund" in PayPal does, and sends what PayPal sends then: the
// Refunded IPN (mc_gross negative, parent_txn_id the capture) to the transaction's notify
// URL, and a PAYMENT.CAPTURE.REFUNDED event (the refund, its "up" link the capture) to
// the webhook listener.
func (s *Server) Refund(ctx context.Context, captureID string, amount int64) ([]Notification, error) {
	s.mu.Lock()
	cfg, c := s.notify, s.captures[captureID]
	if c == nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("paypal stand-in: %w capture %q", standinpage.ErrUnknown, captureID)
	}
	left := c.amount - c.refunded
	if amount == 0 {
		amount = left
	}
	if amount <= 0 || amount > left {
		s.mu.Unlock()
		return nil, errRefund
	}
	c.refunded += amount
	invoice, ipnURL := s.transactionOf(c.authorisation)
	s.mu.Unlock()
	amt, err := paymentpage.FormatAmount(amount, c.currency)
	if err != nil {
		return nil, err
	}
	refundID, at := random(17), s.now()
	var sent []Notification
	var errs []error
	if ipnURL != "" {
		fields := reshape(authorisationIPN(cfg, c.authorisation, invoice, "-"+amt, c.currency, at), map[string]ipn.Field{
			"payment_status": {Name: "payment_status", Value: "Refunded"}, "auth_status": {Name: "reason_code", Value: "refund"},
			"txn_id": {Name: "txn_id", Value: refundID}, "pending_reason": {Name: "parent_txn_id", Value: captureID},
			"transaction_entity": {Name: "transaction_entity", Value: "payment"}, "auth_amount": {Name: "mc_fee", Value: "0.00"},
			// A refund's IPN has no txn_type and nothing of the authorisation's life.
			"txn_type": {}, "auth_exp": {}, "remaining_settle": {},
		})
		n, err := s.SendIPN(ctx, ipnURL, fields)
		sent, errs = append(sent, n), append(errs, err)
	}
	if cfg.WebhookURL != "" {
		stamp := at.UTC().Format("2006-01-02T15:04:05Z")
		n, err := s.sendResourceEvent(ctx, cfg, resourceEvent{eventType: "PAYMENT.CAPTURE.REFUNDED", resourceType: "refund", at: at,
			summary: "A " + amt + " " + c.currency + " capture payment was refunded",
			resource: map[string]any{
				"id": refundID, "status": "COMPLETED", "amount": map[string]any{"value": amt, "currency_code": c.currency},
				"invoice_id": invoice, "create_time": stamp, "update_time": stamp,
				"links": []map[string]string{
					{"href": s.apiLink("/v2/payments/refunds/" + refundID), "rel": "self", "method": "GET"},
					{"href": s.apiLink("/v2/payments/captures/" + captureID), "rel": "up", "method": "GET"},
				},
			}})
		sent, errs = append(sent, n), append(errs, err)
	}
	return sent, errors.Join(errs...)
}

// apiLink is a link to the stand-in's REST API, as PayPal's events link to api.paypal.com.
func (s *Server) apiLink(path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notify.BaseURL + path
}

// refundHandler is POST /_standin/captures/{id}/refund, with an optional amount (a form
// or query field in the currency's decimals, "10.00"; none refunds what is left): what was
// sent, 404 for an unknown capture, 409 for more than is left, 400 for an amount that is
// not one.
func (s *Server) refundHandler(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var amount int64
	if v := r.FormValue("amount"); v != "" {
		s.mu.Lock()
		c := s.captures[id]
		s.mu.Unlock()
		if c == nil {
			standinpage.AnswerSent(w, nil, fmt.Errorf("paypal stand-in: %w capture %q", standinpage.ErrUnknown, id))
			return
		}
		var err error
		if amount, err = paymentpage.ParseAmount(v, c.currency); err != nil || amount <= 0 {
			httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": "amount is not a positive sum in " + c.currency + "'s decimals"})
			return
		}
	}
	sent, err := s.Refund(r.Context(), id, amount)
	if errors.Is(err, errRefund) {
		httpx.JSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
		return
	}
	standinpage.AnswerSent(w, sent, err)
}
