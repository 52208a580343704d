package plaintext

import (
	"strings"
	"unicode/utf8"
)

// Clip shortens what a caller sent to at most max characters, for quoting in a message or
// a log line: it cuts on a character boundary, marks the cut with "…", and replaces each
// byte that is not UTF-8 with U+FFFD, so a quote is never broken text.
func Clip(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := 0
	for range max {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return s[:cut] + "…"
}
