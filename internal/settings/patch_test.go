package settings

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

func ptr[T any](v T) *T { return &v }

func TestValidation(t *testing.T) {
	tests := []struct {
		name  string
		patch Patch
		field string // "" means valid
	}{
		{"merchant ok", Patch{MerchantName: ptr("Acme Events")}, ""},
		{"merchant trimmed to empty", Patch{MerchantName: ptr("   ")}, "merchantName"},
		{"merchant 100", Patch{MerchantName: ptr(strings.Repeat("é", 100))}, ""},
		{"merchant 101", Patch{MerchantName: ptr(strings.Repeat("a", 101))}, "merchantName"},
		{"merchant newline", Patch{MerchantName: ptr("a\nb")}, "merchantName"},
		{"merchant bad utf8", Patch{MerchantName: ptr("a\xffb")}, "merchantName"},
		{"support email", Patch{SupportInfo: ptr("help@acme.example")}, ""},
		{"support phone intl", Patch{SupportInfo: ptr("+31 (20) 123-4567")}, ""},
		{"support phone dots", Patch{SupportInfo: ptr("555.123.4567")}, ""},
		{"support empty", Patch{SupportInfo: ptr("")}, "supportInfo"},
		{"support words", Patch{SupportInfo: ptr("call us")}, "supportInfo"},
		{"support bad email", Patch{SupportInfo: ptr("help@acme")}, "supportInfo"},
		{"support display name", Patch{SupportInfo: ptr("Help <help@acme.example>")}, "supportInfo"},
		{"support two at", Patch{SupportInfo: ptr("a@b@c.example")}, "supportInfo"},
		{"support short phone", Patch{SupportInfo: ptr("12345")}, "supportInfo"},
		{"support long phone", Patch{SupportInfo: ptr("+1234567890123456")}, "supportInfo"},
		{"support plus inside", Patch{SupportInfo: ptr("12+34567")}, "supportInfo"},
		{"header with newlines", Patch{PaymentPage: &PaymentPagePatch{Header: ptr("Line 1\r\nLine 2\n")}}, ""},
		{"header tab", Patch{PaymentPage: &PaymentPagePatch{Header: ptr("a\tb")}}, "paymentPage.header"},
		{"footer 2000", Patch{PaymentPage: &PaymentPagePatch{Footer: ptr(strings.Repeat("x", 2000))}}, ""},
		{"footer 2001", Patch{PaymentPage: &PaymentPagePatch{Footer: ptr(strings.Repeat("x", 2001))}}, "paymentPage.footer"},
		{"footer NUL", Patch{PaymentPage: &PaymentPagePatch{Footer: ptr("a\x00")}}, "paymentPage.footer"},
		{"footer empty clears", Patch{PaymentPage: &PaymentPagePatch{Footer: ptr("")}}, ""},
		{"tz ok", Patch{TimeZone: ptr("America/Toronto")}, ""},
		{"tz utc", Patch{TimeZone: ptr("UTC")}, ""},
		{"tz empty", Patch{TimeZone: ptr("")}, "timeZone"},
		{"tz local", Patch{TimeZone: ptr("Local")}, "timeZone"},
		{"tz unknown", Patch{TimeZone: ptr("Mars/Olympus")}, "timeZone"},
		{"tz offset", Patch{TimeZone: ptr("+02:00")}, "timeZone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New("acme").Apply(Events, tt.patch)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			e := apperr.As(err)
			if e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != tt.field {
				t.Fatalf("got %+v, want invalid field %q", e, tt.field)
			}
		})
	}
}

func TestEveryProblemReported(t *testing.T) {
	_, err := New("acme").Apply(Training, Patch{MerchantName: ptr(""), SupportInfo: ptr("x"), TimeZone: ptr("Nowhere")})
	if e := apperr.As(err); len(e.Details) != 3 {
		t.Fatalf("details = %+v, want 3", e.Details)
	}
}

func TestUnknownService(t *testing.T) {
	if _, err := New("acme").Apply("webinars", Patch{Enabled: ptr(true)}); apperr.CodeOf(err) != apperr.CodeNotFound {
		t.Fatalf("err = %v", err)
	}
	if _, err := New("acme").SetMode("webinars", ModeProduction); apperr.CodeOf(err) != apperr.CodeNotFound {
		t.Fatalf("err = %v", err)
	}
	if _, err := New("acme").SetMode(Events, "live"); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Fatalf("err = %v", err)
	}
}

func mustApply(t *testing.T, s Site, svc Service, p Patch) Site {
	t.Helper()
	next, err := s.Apply(svc, p)
	if err != nil {
		t.Fatal(err)
	}
	return next
}

func TestSharedConfiguration(t *testing.T) {
	s := New("acme")
	s = mustApply(t, s, Events, Patch{Enabled: ptr(true), MerchantName: ptr("Events Co")})
	s = mustApply(t, s, Training, Patch{MerchantName: ptr("Training Co")})
	if s.Shared() {
		t.Fatal("only events is enabled: not shared")
	}
	if s.Services[Training].Config.MerchantName != "Training Co" || s.Services[Events].Config.MerchantName != "Events Co" {
		t.Fatal("separate configurations must stay separate")
	}

	// Enabling training while events is enabled: training joins events' configuration.
	s = mustApply(t, s, Training, Patch{Enabled: ptr(true)})
	if !s.Shared() || s.Services[Training].Config != s.Services[Events].Config || s.Services[Training].Config.MerchantName != "Events Co" {
		t.Fatalf("after enabling both: %+v", s.Services)
	}

	// A change through either service applies to both.
	s = mustApply(t, s, Training, Patch{SupportInfo: ptr("help@acme.example"), TimeZone: ptr("Europe/Oslo")})
	if got := s.Services[Events].Config; got.SupportInfo != "help@acme.example" || got.TimeZone != "Europe/Oslo" {
		t.Fatalf("change through training not visible through events: %+v", got)
	}
	s, _ = s.SetMode(Events, ModeProduction)
	if s.Services[Training].Config.Mode != ModeProduction {
		t.Fatal("mode switched through events not visible through training")
	}

	// Disabling one leaves each with its own copy, then they diverge.
	s = mustApply(t, s, Events, Patch{Enabled: ptr(false)})
	s = mustApply(t, s, Training, Patch{MerchantName: ptr("Only Training")})
	if s.Services[Events].Config.MerchantName != "Events Co" || s.Services[Training].Config.MerchantName != "Only Training" {
		t.Fatalf("after disabling events: %+v", s.Services)
	}
}

func TestApplyDoesNotAliasOriginal(t *testing.T) {
	orig := New("acme")
	_ = mustApply(t, orig, Events, Patch{MerchantName: ptr("Changed")})
	if orig.Services[Events].Config.MerchantName != "" {
		t.Fatal("Apply changed the original")
	}
}
