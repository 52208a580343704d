package settings

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
)

// FuzzPatch: whatever a settings change holds, Apply refuses it as invalid input naming
// only fields the change sent, or applies it so that every value it wrote keeps SPEC 1's
// rules; applying what it wrote again changes nothing. sent says which fields the change
// holds, a bit each: enabled, merchantName, supportInfo, header, footer, promoCodesEnabled,
// timeZone.
func FuzzPatch(f *testing.F) {
	f.Add(uint8(0x7f), true, "Acme Events", "help@acme.example", "Welcome\r\n", "", false, "Europe/Amsterdam")
	f.Add(uint8(0x06), false, "  Acme  ", "+31 (20) 123-4567", "", "", true, "UTC")
	f.Add(uint8(0x7e), false, "a\x85b", "a@b@c.example", "a\tb", "\u2028", false, "Local")
	f.Add(uint8(0x46), false, strings.Repeat("é", 101), "12+34567", "", "", false, "../etc/passwd")
	f.Add(uint8(0x18), false, "", "", "a\xffb", strings.Repeat("x", 2001), false, "")
	f.Fuzz(func(t *testing.T, sent uint8, enabled bool, merchant, support, header, footer string, promo bool, zone string) {
		has := func(bit uint8) bool { return sent&bit != 0 }
		var p Patch
		var named []string // the JSON names of the fields sent
		set := func(bit uint8, name string, dst **string, v string) {
			if has(bit) {
				*dst = &v
				named = append(named, name)
			}
		}
		if has(1) {
			p.Enabled = &enabled
		}
		set(2, "merchantName", &p.MerchantName, merchant)
		set(4, "supportInfo", &p.SupportInfo, support)
		if has(8 | 16) {
			p.PaymentPage = &PaymentPagePatch{}
			set(8, "paymentPage.header", &p.PaymentPage.Header, header)
			set(16, "paymentPage.footer", &p.PaymentPage.Footer, footer)
		}
		if has(32) {
			p.PromoCodesEnabled = &promo
		}
		set(64, "timeZone", &p.TimeZone, zone)

		before := New("acme")
		after, err := before.Apply(Events, p)
		if err != nil {
			apperrtest.RequireFields(t, p, err, named...)
			return
		}
		c := after.Services[Events].Config
		checkText := func(field, v string, max int, allowed func(rune) bool) {
			if n := utf8.RuneCountInString(v); !utf8.ValidString(v) || n > max {
				t.Fatalf("%s %q accepted: %d characters, UTF-8 %v", field, v, n, utf8.ValidString(v))
			}
			for _, r := range v {
				if unicode.IsControl(r) && !allowed(r) {
					t.Fatalf("%s %q accepted with control character %U", field, v, r)
				}
			}
		}
		none := func(rune) bool { return false }
		lineBreaks := func(r rune) bool { return r == '\n' || r == '\r' }
		if has(2) {
			if c.MerchantName != strings.TrimSpace(merchant) || c.MerchantName == "" {
				t.Fatalf("merchant name %q stored as %q", merchant, c.MerchantName)
			}
			checkText("merchantName", c.MerchantName, MaxMerchantName, none)
		}
		if has(4) {
			if c.SupportInfo != strings.TrimSpace(support) || !emailaddr.Valid(c.SupportInfo) && strings.Trim(c.SupportInfo, "+0123456789 ().-") != "" {
				t.Fatalf("support info %q stored as %q: neither an address nor a phone number", support, c.SupportInfo)
			}
		}
		if has(8) {
			checkText("paymentPage.header", c.PaymentPage.Header, MaxPageText, lineBreaks)
		}
		if has(16) {
			checkText("paymentPage.footer", c.PaymentPage.Footer, MaxPageText, lineBreaks)
		}
		if has(64) {
			if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "Local" || c.TimeZone != zone {
				t.Fatalf("time zone %q stored as %q (%v)", zone, c.TimeZone, err)
			}
		}
		if has(1) && after.Services[Events].Enabled != enabled || has(32) && c.PromoCodesEnabled != promo {
			t.Fatalf("%+v: switches stored as %+v", p, after.Services[Events])
		}
		// What was written reads as a change that changes nothing.
		again := Patch{TimeZone: &c.TimeZone, PaymentPage: &PaymentPagePatch{Header: &c.PaymentPage.Header, Footer: &c.PaymentPage.Footer}}
		if has(2) { // the defaults are empty: not a name, not a contact
			again.MerchantName = &c.MerchantName
		}
		if has(4) {
			again.SupportInfo = &c.SupportInfo
		}
		twice, err := after.Apply(Events, again)
		if err != nil || !reflect.DeepEqual(twice.Services, after.Services) {
			t.Fatalf("re-applying %+v: %v; %+v became %+v", c, err, after.Services, twice.Services)
		}
	})
}
