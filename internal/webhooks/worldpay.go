package webhooks

import (
	"context"
	"fmt"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/worldpay"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// KindWorldPay names WorldPay's payment response in the orders' history.
const KindWorldPay = "worldpay"

// WorldPayAnswer is what became of a payment response, and the link the page WorldPay
// shows the buyer leads to, by the order's state after it (a late response never moves
// an order back, so the order may not be what the response said): the order's return page
// (paid) or cancel page (not paid), "" for a refused or unknown message.
type WorldPayAnswer struct {
	Result
	Status string // the response's transStatus: Y or C
	Link   string
}

// Paid reports whether the order is paid after the response: authorised or captured.
func (a WorldPayAnswer) Paid() bool {
	return a.State == checkout.StateAuthorised || a.State == checkout.StateCaptured
}

// ReceiveWorldPay authenticates a payment response posted to site's route and applies it.
// The callback password is the one of the WorldPay setup of the order's service (read
// through the secrets reader), compared in constant time; a wrong one is recorded as
// refused and changes nothing. A body that is no payment response is an invalid-input
// error; the order or the secret not readable now is unavailable (5xx).
func (w *Webhooks) ReceiveWorldPay(ctx context.Context, site string, raw []byte) (WorldPayAnswer, error) {
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		return WorldPayAnswer{}, apperr.New(apperr.CodeInvalid, "the body is not a form")
	}
	m, err := worldpay.ParsePaymentResponse(form)
	if err != nil {
		return WorldPayAnswer{}, apperr.New(apperr.CodeInvalid, "%s", err.Error())
	}
	log := w.log.With("site", site, "order", quote(m.CartID), "trans_id", quote(m.TransID), "trans_status", m.Status)
	o, setup, found, err := w.d.Orders.OrderSetup(ctx, site, m.CartID)
	if err != nil {
		log.ErrorContext(ctx, "payment response: the order could not be read", "error", err.Error())
		return WorldPayAnswer{}, apperr.New(apperr.CodeUnavailable, "the order could not be read now; send the response again")
	}
	if !found {
		// Nothing to record it on; never applied unauthenticated (the password is the setup's).
		log.WarnContext(ctx, "payment response refused: the site has no such order")
		return WorldPayAnswer{Result: Result{Outcome: checkout.NoticeRefused, Why: fmt.Sprintf("the site has no order %q", plaintext.Clip(m.CartID, 40))},
			Status: m.Status}, nil
	}
	n := readWorldPay(site, m)
	n.RefusedID = refusedID(raw)
	if n.Refused, err = w.authenticate(ctx, m, setup); err != nil {
		log.ErrorContext(ctx, "payment response: the callback password could not be read", "error", err.Error())
		return WorldPayAnswer{}, apperr.New(apperr.CodeUnavailable, "the callback password could not be read now; send the response again")
	}
	res, err := w.apply(ctx, log, n, checkWorldPay(m))
	if err != nil {
		return WorldPayAnswer{}, err
	}
	a := WorldPayAnswer{Result: res, Status: m.Status}
	if res.Outcome != checkout.NoticeRefused {
		a.Link = backLink(o, a.Paid())
	}
	return a, nil
}

// authenticate says why the response is refused when it lacks the callback password of
// the WorldPay setup (""), or the error that kept the password from being read.
func (w *Webhooks) authenticate(ctx context.Context, m worldpay.PaymentResponse, p *provider.Setup) (string, error) {
	if p == nil || p.Kind != provider.WorldPay || p.SecretRef == "" {
		return "the order's service has no WorldPay setup with a callback password", nil
	}
	secrets, err := w.d.Secrets.Read(ctx, p.SecretRef)
	switch {
	case apperr.CodeOf(err) == apperr.CodeNotFound:
		return "the WorldPay setup has no callback password", nil
	case err != nil:
		return "", err
	}
	if m.Authenticate(secrets[provider.SecretCallbackPassword]) != nil {
		return "the callback password is wrong: WorldPay did not send this response", nil
	}
	return "", nil
}

// readWorldPay reads the state a payment response reports: Y authorised (the
// transaction is what remote administration captures), C cancelled by the buyer.
func readWorldPay(site string, m worldpay.PaymentResponse) checkout.Notice {
	n := checkout.Notice{Site: site, Ref: m.CartID, Kind: KindWorldPay, ID: worldPayID(m)}
	amount := money(amountOf(m.Amount, m.Currency))
	if m.Status == "Y" {
		n.To, n.Refs.TransactionID, n.Note = checkout.StateAuthorised, m.TransID, "authorised "+amount+", WorldPay transaction "+quote(m.TransID)
	} else {
		n.To, n.Note = checkout.StateCancelled, "the buyer cancelled the payment on WorldPay's page"
	}
	return n
}

// worldPayID is a response's identity: the transaction and its status (a cancellation has
// no transaction: the order's one cancellation).
func worldPayID(m worldpay.PaymentResponse) string {
	return "worldpay:" + firstOf(m.TransID, m.CartID) + ":" + m.Status
}

// checkWorldPay checks an authenticated response against its order (SPEC 4.3): the site's
// installation, the order's environment, amount and currency, and the order's transaction
// once it has one.
func checkWorldPay(m worldpay.PaymentResponse) checkout.Check {
	return func(o checkout.Order, p *provider.Setup, _ *checkout.Notice) string {
		total := amountOf(o.Amounts.TotalMinor, o.Amounts.Currency)
		switch {
		case p == nil || p.Kind != provider.WorldPay:
			return "the order's service has no WorldPay setup"
		case m.InstallationID != p.InstallationID:
			return fmt.Sprintf("the installation %q is not the site's", quote(m.InstallationID))
		case m.TestMode != o.Test():
			return fmt.Sprintf("a %s response for a %s order", envName(m.TestMode), envName(o.Test()))
		case m.Currency != o.Amounts.Currency:
			return fmt.Sprintf("the currency %q is not the order's %s", quote(orNone(m.Currency)), o.Amounts.Currency)
		case m.Amount != o.Amounts.TotalMinor:
			return fmt.Sprintf("the amount %s is not the order's total %s", money(amountOf(m.Amount, m.Currency)), money(total))
		case m.Status == "Y" && o.Refs.TransactionID != "" && o.Refs.TransactionID != m.TransID:
			return "the response names another transaction than the order's"
		}
		return ""
	}
}

// backLink is the platform's page the buyer goes back to from WorldPay's: the return page
// for a paid order, the cancel page for another, with the order's reference.
func backLink(o checkout.Order, paid bool) string {
	page := o.ReturnURL
	if !paid {
		page = o.CancelURL
	}
	u, err := url.Parse(page)
	if err != nil || page == "" {
		return ""
	}
	q := u.Query()
	q.Set("order", o.Ref)
	u.RawQuery = q.Encode()
	return u.String()
}

// amountOf is an amount as the notes show it (money).
func amountOf(minor int64, currency string) ipn.Amount {
	return ipn.Amount{Minor: minor, Currency: currency}
}
