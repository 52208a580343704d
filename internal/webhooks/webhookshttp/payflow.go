package webhookshttp

import (
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
)

// maxSilentPost bounds a Silent Post: Payflow's result with the order's echoed fields (the
// billing and shipping address among them), a few kilobytes.
const maxSilentPost = 64 << 10

// receivePayflow answers Payflow's Silent Post: 200 for every post it need not send again
// (applied, a duplicate, noted, refused: Payflow voids the transaction on anything else
// when Force Silent Post Confirmation is on), 400 for a body that is no Silent Post, 503
// when it could not be confirmed or recorded now.
func receivePayflow(wh *webhooks.Webhooks) httpx.HandlerFunc {
	return receiveForm(maxSilentPost, "the Silent Post", wh.ReceivePayflow)
}
