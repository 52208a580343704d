package expresscheckout

import (
	"context"
	"fmt"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Capture is what DoCapture made of an authorisation.
type Capture struct {
	TransactionID string // the capture's own transaction
	Status        string // PAYMENTSTATUS: Completed, or Pending with a reason
	Amount        int64
}

// DoCapture captures amount of an authorisation in full (COMPLETETYPE=Complete). Capturing
// the same authorisation for the same amount again is the same message, performed once.
func (c *Client) DoCapture(ctx context.Context, env provider.Env, perm paypal.Permission, authorizationID string, amount int64, currency, invoice string) (Capture, error) {
	amt, err := paymentpage.FormatAmount(amount, currency)
	if err != nil || amount <= 0 || authorizationID == "" {
		return Capture{}, fmt.Errorf("expresscheckout: a capture needs the authorisation and an amount above zero")
	}
	reply, err := c.call(ctx, env, perm, "DoCapture", url.Values{
		"AUTHORIZATIONID": {authorizationID}, "AMT": {amt}, "CURRENCYCODE": {currency}, "COMPLETETYPE": {"Complete"},
		"INVNUM": {invoice}, "MSGSUBID": {messageID("DoCapture", authorizationID, amt, currency)},
	})
	if err != nil {
		return Capture{}, err
	}
	cp := Capture{TransactionID: reply.Get("TRANSACTIONID"), Status: reply.Get("PAYMENTSTATUS")}
	if reply.Get("AUTHORIZATIONID") != authorizationID || cp.TransactionID == "" {
		return Capture{}, unusable("DoCapture", "another authorisation or no transaction")
	}
	if cp.Amount, err = paymentpage.ParseAmount(reply.Get("AMT"), currency); err != nil {
		return Capture{}, unusable("DoCapture", "no amount")
	}
	return cp, nil
}

// DoVoid voids an authorisation; voiding it again is the same message, performed once.
func (c *Client) DoVoid(ctx context.Context, env provider.Env, perm paypal.Permission, authorizationID string) error {
	if authorizationID == "" {
		return fmt.Errorf("expresscheckout: a void needs the authorisation")
	}
	reply, err := c.call(ctx, env, perm, "DoVoid", url.Values{
		"AUTHORIZATIONID": {authorizationID}, "MSGSUBID": {messageID("DoVoid", authorizationID)},
	})
	if err != nil {
		return err
	}
	if reply.Get("AUTHORIZATIONID") != authorizationID {
		return unusable("DoVoid", "another authorisation")
	}
	return nil
}
