package issue

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
	"github.com/boxofficehq/boxoffice/internal/promo/promotest"
)

// text is what a string field can hold after httpx.Decode.
var text = promotest.Text

// fuzzToday is the site's date the fuzz targets validate against.
const fuzzToday = "2026-06-15"

// templateFields are the JSON paths a refusal of an e-mail template may name.
var templateFields = []string{"emailTemplate", mail.FieldSubject, mail.FieldBody}

// checkTemplate fails t unless the plan's template is the default or the valid one sent.
func checkTemplate(t *testing.T, got mail.Template, sent *mail.Template) {
	t.Helper()
	want := mail.Default()
	if sent != nil {
		want = *sent
	}
	if got != want || got.Validate() != nil {
		t.Fatalf("template %+v, sent %+v", got, sent)
	}
}

// hiddenOrBreaking is what a name shown in an e-mail or the report must not hold: a control
// character, a line or paragraph separator, or a formatting character but the joiners.
func hiddenOrBreaking(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) && r != '\u200C' && r != '\u200D'
}

// FuzzCreateInput: a creation request is refused naming its fields, or validated into a
// plan that keeps every rule of SPEC 3.1.
func FuzzCreateInput(f *testing.F) {
	f.Add("events", "", "2026-12-01", true, "once", 0, true, "percent", false, int64(0), "", "12.5", "generated", true, 10, false, 0, "", false, "", "", false, "", "")
	f.Add("training", "session", "2036-06-15", true, "multiple", 2, true, "amount", true, int64(500), "gbp", "", "custom", false, 0, false, 0, "spring_25-a", true, "Ana@X.example", "", true, "%Discount% off", "Use %promocode%")
	f.Add("events", "program", "2026-06-14", true, "multiple", 1, true, "amount", true, int64(-1), "EUR", "5", "custom", true, 3, true, 8, "SPRING 25", true, "ana", "a\nb", true, "a\r\nb", "%PromoCod%")
	f.Add("shop", "all", "2036-06-16", false, "", 0, false, "", false, int64(0), "", "", "", false, 0, false, 0, "", false, "", "", true, "", "")
	f.Add("events", "event", "2026-06-15", true, "unlimited", 3, true, "percent", true, int64(1), "USD", "100.01", "generated", true, 2, true, 5, "AB", true, "x@y.example", strings.Repeat("n", 201), false, "", "")
	for _, name := range []string{"Ana\x00", "Ana\u0085Smith", "Ana\u2028Smith", "Ana\u2029Smith", "\u202eAna"} { // they reached e-mails once
		f.Add("events", "", "2026-12-01", true, "once", 0, true, "percent", false, int64(0), "", "12.5", "generated", false, 0, false, 0, "", true, "ana@x.example", name, false, "", "")
	}
	f.Fuzz(func(t *testing.T, service, appliesTo, expiresOn string, usageSent bool, usageKind string, usageMax int,
		discountSent bool, discountKind string, amountSent bool, amount int64, currency, percent string,
		typ string, quantitySent bool, quantity int, lengthSent bool, length int, code string,
		recipientSent bool, email, name string, templateSent bool, subject, body string) {
		in := CreateInput{
			ParamsInput: promotest.ParamsInput(text(service), text(appliesTo), text(expiresOn), usageSent, text(usageKind), usageMax,
				discountSent, text(discountKind), amountSent, amount, text(currency), text(percent)),
			Type: text(typ), Code: text(code),
		}
		if quantitySent {
			in.Quantity = &quantity
		}
		if lengthSent {
			in.Length = &length
		}
		if recipientSent {
			in.Recipient = &promo.Recipient{Email: text(email), Name: text(name)}
		}
		if templateSent {
			in.EmailTemplate = &mail.Template{Subject: text(subject), Body: text(body)}
		}
		p, err := in.Validate(fuzzToday)
		if err != nil {
			apperrtest.RequireFields(t, in, err, append(slices.Concat(promotest.ParamsFields, templateFields), "type", "code", "quantity", "length", "recipient.email", "recipient.name")...)
			return
		}
		promotest.CheckParams(t, p.Params, fuzzToday)
		switch in.Type {
		case TypeGenerated:
			if p.Custom != "" || p.Length < promo.MinLength || p.Length > promo.MaxLength || p.Quantity < 1 || p.Quantity > promo.MaxQuantity || in.Recipient != nil && p.Quantity != 1 {
				t.Fatalf("generated plan %+v", p)
			}
		case TypeCustom:
			if !promotest.CodeShape.MatchString(p.Custom) || p.Custom != promo.NormalizeCode(in.Code) || p.Quantity != 1 {
				t.Fatalf("custom plan %+v from %q", p, in.Code)
			}
		default:
			t.Fatalf("type %q accepted", in.Type)
		}
		if r := p.Recipient; in.Recipient != nil {
			if r == nil || !emailaddr.Valid(r.Email) || r.Email != emailaddr.Normalize(r.Email) || r.Name == "" ||
				utf8.RuneCountInString(r.Name) > promo.MaxRecipientName || strings.IndexFunc(r.Name, hiddenOrBreaking) >= 0 {
				t.Fatalf("recipient %+v became %+v", in.Recipient, r)
			}
		}
		if in.EmailTemplate != nil && in.Recipient == nil {
			t.Fatalf("a template accepted without a recipient: %+v", in)
		}
		checkTemplate(t, p.Template, in.EmailTemplate)
	})
}

// FuzzImportInput: an import request is refused naming its fields, or validated into a plan
// that keeps SPEC 3.1's rules for the codes each recipient will get.
func FuzzImportInput(f *testing.F) {
	f.Add("events", "", "2026-12-01", true, "once", 0, true, "percent", false, int64(0), "", "20", false, 0, false, "", "", "recipients.csv")
	f.Add("training", "recording", "2036-06-15", true, "multiple", 1000000, true, "amount", true, int64(100000000), "cad", "", true, 32, true, "Hi %AttendeeName%", "%PromoCode%", "")
	f.Add("events", "session", "2026-01-01", true, "multiple", 1000001, true, "amount", true, int64(100000001), "", "1", true, 33, true, "", "no code", strings.Repeat("f", 256))
	f.Fuzz(func(t *testing.T, service, appliesTo, expiresOn string, usageSent bool, usageKind string, usageMax int,
		discountSent bool, discountKind string, amountSent bool, amount int64, currency, percent string,
		lengthSent bool, length int, templateSent bool, subject, body, fileName string) {
		in := ImportInput{
			ParamsInput: promotest.ParamsInput(text(service), text(appliesTo), text(expiresOn), usageSent, text(usageKind), usageMax,
				discountSent, text(discountKind), amountSent, amount, text(currency), text(percent)),
			FileName: text(fileName),
		}
		if lengthSent {
			in.Length = &length
		}
		if templateSent {
			in.EmailTemplate = &mail.Template{Subject: text(subject), Body: text(body)}
		}
		p, err := in.Validate(fuzzToday)
		if err != nil {
			apperrtest.RequireFields(t, in, err, append(slices.Concat(promotest.ParamsFields, templateFields), "length", "fileName")...)
			return
		}
		promotest.CheckParams(t, p.Params, fuzzToday)
		if p.Length < promo.MinLength || p.Length > promo.MaxLength || len(p.FileName) > 255 || p.FileName != strings.TrimSpace(in.FileName) {
			t.Fatalf("import plan %+v", p)
		}
		checkTemplate(t, p.Template, in.EmailTemplate)
	})
}
