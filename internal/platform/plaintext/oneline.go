package plaintext

import (
	"strings"
	"unicode"
)

// OneLine replaces line breaks and control characters by spaces (a CRLF by one space), so
// that a value people typed, put into a mail subject, cannot add a header or break the line.
func OneLine(s string) string {
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
