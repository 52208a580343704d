package setuphttp

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// TestProviderViews pins what the providers answers show, field by field: every secret of
// the kind as set or not (never a value, nor where it is kept), and for Express Checkout
// whether the permission holds in the service's environment.
func TestProviderViews(t *testing.T) {
	at := time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)
	site := settings.New("acme")
	site.Services[settings.Events] = settings.ServiceSettings{Config: settings.Config{Mode: settings.ModeProduction, Provider: &provider.Setup{
		Kind: provider.PayflowPro, PartnerID: "PayPal", Vendor: "v", UserID: "u", AccountType: provider.AccountPayflowPro,
		ExpressCheckout: true, Cards: []provider.Card{provider.Visa, provider.Amex}, PayPalEmail: "p@acme.example",
		Permission:     &provider.Permission{Env: provider.Sandbox, GrantedAt: at, Scopes: []string{"EXPRESS_CHECKOUT"}},
		InstallationID: "123", Currency: provider.USD,
		Secrets: map[provider.SecretName]provider.SecretStatus{
			provider.SecretPassword: {Set: true, UpdatedAt: at}, provider.SecretMD5: {},
		},
		SecretRef: "ref-1", UpdatedAt: at, UpdatedBy: "u2",
	}}}
	site.Services[settings.Training] = settings.ServiceSettings{Config: settings.Config{Mode: settings.ModeTest, Provider: &provider.Setup{
		Kind: provider.ExpressCheckoutUS, Currency: provider.USD,
	}}}
	other := settings.New("acme")
	other.Services[settings.Events] = settings.ServiceSettings{Config: settings.Config{Mode: settings.ModeTest, Provider: &provider.Setup{
		Kind: provider.WorldPay, InstallationID: "1", Currency: provider.EUR,
		Secrets:   map[provider.SecretName]provider.SecretStatus{provider.SecretCallbackPassword: {Set: true, UpdatedAt: at}},
		SecretRef: "r",
	}}}
	other.Services[settings.Training] = settings.ServiceSettings{Enabled: true, Config: settings.Config{Mode: settings.ModeTest, Provider: &provider.Setup{
		Kind: provider.ExpressCheckoutCA, PayPalEmail: "p@x.example", Currency: provider.CAD,
		Permission: &provider.Permission{Env: provider.Sandbox, GrantedAt: at, Scopes: []string{"A", "B"}},
	}}}
	for name, tc := range map[string]struct {
		site   settings.Site
		svc    settings.Service
		golden string
	}{
		"payflow pro": {site, settings.Events, `{
			"site": "acme",
			"service": "events",
			"shared": false,
			"mode": "production",
			"env": "live",
			"provider": {
				"kind": "payflow_pro",
				"partnerId": "PayPal",
				"vendor": "v",
				"userId": "u",
				"accountType": "payflow_pro",
				"expressCheckout": true,
				"cards": ["visa", "amex"],
				"paypalEmail": "p@acme.example",
				"installationId": "123",
				"currency": "USD",
				"secrets": {"password": {"set": true, "updatedAt": "2026-11-28T12:00:00.0000005Z"}},
				"updatedAt": "2026-11-28T12:00:00.0000005Z",
				"updatedBy": "u2"
			}
		}`},
		"express checkout, not granted": {site, settings.Training, `{
			"site": "acme",
			"service": "training",
			"shared": false,
			"mode": "test",
			"env": "sandbox",
			"provider": {"kind": "express_checkout_us", "apiPermission": {"granted": false}, "currency": "USD"}
		}`},
		"none": {settings.New("acme"), settings.Events, `{
			"site": "acme",
			"service": "events",
			"shared": false,
			"mode": "test",
			"env": "sandbox",
			"provider": null
		}`},
		"worldpay": {other, settings.Events, `{
			"site": "acme",
			"service": "events",
			"shared": false,
			"mode": "test",
			"env": "sandbox",
			"provider": {
				"kind": "worldpay",
				"installationId": "1",
				"currency": "EUR",
				"secrets": {
					"callbackPassword": {"set": true, "updatedAt": "2026-11-28T12:00:00.0000005Z"},
					"md5Secret": {"set": false},
					"remoteAdminPassword": {"set": false}
				}
			}
		}`},
		"express checkout, granted": {other, settings.Training, `{
			"site": "acme",
			"service": "training",
			"shared": false,
			"mode": "test",
			"env": "sandbox",
			"provider": {
				"kind": "express_checkout_ca",
				"paypalEmail": "p@x.example",
				"apiPermission": {
					"granted": true,
					"env": "sandbox",
					"grantedAt": "2026-11-28T12:00:00.0000005Z",
					"scopes": ["A", "B"]
				},
				"currency": "CAD"
			}
		}`},
	} {
		v, err := view(tc.site, tc.svc)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		_ = json.Compact(&want, []byte(tc.golden))
		if got, _ := json.Marshal(v); string(got) != want.String() {
			t.Errorf("%s: answers\n%s\nwant\n%s", name, got, want.String())
		}
	}
}
