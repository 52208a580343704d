package setuphttp

import (
	"slices"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/providerview"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// providerView is a service's provider as the API shows it: the setup without secret
// values or where they are kept, every secret of the kind with whether it is set, and for
// Express Checkout whether the API permission holds in the service's current environment.
type providerView struct {
	Site     string              `json:"site"`
	Service  string              `json:"service"`
	Shared   bool                `json:"shared"`
	Mode     settings.Mode       `json:"mode"`
	Env      provider.Env        `json:"env"`
	Provider *providerview.Setup `json:"provider"` // null when none is set up
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
	sv := providerview.NewSetup(p)
	// Every secret of the kind, set or not, and no other.
	required, optional := provider.SecretFields(p.Kind)
	names := slices.Concat(required, optional)
	sv.Secrets = make(map[provider.SecretName]providerview.SecretStatus, len(names))
	for _, name := range names {
		sv.Secrets[name] = providerview.NewSecretStatus(p.Secrets[name])
	}
	// The permission only where the kind has one, and whether it holds in this environment.
	sv.Permission = nil
	if p.Kind.ExpressCheckout() {
		granted := p.Granted(v.Env)
		sv.Permission = &providerview.Permission{Granted: &granted}
		if g := p.Permission; g != nil {
			sv.Permission.Env, sv.Permission.GrantedAt, sv.Permission.Scopes = g.Env, &g.GrantedAt, g.Scopes
		}
	}
	v.Provider = sv
	return v, nil
}
