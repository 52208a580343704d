package settingshttp

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// TestAnswersShowViews pins what the settings answers show, field by field: never where a
// provider's secrets are kept, nor the secrets retired by a change.
func TestAnswersShowViews(t *testing.T) {
	at := time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)
	configured := settings.Site{
		Site: "acme", Version: 3, UpdatedAt: at, UpdatedBy: "u1", RetiredSecrets: []string{"ref-old"},
		Services: map[settings.Service]settings.ServiceSettings{
			settings.Events: {Enabled: true, Config: settings.Config{
				Mode: settings.ModeProduction, MerchantName: "Acme", SupportInfo: "help@acme.example",
				PaymentPage: settings.PaymentPage{Header: "H", Footer: "F"}, PromoCodesEnabled: true, TimeZone: "Europe/Amsterdam",
				Provider: &provider.Setup{
					Kind: provider.WorldPay, InstallationID: "1", Currency: provider.EUR, SecretRef: "ref-1",
					Secrets: map[provider.SecretName]provider.SecretStatus{provider.SecretCallbackPassword: {Set: true, UpdatedAt: at}},
				},
			}},
			settings.Training: {Config: settings.DefaultConfig()},
		},
	}
	for name, tc := range map[string]struct {
		view   any
		golden string
	}{
		"site": {viewSite(configured), `{
			"site": "acme",
			"services": {
				"events": {
					"enabled": true,
					"config": {
						"mode": "production",
						"merchantName": "Acme",
						"supportInfo": "help@acme.example",
						"paymentPage": {"header": "H", "footer": "F"},
						"promoCodesEnabled": true,
						"timeZone": "Europe/Amsterdam",
						"provider": {
							"kind": "worldpay",
							"installationId": "1",
							"currency": "EUR",
							"secrets": {"callbackPassword": {"set": true, "updatedAt": "2026-11-28T12:00:00.0000005Z"}}
						}
					}
				},
				"training": {
					"enabled": false,
					"config": {
						"mode": "test", "merchantName": "", "supportInfo": "", "paymentPage": {"header": "", "footer": ""},
						"promoCodesEnabled": false, "timeZone": "UTC"
					}
				}
			},
			"shared": false,
			"version": 3,
			"updatedAt": "2026-11-28T12:00:00.0000005Z",
			"updatedBy": "u1"
		}`},
		"service": {viewService(configured, settings.Training), `{
			"site": "acme", "service": "training", "enabled": false, "shared": false,
			"config": {
				"mode": "test", "merchantName": "", "supportInfo": "", "paymentPage": {"header": "", "footer": ""},
				"promoCodesEnabled": false, "timeZone": "UTC"
			},
			"version": 3, "updatedAt": "2026-11-28T12:00:00.0000005Z", "updatedBy": "u1"
		}`},
		"service never saved": {viewService(settings.New("acme"), settings.Events), `{
			"site": "acme", "service": "events", "enabled": false, "shared": false,
			"config": {
				"mode": "test", "merchantName": "", "supportInfo": "", "paymentPage": {"header": "", "footer": ""},
				"promoCodesEnabled": false, "timeZone": "UTC"
			},
			"version": 0
		}`},
	} {
		var want bytes.Buffer
		_ = json.Compact(&want, []byte(tc.golden))
		if got, _ := json.Marshal(tc.view); string(got) != want.String() {
			t.Errorf("%s: answers\n%s\nwant\n%s", name, got, want.String())
		}
	}
}
