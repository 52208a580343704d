// Package plaintext says which characters may appear in one line of text that people read:
// a recipient's name, say, which goes into e-mails, the report and its CSV. Such text may
// hold any letter, mark, digit, punctuation, symbol or space of any script, but nothing
// that breaks the line or hides what is shown.
package plaintext

import (
	"fmt"
	"unicode"
)

// The joiners are format characters that Persian, the Indic scripts and emoji sequences
// need to be written correctly; they hide nothing.
const (
	zeroWidthNonJoiner = '\u200C'
	zeroWidthJoiner    = '\u200D'
)

// Forbidden reports whether r may not appear in one line of text shown to people:
//
//   - a control character (Cc): C0 such as NUL, TAB, CR and LF, DEL, and C1 such as U+0085
//     (NEL), which some programs take for a line break;
//   - the line and paragraph separators U+2028 and U+2029 (Zl, Zp), which JavaScript and
//     some mail programs break lines at;
//   - a format character (Cf) but the two joiners: the bidirectional overrides and isolates
//     (U+202A-U+202E, U+2066-U+2069), which reorder what is shown and so can disguise it,
//     zero-width spaces, a byte-order mark, soft hyphens, tag characters.
func Forbidden(r rune) bool {
	switch {
	case r == zeroWidthNonJoiner || r == zeroWidthJoiner:
		return false
	case unicode.IsControl(r):
		return true
	default:
		return unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf)
	}
}

// Problem returns "" when s holds no forbidden character, else the first one as a reason
// can name it: "a control character (U+0085)".
func Problem(s string) string {
	for _, r := range s {
		if Forbidden(r) {
			return describe(r)
		}
	}
	return ""
}

func describe(r rune) string {
	kind := "an invisible formatting character"
	switch {
	case unicode.IsControl(r):
		kind = "a control character"
	case unicode.Is(unicode.Zl, r):
		kind = "a line separator"
	case unicode.Is(unicode.Zp, r):
		kind = "a paragraph separator"
	}
	return fmt.Sprintf("%s (%U)", kind, r)
}
