package csvsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cell returns s as it is safe to put in a spreadsheet cell:
//
//   - invalid UTF-8 becomes U+FFFD and control characters other than TAB, CR and LF are
//     removed (they are invisible, and some spreadsheets cut the cell or the row at them);
//   - a cell that starts with a formula trigger gets a leading single quote, which makes
//     Excel and LibreOffice take the rest as text. The triggers are = + - @ TAB CR (OWASP)
//     and their fullwidth forms ＝ ＋ － ＠, which Excel in East Asian locales also reads as
//     formula starts; a trigger after leading whitespace counts too, since spreadsheets
//     skip that whitespace when they look for a formula.
//
// A value that only looks like a negative number ("-ABC", "-5") also becomes text: the
// report shows codes and names, not numbers to add up, and telling a harmless "-5" from
// "-2+3" or "-cmd|..." is exactly the guessing that lets formulas through.
func Cell(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' && r != '\r' && r != '\n' {
			return -1
		}
		return r
	}, s)
	if startsFormula(s) {
		return "'" + s
	}
	return s
}

// startsFormula reports whether the first character of s that is not ordinary whitespace
// is a trigger, or s starts with a trigger that is itself whitespace (TAB, CR).
func startsFormula(s string) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch r {
		case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
			return true
		}
		if !unicode.IsSpace(r) {
			return false
		}
		s = s[size:]
	}
	return false
}
