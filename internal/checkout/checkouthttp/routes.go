// Package checkouthttp is the HTTP API of the checkout function (SPEC 4.1, 4.4): quotes,
// orders and the buyer-facing routes the providers send the browser back to, and the
// site's administrators' orders: the list, one order, capture, void and the CSV export.
package checkouthttp

import (
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/auth"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// Deps is what the handler needs.
type Deps struct {
	Checkout *checkout.Checkout
	// Orders is the orders list the site's administrators read.
	Orders checkout.Lister
	Now    func() time.Time
	Log    *slog.Logger
}

// NewHandler returns the checkout function's HTTP handler with all of its routes. The
// platform's back end calls the /sites/{site}/checkout routes with a checkout token; the
// site's administrators read, capture and void orders with theirs; the buyer's browser
// comes back to the public /checkout routes from the provider's page (the unguessable
// order reference is what it holds).
func NewHandler(d Deps) *httpx.Router {
	rt := httpx.NewRouter(d.Log)
	rt.HandleScoped(auth.ScopeCheckout, "POST /sites/{site}/checkout/quote", quote(d.Checkout))
	rt.HandleScoped(auth.ScopeCheckout, "POST /sites/{site}/checkout/orders", createOrder(d.Checkout))
	rt.HandleScoped(auth.ScopeCheckout, "GET /sites/{site}/checkout/orders/{ref}", getOrder(d.Checkout))
	rt.Handle("GET /sites/{site}/orders", listOrders(d.Orders, d.Now))
	rt.Handle("GET /sites/{site}/orders/report.csv", exportOrders(d.Orders, d.Now))
	rt.Handle("GET /sites/{site}/orders/{ref}", adminOrder(d.Checkout))
	rt.Handle("POST /sites/{site}/orders/{ref}/capture", captureOrder(d.Checkout))
	rt.Handle("POST /sites/{site}/orders/{ref}/void", voidOrder(d.Checkout))
	rt.HandlePublic("GET /checkout/{site}/orders/{ref}/return", returned(d.Checkout))
	rt.HandlePublic("POST /checkout/{site}/orders/{ref}/return", returned(d.Checkout))
	rt.HandlePublic("GET /checkout/{site}/orders/{ref}/cancel", cancelled(d.Checkout))
	rt.HandlePublic("POST /checkout/{site}/orders/{ref}/cancel", cancelled(d.Checkout))
	return rt
}
