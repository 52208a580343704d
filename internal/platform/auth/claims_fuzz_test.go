package auth

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// FuzzParseSites: a flattened sites claim is refused, or every site it names is a site ID
// and the list reads back the same from both forms the claim can take.
func FuzzParseSites(f *testing.F) {
	for _, s := range []string{"", "[acme globex]", `["acme","globex"]`, "acme", "[]", "acme demo", "[acme  globex]", `["acme demo"]`, "[Acme]", `["a\u0063me"]`, " [x] "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, claim string) {
		sites, err := ParseSites(claim)
		if err != nil {
			return
		}
		requireSiteIDs(t, claim, sites)
		js, _ := json.Marshal(append([]string{}, sites...)) // [] for none, not null
		for _, form := range []string{FlattenList(sites), string(js)} {
			if again, err := ParseSites(form); err != nil || !slices.Equal(again, sites) && len(again)+len(sites) > 0 {
				t.Fatalf("%q read as %q; %q reads as %q, %v", claim, sites, form, again, err)
			}
		}
	})
}

// FuzzFromClaims: the caller of a request is refused, or it is the verified subject with
// the sites its token names, read exactly: from the bearer token's payload when the request
// carries one (its subject must be the verified one), else from the flattened claim.
func FuzzFromClaims(f *testing.F) {
	f.Add("admin-1", "[acme]", true, []byte(`{"sub":"admin-1","sites":["acme","globex"]}`))
	f.Add("admin-1", "[acme globex]", true, []byte(`{"sub":"admin-1","sites":"acme"}`))
	f.Add("admin-1", "[acme]", true, []byte(`{"sub":"admin-2","sites":["acme"]}`))
	f.Add("admin-1", "", true, []byte(`{"sub":"admin-1","sites":["a b"]}`))
	f.Add("admin-1", "[acme demo]", false, []byte(nil))
	f.Add(" ", "[acme]", false, []byte(nil))
	f.Add("admin-1", "", true, []byte(`{"sub":"admin-1","sites":["acme\ud800"]}`))
	f.Fuzz(func(t *testing.T, sub, claim string, withToken bool, payload []byte) {
		bearer := ""
		if withToken {
			bearer = "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(payload) + ".c2ln"
		}
		c, err := FromClaims(map[string]string{ClaimSubject: sub, ClaimSites: claim}, bearer)
		if err != nil {
			return
		}
		if c.Subject == "" || c.Subject != strings.TrimSpace(sub) {
			t.Fatalf("subject %q became %q", sub, c.Subject)
		}
		requireSiteIDs(t, claim, c.Sites)
		var token struct {
			Sub   *string         `json:"sub"`
			Sites json.RawMessage `json:"sites"`
		}
		if !withToken || json.Unmarshal(payload, &token) != nil {
			if want, _ := ParseSites(claim); !slices.Equal(c.Sites, want) {
				t.Fatalf("claim %q: sites %q, want %q", claim, c.Sites, want)
			}
			return
		}
		if token.Sub == nil || *token.Sub != c.Subject {
			t.Fatalf("the token of %v was taken for subject %q", token.Sub, c.Subject)
		}
		var list []string
		var one string
		switch {
		case len(token.Sites) == 0 || string(token.Sites) == "null":
		case json.Unmarshal(token.Sites, &list) == nil:
		case json.Unmarshal(token.Sites, &one) == nil:
			list = []string{one}
		default:
			t.Fatalf("sites %s read as %q", token.Sites, c.Sites)
		}
		if !slices.Equal(c.Sites, list) && len(c.Sites)+len(list) > 0 {
			t.Fatalf("the token's sites %s read as %q", token.Sites, c.Sites)
		}
	})
}

// requireSiteIDs fails t unless every site read from claim is a site ID.
func requireSiteIDs(t *testing.T, claim string, sites []string) {
	t.Helper()
	for _, s := range sites {
		if err := CheckSite(s); err != nil {
			t.Fatalf("%q read as site %q, which %v", claim, s, err)
		}
	}
}
