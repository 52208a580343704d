// Package pages takes a checkout order to its provider's payment page and back (SPEC 4.2):
// by the site's provider kind and environment it calls the Payflow, Express Checkout or
// WorldPay client. The provider's secrets are read per payment through the cached reader;
// none of them is ever put in an answer, a log line or an order.
package pages

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Secrets reads a provider setup's secret values by its SecretRef.
type Secrets interface {
	Read(ctx context.Context, name string) (provider.Secrets, error)
}

// Deps are the provider clients and the secrets they are called with.
type Deps struct {
	Payflow  Payflow
	Express  Express
	WorldPay WorldPay
	Secrets  Secrets
	// Webhook is the URL of a site's webhook route (the webhooks function) a provider is
	// told to post its notifications to: WorldPay's MC_callback and so on. nil sends none
	// (the provider uses the URL set up in its merchant interface).
	Webhook func(site string, route WebhookRoute) string
	Log     *slog.Logger
}

// WebhookRoute is a provider's route under /webhooks/{site}/ (SPEC 4.3).
type WebhookRoute string

// The webhook routes a payment page names.
const (
	// WebhookWorldPay takes WorldPay's payment response.
	WebhookWorldPay WebhookRoute = "worldpay"
	// WebhookPayPalIPN takes PayPal's IPNs: each Express Checkout's
	// DoExpressCheckoutPayment names it as the transaction's NOTIFYURL.
	WebhookPayPalIPN WebhookRoute = "paypal/ipn"
	// WebhookPayflow takes Payflow's Silent Post (SILENTPOSTURL of the Secure Token).
	WebhookPayflow WebhookRoute = "payflow"
)

// webhook is the URL of site's route, "" when the deployment sets none.
func (p *Pages) webhook(site string, route WebhookRoute) string {
	if p.d.Webhook == nil {
		return ""
	}
	return p.d.Webhook(site, route)
}

// Pages is checkout's way to the providers' payment pages.
type Pages struct {
	d Deps
}

var _ checkout.PaymentPages = (*Pages)(nil)

// New returns the payment pages of the given clients.
func New(d Deps) (*Pages, error) {
	if d.Payflow == nil || d.Express == nil || d.WorldPay == nil || d.Secrets == nil {
		return nil, errors.New("pages: the Payflow, Express Checkout and WorldPay clients and a secrets reader are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Pages{d: d}, nil
}

// way is one provider family's page: how to start it and how to finish the buyer's return.
type way struct {
	start  func(ctx context.Context, r checkout.PageRequest) (checkout.Page, error)
	finish func(ctx context.Context, r checkout.PageRequest, params url.Values) (checkout.Outcome, error)
}

func (p *Pages) way(k provider.Kind) (way, error) {
	switch {
	case k.Payflow():
		return way{p.startPayflow, p.finishPayflow}, nil
	case k.ExpressCheckout():
		return way{p.startExpress, p.finishExpress}, nil
	case k == provider.WorldPay:
		return way{p.startWorldPay, finishWorldPay}, nil
	}
	return way{}, apperr.New(apperr.CodeConflict, "payment provider %q has no payment page", k)
}

// Start gets the page the buyer pays the order on.
func (p *Pages) Start(ctx context.Context, r checkout.PageRequest) (checkout.Page, error) {
	w, err := p.way(r.Provider.Kind)
	if err != nil {
		return checkout.Page{}, err
	}
	page, err := w.start(ctx, r)
	if err != nil {
		return checkout.Page{}, p.failed(ctx, r, "payment page not started", err)
	}
	return page, nil
}

// Finish checks the buyer's return with the provider and says what became of the payment.
func (p *Pages) Finish(ctx context.Context, r checkout.PageRequest, params url.Values) (checkout.Outcome, error) {
	w, err := p.way(r.Provider.Kind)
	if err != nil {
		return checkout.Outcome{}, err
	}
	out, err := w.finish(ctx, r, params)
	if err != nil {
		return checkout.Outcome{}, p.failed(ctx, r, "buyer's return not confirmed", err)
	}
	return out, nil
}

// failed logs a provider failure (provider errors never carry a secret) and returns it in
// the error vocabulary.
func (p *Pages) failed(ctx context.Context, r checkout.PageRequest, what string, err error) error {
	p.d.Log.WarnContext(ctx, what, "site", r.Order.Site, "order", r.Order.Ref, "provider", r.Provider.Kind, "env", r.Env, "error", err.Error())
	return providerError(r.Provider.Kind, err)
}

// secrets reads the setup's secret values; a setup whose secret is missing cannot pay.
func (p *Pages) secrets(ctx context.Context, s provider.Setup) (provider.Secrets, error) {
	if s.SecretRef == "" {
		return provider.Secrets{}, nil
	}
	return p.d.Secrets.Read(ctx, s.SecretRef)
}

// refused is a provider's "no" as the outcome of a return: the payment failed.
func refused(err error) (checkout.Outcome, bool) {
	r, ok := paymentpage.IsRefused(err)
	if !ok {
		return checkout.Outcome{}, false
	}
	return declined(r), true
}

// declined is the outcome of a return whose payment the provider refused (r): failed.
func declined(r *paymentpage.Refused) checkout.Outcome {
	return checkout.Outcome{State: checkout.StateFailed, Note: refusalNote(r)}
}

func refusalNote(r *paymentpage.Refused) string {
	return fmt.Sprintf("%s %s refused: %s %s", r.Provider, r.Op, r.Code, r.Message)
}

// providerError gives a provider failure its place in the error vocabulary: a refusal is a
// conflict the caller can read, a provider without an answer is unavailable, and what is
// already coded stays so. Anything else is ours, and internal.
func providerError(kind provider.Kind, err error) error {
	if e := (*apperr.Error)(nil); errors.As(err, &e) {
		return err
	}
	if r, ok := paymentpage.IsRefused(err); ok {
		return &apperr.Error{Code: apperr.CodeConflict, Message: "the payment provider refused: " + refusalNote(r), Err: err}
	}
	var u *paymentpage.Unavailable
	if errors.As(err, &u) {
		return &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("the payment provider (%s) did not answer; try again", kind), Err: err}
	}
	return apperr.Internal(err)
}

// redirect is a provider page's redirect as checkout stores it.
func redirect(r paymentpage.Redirect) checkout.Redirect {
	out := checkout.Redirect{Method: r.Method, URL: r.URL}
	for _, f := range r.Fields {
		out.Fields = append(out.Fields, checkout.Field{Name: f.Name, Value: f.Value})
	}
	return out
}

// description is what the provider's page says is bought, within its 127 characters.
func description(o checkout.Order) string {
	d := []rune(o.Offering.Name)
	if len(d) > 127 {
		d = d[:127]
	}
	return string(d)
}
