// Package webhookshttp is the HTTP API of the webhooks function (SPEC 4.3): the public
// routes the payment providers post their notifications to. No route takes a token: each
// message is believed only once its provider confirms it, and the site comes from the path.
package webhookshttp

import (
	"io"
	"log/slog"
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/auth"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
)

// NewHandler returns the webhooks function's HTTP handler with all of its routes.
func NewHandler(w *webhooks.Webhooks, log *slog.Logger) *httpx.Router {
	rt := httpx.NewRouter(log)
	rt.HandlePublic("POST /webhooks/{site}/paypal/ipn", receiveIPN(w))
	rt.HandlePublic("POST /webhooks/{site}/worldpay", receiveWorldPay(w))
	rt.HandlePublic("POST /webhooks/{site}/payflow", receivePayflow(w))
	return rt
}

// receiveIPN answers PayPal: 200 for every message it must not send again (applied, a
// duplicate, noted, refused), 400 for a body that is no IPN, 503 when the message could
// not be verified or recorded now (PayPal sends it again).
func receiveIPN(wh *webhooks.Webhooks) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		site := r.PathValue("site")
		if err := auth.CheckSite(site); err != nil {
			return apperr.New(apperr.CodeNotFound, "no such site")
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, ipn.MaxBody+1))
		if err != nil {
			return apperr.New(apperr.CodeInvalid, "the IPN could not be read")
		}
		res, err := wh.ReceiveIPN(r.Context(), site, body)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, res)
		return nil
	}
}
