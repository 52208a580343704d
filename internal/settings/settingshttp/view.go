package settingshttp

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/providerview"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// siteView is a site's settings as the API shows them. Retired secrets are not shown.
type siteView struct {
	Site      string                                   `json:"site"`
	Services  map[settings.Service]serviceSettingsView `json:"services"`
	Shared    bool                                     `json:"shared"`
	Version   int64                                    `json:"version"`
	UpdatedAt *time.Time                               `json:"updatedAt,omitempty"`
	UpdatedBy string                                   `json:"updatedBy,omitempty"`
}

type serviceSettingsView struct {
	Enabled bool       `json:"enabled"`
	Config  configView `json:"config"`
}

// configView is a service's configuration; its provider as providerview shows a setup.
type configView struct {
	Mode              settings.Mode       `json:"mode"`
	MerchantName      string              `json:"merchantName"`
	SupportInfo       string              `json:"supportInfo"`
	PaymentPage       paymentPageView     `json:"paymentPage"`
	PromoCodesEnabled bool                `json:"promoCodesEnabled"`
	TimeZone          string              `json:"timeZone"`
	Provider          *providerview.Setup `json:"provider,omitempty"`
}

type paymentPageView struct {
	Header string `json:"header"`
	Footer string `json:"footer"`
}

func viewSite(s settings.Site) siteView {
	v := siteView{Site: s.Site, Shared: s.Shared(), Version: s.Version, UpdatedAt: updatedAt(s), UpdatedBy: s.UpdatedBy}
	if s.Services != nil {
		v.Services = make(map[settings.Service]serviceSettingsView, len(s.Services))
		for svc, ss := range s.Services {
			v.Services[svc] = serviceSettingsView{Enabled: ss.Enabled, Config: viewConfig(ss.Config)}
		}
	}
	return v
}

func viewConfig(c settings.Config) configView {
	return configView{
		Mode: c.Mode, MerchantName: c.MerchantName, SupportInfo: c.SupportInfo,
		PaymentPage:       paymentPageView{Header: c.PaymentPage.Header, Footer: c.PaymentPage.Footer},
		PromoCodesEnabled: c.PromoCodesEnabled, TimeZone: c.TimeZone, Provider: providerview.NewSetup(c.Provider),
	}
}

// serviceView is one service's settings as the API shows them.
type serviceView struct {
	Site      string     `json:"site"`
	Service   string     `json:"service"`
	Enabled   bool       `json:"enabled"`
	Shared    bool       `json:"shared"`
	Config    configView `json:"config"`
	Version   int64      `json:"version"`
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
}

func viewService(s settings.Site, svc settings.Service) serviceView {
	return serviceView{
		Site: s.Site, Service: string(svc), Enabled: s.Services[svc].Enabled, Shared: s.Shared(),
		Config: viewConfig(s.Services[svc].Config), Version: s.Version, UpdatedAt: updatedAt(s), UpdatedBy: s.UpdatedBy,
	}
}

// updatedAt is nil for settings never saved, so the answer leaves it out.
func updatedAt(s settings.Site) *time.Time {
	if s.UpdatedAt.IsZero() {
		return nil
	}
	return &s.UpdatedAt
}
