// Package payflow is a local stand-in for PayPal's Payflow gateway and its hosted checkout
// page, as Boxoffice uses them: Secure Tokens of authorisations (TRXTYPE=A,
// CREATESECURETOKEN=Y), inquiries (I), delayed captures (D) and voids (V) in Payflow's
// name-value format, and the hosted page, where a person (or a test) approves, declines or
// cancels, after which the browser posts the result to the token's return, error or cancel
// URL as Payflow's does, and an approval is posted to the token's SILENTPOSTURL server to
// server (the Silent Post, silentpost.go). It checks what Payflow checks and answers with
// Payflow's RESULT codes: the merchant's login, the required fields, the amount's format,
// one use of a token ID, a token's 30 minutes and three tries.
package payflow

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// PagePath is where the stand-in serves the hosted page (its API is at /).
const PagePath = "/checkout"

// Server is the stand-in: the gateway at / and the hosted page at PagePath.
type Server struct {
	merchants []payflow.Credentials
	mux       *http.ServeMux
	now       func() time.Time
	// SilentPost, when set, receives the Silent Posts instead of the token's SILENTPOSTURL
	// (they are kept in the outbox either way); set it before the stand-in serves.
	SilentPost standinpage.FormHook
	client     *http.Client        // posts the Silent Posts
	outbox     *standinpage.Outbox // the Silent Posts posted

	mu       sync.Mutex
	tokens   map[string]*token // by SECURETOKEN
	tokenIDs map[string]bool   // SECURETOKENIDs ever used, per vendor
	txns     map[string]*txn   // by PNREF
	replies  map[string]reply  // by vendor and X-VPS-REQUEST-ID
}

type token struct {
	vendor, id, secure                            string
	amount                                        int64
	currency, invoice                             string
	returnURL, cancelURL, errorURL, silentPostURL string
	created                                       time.Time
	tries                                         int
	pnref                                         string // the last transaction made with it
}

type txn struct {
	vendor   string
	result   int
	amount   int64
	currency string
	state    int // TRANSSTATE
	token    string
}

// Transaction states the stand-in reports (TRANSSTATE).
const (
	stateAuthorised = 3
	stateCaptured   = 9
	stateVoided     = 12
	stateDeclined   = 1
)

// NewServer returns a stand-in that accepts the given merchants' logins only.
func NewServer(merchants ...payflow.Credentials) *Server {
	s := &Server{
		merchants: merchants, mux: http.NewServeMux(), now: time.Now,
		tokens: map[string]*token{}, tokenIDs: map[string]bool{}, txns: map[string]*txn{}, replies: map[string]reply{},
		client: &http.Client{},
	}
	s.outbox = s.newOutbox()
	s.outbox.Route(s.mux, silentPostsPath)
	s.mux.HandleFunc("POST /{$}", s.gateway)
	s.mux.HandleFunc("GET "+PagePath, s.page)
	s.mux.HandleFunc("POST "+PagePath, s.page)
	s.mux.HandleFunc("POST "+PagePath+"/decide", s.decide)
	return s
}

// SetClock replaces the stand-in's clock (tests of a token's expiry).
func (s *Server) SetClock(now func() time.Time) { s.now = now }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// reply is a gateway answer: name=value pairs in order, the secure token length-tagged as
// Payflow writes it (it may hold & and =).
type reply []paymentpage.Field

func (r reply) String() string {
	parts := make([]string, len(r))
	for i, f := range r {
		if f.Name == "SECURETOKEN" {
			parts[i] = f.Name + "[" + strconv.Itoa(len(f.Value)) + "]=" + f.Value
			continue
		}
		parts[i] = f.Name + "=" + f.Value
	}
	return strings.Join(parts, "&")
}

func result(code int, msg string, more ...paymentpage.Field) reply {
	return append(reply{{Name: "RESULT", Value: strconv.Itoa(code)}, {Name: "RESPMSG", Value: msg}}, more...)
}

func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/namevalue")
	requestID := r.Header.Get("X-VPS-REQUEST-ID")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if requestID == "" || len(requestID) > 32 {
		_, _ = w.Write([]byte(result(7, "Field format error: X-VPS-REQUEST-ID header is required").String()))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = w.Write([]byte(s.transaction(requestID, string(body)).String()))
}

// transaction answers one request. A merchant's repeated request ID gets the first answer
// again, marked DUPLICATE=1, and changes nothing.
func (s *Server) transaction(requestID, body string) reply {
	f, err := payflow.Decode(body)
	if err != nil {
		return result(7, "Field format error: "+err.Error())
	}
	vendor, ok := s.login(f)
	if !ok {
		return result(1, "User authentication failed")
	}
	key := vendor + "\x00" + requestID
	if prev, ok := s.replies[key]; ok {
		return append(prev, paymentpage.Field{Name: "DUPLICATE", Value: "1"})
	}
	out := s.perform(vendor, f)
	s.replies[key] = out
	return out
}

func (s *Server) perform(vendor string, f map[string]string) reply {
	if t := f["TRXTYPE"]; (t == "I" || t == "D" || t == "V") && f["TENDER"] != "C" {
		return result(2, "Invalid tender") // every documented I, D and V carries TENDER=C
	}
	switch f["TRXTYPE"] {
	case "A":
		return s.secureToken(vendor, f)
	case "I":
		return s.inquiry(vendor, f)
	case "D":
		return s.capture(vendor, f)
	case "V":
		return s.void(vendor, f)
	case "":
		return result(7, "Field format error: TRXTYPE is required")
	}
	return result(3, "Invalid transaction type")
}

func (s *Server) login(f map[string]string) (string, bool) {
	for _, m := range s.merchants {
		if strings.EqualFold(f["PARTNER"], m.Partner) && f["VENDOR"] == m.Vendor && f["USER"] == m.User && f["PWD"] == m.Password {
			return m.Vendor, true
		}
	}
	return "", false
}

func (s *Server) secureToken(vendor string, f map[string]string) reply {
	if f["CREATESECURETOKEN"] != "Y" {
		return result(23, "Invalid account number") // card data is entered on the hosted page only
	}
	id := f["SECURETOKENID"]
	if id == "" || len(id) > 36 {
		return result(7, "Field format error: SECURETOKENID must be 1-36 characters")
	}
	if s.tokenIDs[vendor+"\x00"+id] {
		return result(7, "Field format error: Secure Token Id already been used")
	}
	currency := f["CURRENCY"]
	amount, err := paymentpage.ParseAmount(f["AMT"], currency)
	if err != nil || amount <= 0 {
		return result(4, "Invalid amount")
	}
	for _, name := range []string{"RETURNURL", "CANCELURL", "ERRORURL", "SILENTPOSTURL"} {
		if v := f[name]; v != "" && !absolute(v) {
			return result(7, "Field format error: "+name)
		}
	}
	t := &token{
		vendor: vendor, id: id, secure: secureToken(), amount: amount, currency: currency, invoice: f["INVNUM"],
		returnURL: f["RETURNURL"], cancelURL: f["CANCELURL"], errorURL: f["ERRORURL"], silentPostURL: f["SILENTPOSTURL"],
		created: s.now(),
	}
	s.tokenIDs[vendor+"\x00"+id] = true
	s.tokens[t.secure] = t
	return result(0, "Approved", paymentpage.Field{Name: "SECURETOKEN", Value: t.secure}, paymentpage.Field{Name: "SECURETOKENID", Value: id})
}

func (s *Server) inquiry(vendor string, f map[string]string) reply {
	pnref := f["ORIGID"]
	if tok := f["SECURETOKEN"]; tok != "" {
		t, ok := s.tokens[tok]
		if !ok || t.vendor != vendor {
			return result(7, "Field format error: Invalid SECURETOKEN")
		}
		pnref = t.pnref
	}
	x, ok := s.txns[pnref]
	if !ok || x.vendor != vendor {
		return result(payflow.ResultNotFound, "Original transaction ID not found")
	}
	amt, _ := paymentpage.FormatAmount(x.amount, x.currency)
	return result(0, "Approved", paymentpage.Field{Name: "PNREF", Value: newPNREF()},
		paymentpage.Field{Name: "ORIGRESULT", Value: strconv.Itoa(x.result)}, paymentpage.Field{Name: "ORIGPNREF", Value: pnref},
		paymentpage.Field{Name: "TRANSSTATE", Value: strconv.Itoa(x.state)}, paymentpage.Field{Name: "AMT", Value: amt})
}

// authorisation is the approved authorisation ORIGID names, or the refusal Payflow gives.
func (s *Server) authorisation(vendor string, f map[string]string, wrongState int, wrongMsg string) (*txn, reply) {
	x, ok := s.txns[f["ORIGID"]]
	if !ok || x.vendor != vendor {
		return nil, result(payflow.ResultNotFound, "Original transaction ID not found")
	}
	if x.state != stateAuthorised {
		return nil, result(wrongState, wrongMsg)
	}
	return x, nil
}

func (s *Server) capture(vendor string, f map[string]string) reply {
	x, refused := s.authorisation(vendor, f, 111, "Capture error: Only authorization transactions can be captured")
	if refused != nil {
		return refused
	}
	amount := x.amount
	if f["AMT"] != "" {
		var err error
		if amount, err = paymentpage.ParseAmount(f["AMT"], x.currency); err != nil || amount <= 0 || amount > x.amount {
			return result(4, "Invalid amount")
		}
	}
	x.state = stateCaptured
	return s.newTxn(vendor, amount, x.currency, stateCaptured, "")
}

func (s *Server) void(vendor string, f map[string]string) reply {
	x, refused := s.authorisation(vendor, f, 108, "Void error: Cannot void this transaction")
	if refused != nil {
		return refused
	}
	x.state = stateVoided
	return s.newTxn(vendor, x.amount, x.currency, stateVoided, "")
}

func (s *Server) newTxn(vendor string, amount int64, currency string, state int, tok string) reply {
	pnref := newPNREF()
	s.txns[pnref] = &txn{vendor: vendor, amount: amount, currency: currency, state: state, token: tok}
	return result(0, "Approved", paymentpage.Field{Name: "PNREF", Value: pnref})
}

// secureToken is a token shaped like Payflow's (the guide's sample is
// "Fj+1AFUWft0+I0CUFOKh5WA=="): base64, so it holds + / and =, which the length tag and
// the form posts must carry intact.
func secureToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// newPNREF is a transaction ID: 12 letters and digits.
func newPNREF() string { return "E" + rand.Text()[:11] }

func absolute(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
