package webhooks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// KindPayflow names Payflow's Silent Post in the orders' history.
const KindPayflow = "payflow"

// PayflowOrders finds a site's order by the secure token ID (SECURETOKENID, ours) its
// Payflow page was made with, and the provider set up for its service (nil for none).
type PayflowOrders interface {
	PayflowOrder(ctx context.Context, site, tokenID string) (o checkout.Order, p *provider.Setup, found bool, err error)
}

// PayflowConfirmer confirms a Silent Post with an inquiry (TRXTYPE=I) to Payflow
// (payflow.Client): ErrMismatch when Payflow's account differs, a refusal carrying RESULT
// when the transaction was declined, another error when Payflow could not be asked.
type PayflowConfirmer interface {
	Confirm(ctx context.Context, env provider.Env, creds payflow.Credentials, ret payflow.Return, want payflow.Expected) (payflow.Authorisation, error)
}

var _ PayflowConfirmer = (*payflow.Client)(nil)

// ReceivePayflow confirms a Silent Post posted to site's route and applies it. The post
// names its order only by our secure token ID: an unknown one is refused with nothing to
// record it on (logged). The amount and currency must be the order's, and an inquiry with
// the setup's login must find the transaction the post names: approved authorises the
// order, declined fails it, a disagreement is recorded as refused. A body that is no
// Silent Post is an invalid-input error; the order, the secret or Payflow not answering
// now is unavailable (5xx).
func (w *Webhooks) ReceivePayflow(ctx context.Context, site string, raw []byte) (Result, error) {
	if w.d.Payflow == nil || w.d.PayflowOrders == nil {
		return Result{}, apperr.Internal(errors.New("webhooks: the Silent Post route has no Payflow client"))
	}
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		return Result{}, apperr.New(apperr.CodeInvalid, "the body is not a form")
	}
	ret, err := payflow.ParseReturn(form)
	if err != nil {
		return Result{}, apperr.New(apperr.CodeInvalid, "%s", err.Error())
	}
	log := w.log.With("site", site, "token_id", quote(ret.TokenID), "pnref", quote(ret.PNREF), "result", ret.Result)
	o, setup, found, err := w.d.PayflowOrders.PayflowOrder(ctx, site, ret.TokenID)
	if err != nil {
		log.ErrorContext(ctx, "silent post: the order could not be read", "error", err.Error())
		return Result{}, apperr.New(apperr.CodeUnavailable, "the order could not be read now; send the Silent Post again")
	}
	if !found {
		log.WarnContext(ctx, "silent post refused: no order of the site was paid with this secure token id")
		return Result{Outcome: checkout.NoticeRefused, Why: "the site has no order paid with this secure token ID"}, nil
	}
	log = log.With("order", o.Ref)
	check := checkPayflow(ret)
	n := checkout.Notice{Site: site, Ref: o.Ref, Kind: KindPayflow, ID: payflowID(ret), RefusedID: refusedID(raw)}
	// Checked before the inquiry too: a mismatch costs no call to Payflow.
	if n.Refused = check(o, setup, &n); n.Refused == "" {
		if err := w.confirmPayflow(ctx, log, o, *setup, ret, &n); err != nil {
			return Result{}, err
		}
	}
	return w.apply(ctx, log, n, check)
}

// confirmPayflow asks Payflow about the post's transaction with the setup's login and
// makes n what the inquiry found.
func (w *Webhooks) confirmPayflow(ctx context.Context, log *slog.Logger, o checkout.Order, setup provider.Setup, ret payflow.Return, n *checkout.Notice) error {
	secrets, err := w.d.Secrets.Read(ctx, setup.SecretRef)
	if err != nil && apperr.CodeOf(err) != apperr.CodeNotFound {
		log.ErrorContext(ctx, "silent post: the Payflow password could not be read", "error", err.Error())
		return apperr.New(apperr.CodeUnavailable, "the Payflow login could not be read now; send the Silent Post again")
	}
	creds, err := payflow.CredentialsOf(setup, secrets)
	if err != nil {
		n.Refused = "the Payflow setup has no password: the Silent Post cannot be confirmed by an inquiry"
		return nil
	}
	total := o.Amounts.TotalMinor
	auth, err := w.d.Payflow.Confirm(ctx, o.Env(), creds, ret, payflow.Expected{
		Token: o.Refs.Token, TokenID: o.Refs.TokenID, Amount: total, Currency: o.Amounts.Currency})
	declined, isDecline := payflow.Declined(err)
	switch {
	case errors.Is(err, payflow.ErrMismatch):
		n.Refused = "Payflow's inquiry does not confirm it: the token, the transaction or the amount differ"
	case isDecline && ret.Result == payflow.ResultApproved:
		n.Refused = fmt.Sprintf("it reports an approval, but Payflow's inquiry finds RESULT %s %s", declined.Code, declined.Message)
	case isDecline:
		n.To, n.Refs.PNREF = checkout.StateFailed, ret.PNREF
		n.Note = fmt.Sprintf("declined on Payflow's hosted page: RESULT %s %s", declined.Code, declined.Message)
	case err != nil:
		log.WarnContext(ctx, "silent post: Payflow's inquiry failed", "error", err.Error())
		return apperr.New(apperr.CodeUnavailable, "Payflow could not be asked about the payment now; send the Silent Post again")
	default:
		n.To, n.Refs.PNREF = checkout.StateAuthorised, auth.PNREF
		n.Note = "authorised " + money(amountOf(auth.Amount, o.Amounts.Currency)) + ", Payflow transaction " + auth.PNREF
	}
	return nil
}

// payflowID is a Silent Post's identity: its transaction (PNREF), which has one result; a
// post without one (a decline with no transaction) is its token's.
func payflowID(ret payflow.Return) string {
	return "payflow:" + firstOf(ret.PNREF, ret.TokenID)
}

// checkPayflow checks a Silent Post against its order (SPEC 4.2): a Payflow setup, the
// order's secure token and token ID, its amount and currency, and its transaction once it
// has one. The inquiry then checks the post against Payflow's own account.
func checkPayflow(ret payflow.Return) checkout.Check {
	return func(o checkout.Order, p *provider.Setup, _ *checkout.Notice) string {
		currency := o.Amounts.Currency
		amount, err := paymentpage.ParseAmount(ret.Amount, currency)
		switch {
		case p == nil || !p.Kind.Payflow() || p.SecretRef == "":
			return "the order's service has no Payflow setup with a login"
		case ret.TokenID != o.Refs.TokenID || ret.Token != o.Refs.Token:
			return "the secure token is not the order's"
		case ret.Currency != "" && ret.Currency != currency:
			return fmt.Sprintf("the currency %q is not the order's %s", ret.Currency, currency)
		case err != nil:
			return fmt.Sprintf("the amount %q is not one in %s", ret.Amount, currency)
		case amount != o.Amounts.TotalMinor:
			return fmt.Sprintf("the amount %s is not the order's total %s", money(amountOf(amount, currency)), money(amountOf(o.Amounts.TotalMinor, currency)))
		case o.Refs.PNREF != "" && ret.Result == payflow.ResultApproved && ret.PNREF != o.Refs.PNREF:
			return "the Silent Post names another transaction than the order's"
		}
		return ""
	}
}
