package webhookshttp

import (
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal/restwebhook"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
)

// receiveREST answers PayPal's REST webhook delivery: 200 for every event it must not send
// again (applied, a duplicate, noted, ignored, and refused: a signature that does not
// verify never will, and PayPal retries anything else for days), 400 for a delivery
// without PayPal's signature headers or a body that is no event, 503 when it could not be
// verified or recorded now (PayPal sends it again).
func receiveREST(wh *webhooks.Webhooks) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		site, body, err := siteAndBody(r, restwebhook.MaxBody, "the event")
		if err != nil {
			return err
		}
		res, err := wh.ReceiveREST(r.Context(), site, r.Header, body)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, res)
		return nil
	}
}
