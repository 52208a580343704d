// Package webhookshttp is the HTTP API of the webhooks function (SPEC 4.3): the public
// routes the payment providers post their notifications to. No route takes a token: each
// message is believed only once its provider confirms it, and the site comes from the path.
// PayPal's REST events need an environment too: it is the one whose configured webhook ID
// the signature is valid for (PayPal signs over its listener's ID), so that neither the
// site, the environment nor the certificate to trust is ever something the message says.
package webhookshttp

import (
	"context"
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
	// PayPal REST webhooks: the site from the path, the environment from the webhook ID
	// the signature is valid for (webhooks.ReceiveREST).
	rt.HandlePublic("POST /webhooks/{site}/paypal/rest", receiveREST(w))
	// Payflow's Silent Post: the site from the path, the order by the secure token ID we
	// issued (webhooks.ReceivePayflow).
	rt.HandlePublic("POST /webhooks/{site}/payflow", receivePayflow(w))
	return rt
}

// receiveIPN answers PayPal: 200 for every message it must not send again (applied, a
// duplicate, noted, refused), 400 for a body that is no IPN, 503 when the message could
// not be verified or recorded now (PayPal sends it again).
func receiveIPN(wh *webhooks.Webhooks) httpx.HandlerFunc {
	return receiveForm(ipn.MaxBody, "the IPN", wh.ReceiveIPN)
}

// receiveForm is a route whose provider posts a body (what, at most max bytes) and reads a
// JSON answer: receive's Result with 200, or its error by the one error table.
func receiveForm(max int, what string, receive func(ctx context.Context, site string, body []byte) (webhooks.Result, error)) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		site, body, err := siteAndBody(r, max, what)
		if err != nil {
			return err
		}
		res, err := receive(r.Context(), site, body)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, res)
		return nil
	}
}

// siteAndBody reads a notification's site from the path and its body, at most max bytes
// (what names the message in the error).
func siteAndBody(r *http.Request, max int, what string) (string, []byte, error) {
	site := r.PathValue("site")
	if err := auth.CheckSite(site); err != nil {
		return "", nil, apperr.New(apperr.CodeNotFound, "no such site")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
	switch {
	case err != nil:
		return "", nil, apperr.New(apperr.CodeInvalid, "%s could not be read", what)
	case len(body) > max:
		return "", nil, apperr.New(apperr.CodeTooLarge, "%s is over %d bytes", what, max)
	}
	return site, body, nil
}
