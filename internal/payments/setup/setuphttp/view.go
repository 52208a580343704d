package setuphttp

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// providerView is a service's provider as the API shows it: the setup without secret
// values or where they are kept, every secret of the kind with whether it is set, and for
// Express Checkout whether the API permission holds in the service's current environment.
type providerView struct {
	Site     string          `json:"site"`
	Service  string          `json:"service"`
	Shared   bool            `json:"shared"`
	Mode     settings.Mode   `json:"mode"`
	Env      provider.Env    `json:"env"`
	Provider json.RawMessage `json:"provider"`
}

type permissionView struct {
	Granted   bool         `json:"granted"`
	Env       provider.Env `json:"env,omitempty"`
	GrantedAt *time.Time   `json:"grantedAt,omitempty"`
	Scopes    []string     `json:"scopes,omitempty"`
}

func view(s settings.Site, svc settings.Service) (providerView, error) {
	v := providerView{
		Site: s.Site, Service: string(svc), Shared: s.Shared(), Mode: s.Services[svc].Config.Mode, Env: s.Env(svc),
		Provider: json.RawMessage("null"),
	}
	p := s.Provider(svc)
	if p == nil {
		return v, nil
	}
	raw, err := json.Marshal(p) // Setup.MarshalJSON leaves the secret reference out
	if err != nil {
		return v, err
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return v, err
	}
	required, optional := provider.SecretFields(p.Kind)
	secrets := map[provider.SecretName]provider.SecretStatus{}
	for _, name := range slices.Concat(required, optional) {
		secrets[name] = p.Secrets[name]
	}
	delete(fields, "secrets")
	if len(secrets) > 0 {
		fields["secrets"] = secrets
	}
	delete(fields, "apiPermission")
	if p.Kind.ExpressCheckout() {
		pv := permissionView{Granted: p.Granted(v.Env)}
		if p.Permission != nil {
			pv.Env, pv.GrantedAt, pv.Scopes = p.Permission.Env, &p.Permission.GrantedAt, p.Permission.Scopes
		}
		fields["apiPermission"] = pv
	}
	if v.Provider, err = marshal(fields); err != nil {
		return v, err
	}
	return v, nil
}

// marshal encodes like httpx.JSON, without HTML escaping: "<" in an actor stays readable.
func marshal(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
