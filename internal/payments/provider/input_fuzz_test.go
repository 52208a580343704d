package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
)

// secretMark starts the secrets FuzzInput looks for in error messages: no message text has
// it, so finding a marked secret there means a message quotes it.
const secretMark = "Zq9"

// FuzzInput: a provider setup is refused naming only its fields, with no message quoting a
// secret; or it is a setup of SPEC 2's rules for its kind, with the secrets sent. sent has
// a bit per field, in Input's order from partnerId to md5Secret (cards are comma-separated);
// mark makes each secret start with secretMark; keep puts a setup of the same kind with
// every secret set before it.
func FuzzInput(f *testing.F) {
	f.Add("payflow_pro", uint16(0x22f), "PayPal", "acme", "acme-api", "payflow_pro", true, "visa,jcb", "", "", "", "s3cret-pw", "", "", false, false)
	f.Add("website_payments_pro_uk", uint16(0x30f), "PayPalUK", "acme", "acme", "website_payments_pro_payflow_edition", false, "visa_debit,visa_debit", "", "", "gbp", "short", "", "", true, false)
	f.Add("express_checkout_us", uint16(0x140), "", "", "", "", false, "", "pay@acme.example", "", "EUR", "", "", "", false, true)
	f.Add("worldpay", uint16(0xd80), "", "", "", "", false, "", "", "204596", "EUR", "", "cb-pass", "Abcdefghij0123456789", true, false)
	f.Add("worldpay", uint16(0xfff), "x y", "a b", "", "nope", false, "maestro", "pay@", "12a", "", " pw ", "\n", "md5", false, true)
	f.Fuzz(func(t *testing.T, kind string, sent uint16, partnerID, vendor, userID, accountType string, express bool, cards,
		paypalEmail, installationID, currency, password, callbackPassword, md5Secret string, mark, keep bool) {
		if mark {
			password, callbackPassword, md5Secret = secretMark+password, secretMark+callbackPassword, secretMark+md5Secret
		}
		in := Input{Kind: Kind(kind)}
		has := func(i int) bool { return sent&(1<<i) != 0 }
		str := func(i int, v string) *string {
			if !has(i) {
				return nil
			}
			return &v
		}
		in.PartnerID, in.Vendor, in.UserID = str(0, partnerID), str(1, vendor), str(2, userID)
		if has(3) {
			at := AccountType(accountType)
			in.AccountType = &at
		}
		if has(4) {
			in.ExpressCheckout = &express
		}
		if has(5) {
			in.Cards = []Card{}
			for _, c := range strings.Split(cards, ",") {
				in.Cards = append(in.Cards, Card(c))
			}
		}
		in.PayPalEmail, in.InstallationID = str(6, paypalEmail), str(7, installationID)
		if has(8) {
			c := Currency(currency)
			in.Currency = &c
		}
		in.Password, in.CallbackPassword, in.MD5Secret = str(9, password), str(10, callbackPassword), str(11, md5Secret)
		var prev *Setup
		if keep {
			prev = &Setup{Kind: in.Kind, Secrets: map[SecretName]SecretStatus{SecretPassword: {Set: true}, SecretCallbackPassword: {Set: true}, SecretMD5: {Set: true}}}
		}

		setup, secrets, err := in.Validate(prev)
		if err != nil {
			fields := []string{"kind", "partnerId", "vendor", "userId", "accountType", "expressCheckout", "cards", "paypalEmail", "installationId", "currency", "password", "callbackPassword", "md5Secret"}
			for i := range in.Cards {
				fields = append(fields, fmt.Sprintf("cards[%d]", i))
			}
			apperrtest.RequireFields(t, in.Kind, err, fields...)
			e := apperr.As(err)
			for _, secret := range in.secretsSent() {
				if !mark || len(secret) < len(secretMark)+3 {
					continue
				}
				quoted := strings.Contains(e.Message, secret) || slices.ContainsFunc(e.Details, func(d apperr.Detail) bool { return strings.Contains(d.Reason, secret) })
				if quoted && !slices.ContainsFunc(in.nonSecrets(), func(v string) bool { return strings.Contains(v, secret) }) {
					t.Fatalf("a refusal quotes a secret: %+v", e)
				}
			}
			return
		}
		checkSetup(t, in, prev, setup, secrets)
	})
}

// nonSecrets are the values of in that a message may quote.
func (in Input) nonSecrets() []string {
	out := []string{string(in.Kind)}
	for _, p := range []*string{in.PartnerID, in.Vendor, in.UserID, in.PayPalEmail, in.InstallationID} {
		if p != nil {
			out = append(out, *p)
		}
	}
	if in.AccountType != nil {
		out = append(out, string(*in.AccountType))
	}
	if in.Currency != nil {
		out = append(out, string(*in.Currency))
	}
	for _, c := range in.Cards {
		out = append(out, string(c))
	}
	return out
}

// checkSetup fails t unless an accepted setup keeps SPEC 2's rules for its kind.
func checkSetup(t *testing.T, in Input, prev *Setup, s Setup, secrets Secrets) {
	t.Helper()
	r, ok := kindRules[in.Kind]
	if !ok || s.Kind != in.Kind {
		t.Fatalf("kind %q accepted as %q", in.Kind, s.Kind)
	}
	for _, f := range in.fieldsSent() {
		if !slices.Contains(r.fields, f) {
			t.Fatalf("%s accepted with %s, not one of its fields", in.Kind, f)
		}
	}
	if !slices.Contains(r.currencies, s.Currency) {
		t.Fatalf("%s accepted in %q", in.Kind, s.Currency)
	}
	if slices.Contains(r.fields, "partnerId") {
		allowed, ok := r.cards[s.AccountType]
		if !partnerIDFormat().MatchString(s.PartnerID) || !loginFormat().MatchString(s.Vendor) || !loginFormat().MatchString(s.UserID) || !ok ||
			len(allowed) == 0 && len(s.Cards) != 0 || len(allowed) > 0 && len(s.Cards) == 0 {
			t.Fatalf("%s accepted as %+v", in.Kind, s)
		}
		for i, c := range s.Cards {
			if !slices.Contains(allowed, c) || slices.Index(s.Cards, c) != i {
				t.Fatalf("%s %s accepted with cards %q", in.Kind, s.AccountType, s.Cards)
			}
		}
	}
	if slices.Contains(r.fields, "paypalEmail") && !emailaddr.Valid(s.PayPalEmail) {
		t.Fatalf("%s accepted with the login %q", in.Kind, s.PayPalEmail)
	}
	if slices.Contains(r.fields, "installationId") && !installationIDFormat().MatchString(s.InstallationID) {
		t.Fatalf("%s accepted with the installation %q", in.Kind, s.InstallationID)
	}
	required, optional := SecretFields(in.Kind)
	sent := in.secretsSent()
	for name, v := range secrets {
		if sent[name] != v || !slices.Contains(required, name) && !slices.Contains(optional, name) {
			t.Fatalf("%s: secret %s is not the one sent", in.Kind, name)
		}
		if v != "" && (v != strings.TrimSpace(v) || strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r > 0x7e }) >= 0) {
			t.Fatalf("%s: secret %s accepted with spaces around or a character that is not printable ASCII", in.Kind, name)
		}
	}
	for _, name := range required {
		if _, ok := secrets[name]; !ok && (prev == nil || !prev.Secrets[name].Set) {
			t.Fatalf("%s accepted without its %s", in.Kind, name)
		}
	}
}
