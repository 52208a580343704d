package payflow

import (
	"context"
	"net/http"
	"strconv"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// maxTries is how often a token may be paid with before Payflow refuses it.
const maxTries = 3

// usable returns the token the browser posted, if the hosted page would still take it.
func (s *Server) usable(r *http.Request) (*token, string) {
	_ = r.ParseForm()
	t, ok := s.tokens[r.Form.Get("SECURETOKEN")]
	switch {
	case !ok || t.id != r.Form.Get("SECURETOKENID"):
		return nil, "The secure token or its ID is not valid."
	case s.now().Sub(t.created) > payflow.TokenLifetime:
		return nil, "The secure token has expired."
	case t.tries >= maxTries || (t.pnref != "" && s.txns[t.pnref].result == 0):
		return nil, "The secure token has been used."
	}
	return t, ""
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t, why := s.usable(r)
	s.mu.Unlock()
	if t == nil {
		standinpage.Message(w, http.StatusBadRequest, "Payflow: cannot show this payment", why)
		return
	}
	amt, _ := paymentpage.FormatAmount(t.amount, t.currency)
	standinpage.Decision{
		Provider: "Payflow", Title: "Pay " + amt + " " + t.currency,
		Lines:  [][2]string{{"Merchant", t.vendor}, {"Invoice", t.invoice}, {"Amount", amt + " " + t.currency}},
		Action: PagePath + "/decide",
		Hidden: []paymentpage.Field{{Name: "SECURETOKEN", Value: t.secure}, {Name: "SECURETOKENID", Value: t.id}},
	}.Render(w)
}

// decide is the buyer's choice: the browser is posted on to the return URL (approved), the
// error URL (declined) or the cancel URL, with the fields Payflow posts.
func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t, why := s.usable(r)
	if t == nil {
		s.mu.Unlock()
		standinpage.Message(w, http.StatusBadRequest, "Payflow: cannot take this payment", why)
		return
	}
	decision := r.Form.Get("decision")
	if decision == standinpage.Cancel {
		s.mu.Unlock()
		standinpage.AutoPost(w, t.cancelURL, []paymentpage.Field{{Name: "SECURETOKEN", Value: t.secure}, {Name: "SECURETOKENID", Value: t.id}})
		return
	}
	if decision != standinpage.Approve && decision != standinpage.Decline {
		s.mu.Unlock()
		standinpage.Message(w, http.StatusBadRequest, "Payflow", "Choose approve, decline or cancel.")
		return
	}
	t.tries++
	code, msg, target, state := 0, "Approved", t.returnURL, stateAuthorised
	if decision == standinpage.Decline {
		code, msg, target, state = 12, "Declined", t.errorURL, stateDeclined
	}
	pnref := s.newTxn(t.vendor, t.amount, t.currency, state, t.secure)[2].Value
	s.txns[pnref].result = code
	t.pnref = pnref
	amt, _ := paymentpage.FormatAmount(t.amount, t.currency)
	fields := []paymentpage.Field{
		{Name: "RESULT", Value: strconv.Itoa(code)}, {Name: "RESPMSG", Value: msg}, {Name: "PNREF", Value: pnref},
		{Name: "TRXTYPE", Value: "A"}, {Name: "AMT", Value: amt}, {Name: "TENDER", Value: "CC"},
		{Name: "INVNUM", Value: t.invoice}, {Name: "INVOICE", Value: t.invoice},
		{Name: "SECURETOKEN", Value: t.secure}, {Name: "SECURETOKENID", Value: t.id},
	}
	if code == 0 {
		fields = append(fields, paymentpage.Field{Name: "AUTHCODE", Value: "010010"})
	}
	silent := t.silentPostURL
	s.mu.Unlock()
	if silent != "" && code == 0 {
		s.silentPost(context.WithoutCancel(r.Context()), silent, pnref, fields)
	}
	standinpage.AutoPost(w, target, fields)
}
