package paypal

import (
	"crypto/rand"
	"net/http"
	"net/url"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// approvalPage is where the buyer logs in and approves the checkout, on PayPal.
func (s *Server) approvalPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	s.mu.Lock()
	c, ok := s.checkouts[token]
	s.mu.Unlock()
	if !ok || s.now().Sub(c.created) > checkoutLifetime {
		standinpage.Message(w, http.StatusBadRequest, "PayPal", "This checkout session is invalid or has expired.")
		return
	}
	amt, _ := paymentpage.FormatAmount(c.amount, c.currency)
	standinpage.Decision{
		Provider: "PayPal", Title: "Pay " + amt + " " + c.currency + " with PayPal",
		Lines:  [][2]string{{"Invoice", c.invoice}, {"Amount", amt + " " + c.currency}},
		Action: "/cgi-bin/webscr",
		Hidden: []paymentpage.Field{{Name: "cmd", Value: "_express-checkout"}, {Name: "token", Value: token}},
	}.Render(w)
}

// approve is the buyer's choice: PayPal redirects to the return URL with token and PayerID
// (after a decline too: the funding then fails at DoExpressCheckoutPayment, as a card PayPal
// cannot charge does), or to the cancel URL with the token.
func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("token")
	decision := r.PostFormValue("decision")
	s.mu.Lock()
	c, ok := s.checkouts[token]
	var returnURL, cancelURL, payerID string
	if ok {
		if c.authorisation == "" && (decision == standinpage.Approve || decision == standinpage.Decline) {
			if c.payerID == "" {
				c.payerID = rand.Text()[:13]
			}
			c.declined = decision == standinpage.Decline
		}
		returnURL, cancelURL, payerID = c.returnURL, c.cancelURL, c.payerID
	}
	s.mu.Unlock()
	if !ok {
		standinpage.Message(w, http.StatusBadRequest, "PayPal", "This checkout session is invalid or has expired.")
		return
	}
	target, q := cancelURL, url.Values{"token": {token}}
	switch decision {
	case standinpage.Approve, standinpage.Decline:
		target = returnURL
		q.Set("PayerID", payerID)
	case standinpage.Cancel:
	default:
		standinpage.Message(w, http.StatusBadRequest, "PayPal", "Choose approve, decline or cancel.")
		return
	}
	back, _ := url.Parse(target)
	merged := back.Query()
	for k, v := range q {
		merged[k] = v
	}
	back.RawQuery = merged.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}
