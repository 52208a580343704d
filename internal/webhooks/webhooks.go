// Package webhooks receives the payment providers' notifications (SPEC 4.3): each message is
// verified with its provider first, read into a checkout.Notice, checked against its order,
// and applied exactly once by checkout's Notified (the state machine, the code use and the
// notice ledger are checkout's). This package holds the protocols only: PayPal IPN, PayPal
// REST webhooks, Payflow's Silent Post and WorldPay's payment response.
package webhooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// Notices applies verified notices to orders (checkout.Checkout).
type Notices interface {
	Notified(ctx context.Context, n checkout.Notice, check checkout.Check) (checkout.Receipt, error)
}

// IPNVerifier asks PayPal whether it sent an IPN (ipn.Verifier): ipn.ErrInvalid when it did
// not, another error when it could not be asked.
type IPNVerifier interface {
	Verify(ctx context.Context, m *ipn.Message) (provider.Env, error)
}

var _ IPNVerifier = (*ipn.Verifier)(nil)

// Orders finds a site's order and the provider set up for its service (nil for none):
// WorldPay's callback password is that setup's secret.
type Orders interface {
	OrderSetup(ctx context.Context, site, ref string) (o checkout.Order, p *provider.Setup, found bool, err error)
}

// Secrets reads a provider setup's secret values by its SecretRef (the cached reader).
type Secrets interface {
	Read(ctx context.Context, name string) (provider.Secrets, error)
}

// Deps are what the webhooks use cases need.
type Deps struct {
	Notices Notices
	IPN     IPNVerifier
	Orders  Orders
	Secrets Secrets
	// REST verifies PayPal's REST webhook deliveries for the webhook ID of each environment
	// (the IDs PayPal gave the listeners we registered); without them the REST route
	// answers unavailable, so PayPal keeps the events until they are configured.
	REST       RESTVerifier
	WebhookIDs map[provider.Env]string
	// Payflow's Silent Post: the orders by secure token ID and the inquiry that confirms a
	// post (both, or neither: the route then answers an internal error).
	Payflow       PayflowConfirmer
	PayflowOrders PayflowOrders
	Log           *slog.Logger
}

// Webhooks receives the providers' notifications.
type Webhooks struct {
	d   Deps
	log *slog.Logger
}

// New returns the webhooks use cases.
func New(d Deps) (*Webhooks, error) {
	if d.Notices == nil || d.IPN == nil || d.Orders == nil || d.Secrets == nil {
		return nil, errors.New("webhooks: the notices use case, an IPN verifier, the orders and a secrets reader are required")
	}
	if (d.Payflow == nil) != (d.PayflowOrders == nil) {
		return nil, errors.New("webhooks: Payflow's Silent Post needs both the Payflow client and the orders by token ID")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Webhooks{d: d, log: d.Log}, nil
}

// Result is what became of a notification: its outcome, and why when it was refused or
// noted. Every outcome is acknowledged (2xx): the provider must not send it again.
type Result struct {
	Outcome checkout.NoticeOutcome `json:"outcome"`
	Why     string                 `json:"why,omitempty"`
	// State is the order's state after the message ("" when there is no such order): what
	// a page shown to the buyer tells them, whatever the message said.
	State checkout.State `json:"-"`
}

// NoticeIgnored is a verified message that reports nothing about an order's payment (a
// txn_type Boxoffice does not sell with): acknowledged, logged, nothing recorded.
const NoticeIgnored checkout.NoticeOutcome = "ignored"

// ReceiveIPN verifies an IPN posted to site's route and applies it. A body that is not an
// IPN is an invalid-input error; PayPal not answering the post-back is unavailable (5xx:
// PayPal sends the message again); everything else is acknowledged with its outcome.
func (w *Webhooks) ReceiveIPN(ctx context.Context, site string, raw []byte) (Result, error) {
	m, err := ipn.Parse(raw)
	if err != nil {
		return Result{}, err
	}
	log := w.log.With("site", site, "order", quote(m.Invoice), "txn_id", quote(m.TxnID), "payment_status", quote(m.PaymentStatus))
	if _, err := w.d.IPN.Verify(ctx, m); err != nil {
		if !errors.Is(err, ipn.ErrInvalid) {
			return Result{}, apperr.New(apperr.CodeUnavailable, "PayPal's IPN post-back could not be made; send the message again")
		}
		n := checkout.Notice{Site: site, Ref: m.Invoice, Kind: KindIPN, ID: ipnID(m),
			Refused: "PayPal answered INVALID to the post-back: it did not send this message", RefusedID: refusedID(raw)}
		return w.apply(ctx, log, n, nil)
	}
	n, ok := readIPN(site, m)
	if !ok {
		log.InfoContext(ctx, "ipn ignored: it reports no order's payment", "txn_type", m.TxnType)
		return Result{Outcome: NoticeIgnored}, nil
	}
	if n.RefusedID == "" {
		n.RefusedID = refusedID(raw)
	}
	return w.apply(ctx, log, n, checkIPN(m))
}

func (w *Webhooks) apply(ctx context.Context, log *slog.Logger, n checkout.Notice, check checkout.Check) (Result, error) {
	r, err := w.d.Notices.Notified(ctx, n, check)
	if err != nil {
		if apperr.CodeOf(err) == apperr.CodeUnavailable {
			log.InfoContext(ctx, "notice deferred", "why", err.Error())
			return Result{}, err
		}
		log.ErrorContext(ctx, "notice not applied", "error", err.Error())
		return Result{}, apperr.New(apperr.CodeUnavailable, "the notification could not be recorded now; send it again")
	}
	switch r.Outcome {
	case checkout.NoticeUnknownOrder:
		log.WarnContext(ctx, "notice refused: the site has no such order", "refused", n.Refused)
		return Result{Outcome: checkout.NoticeRefused, Why: fmt.Sprintf("the site has no order %q", plaintext.Clip(n.Ref, 40))}, nil
	case checkout.NoticeRefused:
		if r.Unrecorded {
			// Counted by a metric filter on the message: the history keeps the first ones only.
			log.WarnContext(ctx, "notice refused and not recorded: the order holds the most refusals it keeps", "why", r.Why,
				"refused_unrecorded", 1)
			break
		}
		log.WarnContext(ctx, "notice refused", "why", r.Why)
	default:
		log.InfoContext(ctx, "notice received", "outcome", r.Outcome, "state", r.Order.State)
	}
	return Result{Outcome: r.Outcome, Why: r.Why, State: r.Order.State}, nil
}

// refusedID names a refused message by its bytes: the same forgery posted again is
// recorded once, and it never takes the genuine message's identity.
func refusedID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "refused:" + hex.EncodeToString(sum[:12])
}

// quote bounds a value a message carries (anyone's, before it is verified) for a log line
// or a note in the order's history: a few dozen characters is every real one.
func quote(s string) string { return plaintext.Clip(s, 64) }
