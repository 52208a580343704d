package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrNoSubject is a request without a verified token's subject.
var ErrNoSubject = errors.New("a valid bearer token is required")

// FromClaims builds the caller from the claims API Gateway's JWT authorizer verified. The
// authorizer flattens an array claim to "[a b]", which cannot tell ["a b"] from ["a","b"];
// so when the request's bearer token is at hand (API Gateway verified that very header),
// the sites are read from the token itself, exactly. A sites claim that cannot be read
// exactly, or names an ID that is not a site ID, refuses the token: no site is guessed.
func FromClaims(claims map[string]string, bearer string) (Caller, error) {
	sub := strings.TrimSpace(claims[ClaimSubject])
	if sub == "" {
		return Caller{}, ErrNoSubject
	}
	sites, err := sitesOf(claims, bearer, sub)
	if err != nil {
		return Caller{}, fmt.Errorf("the token's %q claim cannot be read: %w", ClaimSites, err)
	}
	return Caller{Subject: sub, Email: claims[ClaimEmail], Sites: sites, Scopes: scopesOf(claims)}, nil
}

func sitesOf(claims map[string]string, bearer, sub string) ([]string, error) {
	if payload, ok := tokenPayload(bearer); ok {
		if payload.Sub != sub {
			return nil, errors.New("the bearer token is not the one the authorizer verified")
		}
		return siteList(payload.Sites)
	}
	return ParseSites(claims[ClaimSites])
}

// tokenClaims are the claims read from the token's payload.
type tokenClaims struct {
	Sub   string          `json:"sub"`
	Sites json.RawMessage `json:"sites"`
}

// tokenPayload decodes the payload of a compact JWT (its signature was checked by the
// authorizer). ok is false when bearer is not a JWT.
func tokenPayload(bearer string) (tokenClaims, bool) {
	parts := strings.Split(strings.TrimSpace(bearer), ".")
	if len(parts) != 3 {
		return tokenClaims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return tokenClaims{}, false
	}
	var c tokenClaims
	if json.Unmarshal(raw, &c) != nil {
		return tokenClaims{}, false
	}
	return c, true
}

// siteList reads the sites claim as the token carries it: a JSON array of site IDs, or one
// site ID as a string; absent or null is no site.
func siteList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		var one string
		if json.Unmarshal(raw, &one) != nil {
			return nil, errors.New("it is neither a list of site IDs nor one site ID")
		}
		list = []string{one}
	}
	return checkSites(list)
}

// ParseSites reads a flattened sites claim: "[a b]" as API Gateway hands an array over, a
// JSON array, or a single site ID. Every item must be a site ID (which holds no space, comma
// or bracket), so each form has one reading; anything else is refused.
func ParseSites(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, nil
	case strings.HasPrefix(s, `["`) || s == "[]":
		var list []string
		if err := json.Unmarshal([]byte(s), &list); err != nil {
			return nil, errors.New("it is not a JSON array of site IDs")
		}
		return checkSites(list)
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		return checkSites(strings.Split(s[1:len(s)-1], " "))
	}
	return checkSites([]string{s})
}

func checkSites(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, id := range list {
		if err := CheckSite(id); err != nil {
			return nil, fmt.Errorf("site ID %w", err)
		}
		out = append(out, id)
	}
	return out, nil
}

// FlattenList renders a list the way API Gateway's JWT authorizer hands array claims over.
func FlattenList(items []string) string {
	return "[" + strings.Join(items, " ") + "]"
}
