// Package auth turns the claims that API Gateway's JWT authorizer verified into the caller:
// who they are and which sites they administer. Locally, the local gateway verifies its own
// tokens and hands over claims of the very same shape, so one code path serves both.
package auth

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// Claim names read from the token.
const (
	ClaimSubject = "sub"
	ClaimEmail   = "email"
	// ClaimSites names the sites the caller administers: a JSON array in the token.
	ClaimSites = "sites"
)

// Caller is the authenticated administrator of a request.
type Caller struct {
	Subject string
	Email   string
	Sites   []string
}

// Holds reports whether the caller administers site.
func (c Caller) Holds(site string) bool {
	return site != "" && slices.Contains(c.Sites, site)
}

// Actor is how the caller is named in the audit log.
func (c Caller) Actor() string {
	if c.Email != "" {
		return c.Subject + " <" + c.Email + ">"
	}
	return c.Subject
}

// FromClaims builds the caller from authorizer claims. ok is false when there is no subject,
// that is, no verified token.
func FromClaims(claims map[string]string) (c Caller, ok bool) {
	sub := strings.TrimSpace(claims[ClaimSubject])
	if sub == "" {
		return Caller{}, false
	}
	return Caller{Subject: sub, Email: claims[ClaimEmail], Sites: ParseList(claims[ClaimSites])}, true
}

// ParseList reads a list claim. API Gateway hands array claims to the function flattened to
// a string such as "[a b c]"; a JSON array, or a space- or comma-separated string, is
// accepted too so tokens minted by other issuers work.
func ParseList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var arr []string
	if strings.HasPrefix(s, "[") && json.Unmarshal([]byte(s), &arr) == nil {
		return compact(arr)
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	return compact(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }))
}

// FlattenList renders a list the way API Gateway's JWT authorizer hands array claims over.
func FlattenList(items []string) string {
	return "[" + strings.Join(items, " ") + "]"
}

func compact(in []string) []string {
	out := make([]string, 0, len(in))
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

type callerKey struct{}

// WithCaller returns ctx carrying the caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller carried by ctx.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
