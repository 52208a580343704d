// Package worldpay is a local stand-in for WorldPay's Business Gateway as Boxoffice uses it:
// the payment page (/wcc/purchase), where a person (or a test) approves, declines or cancels
// a purchase, the payment response is posted to the callback URL (responses.go: receiving
// it is the webhooks function's job) and the buyer sees the page the callback answered (or
// WorldPay's own result); and remote administration (/wcc/itransaction, op=postAuth-full). It checks what
// WorldPay checks: a known installation, the required fields, the amount's format, the MD5
// signature when the installation has a secret, the remote admin password.
package worldpay

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/worldpay"
)

// Installation is a purchase installation as set up in WorldPay's merchant interface.
type Installation struct {
	ID               string
	MD5Secret        string // when set, every purchase must be signed
	CallbackURL      string // the Payment Response URL; MC_callback when the purchase sends one
	CallbackPassword string
}

// RemoteAdmin is a remote administration installation, acting on the purchases of For.
type RemoteAdmin struct {
	ID, Password, For string
}

// Server is the stand-in.
type Server struct {
	installs map[string]Installation
	admins   map[string]RemoteAdmin
	mux      *http.ServeMux
	// PaymentResponse, when set, receives what WorldPay posts to the callback URL instead
	// of the post.
	PaymentResponse standinpage.FormHook
	client          *http.Client

	mu        sync.Mutex
	purchases map[string]*purchase // by the page's purchase key
	trans     map[string]*purchase // by transId
	outbox    *standinpage.Outbox  // the payment responses posted
}

type purchase struct {
	fields  url.Values
	install Installation
	transID string
	state   string // "", authorised, captured, cancelled
}

// NewServer returns a stand-in with these installations.
func NewServer(installs []Installation, admins []RemoteAdmin) *Server {
	s := &Server{installs: map[string]Installation{}, admins: map[string]RemoteAdmin{}, mux: http.NewServeMux(),
		purchases: map[string]*purchase{}, trans: map[string]*purchase{}, client: &http.Client{}}
	for _, in := range installs {
		s.installs[in.ID] = in
	}
	for _, a := range admins {
		s.admins[a.ID] = a
	}
	s.mux.HandleFunc("/wcc/purchase", s.purchasePage)
	s.mux.HandleFunc("POST /wcc/purchase/decide", s.decide)
	s.mux.HandleFunc("POST /wcc/itransaction", s.remoteAdmin)
	s.outbox = s.newOutbox()
	s.outbox.Route(s.mux, "/_standin/responses")
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// check is WorldPay's reading of a purchase: why it is refused, or "".
func (s *Server) check(f url.Values) (Installation, string) {
	in, ok := s.installs[f.Get("instId")]
	switch {
	case !ok:
		return in, "The installation ID is not valid."
	case f.Get("cartId") == "" || len(f.Get("cartId")) > 255:
		return in, "cartId is missing or too long."
	case !slices.Contains([]string{"USD", "CAD", "GBP", "EUR", "JPY", "AUD"}, f.Get("currency")):
		return in, "The currency is missing or not supported."
	case f.Get("testMode") != "" && f.Get("testMode") != "0" && f.Get("testMode") != "100" && f.Get("testMode") != "101":
		return in, "testMode is not valid."
	case f.Get("authMode") != "" && f.Get("authMode") != "A" && f.Get("authMode") != "E":
		return in, "authMode is not valid."
	}
	if n, err := paymentpage.ParseAmount(f.Get("amount"), f.Get("currency")); err != nil || n <= 0 {
		return in, "The amount is missing or not valid."
	}
	if in.MD5Secret != "" {
		names := strings.Split(f.Get("signatureFields"), ":")
		values := make([]string, len(names))
		for i, n := range names {
			values[i] = f.Get(n)
		}
		if f.Get("signatureFields") == "" || f.Get("signature") != worldpay.Signature(in.MD5Secret, values...) {
			return in, "The signature does not match the order details."
		}
	}
	return in, ""
}

func (s *Server) purchasePage(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	_ = r.ParseForm()
	in, why := s.check(r.Form)
	if why != "" {
		standinpage.Message(w, http.StatusBadRequest, "WorldPay: the order cannot be processed", why)
		return
	}
	key := rand.Text()
	s.mu.Lock()
	s.purchases[key] = &purchase{fields: r.Form, install: in}
	s.mu.Unlock()
	f := r.Form
	standinpage.Decision{
		Provider: "WorldPay", Title: "Pay " + f.Get("amount") + " " + f.Get("currency"),
		Lines:  [][2]string{{"Order", f.Get("cartId")}, {"Description", f.Get("desc")}, {"Amount", f.Get("amount") + " " + f.Get("currency")}},
		Action: "/wcc/purchase/decide",
		Hidden: []paymentpage.Field{{Name: "purchase", Value: key}},
	}.Render(w)
}

// decide is the buyer's choice. Approved or cancelled, the buyer sees WorldPay's result and
// the payment response goes to the callback URL; declined, the buyer is told so and may try
// again (WorldPay sends no payment response for a decline).
func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.purchases[r.PostFormValue("purchase")]
	if !ok || p.state != "" {
		s.mu.Unlock()
		standinpage.Message(w, http.StatusBadRequest, "WorldPay", "This payment is unknown or finished.")
		return
	}
	status, title, text := "", "", ""
	switch r.PostFormValue("decision") {
	case standinpage.Approve:
		p.transID = transID()
		p.state, status, title, text = "authorised", "Y", "Thank you, your payment was successful", "Transaction "+p.transID+", order "+p.fields.Get("cartId")+"."
		s.trans[p.transID] = p
	case standinpage.Cancel:
		p.state, status, title, text = "cancelled", "C", "Your payment has been cancelled", "Order "+p.fields.Get("cartId")+" was not paid."
	case standinpage.Decline:
		s.mu.Unlock()
		standinpage.Message(w, http.StatusOK, "Your payment was declined", "The card was declined; go back to try another.")
		return
	default:
		s.mu.Unlock()
		standinpage.Message(w, http.StatusBadRequest, "WorldPay", "Choose approve, decline or cancel.")
		return
	}
	response := s.paymentResponse(p, status)
	target := p.fields.Get("MC_callback")
	if target == "" {
		target = p.install.CallbackURL
	}
	s.mu.Unlock()
	if target != "" {
		// WorldPay shows the buyer the callback's page when it answers one.
		if page, err := s.send(context.WithoutCancel(r.Context()), target, response); err == nil && page != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(page)
			return
		}
	}
	standinpage.Message(w, http.StatusOK, title, text)
}

func (s *Server) paymentResponse(p *purchase, status string) url.Values {
	f := p.fields
	out := url.Values{
		"transStatus": {status}, "transId": {p.transID}, "cartId": {f.Get("cartId")}, "instId": {f.Get("instId")},
		"amount": {f.Get("amount")}, "currency": {f.Get("currency")}, "authAmount": {f.Get("amount")}, "authCurrency": {f.Get("currency")},
		"authMode": {f.Get("authMode")}, "testMode": {f.Get("testMode")}, "callbackPW": {p.install.CallbackPassword},
		"transTime": {fmt.Sprint(time.Now().UnixMilli())}, "name": {f.Get("name")}, "email": {f.Get("email")}, "desc": {f.Get("desc")},
	}
	if status == "Y" {
		out.Set("rawAuthCode", "A")
		out.Set("rawAuthMessage", "cardbe.msg.authorised")
	}
	for k, v := range f {
		if strings.HasPrefix(k, "MC_") {
			out[k] = v
		}
	}
	return out
}

func (s *Server) remoteAdmin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_ = r.ParseForm()
	f := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.admins[f.Get("instId")]
	if !ok || f.Get("authPW") != a.Password {
		fmt.Fprint(w, "E,Authentication failed")
		return
	}
	if f.Get("op") != "postAuth-full" {
		fmt.Fprint(w, "E,Unknown operation")
		return
	}
	p, ok := s.trans[f.Get("transId")]
	switch {
	case !ok || p.install.ID != a.For:
		fmt.Fprint(w, "E,Transaction not found")
	case (p.fields.Get("testMode") == "0") != (f.Get("testMode") == "0" || f.Get("testMode") == ""):
		fmt.Fprint(w, "E,testMode does not match the transaction")
	case p.fields.Get("authMode") != "E" || p.state != "authorised":
		fmt.Fprint(w, "E,Transaction is not a pre-authorisation awaiting capture")
	default:
		p.state = "captured"
		fmt.Fprint(w, "A,"+f.Get("transId")+",Transaction captured")
	}
}

func transID() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(9_000_000_000))
	return fmt.Sprint(1_000_000_000 + n.Int64())
}
