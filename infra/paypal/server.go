// Package paypal is a local stand-in for the parts of PayPal that Boxoffice uses, so they
// run end to end without a PayPal account: the Permissions API (RequestPermissions,
// GetAccessToken, name-value requests, JSON answers) and the page where the merchant grants
// the permission (cmd=_grant-permission), which sends the browser back to the callback with
// request_token and verification_code; and Express Checkout on the merchant's account
// through that permission: the NVP API at /nvp (SetExpressCheckout,
// GetExpressCheckoutDetails, DoExpressCheckoutPayment, DoCapture, DoVoid), each call signed
// with a granted access token, and the page where the buyer approves, declines or cancels
// (cmd=_express-checkout); and notifications (notify.go): IPNs, answered at the post-back
// (cmd=_notify-validate on /cgi-bin/webscr), and REST webhook events signed with its own
// certificate, sent and resent through the functions and the /_standin/ API there.
package paypal

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
)

// Server is the stand-in. It serves both the API host and the merchant-facing host.
type Server struct {
	creds paypal.Credentials
	mux   *http.ServeMux

	now func() time.Time

	mu        sync.Mutex
	requests  map[string]*request       // by request token
	grants    map[string]*grant         // by access token
	checkouts map[string]*checkout      // by EC token
	auths     map[string]*authorisation // by authorisation ID
	messages  map[string]url.Values     // first answers, by access token and MSGSUBID

	notify     NotifyConfig
	outbox     *standinpage.Outbox // the notifications sent
	signerOnce sync.Once
	signer     *signer
	signerErr  error
}

// grant is a permission a merchant granted.
type grant struct {
	secret string
	scopes []string
}

type request struct {
	callback string
	scopes   []string
	verifier string // set once granted
	used     bool
}

// NewServer returns a stand-in that accepts calls made with creds only.
func NewServer(creds paypal.Credentials) *Server {
	s := &Server{
		creds: creds, mux: http.NewServeMux(), now: time.Now, requests: map[string]*request{}, grants: map[string]*grant{},
		checkouts: map[string]*checkout{}, auths: map[string]*authorisation{}, messages: map[string]url.Values{},
	}
	s.outbox = standinpage.NewOutbox(standinpage.OutboxConfig{Name: "paypal stand-in", Renew: s.renew})
	s.mux.HandleFunc("POST /Permissions/RequestPermissions", s.requestPermissions)
	s.mux.HandleFunc("POST /Permissions/GetAccessToken", s.getAccessToken)
	s.mux.HandleFunc("GET /cgi-bin/webscr", s.webscr(s.grantPage, s.approvalPage))
	s.mux.HandleFunc("POST /cgi-bin/webscr", s.webscr(s.grant, s.approve))
	s.mux.HandleFunc("POST /nvp", s.nvp)
	s.mux.HandleFunc("GET /_standin/certs/{id}", s.certHandler)
	s.mux.HandleFunc("GET /_standin/ca.pem", s.caHandler)
	s.outbox.Route(s.mux, "/_standin/notifications")
	s.mux.HandleFunc("POST /_standin/authorisations/{id}/notify", s.notifyHandler)
	return s
}

// SetClock replaces the stand-in's clock (tests of expiry and signature times).
func (s *Server) SetClock(now func() time.Time) { s.now = now }

// webscr dispatches PayPal's one merchant- and buyer-facing path on its cmd; a post
// starting with cmd=_notify-validate is an IPN post-back, which is answered on its raw bytes.
func (s *Server) webscr(grant, checkout http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(len(ipn.ValidatePrefix)+ipn.MaxBody)))
			if err != nil {
				http.Error(w, "the request is too large", http.StatusRequestEntityTooLarge)
				return
			}
			if bytes.HasPrefix(body, []byte(ipn.ValidatePrefix)) {
				s.notifyValidate(w, body)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		switch r.FormValue("cmd") {
		case "_grant-permission":
			grant(w, r)
		case "_express-checkout":
			checkout(w, r)
		default:
			http.Error(w, "unknown cmd", http.StatusNotFound)
		}
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) authorized(r *http.Request) bool {
	h := r.Header
	return h.Get("X-PAYPAL-SECURITY-USERID") == s.creds.UserID && h.Get("X-PAYPAL-SECURITY-PASSWORD") == s.creds.Password &&
		h.Get("X-PAYPAL-SECURITY-SIGNATURE") == s.creds.Signature && h.Get("X-PAYPAL-APPLICATION-ID") == s.creds.AppID &&
		h.Get("X-PAYPAL-REQUEST-DATA-FORMAT") == "NV" && h.Get("X-PAYPAL-RESPONSE-DATA-FORMAT") == "JSON"
}

func answer(w http.ResponseWriter, fields map[string]any) {
	fields["responseEnvelope"] = map[string]any{"ack": "Success", "build": "local"}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(fields)
}

func failure(w http.ResponseWriter, id, msg string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"responseEnvelope": map[string]any{"ack": "Failure", "build": "local"},
		"error":            []map[string]any{{"errorId": id, "domain": "PLATFORM", "severity": "Error", "message": msg}},
	})
}

func (s *Server) requestPermissions(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		failure(w, "520003", "Authentication failed. API credentials are incorrect.")
		return
	}
	_ = r.ParseForm()
	callback := r.PostForm.Get("callback")
	if u, err := url.Parse(callback); callback == "" || err != nil || !u.IsAbs() {
		failure(w, "580022", "Invalid request parameter: callback")
		return
	}
	var scopes []string
	for i := 0; ; i++ {
		sc := r.PostForm.Get("scope(" + strconv.Itoa(i) + ")")
		if sc == "" {
			break
		}
		scopes = append(scopes, sc)
	}
	if len(scopes) == 0 {
		failure(w, "580022", "Invalid request parameter: scope")
		return
	}
	token := "AAAAAAA" + random(10)
	s.mu.Lock()
	s.requests[token] = &request{callback: callback, scopes: scopes}
	s.mu.Unlock()
	answer(w, map[string]any{"token": token})
}

var page = template.Must(template.New("grant").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>PayPal (local stand-in): grant permission</title></head>
<body>
<h1>Grant API permission</h1>
<p>Boxoffice asks for permission to: {{range .Scopes}}<code>{{.}}</code> {{end}}</p>
<form method="post" action="/cgi-bin/webscr">
<input type="hidden" name="cmd" value="_grant-permission">
<input type="hidden" name="request_token" value="{{.Token}}">
<button type="submit">Grant permission</button>
</form>
</body></html>`))

func (s *Server) grantPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("request_token")
	s.mu.Lock()
	req, ok := s.requests[token]
	s.mu.Unlock()
	if r.URL.Query().Get("cmd") != "_grant-permission" || !ok {
		http.Error(w, "unknown request token", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = page.Execute(w, map[string]any{"Token": token, "Scopes": req.scopes})
}

// grant is the merchant pressing "Grant": PayPal sends the browser back to the callback.
func (s *Server) grant(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	token := r.PostForm.Get("request_token")
	s.mu.Lock()
	req, ok := s.requests[token]
	if ok && req.verifier == "" {
		req.verifier = random(12)
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "unknown request token", http.StatusNotFound)
		return
	}
	back, _ := url.Parse(req.callback)
	q := back.Query()
	q.Set("request_token", token)
	q.Set("verification_code", req.verifier)
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (s *Server) getAccessToken(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		failure(w, "520003", "Authentication failed. API credentials are incorrect.")
		return
	}
	_ = r.ParseForm()
	token, verifier := r.PostForm.Get("token"), r.PostForm.Get("verifier")
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.requests[token]
	if !ok || req.verifier == "" || req.verifier != verifier || req.used {
		failure(w, "580029", "The request token or verification code is invalid")
		return
	}
	req.used = true
	token, secret := "access-"+random(12), "secret-"+random(16)
	s.grants[token] = &grant{secret: secret, scopes: req.scopes}
	answer(w, map[string]any{"scope": req.scopes, "token": token, "tokenSecret": secret})
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
