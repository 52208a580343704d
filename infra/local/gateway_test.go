package local

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
)

func testSigner(t *testing.T) *Signer {
	t.Helper()
	s, err := LoadSigner(filepath.Join(t.TempDir(), "key"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignerRoundTripAndReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "key")
	s1, err := LoadSigner(path)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s1.Mint("u1", "u1@example.com", []string{"acme", "globex"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := LoadSigner(path) // the same key, read back: tokens survive a restart
	if err != nil {
		t.Fatal(err)
	}
	claims, err := s2.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if claims["sub"] != "u1" || claims["sites"] != "[acme globex]" || claims["iss"] != Issuer || claims["email"] != "u1@example.com" {
		t.Fatalf("claims = %v", claims)
	}
}

func TestSignerRefuses(t *testing.T) {
	s := testSigner(t)
	other := testSigner(t)
	expired, _ := s.Mint("u", "", []string{"a"}, -time.Minute)
	foreign, _ := other.Mint("u", "", []string{"a"}, time.Hour)
	wrongAud, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": Issuer, "aud": "someone-else", "sub": "u", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(s.key)
	noExp, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": Issuer, "aud": Audience, "sub": "u"}).SignedString(s.key)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"iss": Issuer, "aud": Audience, "sub": "u", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for name, tok := range map[string]string{"expired": expired, "foreign key": foreign, "wrong audience": wrongAud, "no expiry": noExp, "alg none": none, "garbage": "abc.def.ghi", "empty": ""} {
		if _, err := s.Verify(tok); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestMintRefusesWhatIsNoSiteID: the local token tool cannot make a token for a site the
// product could not have (make token SITE="acme demo" is refused, not split).
func TestMintRefusesWhatIsNoSiteID(t *testing.T) {
	s := testSigner(t)
	for _, bad := range [][]string{{"acme demo"}, {"acme", ""}, {"Acme"}, {"acme,globex"}} {
		if tok, err := s.Mint("u", "", bad, time.Hour); err == nil {
			t.Errorf("Mint(%q) = %q, want refused", bad, tok)
		}
	}
	if _, err := s.Mint("u", "", []string{"acme", "globex-2"}, time.Hour); err != nil {
		t.Errorf("two good sites: %v", err)
	}
}

// TestGatewayServesFunctionsWithClaims runs the settings function behind the gateway, as
// `make run` does, and checks the token → claims → function path end to end.
func TestGatewayServesFunctionsWithClaims(t *testing.T) {
	srv, signer := gateway(t)
	mine, _ := signer.Mint("admin", "admin@acme.example", []string{"acme"}, time.Hour)
	call := caller(t, srv)

	if status, body, h := call("GET", "/sites/acme/settings", "", ""); status != 401 || body["message"] != "Unauthorized" ||
		!strings.Contains(h.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("no token: %d %v %v", status, body, h)
	}
	if status, body, h := call("GET", "/sites/acme/settings", "not-a-token", ""); status != 401 || body["message"] != "Unauthorized" ||
		!strings.Contains(h.Get("WWW-Authenticate"), "not valid") {
		t.Fatalf("bad token: %d %v %v", status, body, h)
	}
	if status, _, _ := call("GET", "/sites/globex/settings", mine, ""); status != 403 {
		t.Fatalf("other site: %d", status)
	}
	if status, body, _ := call("GET", "/nowhere", mine, ""); status != 404 || body["message"] != "Not Found" {
		t.Fatalf("unknown route: %d %v", status, body)
	}
	// A known path with a method it does not have: 405 with what it has.
	if status, body, h := call("DELETE", "/sites/acme/settings/events", mine, ""); status != 405 ||
		h.Get("Allow") != "GET, PATCH" || body["error"].(map[string]any)["code"] != "method_not_allowed" {
		t.Fatalf("wrong method: %d %v %v", status, body, h)
	}
	status, body, hdr := call("PATCH", "/sites/acme/settings/events", mine, `{"merchantName":"Acme"}`)
	if status != 200 || body["config"].(map[string]any)["merchantName"] != "Acme" || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("patch: %d %v %v", status, body, hdr)
	}
	status, body, _ = call("GET", "/sites/acme/audit?limit=1", mine, "")
	entries, _ := body["entries"].([]any)
	if status != 200 || len(entries) != 1 || entries[0].(map[string]any)["actor"] != "admin <admin@acme.example>" {
		t.Fatalf("audit: %d %v", status, body)
	}
}

// gateway mounts every function as `make run` does, against DynamoDB Local and the
// in-process stand-ins.
func gateway(t *testing.T) (*httptest.Server, *Signer) {
	t.Helper()
	srv, signer, _ := gatewayOn(t)
	return srv, signer
}

// gatewayOn is gateway, with the local resources and stand-ins it serves.
func gatewayOn(t *testing.T) (*httptest.Server, *Signer, *testenv.Local) {
	t.Helper()
	l := testenv.NewLocal(t)
	signer := testSigner(t)
	store := NewNotifyingBackend(s3mem.New(), testenv.Logger(t))
	t.Cleanup(func() { _ = store.Close() })
	// The functions are told the gateway's URL, as make run does: it listens first.
	srv := httptest.NewUnstartedServer(nil)
	api := "http://" + srv.Listener.Addr().String()
	gw, err := mountAll(l.Template, localenv.Refs(localenv.Resources(l.Template, l.Tables)), l.StandIns(t, api), "",
		registry.Clients{DynamoDB: l.DB, SecretsManager: l.SecretsManager, S3: l.S3, SES: l.SES}, store, signer, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = gw
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, signer, l
}

type call func(method, path, token, body string) (int, map[string]any, http.Header)

func caller(t *testing.T, srv *httptest.Server) call { return callerAt(t, srv.URL) }

// callerAt calls the API at base (a running stack's APIURL).
func callerAt(t *testing.T, base string) call {
	return func(method, path, token, body string) (int, map[string]any, http.Header) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: body %q", method, path, raw)
		}
		return resp.StatusCode, out, resp.Header
	}
}

// TestExpressCheckoutPermissionFlow is the grant flow end to end, over HTTP as a browser
// and the console would drive it: set up Express Checkout, ask for the link, open it on
// (the stand-in of) PayPal, press Grant, follow PayPal's redirect to the public callback,
// and find the permission granted; the link does not work twice.
func TestExpressCheckoutPermissionFlow(t *testing.T) {
	srv, signer := gateway(t)
	token, _ := signer.Mint("admin", "admin@acme.example", []string{"acme"}, time.Hour)
	call := caller(t, srv)
	granted, html := grantExpressCheckout(t, call, token)
	if granted.StatusCode != 200 || !strings.Contains(html, "permission granted") || !strings.HasPrefix(granted.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("callback: %d %s", granted.StatusCode, html)
	}
	// The callback PayPal sent the browser to is the gateway's: the URL the functions are
	// configured with.
	if cb := granted.Request.URL.String(); !strings.HasPrefix(cb, srv.URL+"/providers/paypal/permission/callback?") {
		t.Errorf("PayPal sent the browser to %s, not to the gateway at %s", cb, srv.URL)
	}
	status, got, _ := call("GET", "/sites/acme/providers/events", token, "")
	perm, _ := got["provider"].(map[string]any)["apiPermission"].(map[string]any)
	if status != 200 || perm["granted"] != true || perm["env"] != "sandbox" {
		t.Fatalf("provider after grant: %d %v", status, got)
	}
	// The same callback again: the state was single-use.
	again, err := http.Get(granted.Request.URL.String())
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	if again.StatusCode != 400 {
		t.Errorf("callback replayed: %d", again.StatusCode)
	}
	// In production the sandbox grant does not hold.
	if status, _, _ := call("PUT", "/sites/acme/settings/events/mode", token, `{"mode":"production"}`); status != 200 {
		t.Fatalf("mode: %d", status)
	}
	_, got, _ = call("GET", "/sites/acme/providers/events", token, "")
	if perm := got["provider"].(map[string]any)["apiPermission"].(map[string]any); perm["granted"] != false {
		t.Errorf("a sandbox grant holds in production: %v", perm)
	}
}

// grantExpressCheckout sets acme's events up with Express Checkout (US) and grants the
// permission as the administrator does in a browser: ask for the link, open it on (the
// stand-in of) PayPal, press Grant; PayPal redirects the browser to the public callback,
// whose answer (and page) it returns.
func grantExpressCheckout(t *testing.T, call call, token string) (*http.Response, string) {
	t.Helper()
	if status, body, _ := call("PUT", "/sites/acme/providers/events", token, `{"kind":"express_checkout_us","paypalEmail":"pay@acme.example"}`); status != 200 {
		t.Fatalf("put provider: %d %v", status, body)
	}
	status, link, _ := call("POST", "/sites/acme/providers/events/permission", token, "")
	if status != 201 || link["env"] != "sandbox" {
		t.Fatalf("link: %d %v", status, link)
	}
	grantURL, _ := link["url"].(string)
	page, err := http.Get(grantURL)
	if err != nil || page.StatusCode != 200 {
		t.Fatalf("grant page: %v %v", page, err)
	}
	page.Body.Close()
	granted, err := http.PostForm(strings.Split(grantURL, "?")[0], url.Values{"cmd": {"_grant-permission"}, "request_token": {requestToken(grantURL)}})
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(granted.Body)
	granted.Body.Close()
	return granted, string(html)
}

func requestToken(grantURL string) string {
	u, _ := url.Parse(grantURL)
	return u.Query().Get("request_token")
}

// TestGatewayAppliesCORS: like API Gateway with the template's CORS configuration, the
// gateway answers a browser's preflight itself and lets the console read the answers.
func TestGatewayAppliesCORS(t *testing.T) {
	srv, signer := gateway(t)
	pre, _ := http.NewRequest("OPTIONS", srv.URL+"/sites/acme/promo-codes/report.csv", nil)
	pre.Header.Set("Origin", "https://admin.example.com")
	pre.Header.Set("Access-Control-Request-Method", "GET")
	pre.Header.Set("Access-Control-Request-Headers", "authorization")
	resp, err := http.DefaultClient.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") == "" || !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "authorization") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	token, _ := signer.Mint("admin", "", []string{"acme"}, time.Hour)
	req, _ := http.NewRequest("GET", srv.URL+"/sites/acme/settings", nil)
	req.Header.Set("Origin", "https://admin.example.com")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") == "" || !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "x-next-cursor") {
		t.Fatalf("answer: %d %v", resp.StatusCode, resp.Header)
	}
}
