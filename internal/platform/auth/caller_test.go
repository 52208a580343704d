package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestParseSites(t *testing.T) {
	accepted := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"[acme globex]", []string{"acme", "globex"}},
		{"[acme]", []string{"acme"}},
		{`["acme","globex"]`, []string{"acme", "globex"}},
		{"acme", []string{"acme"}},
		{"[]", nil},
	}
	for _, tt := range accepted {
		got, err := ParseSites(tt.in)
		if err != nil || !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("ParseSites(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	// Each of these has more than one reading, or names something that is no site ID.
	for _, in := range []string{"acme demo", "acme,globex", "[acme,globex]", "[acme  globex]", `["acme demo"]`, "[Acme]", "[acme", `["acme",1]`, "-acme", strings.Repeat("a", 64)} {
		if got, err := ParseSites(in); err == nil {
			t.Errorf("ParseSites(%q) = %q, want refused", in, got)
		}
	}
}

func TestFlattenRoundTrip(t *testing.T) {
	in := []string{"acme", "globex"}
	if got, err := ParseSites(FlattenList(in)); err != nil || !slices.Equal(got, in) {
		t.Fatalf("round trip = %q, %v", got, err)
	}
}

func TestCheckSite(t *testing.T) {
	for _, ok := range []string{"a", "demo", "acme-2", "0", strings.Repeat("a", MaxSiteLen)} {
		if err := CheckSite(ok); err != nil {
			t.Errorf("CheckSite(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Demo", "acme demo", "acme_demo", "-a", "a-", "a/b", "ä", strings.Repeat("a", MaxSiteLen+1), "acme%20demo"} {
		if err := CheckSite(bad); err == nil {
			t.Errorf("CheckSite(%q) accepted", bad)
		}
	}
}

// jwtWith is a compact JWT with payload p; the signature is not looked at (the authorizer
// checked it).
func jwtWith(t *testing.T, p map[string]any) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b) + ".sig"
}

// TestFromClaimsReadsTheTokenExactly: the flattened claim "[acme demo]" is what API Gateway
// makes of both ["acme","demo"] and ["acme demo"]; the token tells them apart.
func TestFromClaimsReadsTheTokenExactly(t *testing.T) {
	flat := map[string]string{ClaimSubject: "u1", ClaimSites: "[acme demo]"}
	two, err := FromClaims(flat, jwtWith(t, map[string]any{"sub": "u1", "sites": []string{"acme", "demo"}}))
	if err != nil || !two.Holds("acme") || !two.Holds("demo") {
		t.Fatalf("two sites: %+v %v", two, err)
	}
	for name, payload := range map[string]map[string]any{
		"one site with a space": {"sub": "u1", "sites": []string{"acme demo"}},
		"a string with a space": {"sub": "u1", "sites": "acme demo"},
		"not a list":            {"sub": "u1", "sites": map[string]any{"a": 1}},
		"another subject":       {"sub": "u2", "sites": []string{"acme", "demo"}},
	} {
		if c, err := FromClaims(flat, jwtWith(t, payload)); err == nil {
			t.Errorf("%s: accepted as %+v", name, c)
		}
	}
	one, err := FromClaims(map[string]string{ClaimSubject: "u1", ClaimSites: "demo"}, jwtWith(t, map[string]any{"sub": "u1", "sites": "demo"}))
	if err != nil || !one.Holds("demo") || len(one.Sites) != 1 {
		t.Fatalf("one site as a string: %+v %v", one, err)
	}
}

func TestFromClaims(t *testing.T) {
	if _, err := FromClaims(map[string]string{ClaimSites: "[acme]"}, ""); err != ErrNoSubject {
		t.Fatalf("claims without subject must not authenticate: %v", err)
	}
	c, err := FromClaims(map[string]string{ClaimSubject: "u1", ClaimEmail: "a@b.c", ClaimSites: "[acme]"}, "")
	if err != nil || !c.Holds("acme") || c.Holds("globex") || c.Holds("") {
		t.Fatalf("caller = %+v err=%v", c, err)
	}
	if c.Actor() != "u1 <a@b.c>" {
		t.Fatalf("actor = %q", c.Actor())
	}
	ctx := WithCaller(context.Background(), c)
	if got, ok := CallerFrom(ctx); !ok || got.Subject != "u1" {
		t.Fatalf("CallerFrom = %+v %v", got, ok)
	}
}
