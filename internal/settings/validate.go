package settings

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
)

// Limits of SPEC 1.
const (
	MaxMerchantName = 100
	MaxPageText     = 2000
)

func checkMerchantName(s string) string {
	name := normalizeName(s)
	n := utf8.RuneCountInString(name)
	switch {
	case !utf8.ValidString(s):
		return "must be valid UTF-8 text"
	case n == 0:
		return "must not be empty"
	case n > MaxMerchantName:
		return fmt.Sprintf("must be at most %d characters (has %d)", MaxMerchantName, n)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "must not contain control characters or line breaks"
	}
	return ""
}

func normalizeName(s string) string { return strings.TrimSpace(s) }

// phoneChars is what people type in a phone number: digits, an optional leading +, spaces,
// dashes, dots, parentheses.
// Compiled on first use, not in package init: init is paid by every cold start.
var phoneChars = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\+?[0-9 ().\-]+$`) })

// checkSupportInfo accepts an e-mail address or a phone number of 6 to 15 digits (E.164's
// maximum), so attendees can actually reach support.
func checkSupportInfo(s string) string {
	v := normalizeSupport(s)
	if v == "" {
		return "must be an e-mail address or a phone number"
	}
	if strings.Contains(v, "@") {
		if !emailaddr.Valid(v) {
			return "is not a valid e-mail address"
		}
		return ""
	}
	if !phoneChars().MatchString(v) {
		return "must be an e-mail address or a phone number (digits, spaces, + - . ( ) only)"
	}
	digits := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 6 || digits > 15 {
		return fmt.Sprintf("a phone number must have 6 to 15 digits (has %d)", digits)
	}
	return ""
}

func normalizeSupport(s string) string { return strings.TrimSpace(s) }

// checkPageText allows plain text with line breaks and no other control characters.
func checkPageText(s string) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8 text"
	}
	if n := utf8.RuneCountInString(s); n > MaxPageText {
		return fmt.Sprintf("must be at most %d characters (has %d)", MaxPageText, n)
	}
	for i, r := range s {
		if r != '\n' && r != '\r' && unicode.IsControl(r) {
			return fmt.Sprintf("must not contain control characters (found U+%04X at position %d); only line breaks are allowed", r, utf8.RuneCountInString(s[:i])+1)
		}
	}
	return ""
}

// checkTimeZone accepts IANA names only; "Local" would mean the server's zone.
func checkTimeZone(s string) string {
	if s == "" || s == "Local" {
		return "must be an IANA time zone name such as Europe/Amsterdam or UTC"
	}
	if _, err := time.LoadLocation(s); err != nil {
		return fmt.Sprintf("%q is not an IANA time zone name", s)
	}
	return ""
}

func validateMode(m Mode) error {
	if m != ModeTest && m != ModeProduction {
		return apperr.Field("mode", `must be "test" or "production"`)
	}
	return nil
}
