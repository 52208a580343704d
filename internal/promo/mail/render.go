package mail

import (
	"strings"

	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// Render fills in the variables of t for one recipient. It is a single pass: a value that
// itself contains "%PromoCode%" (an attendee can name themselves anything) is inserted as
// typed, never expanded. Unknown placeholders are left as written; Validate rejects them
// before a template is stored. Line breaks and other control characters in a value put
// into the subject become spaces, so a value cannot add a mail header.
func (t Template) Render(v Vars) Message {
	return Message{
		Subject: expand(t.Subject, v, plaintext.OneLine),
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
