package paypal

import (
	"context"
	"fmt"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// JSONSecretReader reads a secret holding a JSON document (paymentsecrets.Reader is one).
type JSONSecretReader interface {
	ReadJSON(ctx context.Context, name string, v any) error
}

// PlatformCredentials reads the platform's PayPal credentials of an environment from the
// secret called name, a JSON object {"sandbox": {...}, "live": {...}} of Credentials,
// through r: with the cached reader, the secret is read at most once per cache period.
func PlatformCredentials(r JSONSecretReader, name string) func(context.Context, provider.Env) (Credentials, error) {
	return func(ctx context.Context, env provider.Env) (Credentials, error) {
		var byEnv map[provider.Env]Credentials
		if err := r.ReadJSON(ctx, name, &byEnv); err != nil {
			return Credentials{}, err
		}
		c := byEnv[env]
		if c.UserID == "" || c.Password == "" || c.Signature == "" || c.AppID == "" {
			return Credentials{}, apperr.Internal(fmt.Errorf("secret %s has no PayPal platform credentials for %s", name, env))
		}
		return c, nil
	}
}
