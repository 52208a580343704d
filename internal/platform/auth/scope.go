package auth

import (
	"slices"
	"strings"
)

// ClaimScope is the OAuth scope claim of a machine token: scopes separated by spaces.
const ClaimScope = "scope"

// ScopeCheckout is the scope of the platform's machine tokens that create orders (SPEC 4).
// A token with it is a checkout client's, not an administrator's: it may call the checkout
// routes only.
const ScopeCheckout = "checkout"

// scopesOf reads the scope claim; API Gateway hands it over as the token has it.
func scopesOf(claims map[string]string) []string { return strings.Fields(claims[ClaimScope]) }

// HasScope reports whether the caller's token carries scope.
func (c Caller) HasScope(scope string) bool { return slices.Contains(c.Scopes, scope) }

// Machine reports whether the caller is a checkout client rather than an administrator.
func (c Caller) Machine() bool { return c.HasScope(ScopeCheckout) }
