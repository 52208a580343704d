package setuphttp

import (
	"slices"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// providerView is a service's provider as the API shows it: the setup without secret
// values or where they are kept, every secret of the kind with whether it is set, and for
// Express Checkout whether the API permission holds in the service's current environment.
type providerView struct {
	Site     string        `json:"site"`
	Service  string        `json:"service"`
	Shared   bool          `json:"shared"`
	Mode     settings.Mode `json:"mode"`
	Env      provider.Env  `json:"env"`
	Provider *SetupView    `json:"provider"` // null when none is set up
}

// SetupView is a provider setup as the API shows it, wherever it shows one (the settings
// show it within a service's configuration): never where the secret values are kept.
type SetupView struct {
	Kind            provider.Kind                            `json:"kind"`
	PartnerID       string                                   `json:"partnerId,omitempty"`
	Vendor          string                                   `json:"vendor,omitempty"`
	UserID          string                                   `json:"userId,omitempty"`
	AccountType     provider.AccountType                     `json:"accountType,omitempty"`
	ExpressCheckout bool                                     `json:"expressCheckout,omitempty"`
	Cards           []provider.Card                          `json:"cards,omitempty"`
	PayPalEmail     string                                   `json:"paypalEmail,omitempty"`
	Permission      *PermissionView                          `json:"apiPermission,omitempty"`
	InstallationID  string                                   `json:"installationId,omitempty"`
	Currency        provider.Currency                        `json:"currency"`
	Secrets         map[provider.SecretName]SecretStatusView `json:"secrets,omitempty"`
	UpdatedAt       time.Time                                `json:"updatedAt,omitzero"`
	UpdatedBy       string                                   `json:"updatedBy,omitempty"`
}

// PermissionView is the Express Checkout API permission. Granted, set by the providers
// route only, says whether it holds in the service's current environment.
type PermissionView struct {
	Granted   *bool        `json:"granted,omitempty"`
	Env       provider.Env `json:"env,omitempty"`
	GrantedAt *time.Time   `json:"grantedAt,omitempty"`
	Scopes    []string     `json:"scopes,omitempty"`
}

// SecretStatusView says whether a secret is set, and since when; never its value.
type SecretStatusView struct {
	Set       bool      `json:"set"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// NewSetupView shows p as it is stored, secrets as recorded; nil for no provider.
func NewSetupView(p *provider.Setup) *SetupView {
	if p == nil {
		return nil
	}
	v := &SetupView{
		Kind: p.Kind, PartnerID: p.PartnerID, Vendor: p.Vendor, UserID: p.UserID, AccountType: p.AccountType,
		ExpressCheckout: p.ExpressCheckout, Cards: p.Cards, PayPalEmail: p.PayPalEmail, InstallationID: p.InstallationID,
		Currency: p.Currency, UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy,
	}
	if g := p.Permission; g != nil {
		v.Permission = &PermissionView{Env: g.Env, GrantedAt: &g.GrantedAt, Scopes: g.Scopes}
	}
	if len(p.Secrets) > 0 {
		v.Secrets = make(map[provider.SecretName]SecretStatusView, len(p.Secrets))
		for name, st := range p.Secrets {
			v.Secrets[name] = newSecretStatusView(st)
		}
	}
	return v
}

func newSecretStatusView(st provider.SecretStatus) SecretStatusView {
	return SecretStatusView{Set: st.Set, UpdatedAt: st.UpdatedAt}
}

// view is the providers route's answer. It does not fail; the error is kept for the
// handlers' sake.
func view(s settings.Site, svc settings.Service) (providerView, error) {
	v := providerView{
		Site: s.Site, Service: string(svc), Shared: s.Shared(), Mode: s.Services[svc].Config.Mode, Env: s.Env(svc),
	}
	p := s.Provider(svc)
	if p == nil {
		return v, nil
	}
	sv := NewSetupView(p)
	// Every secret of the kind, set or not, and no other.
	required, optional := provider.SecretFields(p.Kind)
	names := slices.Concat(required, optional)
	sv.Secrets = make(map[provider.SecretName]SecretStatusView, len(names))
	for _, name := range names {
		sv.Secrets[name] = newSecretStatusView(p.Secrets[name])
	}
	// The permission only where the kind has one, and whether it holds in this environment.
	sv.Permission = nil
	if p.Kind.ExpressCheckout() {
		granted := p.Granted(v.Env)
		sv.Permission = &PermissionView{Granted: &granted}
		if g := p.Permission; g != nil {
			sv.Permission.Env, sv.Permission.GrantedAt, sv.Permission.Scopes = g.Env, &g.GrantedAt, g.Scopes
		}
	}
	v.Provider = sv
	return v, nil
}
