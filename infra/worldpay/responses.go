package worldpay

// The payment responses the stand-in posts, as WorldPay does: to the purchase's MC_callback
// (or the installation's Payment Response URL), with the installation's callback password,
// when the buyer approves or cancels; the buyer is then shown the page the callback
// answered. Each is kept in an outbox, to be listed and sent again (duplicates):
//
//	GET  /_standin/responses               what was posted (JSON)
//	POST /_standin/responses/{id}/resend   post one again

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
)

// Response is one payment response the stand-in posted, and each delivery's answer. Its
// ID is the transaction (or the cart, cancelled) and transStatus; its Body the form.
type Response = standinpage.Sent

// KindResponse is the Kind of every Response.
const KindResponse = "payment-response"

// newOutbox keeps the payment responses; a delivery goes to the PaymentResponse hook when
// one is set.
func (s *Server) newOutbox() *standinpage.Outbox {
	return standinpage.NewOutbox(standinpage.OutboxConfig{Name: "worldpay stand-in", Client: standinpage.HookedClient(s.client, &s.PaymentResponse)})
}

// send posts a payment response to target and returns the callback's page when it answered
// one (200, HTML).
func (s *Server) send(ctx context.Context, target string, fields url.Values) (page []byte, err error) {
	id := fields.Get("transId")
	if id == "" {
		id = fields.Get("cartId")
	}
	_, ans, err := s.outbox.Send(ctx, Response{ID: id + ":" + fields.Get("transStatus"), Kind: KindResponse, URL: target,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: []byte(fields.Encode())})
	if err != nil || ans.Status != http.StatusOK || !strings.HasPrefix(ans.Header.Get("Content-Type"), "text/html") {
		return nil, err
	}
	return ans.Body, nil
}

// Responses lists the payment responses posted, oldest first.
func (s *Server) Responses() []Response { return s.outbox.List() }

// Resend posts the response id again, byte for byte, as WorldPay's resend does; it
// returns the response with its deliveries.
func (s *Server) Resend(ctx context.Context, id string) (Response, error) {
	r, _, err := s.outbox.Resend(ctx, id)
	return r, err
}
