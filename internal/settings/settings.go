// Package settings holds a site's e-commerce settings (SPEC 1): which services sell, and the
// configuration they sell with. When both services are enabled they share one configuration:
// a change made through either applies to both.
package settings

import (
	"slices"
	"time"

	// Lambda's runtime image carries no zoneinfo; the site's time zone must still resolve.
	_ "time/tzdata"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Service is a product line that can sell: events or training.
type Service string

// The services.
const (
	Events   Service = "events"
	Training Service = "training"
)

// Services lists every service, in a stable order.
var Services = []Service{Events, Training}

// Valid reports whether s names a service.
func (s Service) Valid() bool { return s == Events || s == Training }

// ParseService returns the service named s, or a not-found error naming the choices.
func ParseService(s string) (Service, error) {
	if svc := Service(s); svc.Valid() {
		return svc, nil
	}
	return "", apperr.New(apperr.CodeNotFound, "unknown service %q (use events or training)", s)
}

// Other returns the other service.
func (s Service) Other() Service {
	if s == Events {
		return Training
	}
	return Events
}

// Mode decides whether real money moves.
type Mode string

// The modes. In test mode checkout talks to sandboxes and orders are test orders.
const (
	ModeTest       Mode = "test"
	ModeProduction Mode = "production"
)

// PaymentPage is the text around the payment form.
type PaymentPage struct {
	Header string `json:"header"`
	Footer string `json:"footer"`
}

// Config is what a service sells with; shared by both services when both are enabled.
type Config struct {
	Mode              Mode        `json:"mode"`
	MerchantName      string      `json:"merchantName"`
	SupportInfo       string      `json:"supportInfo"`
	PaymentPage       PaymentPage `json:"paymentPage"`
	PromoCodesEnabled bool        `json:"promoCodesEnabled"`
	TimeZone          string      `json:"timeZone"`
	// Provider is the payment provider this configuration sells through (SPEC 2), set by
	// the providers function; nil until one is set up.
	Provider *provider.Setup `json:"provider,omitempty"`
}

// ServiceSettings is one service's switch and configuration.
type ServiceSettings struct {
	Enabled bool   `json:"enabled"`
	Config  Config `json:"config"`
}

// Site is a site's settings as stored. Version counts saved changes; saves are conditional
// on it so concurrent changes are never lost.
type Site struct {
	Site      string                      `json:"site"`
	Services  map[Service]ServiceSettings `json:"services"`
	Version   int64                       `json:"version"`
	UpdatedAt time.Time                   `json:"updatedAt,omitzero"`
	UpdatedBy string                      `json:"updatedBy,omitempty"`
	// RetiredSecrets are provider secrets no configuration refers to any more because a
	// settings change dropped their provider (a service joining the other's configuration).
	// The settings function cannot touch secrets; the providers function deletes these with
	// its next change. Not shown by the API.
	RetiredSecrets []string `json:"retiredSecrets,omitempty"`
}

// DefaultConfig is a new service's configuration: test mode, so nothing real is charged
// before the administrator says so; promotion codes off; UTC.
func DefaultConfig() Config {
	return Config{Mode: ModeTest, TimeZone: "UTC"}
}

// New returns the settings of a site that has never been configured.
func New(site string) Site {
	return Site{Site: site, Services: map[Service]ServiceSettings{
		Events:   {Config: DefaultConfig()},
		Training: {Config: DefaultConfig()},
	}}
}

// Shared reports whether both services are enabled and so share one configuration.
func (s Site) Shared() bool {
	return s.Services[Events].Enabled && s.Services[Training].Enabled
}

// Location returns the time zone a service's promotion codes expire in.
func (s Site) Location(svc Service) *time.Location {
	loc, err := time.LoadLocation(s.Services[svc].Config.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// clone copies s so a change never aliases the original's map or list.
func (s Site) clone() Site {
	c := s
	c.RetiredSecrets = slices.Clone(s.RetiredSecrets)
	c.Services = make(map[Service]ServiceSettings, len(s.Services))
	for k, v := range s.Services {
		c.Services[k] = v
	}
	return c
}

// Provider returns the provider a service sells through, or nil.
func (s Site) Provider(svc Service) *provider.Setup {
	return s.Services[svc].Config.Provider
}

// SetProvider sets (or, with nil, removes) a service's provider; shared when both services
// are enabled, like every part of the configuration. p is stored as given: callers hand
// over a fresh value and never change it afterwards.
func (s Site) SetProvider(svc Service, p *provider.Setup) (Site, error) {
	if _, err := ParseService(string(svc)); err != nil {
		return s, err
	}
	next := s.clone()
	cur := next.Services[svc]
	cur.Config.Provider = p
	next.Services[svc] = cur
	next.share(svc)
	return next, nil
}

// retireDropped records the secret of a provider a change dropped, if nothing refers to it.
func (s *Site) retireDropped(dropped *provider.Setup) {
	if dropped == nil || dropped.SecretRef == "" || slices.Contains(s.SecretRefs(), dropped.SecretRef) ||
		slices.Contains(s.RetiredSecrets, dropped.SecretRef) {
		return
	}
	s.RetiredSecrets = append(s.RetiredSecrets, dropped.SecretRef)
}

// SecretRefs lists the provider secrets the site's configurations refer to.
func (s Site) SecretRefs() []string {
	var refs []string
	for _, svc := range Services {
		if p := s.Provider(svc); p != nil && p.SecretRef != "" {
			refs = append(refs, p.SecretRef)
		}
	}
	return refs
}

// Env is the provider environment a service's mode selects: the sandbox in test mode.
func (s Site) Env(svc Service) provider.Env {
	if s.Services[svc].Config.Mode == ModeProduction {
		return provider.Live
	}
	return provider.Sandbox
}
