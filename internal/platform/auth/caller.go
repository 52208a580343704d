// Package auth turns the claims that API Gateway's JWT authorizer verified into the caller:
// who they are and which sites they administer. Locally, the local gateway verifies its own
// tokens and hands over claims of the very same shape, so one code path serves both.
package auth

import (
	"context"
	"slices"
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
	// Scopes are the OAuth scopes of a machine token; administrators' tokens have none.
	Scopes []string
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
