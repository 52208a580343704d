package local

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/testenv"
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

// TestGatewayServesFunctionsWithClaims runs the settings function behind the gateway, as
// `make run` does, and checks the token → claims → function path end to end.
func TestGatewayServesFunctionsWithClaims(t *testing.T) {
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	tpl, err := template.LoadNearest()
	if err != nil {
		t.Fatal(err)
	}
	signer := testSigner(t)
	gw, err := mountAll(tpl, tables, registry.Clients{DynamoDB: db}, signer, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw)
	defer srv.Close()

	mine, _ := signer.Mint("admin", "admin@acme.example", []string{"acme"}, time.Hour)
	call := func(method, path, token, body string) (int, map[string]any, http.Header) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
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

	if status, body, _ := call("GET", "/sites/acme/settings", "", ""); status != 401 || body["message"] != "Unauthorized" {
		t.Fatalf("no token: %d %v", status, body)
	}
	if status, _, _ := call("GET", "/sites/acme/settings", "not-a-token", ""); status != 401 {
		t.Fatalf("bad token: %d", status)
	}
	if status, _, _ := call("GET", "/sites/globex/settings", mine, ""); status != 403 {
		t.Fatalf("other site: %d", status)
	}
	if status, _, _ := call("GET", "/nowhere", mine, ""); status != 404 {
		t.Fatalf("unknown route: %d", status)
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
