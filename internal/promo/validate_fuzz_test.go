package promo

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
)

// fuzzToday is the site's date the fuzz targets validate against.
const fuzzToday = "2026-06-15"

// paramsFields are the JSON paths a refusal of the shared code parameters may name.
var paramsFields = []string{"service", "appliesTo", "usage.kind", "usage.max", "discount.kind", "discount.amountMinor", "discount.currency", "discount.percent", "expiresOn"}

// templateFields are those of an e-mail template.
var templateFields = []string{"emailTemplate", mail.FieldSubject, mail.FieldBody}

// paramsInput builds code parameters from fuzzed values; usageSent and discountSent say
// whether usage and discount are in the request at all, amountSent whether amountMinor is.
func paramsInput(service, appliesTo, expiresOn string, usageSent bool, usageKind string, usageMax int,
	discountSent bool, discountKind string, amountSent bool, amount int64, currency, percent string) ParamsInput {
	in := ParamsInput{Service: service, AppliesTo: appliesTo, ExpiresOn: expiresOn}
	if usageSent {
		in.Usage = &Usage{Kind: UsageKind(usageKind), Max: usageMax}
	}
	if discountSent {
		in.Discount = &DiscountInput{Kind: DiscountKind(discountKind), Currency: currency, Percent: Decimal(percent)}
		if amountSent {
			in.Discount.AmountMinor = &amount
		}
	}
	return in
}

// checkParams fails t unless accepted parameters keep SPEC 3.1's rules.
func checkParams(t *testing.T, p Params) {
	t.Helper()
	kinds, ok := AppliesTo[p.Service]
	if !ok || p.AppliesTo != AppliesToAll && !slices.Contains(kinds, p.AppliesTo) {
		t.Fatalf("accepted service %q applying to %q", p.Service, p.AppliesTo)
	}
	switch u := p.Usage; {
	case (u.Kind == UsageOnce || u.Kind == UsageUnlimited) && u.Max == 0:
	case u.Kind == UsageMultiple && u.Max >= 2 && u.Max <= MaxUses:
	default:
		t.Fatalf("accepted usage %+v", u)
	}
	checkDiscount(t, p.Discount)
	if reason := CheckExpiry(p.ExpiresOn, fuzzToday); reason != "" {
		t.Fatalf("accepted expiry %q: %s", p.ExpiresOn, reason)
	}
}

// amountShown reads back what FormatDiscount shows for an amount: "£12.50".
var amountShown = regexp.MustCompile(`^(\$|CA\$|£)([0-9]+)\.([0-9]{2})$`)

// checkDiscount fails t unless an accepted discount is in range and reads back, as shown to
// recipients, as the same discount.
func checkDiscount(t *testing.T, d Discount) {
	t.Helper()
	shown := FormatDiscount(d)
	switch d.Kind {
	case DiscountAmount:
		m := amountShown.FindStringSubmatch(shown)
		if d.AmountMinor < 1 || d.AmountMinor > MaxAmountMinor || !slices.Contains(Currencies, d.Currency) || d.PercentBasisPoints != 0 || m == nil {
			t.Fatalf("accepted %+v, shown %q", d, shown)
		}
		major, _ := strconv.ParseInt(m[2], 10, 64)
		minor, _ := strconv.ParseInt(m[3], 10, 64)
		if major*100+minor != d.AmountMinor {
			t.Fatalf("%+v is shown as %q", d, shown)
		}
	case DiscountPercent:
		bp, err := Decimal(strings.TrimSuffix(shown, "%")).BasisPoints()
		if d.PercentBasisPoints < 1 || d.PercentBasisPoints > MaxPercentPoints || d.AmountMinor != 0 || d.Currency != "" || err != nil || bp != d.PercentBasisPoints {
			t.Fatalf("accepted %+v, shown %q (%d, %v)", d, shown, bp, err)
		}
	default:
		t.Fatalf("accepted discount kind %q", d.Kind)
	}
}

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

// text is what a string field can hold after httpx.Decode, which refuses what is not
// UTF-8 (FuzzDecode).
func text(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// codeShape is the shape of every code in stored form, custom or generated.
var codeShape = regexp.MustCompile(`^[A-Z0-9_-]{3,32}$`)

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
			ParamsInput: paramsInput(text(service), text(appliesTo), text(expiresOn), usageSent, text(usageKind), usageMax,
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
			in.Recipient = &Recipient{Email: text(email), Name: text(name)}
		}
		if templateSent {
			in.EmailTemplate = &mail.Template{Subject: text(subject), Body: text(body)}
		}
		p, err := in.Validate(fuzzToday)
		if err != nil {
			apperrtest.RequireFields(t, in, err, append(slices.Concat(paramsFields, templateFields), "type", "code", "quantity", "length", "recipient.email", "recipient.name")...)
			return
		}
		checkParams(t, p.Params)
		switch in.Type {
		case TypeGenerated:
			if p.Custom != "" || p.Length < MinLength || p.Length > MaxLength || p.Quantity < 1 || p.Quantity > MaxQuantity || in.Recipient != nil && p.Quantity != 1 {
				t.Fatalf("generated plan %+v", p)
			}
		case TypeCustom:
			if !codeShape.MatchString(p.Custom) || p.Custom != NormalizeCode(in.Code) || p.Quantity != 1 {
				t.Fatalf("custom plan %+v from %q", p, in.Code)
			}
		default:
			t.Fatalf("type %q accepted", in.Type)
		}
		if r := p.Recipient; in.Recipient != nil {
			if r == nil || !emailaddr.Valid(r.Email) || r.Email != emailaddr.Normalize(r.Email) || r.Name == "" ||
				utf8.RuneCountInString(r.Name) > MaxRecipientName || strings.IndexFunc(r.Name, hiddenOrBreaking) >= 0 {
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
			ParamsInput: paramsInput(text(service), text(appliesTo), text(expiresOn), usageSent, text(usageKind), usageMax,
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
			apperrtest.RequireFields(t, in, err, append(slices.Concat(paramsFields, templateFields), "length", "fileName")...)
			return
		}
		checkParams(t, p.Params)
		if p.Length < MinLength || p.Length > MaxLength || len(p.FileName) > 255 || p.FileName != strings.TrimSpace(in.FileName) {
			t.Fatalf("import plan %+v", p)
		}
		checkTemplate(t, p.Template, in.EmailTemplate)
	})
}

// FuzzChangeInputs: an extend or delete selection (codes, comma-separated here) is refused
// naming codes, codes[i] of a code sent, or expiresOn; or it holds 1 to 1,000 distinct codes
// in stored form, in the order sent.
func FuzzChangeInputs(f *testing.F) {
	f.Add("SPRING25,summer-1", "2026-12-31", "2026-06-15", "2026-06-14")
	f.Add("abc123,ABC123 ,x", "2036-06-14", "", "")
	f.Add(",,"+strings.Repeat("A", 33)+",A B", "2026-06-13", "2026-06-14", "2026-06-15")
	f.Fuzz(func(t *testing.T, codes, expiresOn, today1, today2 string) {
		selection := strings.Split(text(codes), ",")
		var todays []string
		for _, d := range []string{today1, today2} {
			if _, err := ParseDate(d); err == nil {
				todays = append(todays, d)
			}
		}
		fields := []string{"codes"} // of a delete; an extend's may name expiresOn too
		for i := range selection {
			fields = append(fields, fmt.Sprintf("codes[%d]", i))
		}
		checkSelection := func(got []string) {
			t.Helper()
			if len(got) == 0 || len(got) > MaxChangeCodes {
				t.Fatalf("%q selected %d codes", codes, len(got))
			}
			next := 0 // the codes come in the order sent: each is a later one of the selection
			for _, c := range got {
				for next < len(selection) && NormalizeCode(selection[next]) != c {
					next++
				}
				if next == len(selection) || !codeShape.MatchString(c) {
					t.Fatalf("%q selected %q, not in order or not a code", codes, got)
				}
				next++
			}
			if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
				t.Fatalf("%q selected %q twice", codes, got)
			}
		}
		ext := ExtendInput{Codes: selection, ExpiresOn: text(expiresOn)}
		if x, err := ext.Validate(todays); err != nil {
			apperrtest.RequireFields(t, ext, err, append(fields, "expiresOn")...)
		} else {
			checkSelection(x.Codes)
			earliest := x.ExpiresOn
			if len(todays) > 0 {
				earliest = slices.Min(todays)
			}
			if reason := CheckExpiry(x.ExpiresOn, earliest); reason != "" {
				t.Fatalf("extend to %q accepted with todays %v: %s", x.ExpiresOn, todays, reason)
			}
		}
		del := DeleteInput{Codes: selection}
		if d, err := del.Validate(); err != nil {
			apperrtest.RequireFields(t, del, err, fields...)
		} else {
			checkSelection(d.Codes)
		}
	})
}

// FuzzDiscount: money and percentages as sent (an amount in minor units with its currency,
// or a percentage): refused naming a discount field, or a discount in range that reads
// back, as recipients are shown it, as the same amount or percentage.
func FuzzDiscount(f *testing.F) {
	f.Add("amount", true, int64(1250), "gbp", "")
	f.Add("amount", true, int64(100000000), "CAD", "")
	f.Add("amount", true, int64(100000001), "USD", "")
	f.Add("amount", true, int64(-5), "EUR", "5")
	f.Add("amount", false, int64(0), "", "")
	f.Add("percent", false, int64(0), "", "12.5")
	f.Add("percent", false, int64(0), "", "0.01")
	f.Add("percent", true, int64(1), "USD", "100.00")
	f.Add("percent", false, int64(0), "", "1e2")
	f.Fuzz(func(t *testing.T, kind string, amountSent bool, amount int64, currency, percent string) {
		in := &DiscountInput{Kind: DiscountKind(text(kind)), Currency: text(currency), Percent: Decimal(text(percent))}
		if amountSent {
			in.AmountMinor = &amount
		}
		var v apperr.Errors
		d := in.validate(&v)
		if err := v.Err(); err != nil {
			apperrtest.RequireFields(t, in, err, "discount.kind", "discount.amountMinor", "discount.currency", "discount.percent")
			return
		}
		checkDiscount(t, d)
	})
}
