package settingsdb

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/settings"
)

// siteItem is a site's settings as stored: one item per site in the sites table. The
// attribute names are this store's own, so renaming a field of the API (the domain's json
// tags) never changes what is stored; item_test.go pins them.
//
// Times keep the codec's encoding (RFC 3339, and "0001-01-01T00:00:00Z" for none), which is
// what the items written so far hold.
type siteItem struct {
	PK             string                 `dynamodbav:"pk"`
	SK             string                 `dynamodbav:"sk"`
	Site           string                 `dynamodbav:"site"`
	Services       map[string]serviceItem `dynamodbav:"services"`
	Version        int64                  `dynamodbav:"version"`
	UpdatedAt      time.Time              `dynamodbav:"updatedAt"`
	UpdatedBy      string                 `dynamodbav:"updatedBy,omitempty"`
	RetiredSecrets []string               `dynamodbav:"retiredSecrets,omitempty"`
}

type serviceItem struct {
	Enabled bool       `dynamodbav:"enabled"`
	Config  configItem `dynamodbav:"config"`
}

type configItem struct {
	Mode              string          `dynamodbav:"mode"`
	MerchantName      string          `dynamodbav:"merchantName"`
	SupportInfo       string          `dynamodbav:"supportInfo"`
	PaymentPage       paymentPageItem `dynamodbav:"paymentPage"`
	PromoCodesEnabled bool            `dynamodbav:"promoCodesEnabled"`
	TimeZone          string          `dynamodbav:"timeZone"`
	Provider          *providerItem   `dynamodbav:"provider,omitempty"`
}

type paymentPageItem struct {
	Header string `dynamodbav:"header"`
	Footer string `dynamodbav:"footer"`
}

func newSiteItem(s settings.Site) siteItem {
	it := siteItem{
		PK: s.Site, SK: skSettings, Site: s.Site, Version: s.Version,
		UpdatedAt: s.UpdatedAt, UpdatedBy: s.UpdatedBy, RetiredSecrets: s.RetiredSecrets,
	}
	if s.Services != nil {
		it.Services = make(map[string]serviceItem, len(s.Services))
		for svc, ss := range s.Services {
			it.Services[string(svc)] = serviceItem{Enabled: ss.Enabled, Config: newConfigItem(ss.Config)}
		}
	}
	return it
}

func newConfigItem(c settings.Config) configItem {
	return configItem{
		Mode: string(c.Mode), MerchantName: c.MerchantName, SupportInfo: c.SupportInfo,
		PaymentPage:       paymentPageItem{Header: c.PaymentPage.Header, Footer: c.PaymentPage.Footer},
		PromoCodesEnabled: c.PromoCodesEnabled, TimeZone: c.TimeZone, Provider: newProviderItem(c.Provider),
	}
}

func (it siteItem) site() settings.Site {
	s := settings.Site{
		Site: it.Site, Version: it.Version, UpdatedAt: it.UpdatedAt, UpdatedBy: it.UpdatedBy,
		RetiredSecrets: it.RetiredSecrets,
	}
	if it.Services != nil {
		s.Services = make(map[settings.Service]settings.ServiceSettings, len(it.Services))
		for svc, ss := range it.Services {
			s.Services[settings.Service(svc)] = settings.ServiceSettings{Enabled: ss.Enabled, Config: ss.Config.config()}
		}
	}
	return s
}

func (it configItem) config() settings.Config {
	return settings.Config{
		Mode: settings.Mode(it.Mode), MerchantName: it.MerchantName, SupportInfo: it.SupportInfo,
		PaymentPage:       settings.PaymentPage{Header: it.PaymentPage.Header, Footer: it.PaymentPage.Footer},
		PromoCodesEnabled: it.PromoCodesEnabled, TimeZone: it.TimeZone, Provider: it.Provider.setup(),
	}
}
