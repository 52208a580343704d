package local

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func consoleServer(t *testing.T, dir string) (*httptest.Server, *Signer) {
	t.Helper()
	signer, err := LoadSigner(filepath.Join(t.TempDir(), "key"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := consoleConfig{APIURL: "http://127.0.0.1:3999", Auth: map[string]string{"mode": "local"}, MailViewerURL: "http://127.0.0.1:8999"}
	srv := httptest.NewServer(newConsoleHandler(dir, cfg, signer))
	t.Cleanup(srv.Close)
	return srv, signer
}

func TestConsoleServesConfigAndFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>console</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, _ := consoleServer(t, dir)

	res, err := http.Get(srv.URL + "/config.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var cfg map[string]any
	if err := json.NewDecoder(res.Body).Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	auth, _ := cfg["auth"].(map[string]any)
	if cfg["apiUrl"] != "http://127.0.0.1:3999" || auth["mode"] != "local" || cfg["mailViewerUrl"] != "http://127.0.0.1:8999" {
		t.Errorf("config.json = %v", cfg)
	}

	status, body := consoleGet(t, srv.URL+"/")
	if status != 200 || !strings.Contains(body, "<title>console</title>") {
		t.Errorf("index: %d %q", status, body)
	}
}

func TestConsoleNotBuiltSaysHow(t *testing.T) {
	srv, _ := consoleServer(t, filepath.Join(t.TempDir(), "missing"))
	status, body := consoleGet(t, srv.URL+"/")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "make console") {
		t.Errorf("%d %q", status, body)
	}
}

func TestConsoleMintsATokenForThePickedSite(t *testing.T) {
	srv, signer := consoleServer(t, t.TempDir())
	status, body := consolePost(t, srv.URL+"/local/token", "application/json", "", `{"site":"acme"}`)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var out struct{ Token string }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	claims, err := signer.Verify(out.Token)
	if err != nil {
		t.Fatal(err)
	}
	if claims["sites"] != "[acme]" || claims["sub"] != consoleSubject {
		t.Errorf("claims = %v", claims)
	}
}

func TestConsoleRefusesOtherTokenRequests(t *testing.T) {
	srv, _ := consoleServer(t, t.TempDir())
	cases := []struct {
		name, contentType, origin, body string
		want                            int
	}{
		{"a form post (no preflight)", "text/plain", "", `{"site":"acme"}`, http.StatusUnsupportedMediaType},
		{"another origin", "application/json", "http://evil.example", `{"site":"acme"}`, http.StatusForbidden},
		{"not a site name", "application/json", "", `{"site":"../etc"}`, http.StatusBadRequest},
		{"no site", "application/json", "", `{}`, http.StatusBadRequest},
		{"unknown field", "application/json", "", `{"site":"acme","sites":["x"]}`, http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if status, body := consolePost(t, srv.URL+"/local/token", c.contentType, c.origin, c.body); status != c.want || strings.Contains(body, "token\"") {
				t.Errorf("%d %s, want %d and no token", status, body, c.want)
			}
		})
	}
}

func consoleGet(t *testing.T, url string) (int, string) {
	t.Helper()
	return do(t, "GET", url, "", "")
}

func consolePost(t *testing.T, url, contentType, origin, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
