package pages

import (
	"context"
	"crypto/subtle"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/expresscheckout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Express is what the pages need of the Express Checkout client.
type Express interface {
	SetExpressCheckout(ctx context.Context, env provider.Env, perm paypal.Permission, r expresscheckout.SetRequest) (expresscheckout.Started, error)
	GetDetails(ctx context.Context, env provider.Env, perm paypal.Permission, token string) (expresscheckout.Details, error)
	DoPayment(ctx context.Context, env provider.Env, perm paypal.Permission, ret expresscheckout.Return, amount int64, currency, invoice, notifyURL string) (expresscheckout.Payment, error)
	DoCapture(ctx context.Context, env provider.Env, perm paypal.Permission, authorizationID string, amount int64, currency, invoice string) (expresscheckout.Capture, error)
	DoVoid(ctx context.Context, env provider.Env, perm paypal.Permission, authorizationID string) error
}

var _ Express = (*expresscheckout.Client)(nil)

// permission is the merchant's grant in env; without it no call is made on their account.
func (p *Pages) permission(ctx context.Context, s provider.Setup, env provider.Env) (paypal.Permission, error) {
	notGranted := apperr.New(apperr.CodeConflict,
		"the merchant has not granted Boxoffice the PayPal API permission (%s): grant it in the provider settings", env)
	if !s.Granted(env) {
		return paypal.Permission{}, notGranted
	}
	secrets, err := p.secrets(ctx, s)
	if err != nil {
		return paypal.Permission{}, err
	}
	perm := paypal.Permission{Token: secrets[provider.SecretPermissionToken], TokenSecret: secrets[provider.SecretPermissionTokenSecret]}
	if perm.Token == "" || perm.TokenSecret == "" {
		return paypal.Permission{}, notGranted
	}
	return perm, nil
}

// startExpress sets up the checkout of an authorisation on the merchant's account: the
// buyer approves it on PayPal.
func (p *Pages) startExpress(ctx context.Context, r checkout.PageRequest) (checkout.Page, error) {
	perm, err := p.permission(ctx, r.Provider, r.Env)
	if err != nil {
		return checkout.Page{}, err
	}
	o := r.Order
	st, err := p.d.Express.SetExpressCheckout(ctx, r.Env, perm, expresscheckout.SetRequest{
		Amount: o.Amounts.TotalMinor, Currency: o.Amounts.Currency, Invoice: o.Ref, Description: description(o),
		ReturnURL: r.ReturnURL, CancelURL: r.CancelURL,
	})
	if err != nil {
		return checkout.Page{}, err
	}
	return checkout.Page{Redirect: redirect(st.Page), Refs: checkout.ProviderRefs{Token: st.Token}}, nil
}

// finishExpress completes an approved checkout: the details must be the order's, and
// DoExpressCheckoutPayment makes the authorisation.
func (p *Pages) finishExpress(ctx context.Context, r checkout.PageRequest, params url.Values) (checkout.Outcome, error) {
	if r.Late {
		// Nothing is paid until DoExpressCheckoutPayment, which an expired order must not make.
		return checkout.Outcome{State: checkout.StateExpired, Note: "approved on PayPal after the order's reservation ran out; no payment was taken"}, nil
	}
	ret, err := expresscheckout.ParseReturn(params)
	if err != nil {
		return checkout.Outcome{}, apperr.New(apperr.CodeInvalid, "%v", err)
	}
	o := r.Order
	if subtle.ConstantTimeCompare([]byte(ret.Token), []byte(o.Refs.Token)) != 1 {
		return checkout.Outcome{}, apperr.New(apperr.CodeInvalid, "the PayPal token is not order %s's", o.Ref)
	}
	perm, err := p.permission(ctx, r.Provider, r.Env)
	if err != nil {
		return checkout.Outcome{}, err
	}
	d, err := p.d.Express.GetDetails(ctx, r.Env, perm, ret.Token)
	if out, ok := refused(err); ok {
		out.Refs = o.Refs
		return out, nil
	}
	if err != nil {
		return checkout.Outcome{}, err
	}
	if d.PayerID != ret.PayerID || d.Amount != o.Amounts.TotalMinor || d.Currency != o.Amounts.Currency || d.Invoice != o.Ref {
		return checkout.Outcome{}, apperr.New(apperr.CodeInvalid, "PayPal's checkout does not match order %s", o.Ref)
	}
	// PayPal posts the transaction's IPNs to the site's IPN route.
	pay, err := p.d.Express.DoPayment(ctx, r.Env, perm, ret, o.Amounts.TotalMinor, o.Amounts.Currency, o.Ref, p.webhook(o.Site, WebhookPayPalIPN))
	refs := o.Refs
	refs.PayerID = ret.PayerID
	if out, ok := refused(err); ok {
		out.Refs = refs
		return out, nil
	}
	if err != nil {
		return checkout.Outcome{}, err
	}
	if pay.Amount != o.Amounts.TotalMinor {
		return checkout.Outcome{}, apperr.New(apperr.CodeConflict, "PayPal authorised another amount than order %s's", o.Ref)
	}
	refs.TransactionID = pay.AuthorizationID
	return checkout.Outcome{State: checkout.StateAuthorised, Refs: refs, Note: "authorised on PayPal"}, nil
}
