// Package setuphttp is the HTTP API of the providers function (SPEC 2): a service's
// payment provider, and the Express Checkout API permission flow.
package setuphttp

import (
	"log/slog"

	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// CallbackPath is where PayPal sends the merchant back after granting the permission. It
// is public: the single-use state value in the link authenticates it.
const CallbackPath = "/providers/paypal/permission/callback"

// Deps is what the handler needs.
type Deps struct {
	Providers *setup.Manager
	// PublicURL is the API's public base URL, which the permission link's callback is
	// under; without it the link is unavailable (503).
	PublicURL httpx.PublicURL
	Log       *slog.Logger
}

// NewHandler returns the providers function's HTTP handler with all of its routes.
func NewHandler(d Deps) *httpx.Router {
	rt := httpx.NewRouter(d.Log)
	rt.Handle("GET /sites/{site}/providers/{service}", getProvider(d.Providers))
	rt.Handle("PUT /sites/{site}/providers/{service}", putProvider(d.Providers))
	rt.Handle("DELETE /sites/{site}/providers/{service}", deleteProvider(d.Providers))
	rt.Handle("POST /sites/{site}/providers/{service}/permission", startGrant(d.Providers, d.PublicURL))
	rt.HandlePublic("GET "+CallbackPath, completeGrant(d.Providers))
	return rt
}
