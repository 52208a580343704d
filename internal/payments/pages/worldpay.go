package pages

import (
	"context"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/worldpay"
)

// WorldPay is what the pages need of the WorldPay client.
type WorldPay interface {
	PurchasePage(env provider.Env, p worldpay.Purchase) (paymentpage.Redirect, error)
	Capture(ctx context.Context, env provider.Env, admin worldpay.RemoteAdmin, transID string) error
}

var _ WorldPay = (*worldpay.Client)(nil)

// startWorldPay builds the purchase form of a pre-authorisation, signed when the
// installation has an MD5 secret. The cart ID is the order reference: the payment
// response names the order by it. MC_callback names the site's webhooks route, which an
// installation whose Payment Response URL is <wpdisplay item=MC_callback> posts to.
func (p *Pages) startWorldPay(ctx context.Context, r checkout.PageRequest) (checkout.Page, error) {
	secrets, err := p.secrets(ctx, r.Provider)
	if err != nil {
		return checkout.Page{}, err
	}
	o := r.Order
	callback := p.webhook(o.Site, WebhookWorldPay)
	form, err := p.d.WorldPay.PurchasePage(r.Env, worldpay.Purchase{
		InstallationID: r.Provider.InstallationID, CartID: o.Ref, Amount: o.Amounts.TotalMinor, Currency: o.Amounts.Currency,
		Description: description(o), BuyerName: o.Buyer.Name, BuyerEmail: o.Buyer.Email, MD5Secret: secrets[provider.SecretMD5],
		CallbackURL: callback,
	})
	if err != nil {
		return checkout.Page{}, err
	}
	return checkout.Page{Redirect: redirect(form)}, nil
}

// finishWorldPay: WorldPay reports the payment to its callback (the webhooks function), not
// with the browser; until then the order waits.
func finishWorldPay(context.Context, checkout.PageRequest, url.Values) (checkout.Outcome, error) {
	return checkout.Outcome{State: checkout.StatePendingPayment}, nil
}
