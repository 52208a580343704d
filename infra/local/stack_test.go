package local

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
)

// TestStackRunsAndKeepsData is `make run` end to end: everything starts on free ports, the
// API answers a token it printed, S3 and Secrets Manager answer, everything stops, and the
// data is still there after a restart.
func TestStackRunsAndKeepsData(t *testing.T) {
	// The stack starts its own emulators; under a bare `go test` this may take a while the
	// first time (it installs them), so it runs where the emulators are wanted.
	testenv.Endpoint(t, testenv.EnvDynamoDB)
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	ctx := context.Background()
	start := func() *Stack {
		s, err := Start(ctx, Options{Root: root, StateDir: state, Log: testenv.Logger(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}

	s := start()
	token, err := s.Signer.Mint("admin", "", []string{"demo"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if status, body := do(t, "PATCH", s.APIURL+"/sites/demo/settings/events", token, `{"merchantName":"Kept"}`); status != 200 {
		t.Fatalf("patch: %d %s", status, body)
	}
	if status, _ := do(t, "GET", s.APIURL+"/sites/demo/settings", "", ""); status != 401 {
		t.Fatalf("no token: %d", status)
	}
	// The template's bucket exists from the start.
	if status, body := do(t, "HEAD", s.S3URL+"/uploads", "", ""); status != 200 {
		t.Fatalf("S3 uploads bucket: %d %s", status, body)
	}
	if status, body := do(t, "PUT", s.S3URL+"/uploads/a.txt", "", "hello"); status != 200 {
		t.Fatalf("S3 put: %d %s", status, body)
	}
	if status, body := do(t, "GET", s.SESURL+"/store", "", ""); status != 200 || !strings.Contains(body, "emails") {
		t.Fatalf("SES store: %d %s", status, body)
	}
	if status, body := secretsCall(t, s.SecretsURL, "GetSecretValue", `{"SecretId":"nope"}`); status != 400 || !strings.Contains(body, "ResourceNotFoundException") {
		t.Fatalf("secrets: %d %s", status, body)
	}
	if status, body := secretsCall(t, s.SecretsURL, "CreateSecret", `{"Name":"kept","SecretString":"sekrit"}`); status != 200 {
		t.Fatalf("create secret: %d %s", status, body)
	}
	// The provider stand-ins answer as their providers: a wrong Payflow login, an unknown
	// WorldPay installation.
	login, _ := http.NewRequest("POST", s.PayflowURL, strings.NewReader("TRXTYPE[1]=I&PARTNER[6]=PayPal&VENDOR[1]=x&USER[1]=x&PWD[1]=x"))
	login.Header.Set("X-VPS-REQUEST-ID", "stack-test-1")
	if resp, err := http.DefaultClient.Do(login); err != nil {
		t.Fatal(err)
	} else if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || !strings.HasPrefix(string(body), "RESULT=1&") {
		t.Fatalf("payflow stand-in: %d %s", resp.StatusCode, body)
	}
	if status, _ := do(t, "GET", s.WorldPayURL+"/wcc/purchase?instId=1&cartId=c&amount=1.00&currency=GBP", "", ""); status != 400 {
		t.Fatalf("worldpay stand-in: %d", status)
	}
	urls := []string{s.APIURL, s.DynamoURL, s.SESURL, s.S3URL, s.SecretsURL, s.PayPalURL, s.PayflowURL, s.WorldPayURL}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, u := range urls {
		if c, err := net.DialTimeout("tcp", strings.TrimPrefix(u, "http://"), time.Second); err == nil {
			c.Close()
			t.Errorf("%s still answers after Close", u)
		}
	}

	s = start()
	if status, body := do(t, "GET", s.APIURL+"/sites/demo/settings/events", token, ""); status != 200 || !strings.Contains(body, `"merchantName":"Kept"`) {
		t.Fatalf("after restart (same token, same data): %d %s", status, body)
	}
	if status, body := do(t, "GET", s.S3URL+"/uploads/a.txt", "", ""); status != 200 || body != "hello" {
		t.Fatalf("S3 object after restart: %d %q", status, body)
	}
	if status, body := secretsCall(t, s.SecretsURL, "GetSecretValue", `{"SecretId":"kept"}`); status != 200 || !strings.Contains(body, "sekrit") {
		t.Fatalf("secret after restart: %d %s", status, body)
	}
}

func secretsCall(t *testing.T, url, op, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "secretsmanager."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// startedStack starts the whole local stack on fresh data for one test, and mints an
// administrator's token for the site demo.
func startedStack(t *testing.T) (*Stack, string) {
	t.Helper()
	testenv.Endpoint(t, testenv.EnvDynamoDB)
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(context.Background(), Options{Root: root, StateDir: t.TempDir(), Log: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	token, _ := s.Signer.Mint("admin", "admin@demo.example", []string{"demo"}, time.Hour)
	return s, token
}

func do(t testing.TB, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if strings.Contains(url, "/sites/") && body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
