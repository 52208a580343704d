package webhooks

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/restwebhook"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// KindREST names PayPal's REST webhook events in the orders' history ("provider:paypal_rest").
const KindREST = "paypal_rest"

// RESTVerifier checks a REST webhook delivery's signature for a webhook ID
// (restwebhook.Verifier): an error wrapping restwebhook.ErrUnverified when PayPal did not
// sign it for that ID, another error when it could not be checked now.
type RESTVerifier interface {
	Verify(ctx context.Context, h restwebhook.Headers, body []byte, webhookID string) error
}

var _ RESTVerifier = (*restwebhook.Verifier)(nil)

// restEnvs are tried in turn: the route knows the site from its path
// (/webhooks/{site}/paypal/rest) and the environment from the webhook ID the signature is
// valid for, since PayPal signs each delivery over the ID of the listener it was sent to
// and each environment's ID is configuration (Deps.WebhookIDs). Nothing the message says
// picks the site, the environment or whom to trust; the order is then the one its invoice
// names on that site, and it must be of that environment and hold the transaction the
// event is about.
var restEnvs = []provider.Env{provider.Sandbox, provider.Live}

// ReceiveREST verifies a REST webhook event posted to site's route and applies it. The
// signature is checked before the body is read for use; a delivery that does not verify is
// recorded as refused on the order its invoice names (under the body's hash) and
// acknowledged, since PayPal would resend it for days and it never verifies. Headers that
// are not PayPal's signature headers, or a body that is no event, are invalid input; the
// certificate not fetchable now, or no webhook ID configured, is unavailable (5xx: PayPal
// sends the event again).
func (w *Webhooks) ReceiveREST(ctx context.Context, site string, header http.Header, raw []byte) (Result, error) {
	h, err := restwebhook.ReadHeaders(header)
	if err != nil {
		return Result{}, err
	}
	env, verifyErr := w.verifyREST(ctx, h, raw)
	ev, err := restwebhook.ParseEvent(raw)
	if verifyErr != nil && !errors.Is(verifyErr, restwebhook.ErrUnverified) {
		w.log.WarnContext(ctx, "paypal event not verified now", "site", site, "error", verifyErr.Error())
		return Result{}, apperr.New(apperr.CodeUnavailable, "the event's signature could not be checked now; send it again")
	}
	if err != nil {
		if verifyErr != nil {
			// Not PayPal's, and names no order to record it on.
			w.log.WarnContext(ctx, "paypal event refused: not verified and not an event", "site", site, "why", verifyErr.Error())
			return Result{Outcome: checkout.NoticeRefused, Why: refusedWhy(verifyErr)}, nil
		}
		return Result{}, err
	}
	log := w.log.With("site", site, "order", ev.Resource.Invoice, "event_id", ev.ID, "event_type", ev.Type)
	if verifyErr != nil {
		n := checkout.Notice{Site: site, Ref: ev.Resource.Invoice, Kind: KindREST, ID: restID(ev),
			Refused: refusedWhy(verifyErr), RefusedID: refusedID(raw)}
		return w.apply(ctx, log, n, nil)
	}
	n, ok := readREST(site, ev)
	if !ok {
		log.InfoContext(ctx, "paypal event ignored: it reports no order's payment")
		return Result{Outcome: NoticeIgnored}, nil
	}
	n.RefusedID = refusedID(raw)
	return w.apply(ctx, log, n, checkREST(ev, env))
}

// verifyREST finds the environment whose webhook ID the delivery is signed for.
func (w *Webhooks) verifyREST(ctx context.Context, h restwebhook.Headers, raw []byte) (provider.Env, error) {
	err := errors.New("no PayPal webhook ID is configured")
	if w.d.REST == nil {
		return "", err
	}
	for _, env := range restEnvs {
		id := w.d.WebhookIDs[env]
		if id == "" {
			continue
		}
		if err = w.d.REST.Verify(ctx, h, raw, id); err == nil || !errors.Is(err, restwebhook.ErrUnverified) {
			return env, err
		}
	}
	return "", err
}

func refusedWhy(err error) string {
	return "the signature is not PayPal's for this listener: " + strings.TrimPrefix(err.Error(), restwebhook.ErrUnverified.Error()+": ")
}

// restID is an event's identity: PayPal delivers one event id for each change, and the
// same id on every retry and resend (each with a new transmission id).
func restID(ev restwebhook.Event) string { return "rest:" + ev.ID }

// readREST reads what a verified event reports about the order its invoice names (SPEC
// 4.1 states). ok is false for an event type Boxoffice does not act on, or one naming no
// order: acknowledged and ignored.
func readREST(site string, ev restwebhook.Event) (checkout.Notice, bool) {
	r := ev.Resource
	if r.Invoice == "" {
		return checkout.Notice{}, false
	}
	amount := ipn.Amount(r.Amount)
	n := checkout.Notice{Site: site, Ref: r.Invoice, Kind: KindREST, ID: restID(ev)}
	switch ev.Type {
	case restwebhook.AuthorizationCreated:
		n.To, n.Refs.TransactionID = checkout.StateAuthorised, r.ID
		n.Note = "authorised " + money(amount)
	case restwebhook.AuthorizationVoided:
		n.To, n.Note = checkout.StateVoided, "the authorisation is voided"
	case restwebhook.CaptureCompleted:
		n.To, n.Refs.CaptureID = checkout.StateCaptured, r.ID
		n.Note = "captured " + money(amount)
	case restwebhook.CaptureDenied:
		n.To, n.Note = checkout.StateFailed, "PayPal reports the capture denied"
	case restwebhook.CapturePending:
		n.Note = "PayPal reports the capture pending"
	case restwebhook.CaptureRefunded:
		// The resource is the refund: its id is the Refunded IPN's txn_id.
		n.To, n.Note = checkout.StateRefunded, "refund of "+money(amount)
		n.Refund = &checkout.Refund{ID: r.ID, Minor: amount.Minor}
	case restwebhook.CaptureReversed:
		n.Note = "PayPal reversed the payment: " + money(absolute(amount)) + " taken back from the merchant"
	default:
		return checkout.Notice{}, false
	}
	return n, true
}

// checkREST is the check of a verified event against its order (SPEC 4.3): the site's
// provider is PayPal's, the environment whose webhook ID signed it the order's, and the
// amount, currency and transaction as for an IPN.
func checkREST(ev restwebhook.Event, env provider.Env) checkout.Check {
	r := ev.Resource
	report := payPalReport{test: env == provider.Sandbox, amount: ipn.Amount(r.Amount), optional: true,
		names: []string{r.ID, r.Parents.Authorization, r.Parents.Capture, r.Parents.Sale}}
	switch ev.Type {
	case restwebhook.AuthorizationCreated, restwebhook.CaptureCompleted:
		report.sum = sumPayment
	case restwebhook.CaptureRefunded:
		report.sum = sumRefund
	}
	return func(o checkout.Order, p *provider.Setup, n *checkout.Notice) string {
		if p == nil || p.PayPalEmail == "" {
			return "the site's provider is not a PayPal account"
		}
		return report.check(o, n)
	}
}

func absolute(a ipn.Amount) ipn.Amount {
	if a.Minor < 0 {
		return neg(a)
	}
	return a
}
