package paypal

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
)

// checkout is one SetExpressCheckout and what became of it.
type checkout struct {
	grant                string
	amount               int64
	currency, invoice    string
	returnURL, cancelURL string
	notifyURL            string // DoExpressCheckoutPayment's PAYMENTREQUEST_0_NOTIFYURL: where its IPNs go
	created              time.Time
	payerID              string // set when the buyer approved (or declined: funding then fails)
	declined             bool
	authorisation        string // set once DoExpressCheckoutPayment succeeded
}

type authorisation struct {
	grant    string
	amount   int64
	currency string
	state    string // Pending (authorised), Completed (captured), Voided
}

// capture is what DoCapture took of an authorisation, and how much of it was refunded.
type capture struct {
	authorisation    string
	amount, refunded int64
	currency         string
}

// checkoutLifetime is how long PayPal keeps an Express Checkout token.
const checkoutLifetime = 3 * time.Hour

// signatureTolerance is how far a signed call's timestamp may be from the stand-in's clock.
const signatureTolerance = 15 * time.Minute

// nvpFailure is PayPal's Failure answer with one error.
func nvpFailure(code, short, long string) url.Values {
	return url.Values{"ACK": {"Failure"}, "L_ERRORCODE0": {code}, "L_SHORTMESSAGE0": {short}, "L_LONGMESSAGE0": {long}, "L_SEVERITYCODE0": {"Error"}}
}

// scopes each method needs of the merchant's grant.
var methodScope = map[string]string{
	"SetExpressCheckout": "EXPRESS_CHECKOUT", "GetExpressCheckoutDetails": "EXPRESS_CHECKOUT",
	"DoExpressCheckoutPayment": "EXPRESS_CHECKOUT", "DoCapture": "AUTH_CAPTURE", "DoVoid": "AUTH_CAPTURE",
}

func (s *Server) nvp(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	_ = r.ParseForm()
	reply := s.nvpCall(r)
	reply.Set("TIMESTAMP", s.now().UTC().Format(time.RFC3339))
	reply.Set("CORRELATIONID", strings.ToLower(rand.Text()[:13]))
	reply.Set("VERSION", r.PostForm.Get("VERSION"))
	reply.Set("BUILD", "local")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(reply.Encode()))
	s.afterCall(r.PostForm.Get("METHOD"), reply)
}

func (s *Server) nvpCall(r *http.Request) url.Values {
	f := r.PostForm
	method := f.Get("METHOD")
	need, known := methodScope[method]
	if !known {
		return nvpFailure("81002", "Unspecified Method", "Method Specified is not Supported")
	}
	if f.Get("VERSION") == "" {
		return nvpFailure("10002", "Version error", "Version is not supported")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	token, ok := s.signedBy(r)
	if !ok {
		return nvpFailure("10002", "Security error", "Security header is not valid")
	}
	if !slices.Contains(s.grants[token].scopes, need) {
		return nvpFailure("10007", "Permission denied", "You do not have permission to make this API call")
	}
	msg := f.Get("MSGSUBID")
	if prev, ok := s.messages[token+"\x00"+msg]; ok && msg != "" {
		return prev
	}
	var reply url.Values
	switch method {
	case "SetExpressCheckout":
		reply = s.setExpressCheckout(token, f)
	case "GetExpressCheckoutDetails":
		reply = s.getDetails(token, f)
	case "DoExpressCheckoutPayment":
		reply = s.doPayment(token, f)
	case "DoCapture":
		reply = s.doCapture(token, f)
	case "DoVoid":
		reply = s.doVoid(token, f)
	}
	if msg != "" && reply.Get("ACK") == "Success" {
		s.messages[token+"\x00"+msg] = reply
	}
	return reply
}

// signedBy returns the access token a call is signed with, if the signature holds for a
// granted token, this platform, and the URL the call was posted to.
func (s *Server) signedBy(r *http.Request) (string, bool) {
	sc, err := paypal.ParseAuthorization(r.Header.Get(paypal.AuthorizationHeader))
	if err != nil {
		return "", false
	}
	g, ok := s.grants[sc.Token]
	if !ok || s.now().Sub(sc.At).Abs() > signatureTolerance {
		return "", false
	}
	endpoint := "http://" + r.Host + r.URL.Path
	return sc.Token, sc.Verify(s.creds, paypal.Permission{Token: sc.Token, TokenSecret: g.secret}, r.Method, endpoint)
}

func (s *Server) setExpressCheckout(grant string, f url.Values) url.Values {
	if a := f.Get("PAYMENTREQUEST_0_PAYMENTACTION"); a != "Authorization" && a != "Sale" && a != "" {
		return nvpFailure("10004", "Transaction refused because of an invalid argument", "PaymentAction is invalid")
	}
	currency := f.Get("PAYMENTREQUEST_0_CURRENCYCODE")
	if currency == "" {
		currency = "USD"
	}
	if !slices.Contains([]string{"USD", "CAD", "GBP", "EUR", "JPY", "AUD"}, currency) {
		return nvpFailure("10605", "Currency is not supported", "Currency is not supported")
	}
	amount, err := paymentpage.ParseAmount(f.Get("PAYMENTREQUEST_0_AMT"), currency)
	if f.Get("PAYMENTREQUEST_0_AMT") == "" {
		return nvpFailure("10400", "Transaction refused because of an invalid argument", "Order total is missing.")
	}
	if err != nil || amount <= 0 {
		return nvpFailure("10401", "Transaction refused because of an invalid argument", "Order total is invalid.")
	}
	if !absolute(f.Get("RETURNURL")) {
		return nvpFailure("10471", "Transaction refused because of an invalid argument", "ReturnURL is missing.")
	}
	if !absolute(f.Get("CANCELURL")) {
		return nvpFailure("10472", "Transaction refused because of an invalid argument", "CancelURL is missing.")
	}
	token := "EC-" + rand.Text()[:17]
	s.checkouts[token] = &checkout{
		grant: grant, amount: amount, currency: currency, invoice: f.Get("PAYMENTREQUEST_0_INVNUM"),
		returnURL: f.Get("RETURNURL"), cancelURL: f.Get("CANCELURL"), created: s.now(),
	}
	return url.Values{"ACK": {"Success"}, "TOKEN": {token}}
}

// live returns the merchant's unexpired checkout the call names.
func (s *Server) live(grant string, f url.Values) (*checkout, url.Values) {
	c, ok := s.checkouts[f.Get("TOKEN")]
	if !ok || c.grant != grant {
		return nil, nvpFailure("10410", "Invalid token", "Invalid token.")
	}
	if s.now().Sub(c.created) > checkoutLifetime {
		return nil, nvpFailure("10411", "This Express Checkout session has expired.", "This Express Checkout session has expired. Token value is no longer valid.")
	}
	return c, nil
}

func (s *Server) getDetails(grant string, f url.Values) url.Values {
	c, refused := s.live(grant, f)
	if refused != nil {
		return refused
	}
	amt, _ := paymentpage.FormatAmount(c.amount, c.currency)
	status := "PaymentActionNotInitiated"
	if c.authorisation != "" {
		status = "PaymentActionCompleted"
	}
	reply := url.Values{
		"ACK": {"Success"}, "TOKEN": {f.Get("TOKEN")}, "CHECKOUTSTATUS": {status}, "PAYMENTREQUEST_0_AMT": {amt},
		"PAYMENTREQUEST_0_CURRENCYCODE": {c.currency}, "PAYMENTREQUEST_0_INVNUM": {c.invoice},
	}
	if c.payerID != "" {
		reply.Set("PAYERID", c.payerID)
		reply.Set("PAYERSTATUS", "verified")
		reply.Set("EMAIL", "buyer@buyer.example")
	}
	return reply
}

func (s *Server) doPayment(grant string, f url.Values) url.Values {
	c, refused := s.live(grant, f)
	switch {
	case refused != nil:
		return refused
	case f.Get("PAYERID") == "":
		return nvpFailure("10419", "Express Checkout PayerID is missing.", "Express Checkout PayerID is missing.")
	case f.Get("PAYERID") != c.payerID:
		return nvpFailure("10406", "Transaction refused because of an invalid argument", "The PayerID value is invalid.")
	case c.authorisation != "":
		return nvpFailure("10415", "Transaction refused because of an invalid argument", "A successful transaction has already been completed for this token.")
	case f.Get("PAYMENTREQUEST_0_CURRENCYCODE") != c.currency:
		return nvpFailure("10444", "Transaction refused because of an invalid argument", "The transaction currency specified must be the same as previously specified.")
	case c.declined:
		return nvpFailure("10417", "Transaction cannot complete.", "The transaction cannot complete successfully. Instruct the customer to use an alternative payment method.")
	}
	amount, err := paymentpage.ParseAmount(f.Get("PAYMENTREQUEST_0_AMT"), c.currency)
	if err != nil || amount <= 0 || amount > c.amount {
		return nvpFailure("10401", "Transaction refused because of an invalid argument", "Order total is invalid.")
	}
	id := rand.Text()[:17]
	c.authorisation = id
	if absolute(f.Get("PAYMENTREQUEST_0_NOTIFYURL")) {
		c.notifyURL = f.Get("PAYMENTREQUEST_0_NOTIFYURL") // PayPal reads it here only, not at SetExpressCheckout
	}
	s.auths[id] = &authorisation{grant: grant, amount: amount, currency: c.currency, state: "Pending"}
	amt, _ := paymentpage.FormatAmount(amount, c.currency)
	return url.Values{
		"ACK": {"Success"}, "TOKEN": {f.Get("TOKEN")}, "PAYMENTINFO_0_TRANSACTIONID": {id}, "PAYMENTINFO_0_TRANSACTIONTYPE": {"expresscheckout"},
		"PAYMENTINFO_0_PAYMENTTYPE": {"instant"}, "PAYMENTINFO_0_AMT": {amt}, "PAYMENTINFO_0_CURRENCYCODE": {c.currency},
		"PAYMENTINFO_0_PAYMENTSTATUS": {"Pending"}, "PAYMENTINFO_0_PENDINGREASON": {"authorization"}, "PAYMENTINFO_0_ACK": {"Success"},
	}
}

// pending returns the merchant's authorisation the call names, while it can be captured
// or voided.
func (s *Server) pending(grant string, f url.Values) (*authorisation, url.Values) {
	a, ok := s.auths[f.Get("AUTHORIZATIONID")]
	switch {
	case !ok || a.grant != grant:
		return nil, nvpFailure("10609", "Transaction id is invalid.", "Transaction id is invalid.")
	case a.state == "Voided":
		return nil, nvpFailure("10600", "Authorization is voided.", "Authorization is voided.")
	case a.state == "Completed":
		return nil, nvpFailure("10602", "Authorization has already been completed.", "Authorization has already been completed.")
	}
	return a, nil
}

func (s *Server) doCapture(grant string, f url.Values) url.Values {
	a, refused := s.pending(grant, f)
	if refused != nil {
		return refused
	}
	if f.Get("COMPLETETYPE") != "Complete" && f.Get("COMPLETETYPE") != "NotComplete" {
		return nvpFailure("81115", "Missing Parameter", "CompleteType: Required parameter missing")
	}
	amount, err := paymentpage.ParseAmount(f.Get("AMT"), f.Get("CURRENCYCODE"))
	if f.Get("CURRENCYCODE") != a.currency || err != nil || amount <= 0 || amount > a.amount {
		return nvpFailure("10610", "Amount specified exceeds allowable limit", "Amount specified exceeds allowable limit.")
	}
	a.state = "Completed"
	id := rand.Text()[:17]
	s.captures[id] = &capture{authorisation: f.Get("AUTHORIZATIONID"), amount: amount, currency: a.currency}
	return url.Values{
		"ACK": {"Success"}, "AUTHORIZATIONID": {f.Get("AUTHORIZATIONID")}, "TRANSACTIONID": {id},
		"PAYMENTSTATUS": {"Completed"}, "AMT": {f.Get("AMT")}, "CURRENCYCODE": {a.currency},
	}
}

func (s *Server) doVoid(grant string, f url.Values) url.Values {
	a, refused := s.pending(grant, f)
	if refused != nil {
		return refused
	}
	a.state = "Voided"
	return url.Values{"ACK": {"Success"}, "AUTHORIZATIONID": {f.Get("AUTHORIZATIONID")}}
}

func absolute(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
