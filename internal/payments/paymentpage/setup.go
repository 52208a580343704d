package paymentpage

import (
	"fmt"
	"log/slog"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Check is what every provider client checks when it is built: an HTTP client, and the
// endpoints of both environments, each whole by complete. It returns the logger to use: log,
// or one that discards when log is nil.
func Check[E any](name string, hc Doer, endpoints map[provider.Env]E, complete func(E) bool, log *slog.Logger) (*slog.Logger, error) {
	for _, env := range []provider.Env{provider.Sandbox, provider.Live} {
		if e, ok := endpoints[env]; !ok || !complete(e) {
			return nil, fmt.Errorf("%s: every endpoint of %s is required", name, env)
		}
	}
	if hc == nil {
		return nil, fmt.Errorf("%s: an HTTP client is required", name)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return log, nil
}
