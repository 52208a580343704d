// Package emailaddr decides what counts as an e-mail address across Boxoffice: support
// contacts, PayPal logins, promotion code recipients.
package emailaddr

import (
	"net/mail"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// MaxLen is the longest address a mail server must accept (RFC 5321 path limit).
const MaxLen = 254

// Valid accepts a bare addr-spec with a dotted domain: what a person can mail to. Display
// names, quoted local parts, comments and single-label domains are refused.
func Valid(s string) bool {
	if s == "" || len(s) > MaxLen {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.ContainsAny(s, " \"") || strings.IndexFunc(s, plaintext.Forbidden) >= 0 {
		return false // net/mail lets C1 controls, separators and bidirectional overrides through; no one can type them
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
	}
	return true
}

// Normalize returns the form addresses are compared and stored in: trimmed, lower case.
// (Local parts are case-sensitive in theory, never in practice; two rows differing only
// in case are the same person.)
func Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
