package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

func parse(t *testing.T, body string) Input {
	t.Helper()
	var in Input
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatalf("bad test input %s: %v", body, err)
	}
	return in
}

const (
	payflow   = `"kind":"payflow_pro","partnerId":"PayPal","vendor":"acme","userId":"acme-api","password":"s3cret-pw"`
	ecUS      = `"kind":"express_checkout_us","paypalEmail":"pay@acme.example"`
	ecCA      = `"kind":"express_checkout_ca","paypalEmail":"pay@acme.example"`
	wppUK     = `"kind":"website_payments_pro_uk","partnerId":"PayPalUK","vendor":"acme","userId":"acme","password":"s3cret-pw"`
	worldpay  = `"kind":"worldpay","installationId":"204596","callbackPassword":"cb-pass","currency":"EUR"`
	md5Secret = "Abcdefghij0123456789"
)

// TestValidateRules is SPEC 2, rule by rule: each case is a body and either the field the
// 400 must name, or nothing when the body is valid.
func TestValidateRules(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		field      string // "" = valid
	}{
		// Provider kinds.
		{"kind missing", `{}`, "kind"},
		{"kind unknown", `{"kind":"stripe"}`, "kind"},

		// Payflow Pro: account type decides the cards.
		{"payflow website_payments_pro no cards", `{` + payflow + `,"accountType":"website_payments_pro"}`, ""},
		{"payflow website_payments_pro empty cards", `{` + payflow + `,"accountType":"website_payments_pro","cards":[]}`, ""},
		{"payflow website_payments_pro with cards", `{` + payflow + `,"accountType":"website_payments_pro","cards":["visa"]}`, "cards"},
		{"payflow edition visa mc amex discover", `{` + payflow + `,"accountType":"payments_pro_payflow_edition","cards":["visa","mastercard","amex","discover"]}`, ""},
		{"payflow edition diners refused", `{` + payflow + `,"accountType":"payments_pro_payflow_edition","cards":["visa","diners_club"]}`, "cards[1]"},
		{"payflow edition jcb refused", `{` + payflow + `,"accountType":"payments_pro_payflow_edition","cards":["jcb"]}`, "cards[0]"},
		{"payflow edition no card", `{` + payflow + `,"accountType":"payments_pro_payflow_edition","cards":[]}`, "cards"},
		{"payflow pro all six", `{` + payflow + `,"accountType":"payflow_pro","cards":["visa","mastercard","amex","discover","diners_club","jcb"]}`, ""},
		{"payflow pro visa debit refused", `{` + payflow + `,"accountType":"payflow_pro","cards":["visa_debit"]}`, "cards[0]"},
		{"payflow pro no card", `{` + payflow + `,"accountType":"payflow_pro"}`, "cards"},
		{"payflow pro duplicate card", `{` + payflow + `,"accountType":"payflow_pro","cards":["visa","visa"]}`, "cards[1]"},
		{"payflow unknown card", `{` + payflow + `,"accountType":"payflow_pro","cards":["maestro"]}`, "cards[0]"},
		{"payflow account type missing", `{` + payflow + `}`, "accountType"},
		{"payflow UK account type refused", `{` + payflow + `,"accountType":"website_payments_pro_payflow_edition","cards":["visa"]}`, "accountType"},
		{"payflow express checkout on", `{` + payflow + `,"accountType":"payflow_pro","cards":["visa"],"expressCheckout":true}`, ""},
		// Payflow Pro is USD only.
		{"payflow USD", `{` + payflow + `,"accountType":"payflow_pro","cards":["visa"],"currency":"USD"}`, ""},
		{"payflow CAD refused", `{` + payflow + `,"accountType":"payflow_pro","cards":["visa"],"currency":"CAD"}`, "currency"},
		{"payflow EUR refused", `{` + payflow + `,"accountType":"payflow_pro","cards":["visa"],"currency":"EUR"}`, "currency"},
		// Required fields and formats.
		{"payflow partner missing", `{"kind":"payflow_pro","vendor":"acme","userId":"u","password":"s3cret-pw","accountType":"website_payments_pro"}`, "partnerId"},
		{"payflow partner too long", `{"kind":"payflow_pro","partnerId":"ABCDEFGHIJKLM","vendor":"acme","userId":"u","password":"s3cret-pw","accountType":"website_payments_pro"}`, "partnerId"},
		{"payflow vendor missing", `{"kind":"payflow_pro","partnerId":"PayPal","userId":"u","password":"s3cret-pw","accountType":"website_payments_pro"}`, "vendor"},
		{"payflow vendor with space", `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"ac me","userId":"u","password":"s3cret-pw","accountType":"website_payments_pro"}`, "vendor"},
		{"payflow user missing", `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"acme","password":"s3cret-pw","accountType":"website_payments_pro"}`, "userId"},
		{"payflow password missing", `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"acme","userId":"u","accountType":"website_payments_pro"}`, "password"},
		{"payflow password short", `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"acme","userId":"u","password":"abc","accountType":"website_payments_pro"}`, "password"},
		{"payflow password control char", `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"acme","userId":"u","password":"abc\ndefg","accountType":"website_payments_pro"}`, "password"},
		{"payflow paypal email is not its field", `{` + payflow + `,"accountType":"website_payments_pro","paypalEmail":"a@b.example"}`, "paypalEmail"},

		// Express Checkout US: default USD, may be changed, never EUR.
		{"ec us", `{` + ecUS + `}`, ""},
		{"ec us GBP", `{` + ecUS + `,"currency":"GBP"}`, ""},
		{"ec us EUR refused", `{` + ecUS + `,"currency":"EUR"}`, "currency"},
		{"ec us JPY refused", `{` + ecUS + `,"currency":"JPY"}`, "currency"},
		{"ec us email missing", `{"kind":"express_checkout_us"}`, "paypalEmail"},
		{"ec us email invalid", `{"kind":"express_checkout_us","paypalEmail":"pay at acme"}`, "paypalEmail"},
		{"ec us password is not its field", `{` + ecUS + `,"password":"s3cret-pw"}`, "password"},
		{"ec us cards are not its field", `{` + ecUS + `,"cards":["visa"]}`, "cards"},
		// Express Checkout Canada: default CAD, may be changed.
		{"ec ca", `{` + ecCA + `}`, ""},
		{"ec ca USD", `{` + ecCA + `,"currency":"USD"}`, ""},
		{"ec ca EUR refused", `{` + ecCA + `,"currency":"EUR"}`, "currency"},

		// Website Payments Pro (UK).
		{"wpp uk no card choice", `{` + wppUK + `,"accountType":"website_payments_pro"}`, ""},
		{"wpp uk no card choice but cards", `{` + wppUK + `,"accountType":"website_payments_pro","cards":["visa"]}`, "cards"},
		{"wpp uk edition four cards", `{` + wppUK + `,"accountType":"website_payments_pro_payflow_edition","cards":["visa","visa_debit","visa_electron","mastercard"]}`, ""},
		{"wpp uk edition amex refused", `{` + wppUK + `,"accountType":"website_payments_pro_payflow_edition","cards":["amex"]}`, "cards[0]"},
		{"wpp uk edition no card", `{` + wppUK + `,"accountType":"website_payments_pro_payflow_edition"}`, "cards"},
		{"wpp uk US account type refused", `{` + wppUK + `,"accountType":"payflow_pro","cards":["visa"]}`, "accountType"},
		{"wpp uk express checkout is not its field", `{` + wppUK + `,"accountType":"website_payments_pro","expressCheckout":true}`, "expressCheckout"},
		{"wpp uk USD", `{` + wppUK + `,"accountType":"website_payments_pro","currency":"USD"}`, ""},
		{"wpp uk EUR refused", `{` + wppUK + `,"accountType":"website_payments_pro","currency":"EUR"}`, "currency"},
		{"wpp uk password missing", `{"kind":"website_payments_pro_uk","partnerId":"PayPalUK","vendor":"acme","userId":"acme","accountType":"website_payments_pro"}`, "password"},

		// WorldPay: EUR allowed, currency required, MD5 secret optional.
		{"worldpay EUR", `{` + worldpay + `}`, ""},
		{"worldpay with md5", `{` + worldpay + `,"md5Secret":"` + md5Secret + `"}`, ""},
		{"worldpay md5 too short", `{` + worldpay + `,"md5Secret":"Abc123"}`, "md5Secret"},
		{"worldpay md5 no digit", `{` + worldpay + `,"md5Secret":"Abcdefghijklmnopqrstu"}`, "md5Secret"},
		{"worldpay currency missing", `{"kind":"worldpay","installationId":"204596","callbackPassword":"cb-pass"}`, "currency"},
		{"worldpay installation missing", `{"kind":"worldpay","callbackPassword":"cb-pass","currency":"GBP"}`, "installationId"},
		{"worldpay installation not digits", `{"kind":"worldpay","installationId":"20A596","callbackPassword":"cb-pass","currency":"GBP"}`, "installationId"},
		{"worldpay callback password missing", `{"kind":"worldpay","installationId":"204596","currency":"GBP"}`, "callbackPassword"},
		{"worldpay account type is not its field", `{` + worldpay + `,"accountType":"payflow_pro"}`, "accountType"},
		// WorldPay remote administration: its installation and password, both or neither.
		{"worldpay remote admin", `{` + worldpay + `,"remoteAdminInstallationId":"204597","remoteAdminPassword":"ra-pass"}`, ""},
		{"worldpay remote admin without password", `{` + worldpay + `,"remoteAdminInstallationId":"204597"}`, "remoteAdminPassword"},
		{"worldpay remote admin password empty", `{` + worldpay + `,"remoteAdminInstallationId":"204597","remoteAdminPassword":""}`, "remoteAdminPassword"},
		{"worldpay remote admin password alone", `{` + worldpay + `,"remoteAdminPassword":"ra-pass"}`, "remoteAdminInstallationId"},
		{"worldpay remote admin not digits", `{` + worldpay + `,"remoteAdminInstallationId":"ra1","remoteAdminPassword":"ra-pass"}`, "remoteAdminInstallationId"},
		{"worldpay remote admin is the purchase installation", `{` + worldpay + `,"remoteAdminInstallationId":"204596","remoteAdminPassword":"ra-pass"}`, "remoteAdminInstallationId"},
		{"worldpay remote admin password with a line break", `{` + worldpay + `,"remoteAdminInstallationId":"204597","remoteAdminPassword":"ra\npass"}`, "remoteAdminPassword"},
		{"remote admin is not a payflow field", `{` + payflow + `,"accountType":"website_payments_pro","remoteAdminInstallationId":"1"}`, "remoteAdminInstallationId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parse(t, tc.body).Validate(nil)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			e := apperr.As(err)
			if err == nil || e.Code != apperr.CodeInvalid {
				t.Fatalf("want invalid_input naming %s, got %v", tc.field, err)
			}
			for _, d := range e.Details {
				if d.Field == tc.field {
					return
				}
			}
			t.Fatalf("no detail names %s: %+v", tc.field, e.Details)
		})
	}
}

func TestValidateDefaultsAndResult(t *testing.T) {
	for body, want := range map[string]Currency{
		`{` + payflow + `,"accountType":"website_payments_pro"}`: USD,
		`{` + ecUS + `}`: USD,
		`{` + ecCA + `}`: CAD,
		`{` + wppUK + `,"accountType":"website_payments_pro"}`: GBP,
		`{` + ecCA + `,"currency":"gbp"}`:                      GBP,
	} {
		got, _, err := parse(t, body).Validate(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Currency != want {
			t.Errorf("%s: currency %s, want %s", body, got.Currency, want)
		}
	}
	got, secrets, err := parse(t, `{`+payflow+`,"accountType":"payflow_pro","cards":["jcb","visa"],"expressCheckout":true}`).Validate(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != PayflowPro || got.PartnerID != "PayPal" || got.Vendor != "acme" || got.UserID != "acme-api" ||
		got.AccountType != AccountPayflowPro || !got.ExpressCheckout || len(got.Cards) != 2 || got.Cards[0] != JCB {
		t.Errorf("setup = %+v", got)
	}
	if secrets[SecretPassword] != "s3cret-pw" || len(secrets) != 1 {
		t.Errorf("secrets sent = %d values", len(secrets))
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	_, _, err := parse(t, `{"kind":"payflow_pro","currency":"EUR","paypalEmail":"x"}`).Validate(nil)
	fields := map[string]bool{}
	for _, d := range apperr.As(err).Details {
		fields[d.Field] = true
	}
	for _, f := range []string{"partnerId", "vendor", "userId", "accountType", "password", "currency", "paypalEmail"} {
		if !fields[f] {
			t.Errorf("no detail for %s in %v", f, err)
		}
	}
}

func TestValidateKeepsSecretsOfTheSameKind(t *testing.T) {
	prev := &Setup{Kind: PayflowPro, Secrets: map[SecretName]SecretStatus{SecretPassword: {Set: true}}}
	body := `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"acme","userId":"acme","accountType":"website_payments_pro"}`
	_, secrets, err := parse(t, body).Validate(prev)
	if err != nil {
		t.Fatalf("a stored password should be kept: %v", err)
	}
	if len(secrets) != 0 {
		t.Errorf("nothing sent, yet %d secrets to write", len(secrets))
	}
	// Another kind has no password to keep.
	prev.Kind = WebsitePaymentsProUK
	if _, _, err := parse(t, body).Validate(prev); err == nil {
		t.Error("the password of another provider was kept")
	}
	// An optional secret sent empty is removed.
	wp := &Setup{Kind: WorldPay, Secrets: map[SecretName]SecretStatus{SecretCallbackPassword: {Set: true}, SecretMD5: {Set: true}}}
	_, secrets, err = parse(t, `{"kind":"worldpay","installationId":"1","currency":"GBP","md5Secret":""}`).Validate(wp)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := secrets[SecretMD5]; !ok || v != "" {
		t.Errorf("md5Secret \"\" should mean remove")
	}
}

// The remote administration password is kept with its installation, and goes when the
// installation is left out (a PUT replaces the whole setup).
func TestValidateRemoteAdminPassword(t *testing.T) {
	prev := &Setup{Kind: WorldPay, RemoteAdminInstallationID: "204597", Secrets: map[SecretName]SecretStatus{
		SecretCallbackPassword: {Set: true}, SecretRemoteAdminPassword: {Set: true}}}
	got, secrets, err := parse(t, `{`+worldpay+`,"remoteAdminInstallationId":"204597"}`).Validate(prev)
	if err != nil || got.RemoteAdminInstallationID != "204597" || len(secrets) != 1 {
		t.Fatalf("kept password: %+v %d secrets, %v", got, len(secrets), err)
	}
	got, secrets, err = parse(t, `{`+worldpay+`}`).Validate(prev)
	if err != nil || got.RemoteAdminInstallationID != "" {
		t.Fatalf("without the installation: %+v, %v", got, err)
	}
	if v, ok := secrets[SecretRemoteAdminPassword]; !ok || v != "" {
		t.Errorf("the password of a removed installation should be removed, secrets %v", len(secrets))
	}
	// Sent, it passes to the secret store as it is.
	_, secrets, err = parse(t, `{`+worldpay+`,"remoteAdminInstallationId":"204597","remoteAdminPassword":"new-pass"}`).Validate(prev)
	if err != nil || secrets[SecretRemoteAdminPassword] != "new-pass" {
		t.Fatalf("a new password: %v", err)
	}
}

func TestValidateKeepsPermissionForTheSameLogin(t *testing.T) {
	perm := &Permission{Env: Sandbox, GrantedAt: time.Now()}
	prev := &Setup{Kind: ExpressCheckoutUS, PayPalEmail: "pay@acme.example", Permission: perm}
	got, _, err := parse(t, `{"kind":"express_checkout_us","paypalEmail":"PAY@acme.example","currency":"CAD"}`).Validate(prev)
	if err != nil || got.Permission != perm {
		t.Errorf("same login: permission %v, err %v", got.Permission, err)
	}
	got, _, _ = parse(t, `{"kind":"express_checkout_us","paypalEmail":"other@acme.example"}`).Validate(prev)
	if got.Permission != nil {
		t.Error("a new PayPal login kept the old login's permission")
	}
}

func TestNoSecretInMessages(t *testing.T) {
	_, _, err := parse(t, `{"kind":"payflow_pro","password":"abc\ndefg-very-secret"}`).Validate(nil)
	if err == nil {
		t.Fatal("want an error")
	}
	e := apperr.As(err)
	text := e.Message
	for _, d := range e.Details {
		text += d.Reason
	}
	if strings.Contains(text, "very-secret") {
		t.Errorf("an error quotes the password: %s", text)
	}
}

func TestSetupJSONHidesSecretRef(t *testing.T) {
	raw, err := json.Marshal(Setup{Kind: WorldPay, SecretRef: "boxoffice/x/providers/demo/abc"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "secretRef") || strings.Contains(string(raw), "boxoffice/x") {
		t.Errorf("JSON shows the secret reference: %s", raw)
	}
}

func TestSecretsDoNotPrint(t *testing.T) {
	s := Secrets{SecretPassword: "hunter22"}
	for _, out := range []string{s.String(), s.GoString(), fmt.Sprintf("%v %+v %#v", s, s, s)} {
		if strings.Contains(out, "hunter22") {
			t.Errorf("printed: %s", out)
		}
	}
}
