package settingsdb

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// providerItem is a configuration's payment provider as stored within the settings item.
// Unlike the API it keeps secretRef: where the secret values are.
type providerItem struct {
	Kind            string                      `dynamodbav:"kind"`
	PartnerID       string                      `dynamodbav:"partnerId,omitempty"`
	Vendor          string                      `dynamodbav:"vendor,omitempty"`
	UserID          string                      `dynamodbav:"userId,omitempty"`
	AccountType     string                      `dynamodbav:"accountType,omitempty"`
	ExpressCheckout bool                        `dynamodbav:"expressCheckout,omitempty"`
	Cards           []string                    `dynamodbav:"cards,omitempty"`
	PayPalEmail     string                      `dynamodbav:"paypalEmail,omitempty"`
	Permission      *permissionItem             `dynamodbav:"apiPermission,omitempty"`
	InstallationID  string                      `dynamodbav:"installationId,omitempty"`
	RemoteAdminID   string                      `dynamodbav:"remoteAdminInstallationId,omitempty"`
	Currency        string                      `dynamodbav:"currency"`
	Secrets         map[string]secretStatusItem `dynamodbav:"secrets,omitempty"`
	SecretRef       string                      `dynamodbav:"secretRef,omitempty"`
	UpdatedAt       time.Time                   `dynamodbav:"updatedAt"`
	UpdatedBy       string                      `dynamodbav:"updatedBy,omitempty"`
}

type permissionItem struct {
	Env       string    `dynamodbav:"env"`
	GrantedAt time.Time `dynamodbav:"grantedAt"`
	Scopes    []string  `dynamodbav:"scopes,omitempty"`
}

type secretStatusItem struct {
	Set       bool      `dynamodbav:"set"`
	UpdatedAt time.Time `dynamodbav:"updatedAt"`
}

// newProviderItem is nil for no provider.
func newProviderItem(p *provider.Setup) *providerItem {
	if p == nil {
		return nil
	}
	it := &providerItem{
		Kind: string(p.Kind), PartnerID: p.PartnerID, Vendor: p.Vendor, UserID: p.UserID,
		AccountType: string(p.AccountType), ExpressCheckout: p.ExpressCheckout, Cards: convertAll[string](p.Cards),
		PayPalEmail: p.PayPalEmail, InstallationID: p.InstallationID, RemoteAdminID: p.RemoteAdminInstallationID, Currency: string(p.Currency),
		SecretRef: p.SecretRef, UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy,
	}
	if g := p.Permission; g != nil {
		it.Permission = &permissionItem{Env: string(g.Env), GrantedAt: g.GrantedAt, Scopes: g.Scopes}
	}
	if p.Secrets != nil {
		it.Secrets = make(map[string]secretStatusItem, len(p.Secrets))
		for name, st := range p.Secrets {
			it.Secrets[string(name)] = secretStatusItem{Set: st.Set, UpdatedAt: st.UpdatedAt}
		}
	}
	return it
}

// setup is nil for no provider.
func (it *providerItem) setup() *provider.Setup {
	if it == nil {
		return nil
	}
	p := &provider.Setup{
		Kind: provider.Kind(it.Kind), PartnerID: it.PartnerID, Vendor: it.Vendor, UserID: it.UserID,
		AccountType: provider.AccountType(it.AccountType), ExpressCheckout: it.ExpressCheckout,
		Cards: convertAll[provider.Card](it.Cards), PayPalEmail: it.PayPalEmail, InstallationID: it.InstallationID,
		RemoteAdminInstallationID: it.RemoteAdminID,
		Currency:                  provider.Currency(it.Currency), SecretRef: it.SecretRef, UpdatedAt: it.UpdatedAt, UpdatedBy: it.UpdatedBy,
	}
	if g := it.Permission; g != nil {
		p.Permission = &provider.Permission{Env: provider.Env(g.Env), GrantedAt: g.GrantedAt, Scopes: g.Scopes}
	}
	if it.Secrets != nil {
		p.Secrets = make(map[provider.SecretName]provider.SecretStatus, len(it.Secrets))
		for name, st := range it.Secrets {
			p.Secrets[provider.SecretName(name)] = provider.SecretStatus{Set: st.Set, UpdatedAt: st.UpdatedAt}
		}
	}
	return p
}

// convertAll converts a list of one string type to another, keeping nil apart from empty.
func convertAll[To, From ~string](xs []From) []To {
	if xs == nil {
		return nil
	}
	out := make([]To, len(xs))
	for i, x := range xs {
		out[i] = To(x)
	}
	return out
}
