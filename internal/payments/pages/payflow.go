package pages

import (
	"context"
	"errors"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Payflow is what the pages need of the Payflow client (Payflow Pro and Website Payments
// Pro UK).
type Payflow interface {
	CreateSecureToken(ctx context.Context, env provider.Env, creds payflow.Credentials, r payflow.TokenRequest) (payflow.SecureToken, error)
	Confirm(ctx context.Context, env provider.Env, creds payflow.Credentials, ret payflow.Return, want payflow.Expected) (payflow.Authorisation, error)
	Capture(ctx context.Context, env provider.Env, creds payflow.Credentials, pnref string, amount int64, currency string) (string, error)
	Void(ctx context.Context, env provider.Env, creds payflow.Credentials, pnref string) (string, error)
}

var _ Payflow = (*payflow.Client)(nil)

// payflowCredentials is the setup's login, its password read through the cached reader.
func (p *Pages) payflowCredentials(ctx context.Context, s provider.Setup) (payflow.Credentials, error) {
	secrets, err := p.secrets(ctx, s)
	if err != nil {
		return payflow.Credentials{}, err
	}
	creds, err := payflow.CredentialsOf(s, secrets)
	if errors.Is(err, payflow.ErrNoPassword) {
		return payflow.Credentials{}, apperr.New(apperr.CodeConflict, "the %s provider has no password set", s.Kind)
	}
	return creds, err
}

// startPayflow creates a Secure Token of an authorisation: the buyer pays on the hosted page.
func (p *Pages) startPayflow(ctx context.Context, r checkout.PageRequest) (checkout.Page, error) {
	creds, err := p.payflowCredentials(ctx, r.Provider)
	if err != nil {
		return checkout.Page{}, err
	}
	o := r.Order
	st, err := p.d.Payflow.CreateSecureToken(ctx, r.Env, creds, payflow.TokenRequest{
		TokenID: payflow.NewTokenID(), Amount: o.Amounts.TotalMinor, Currency: o.Amounts.Currency, Invoice: o.Ref,
		ReturnURL: r.ReturnURL, CancelURL: r.CancelURL, SilentPostURL: p.webhook(o.Site, WebhookPayflow),
	})
	if err != nil {
		return checkout.Page{}, err
	}
	return checkout.Page{Redirect: redirect(st.Page), Refs: checkout.ProviderRefs{TokenID: st.TokenID, Token: st.Token}}, nil
}

// finishPayflow reads what the hosted page posted with the buyer and believes it only once
// an inquiry agrees. Only a declined transaction fails the order: the inquiry itself
// refused (a wrong password) or unanswered is an error, and the order stays pending for
// the Silent Post or a later return to confirm.
func (p *Pages) finishPayflow(ctx context.Context, r checkout.PageRequest, params url.Values) (checkout.Outcome, error) {
	ret, err := payflow.ParseReturn(params)
	if err != nil {
		return checkout.Outcome{}, apperr.New(apperr.CodeInvalid, "%v", err)
	}
	creds, err := p.payflowCredentials(ctx, r.Provider)
	if err != nil {
		return checkout.Outcome{}, err
	}
	o := r.Order
	auth, err := p.d.Payflow.Confirm(ctx, r.Env, creds, ret, payflow.Expected{
		Token: o.Refs.Token, TokenID: o.Refs.TokenID, Amount: o.Amounts.TotalMinor, Currency: o.Amounts.Currency,
	})
	if errors.Is(err, payflow.ErrMismatch) {
		return checkout.Outcome{}, apperr.New(apperr.CodeInvalid, "the payment result does not match order %s", o.Ref)
	}
	if r, ok := payflow.Declined(err); ok {
		out := declined(r)
		out.Refs = o.Refs
		out.Refs.PNREF = ret.PNREF
		return out, nil
	}
	if err != nil {
		return checkout.Outcome{}, err
	}
	refs := o.Refs
	refs.PNREF = auth.PNREF
	return checkout.Outcome{State: checkout.StateAuthorised, Refs: refs, Note: "authorised on Payflow's hosted page"}, nil
}
