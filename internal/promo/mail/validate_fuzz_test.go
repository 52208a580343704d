package mail

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
)

// placeholderRE finds placeholders as scan does: leftmost first, never overlapping.
var placeholderRE = regexp.MustCompile(`%([A-Za-z][A-Za-z0-9_]*)%`)

// known says which variable a placeholder name is, ignoring case.
func known(name string) (string, bool) {
	i := slices.IndexFunc(VarNames(), func(v string) bool { return strings.EqualFold(v, name) })
	if i < 0 {
		return "", false
	}
	return VarNames()[i], true
}

// FuzzTemplate: an administrator's template is refused naming the subject or the body, or
// it is text within SPEC 3.3's bounds whose every placeholder is a known variable and
// whose body gives the code. Rendered for any recipient, its subject stays one line and
// each placeholder becomes its value once, as typed (a value is never expanded again).
func FuzzTemplate(f *testing.F) {
	d := Default()
	f.Add(d.Subject, d.Body, "Ana", "SPRING25")
	f.Add("Hi %attendeename%", "%promocode% 20% off, 50%-75%", "%PromoCode%", "X\r\nBcc: a@b")
	f.Add("a\r\nb", "%PromoCod%", "", "")
	f.Add("  ", strings.Repeat("x", MaxBody+1), "\u2028", "C")
	f.Add("a\u2028b", "\x00%PromoCode%", "n", "c")
	f.Fuzz(func(t *testing.T, subject, body, name, code string) {
		tpl := Template{Subject: subject, Body: body}
		if err := tpl.Validate(); err != nil {
			apperrtest.RequireFields(t, tpl, err, FieldSubject, FieldBody)
			return
		}
		for _, part := range []struct {
			text    string
			max     int
			allowed func(rune) bool // the control characters allowed
		}{
			{subject, MaxSubject, func(rune) bool { return false }},
			{body, MaxBody, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }},
		} {
			s := part.text
			if !utf8.ValidString(s) || strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) > part.max ||
				strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && !part.allowed(r) }) >= 0 {
				t.Fatalf("accepted %q", s)
			}
			for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
				if _, ok := known(m[1]); !ok {
					t.Fatalf("accepted %q with the unknown variable %s", s, m[0])
				}
			}
		}
		if strings.ContainsAny(subject, "\u2028\u2029") {
			t.Fatalf("accepted the subject %q with a line separator", subject)
		}
		usesCode := slices.ContainsFunc(placeholderRE.FindAllStringSubmatch(body, -1), func(m []string) bool {
			v, _ := known(m[1])
			return v == VarPromoCode
		})
		if !usesCode {
			t.Fatalf("accepted a body without %%PromoCode%%: %q", body)
		}

		v := Vars{AttendeeName: name, PromoCode: code, Discount: "20%", ExpirationDate: "%ExpirationDate%", MerchantName: "Acme", SupportInfo: "help@acme.example"}
		msg := tpl.Render(v)
		if strings.IndexFunc(msg.Subject, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) >= 0 {
			t.Fatalf("subject %q rendered for %+v is not one line: %q", subject, v, msg.Subject)
		}
		want := placeholderRE.ReplaceAllStringFunc(body, func(p string) string {
			name, _ := known(strings.Trim(p, "%"))
			return map[string]string{
				VarAttendeeName: v.AttendeeName, VarPromoCode: v.PromoCode, VarDiscount: v.Discount,
				VarExpirationDate: v.ExpirationDate, VarMerchantName: v.MerchantName, VarSupportInfo: v.SupportInfo,
			}[name]
		})
		if msg.Body != want {
			t.Fatalf("body %q rendered for %+v:\n%q\nwant\n%q", body, v, msg.Body, want)
		}
	})
}
