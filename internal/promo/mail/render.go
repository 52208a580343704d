package mail

import (
	"strings"
	"unicode"
)

// Render fills in the variables of t for one recipient. It is a single pass: a value that
// itself contains "%PromoCode%" (an attendee can name themselves anything) is inserted as
// typed, never expanded. Unknown placeholders are left as written; Validate rejects them
// before a template is stored. Line breaks and other control characters in a value put
// into the subject become spaces, so a value cannot add a mail header.
func (t Template) Render(v Vars) Message {
	return Message{
		Subject: expand(t.Subject, v, oneLine),
		Body:    expand(t.Body, v, func(s string) string { return s }),
	}
}

// expand replaces each known placeholder of s by its value passed through clean.
func expand(s string, v Vars, clean func(string) string) string {
	ps := scan(s)
	if len(ps) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, p := range ps {
		name, ok := canonical(p.name)
		if !ok {
			continue
		}
		b.WriteString(s[last:p.start])
		b.WriteString(clean(v.value(name)))
		last = p.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// oneLine replaces line breaks and control characters by spaces (a CRLF by one space).
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
