package settings

import (
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Patch changes some of a service's settings; nil fields stay as they are. The mode is not
// here: switching it is its own, explicit action (SetMode).
type Patch struct {
	Enabled           *bool             `json:"enabled"`
	MerchantName      *string           `json:"merchantName"`
	SupportInfo       *string           `json:"supportInfo"`
	PaymentPage       *PaymentPagePatch `json:"paymentPage"`
	PromoCodesEnabled *bool             `json:"promoCodesEnabled"`
	TimeZone          *string           `json:"timeZone"`
}

// PaymentPagePatch changes the header, the footer, or both.
type PaymentPagePatch struct {
	Header *string `json:"header"`
	Footer *string `json:"footer"`
}

// Apply returns the settings after p is applied through svc, or every validation problem.
//
// Sharing: when svc is being enabled while the other service is already enabled, svc joins
// the other's configuration. Whenever both end up enabled, the resulting configuration is
// written to both, so a change through either applies to both. Disabling one leaves each
// service with its own copy of what they shared.
func (s Site) Apply(svc Service, p Patch) (Site, error) {
	if _, err := ParseService(string(svc)); err != nil {
		return s, err
	}
	if err := p.validate(); err != nil {
		return s, err
	}
	next := s.clone()
	cur := next.Services[svc]
	other := next.Services[svc.Other()]
	var dropped *provider.Setup
	if p.Enabled != nil {
		if *p.Enabled && !cur.Enabled && other.Enabled {
			dropped = cur.Config.Provider
			cur.Config = other.Config
		}
		cur.Enabled = *p.Enabled
	}
	c := &cur.Config
	if p.MerchantName != nil {
		c.MerchantName = normalizeName(*p.MerchantName)
	}
	if p.SupportInfo != nil {
		c.SupportInfo = normalizeSupport(*p.SupportInfo)
	}
	if p.PaymentPage != nil {
		if p.PaymentPage.Header != nil {
			c.PaymentPage.Header = *p.PaymentPage.Header
		}
		if p.PaymentPage.Footer != nil {
			c.PaymentPage.Footer = *p.PaymentPage.Footer
		}
	}
	if p.PromoCodesEnabled != nil {
		c.PromoCodesEnabled = *p.PromoCodesEnabled
	}
	if p.TimeZone != nil {
		c.TimeZone = *p.TimeZone
	}
	next.Services[svc] = cur
	next.share(svc)
	next.retireDropped(dropped)
	return next, nil
}

// SetMode switches a service's operation mode (shared when both services are enabled).
func (s Site) SetMode(svc Service, m Mode) (Site, error) {
	if _, err := ParseService(string(svc)); err != nil {
		return s, err
	}
	if err := validateMode(m); err != nil {
		return s, err
	}
	next := s.clone()
	cur := next.Services[svc]
	cur.Config.Mode = m
	next.Services[svc] = cur
	next.share(svc)
	return next, nil
}

// share copies from's configuration to the other service when both are enabled.
func (s Site) share(from Service) {
	if !s.Shared() {
		return
	}
	other := s.Services[from.Other()]
	other.Config = s.Services[from].Config
	s.Services[from.Other()] = other
}

func (p Patch) validate() error {
	var v apperr.Errors
	if p.MerchantName != nil {
		if reason := checkMerchantName(*p.MerchantName); reason != "" {
			v.Add("merchantName", reason)
		}
	}
	if p.SupportInfo != nil {
		if reason := checkSupportInfo(*p.SupportInfo); reason != "" {
			v.Add("supportInfo", reason)
		}
	}
	if p.PaymentPage != nil {
		if p.PaymentPage.Header != nil {
			if reason := checkPageText(*p.PaymentPage.Header); reason != "" {
				v.Add("paymentPage.header", reason)
			}
		}
		if p.PaymentPage.Footer != nil {
			if reason := checkPageText(*p.PaymentPage.Footer); reason != "" {
				v.Add("paymentPage.footer", reason)
			}
		}
	}
	if p.TimeZone != nil {
		if reason := checkTimeZone(*p.TimeZone); reason != "" {
			v.Add("timeZone", reason)
		}
	}
	return v.Err()
}

// Empty reports whether the patch changes nothing.
func (p Patch) Empty() bool {
	return p.Enabled == nil && p.MerchantName == nil && p.SupportInfo == nil &&
		(p.PaymentPage == nil || (p.PaymentPage.Header == nil && p.PaymentPage.Footer == nil)) &&
		p.PromoCodesEnabled == nil && p.TimeZone == nil
}
