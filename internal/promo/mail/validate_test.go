package mail

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

func TestValidate(t *testing.T) {
	good := Default()
	for _, tc := range []struct {
		name string
		tpl  Template
		// want lists "field: substring of reason" for each expected detail, in order.
		want []string
	}{
		{name: "default", tpl: good},
		{name: "minimal", tpl: Template{Subject: "x", Body: "%PromoCode%"}},
		{name: "any case variable", tpl: Template{Subject: "%merchantname%", Body: "%promocode%"}},
		{name: "lone percent", tpl: Template{Subject: "20% off", Body: "20% off with %PromoCode%, 100%!"}},
		{name: "subject at limit", tpl: Template{Subject: strings.Repeat("é", MaxSubject), Body: good.Body}},
		{name: "body at limit", tpl: Template{Subject: "x", Body: "%PromoCode%" + strings.Repeat("ø", MaxBody-11)}},
		{name: "body line breaks and tabs", tpl: Template{Subject: "x", Body: "a\r\n\tb\n%PromoCode%"}},

		{name: "empty subject", tpl: Template{Subject: "", Body: good.Body},
			want: []string{FieldSubject + ": must not be empty"}},
		{name: "blank subject", tpl: Template{Subject: "  ", Body: good.Body},
			want: []string{FieldSubject + ": must not be empty"}},
		{name: "long subject", tpl: Template{Subject: strings.Repeat("a", MaxSubject+1), Body: good.Body},
			want: []string{FieldSubject + ": at most 200 characters (has 201)"}},
		{name: "subject newline", tpl: Template{Subject: "Hi\nBcc: x@evil.example", Body: good.Body},
			want: []string{FieldSubject + ": one line"}},
		{name: "subject carriage return", tpl: Template{Subject: "Hi\r", Body: good.Body},
			want: []string{FieldSubject + ": one line"}},
		{name: "subject tab", tpl: Template{Subject: "Hi\tthere", Body: good.Body},
			want: []string{FieldSubject + ": control characters"}},
		{name: "subject line separator", tpl: Template{Subject: "Hi\u2028there", Body: good.Body},
			want: []string{FieldSubject + ": one line"}},
		{name: "subject invalid utf8", tpl: Template{Subject: "a\xffb", Body: good.Body},
			want: []string{FieldSubject + ": valid UTF-8"}},
		{name: "subject unknown variable", tpl: Template{Subject: "%Name% hi", Body: good.Body},
			want: []string{FieldSubject + ": unknown variable %Name%; the known variables are %AttendeeName%, %PromoCode%, %Discount%, %ExpirationDate%, %MerchantName%, %SupportInfo%"}},

		{name: "empty body", tpl: Template{Subject: "x", Body: ""},
			want: []string{FieldBody + ": must not be empty"}},
		{name: "blank body", tpl: Template{Subject: "x", Body: "\n\n"},
			want: []string{FieldBody + ": must not be empty"}},
		{name: "long body", tpl: Template{Subject: "x", Body: "%PromoCode%" + strings.Repeat("a", MaxBody)},
			want: []string{FieldBody + ": at most 10000 characters (has 10011)"}},
		{name: "body invalid utf8", tpl: Template{Subject: "x", Body: "%PromoCode%\xff"},
			want: []string{FieldBody + ": valid UTF-8"}},
		{name: "body control character", tpl: Template{Subject: "x", Body: "%PromoCode%\x00"},
			want: []string{FieldBody + ": control characters other than line breaks"}},
		{name: "body without code", tpl: Template{Subject: "x", Body: "Hello %AttendeeName%"},
			want: []string{FieldBody + ": must contain %PromoCode%"}},
		{name: "body with code only in subject", tpl: Template{Subject: "%PromoCode%", Body: "Hello"},
			want: []string{FieldBody + ": must contain %PromoCode%"}},
		{name: "body misspelt code", tpl: Template{Subject: "x", Body: "Code: %PromoCod% %PromoCod% %Foo_2%"},
			want: []string{
				FieldBody + ": unknown variables %PromoCod%, %Foo_2%; the known variables are %AttendeeName%",
				FieldBody + ": must contain %PromoCode%",
			}},
		{name: "everything wrong at once", tpl: Template{Subject: "a\nb %X%", Body: "%Y%"},
			want: []string{
				FieldSubject + ": one line",
				FieldSubject + ": unknown variable %X%",
				FieldBody + ": unknown variable %Y%",
				FieldBody + ": must contain %PromoCode%",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.tpl.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tc.want)
			}
			e := apperr.As(err)
			if e.Code != apperr.CodeInvalid {
				t.Fatalf("code = %q, want %q", e.Code, apperr.CodeInvalid)
			}
			if len(e.Details) != len(tc.want) {
				t.Fatalf("details = %+v, want %q", e.Details, tc.want)
			}
			for i, w := range tc.want {
				field, reason, _ := strings.Cut(w, ": ")
				d := e.Details[i]
				if d.Field != field || !strings.Contains(d.Reason, reason) {
					t.Errorf("detail %d = %s: %q, want %s: …%q…", i, d.Field, d.Reason, field, reason)
				}
			}
		})
	}
}
