package httpx

import (
	"net/url"
	"testing"
)

func TestParsePublicURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://abc123.execute-api.us-east-1.amazonaws.com": "https://abc123.execute-api.us-east-1.amazonaws.com",
		"https://api.example.com/":                           "https://api.example.com",
		"https://api.example.com:8443/boxoffice/":            "https://api.example.com:8443/boxoffice",
		"http://127.0.0.1:3000":                              "http://127.0.0.1:3000",
		"http://localhost:3000":                              "http://localhost:3000",
		"http://[::1]:3000":                                  "http://[::1]:3000",
	} {
		got, err := ParsePublicURL(raw)
		if err != nil || got.String() != want {
			t.Errorf("ParsePublicURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{
		"", "api.example.com", "/relative", "ftp://api.example.com", "https://", "https://:443",
		"http://api.example.com", "http://10.0.0.1:3000", "https://user:pw@api.example.com",
		"https://api.example.com/?x=1", "https://api.example.com/#top", "https://api.example.com?",
		"https:opaque", "https://api.example.com:port",
	} {
		if got, err := ParsePublicURL(raw); err == nil {
			t.Errorf("ParsePublicURL(%q) = %q, want an error", raw, got)
		}
	}
}

func TestPublicURLLink(t *testing.T) {
	p, err := ParsePublicURL("https://api.example.com/base/")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Link("/cb", url.Values{"state": {"a b&c"}}); got != "https://api.example.com/base/cb?state=a+b%26c" {
		t.Errorf("Link = %q", got)
	}
	if got := p.Link("/cb", nil); got != "https://api.example.com/base/cb" {
		t.Errorf("Link without query = %q", got)
	}
	if !(PublicURL{}).IsZero() || p.IsZero() {
		t.Error("IsZero")
	}
}
