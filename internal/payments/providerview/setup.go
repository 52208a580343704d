// Package providerview is how the API shows a service's payment provider, wherever it
// shows one: the providers routes and the settings, which hold a service's setup.
package providerview

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Setup is a provider setup as the API shows it: never where the secret values are kept.
type Setup struct {
	Kind                      provider.Kind                        `json:"kind"`
	PartnerID                 string                               `json:"partnerId,omitempty"`
	Vendor                    string                               `json:"vendor,omitempty"`
	UserID                    string                               `json:"userId,omitempty"`
	AccountType               provider.AccountType                 `json:"accountType,omitempty"`
	ExpressCheckout           bool                                 `json:"expressCheckout,omitempty"`
	Cards                     []provider.Card                      `json:"cards,omitempty"`
	PayPalEmail               string                               `json:"paypalEmail,omitempty"`
	Permission                *Permission                          `json:"apiPermission,omitempty"`
	InstallationID            string                               `json:"installationId,omitempty"`
	RemoteAdminInstallationID string                               `json:"remoteAdminInstallationId,omitempty"`
	Currency                  provider.Currency                    `json:"currency"`
	Secrets                   map[provider.SecretName]SecretStatus `json:"secrets,omitempty"`
	UpdatedAt                 time.Time                            `json:"updatedAt,omitzero"`
	UpdatedBy                 string                               `json:"updatedBy,omitempty"`
}

// Permission is the Express Checkout API permission. Granted, set by the providers route
// only, says whether it holds in the service's current environment.
type Permission struct {
	Granted   *bool        `json:"granted,omitempty"`
	Env       provider.Env `json:"env,omitempty"`
	GrantedAt *time.Time   `json:"grantedAt,omitempty"`
	Scopes    []string     `json:"scopes,omitempty"`
}

// SecretStatus says whether a secret is set, and since when; never its value.
type SecretStatus struct {
	Set       bool      `json:"set"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// NewSetup shows p as it is stored, secrets as recorded; nil for no provider.
func NewSetup(p *provider.Setup) *Setup {
	if p == nil {
		return nil
	}
	v := &Setup{
		Kind: p.Kind, PartnerID: p.PartnerID, Vendor: p.Vendor, UserID: p.UserID, AccountType: p.AccountType,
		ExpressCheckout: p.ExpressCheckout, Cards: p.Cards, PayPalEmail: p.PayPalEmail, InstallationID: p.InstallationID,
		RemoteAdminInstallationID: p.RemoteAdminInstallationID, Currency: p.Currency, UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy,
	}
	if g := p.Permission; g != nil {
		v.Permission = &Permission{Env: g.Env, GrantedAt: &g.GrantedAt, Scopes: g.Scopes}
	}
	if len(p.Secrets) > 0 {
		v.Secrets = make(map[provider.SecretName]SecretStatus, len(p.Secrets))
		for name, st := range p.Secrets {
			v.Secrets[name] = NewSecretStatus(st)
		}
	}
	return v
}

// NewSecretStatus shows whether a secret is set.
func NewSecretStatus(st provider.SecretStatus) SecretStatus {
	return SecretStatus{Set: st.Set, UpdatedAt: st.UpdatedAt}
}
