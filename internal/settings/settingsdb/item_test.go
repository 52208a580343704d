package settingsdb

import (
	"reflect"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo/dynamotest"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// fullSite sets every field of the settings, the provider setup within them included.
func fullSite() settings.Site {
	at := time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)
	return settings.Site{
		Site: "acme", Version: 3, UpdatedAt: at, UpdatedBy: "u1", RetiredSecrets: []string{"ref-old"},
		Services: map[settings.Service]settings.ServiceSettings{
			settings.Events: {Enabled: true, Config: settings.Config{
				Mode: settings.ModeProduction, MerchantName: "Acme", SupportInfo: "help@acme.example",
				PaymentPage: settings.PaymentPage{Header: "H", Footer: "F"}, PromoCodesEnabled: true, TimeZone: "Europe/Amsterdam",
				Provider: &provider.Setup{
					Kind: provider.PayflowPro, PartnerID: "PayPal", Vendor: "v", UserID: "u", AccountType: provider.AccountPayflowPro,
					ExpressCheckout: true, Cards: []provider.Card{provider.Visa, provider.Amex}, PayPalEmail: "p@acme.example",
					Permission:     &provider.Permission{Env: provider.Sandbox, GrantedAt: at, Scopes: []string{"EXPRESS_CHECKOUT"}},
					InstallationID: "123", RemoteAdminInstallationID: "124", Currency: provider.USD,
					Secrets: map[provider.SecretName]provider.SecretStatus{
						provider.SecretPassword: {Set: true, UpdatedAt: at}, provider.SecretMD5: {},
					},
					SecretRef: "ref-1", UpdatedAt: at, UpdatedBy: "u2",
				},
			}},
			settings.Training: {Config: settings.Config{
				Mode: settings.ModeTest, TimeZone: "UTC", Provider: &provider.Setup{Kind: provider.ExpressCheckoutUS, Currency: provider.USD},
			}},
		},
	}
}

// newSite is a site saved once with nothing configured.
func newSite() settings.Site {
	s := settings.New("acme")
	s.Version = 1
	return s
}

// TestSiteItemLayout pins the attribute names and value shapes of the settings item, as
// the items written before the store had its own item struct hold them: a renamed json tag
// of the domain (the API's) must not change what is stored or make old items unreadable.
func TestSiteItemLayout(t *testing.T) {
	for name, tc := range map[string]struct {
		site   settings.Site
		golden string
	}{
		"every field": {fullSite(), `{
			"pk": "acme",
			"retiredSecrets": ["ref-old"],
			"services": {
				"events": {
					"config": {
						"merchantName": "Acme",
						"mode": "production",
						"paymentPage": {"footer": "F", "header": "H"},
						"promoCodesEnabled": true,
						"provider": {
							"accountType": "payflow_pro",
							"apiPermission": {
								"env": "sandbox",
								"grantedAt": "2026-11-28T12:00:00.0000005Z",
								"scopes": ["EXPRESS_CHECKOUT"]
							},
							"cards": ["visa", "amex"],
							"currency": "USD",
							"expressCheckout": true,
							"installationId": "123",
							"kind": "payflow_pro",
							"partnerId": "PayPal",
							"paypalEmail": "p@acme.example",
							"remoteAdminInstallationId": "124",
							"secretRef": "ref-1",
							"secrets": {
								"md5Secret": {"set": false, "updatedAt": "0001-01-01T00:00:00Z"},
								"password": {"set": true, "updatedAt": "2026-11-28T12:00:00.0000005Z"}
							},
							"updatedAt": "2026-11-28T12:00:00.0000005Z",
							"updatedBy": "u2",
							"userId": "u",
							"vendor": "v"
						},
						"supportInfo": "help@acme.example",
						"timeZone": "Europe/Amsterdam"
					},
					"enabled": true
				},
				"training": {
					"config": {
						"merchantName": "",
						"mode": "test",
						"paymentPage": {"footer": "", "header": ""},
						"promoCodesEnabled": false,
						"provider": {"currency": "USD", "kind": "express_checkout_us", "updatedAt": "0001-01-01T00:00:00Z"},
						"supportInfo": "",
						"timeZone": "UTC"
					},
					"enabled": false
				}
			},
			"site": "acme",
			"sk": "settings",
			"updatedAt": "2026-11-28T12:00:00.0000005Z",
			"updatedBy": "u1",
			"version": 3
		}`},
		"nothing configured": {newSite(), `{
			"pk": "acme",
			"services": {
				"events": {
					"config": {
						"merchantName": "",
						"mode": "test",
						"paymentPage": {"footer": "", "header": ""},
						"promoCodesEnabled": false,
						"supportInfo": "",
						"timeZone": "UTC"
					},
					"enabled": false
				},
				"training": {
					"config": {
						"merchantName": "",
						"mode": "test",
						"paymentPage": {"footer": "", "header": ""},
						"promoCodesEnabled": false,
						"supportInfo": "",
						"timeZone": "UTC"
					},
					"enabled": false
				}
			},
			"site": "acme",
			"sk": "settings",
			"updatedAt": "0001-01-01T00:00:00Z",
			"version": 1
		}`},
	} {
		item, err := dynamo.Marshal(newSiteItem(tc.site))
		if err != nil {
			t.Fatal(err)
		}
		dynamotest.AssertStored(t, name, item, tc.golden)
	}
}

// TestSiteItemRoundTrip: settings mapped to their item, through the codec and back are the
// settings again, field for field.
func TestSiteItemRoundTrip(t *testing.T) {
	for _, s := range []settings.Site{fullSite(), newSite()} {
		item, err := dynamo.Marshal(newSiteItem(s))
		if err != nil {
			t.Fatal(err)
		}
		var it siteItem
		if err := dynamo.Unmarshal(item, &it); err != nil {
			t.Fatal(err)
		}
		if got := it.site(); !reflect.DeepEqual(got, s) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, s)
		}
	}
}
