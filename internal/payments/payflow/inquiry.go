package payflow

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Inquiry is Payflow's own account of the transaction made with a Secure Token.
type Inquiry struct {
	OrigResult int    // ORIGRESULT: the transaction's RESULT (0 approved)
	PNREF      string // ORIGPNREF: the transaction
	TransState int    // TRANSSTATE: 3 authorised, 9 captured, ...
	Amount     int64  // AMT, minor units
	Message    string // RESPMSG of the transaction
}

// Inquire asks Payflow (TRXTYPE=I) about the transaction made with a Secure Token. A token
// no one has paid with yet is a refusal with ResultNotFound.
func (c *Client) Inquire(ctx context.Context, env provider.Env, creds Credentials, token, currency string) (Inquiry, error) {
	if token == "" {
		return Inquiry{}, fmt.Errorf("payflow: an inquiry needs the secure token")
	}
	reply, err := c.call(ctx, env, creds, "Inquiry", false, []paymentpage.Field{
		{Name: "TRXTYPE", Value: "I"}, {Name: "TENDER", Value: "C"}, {Name: "SECURETOKEN", Value: token}, {Name: "VERBOSITY", Value: "HIGH"},
	})
	if err != nil {
		return Inquiry{}, err
	}
	bad := func(what string) error {
		return &paymentpage.Unavailable{Provider: "payflow", Op: "Inquiry", Err: fmt.Errorf("the reply has %s", what)}
	}
	var inq Inquiry
	if inq.OrigResult, err = strconv.Atoi(reply["ORIGRESULT"]); err != nil {
		return Inquiry{}, bad("no ORIGRESULT")
	}
	if inq.PNREF = reply["ORIGPNREF"]; inq.PNREF == "" {
		return Inquiry{}, bad("no ORIGPNREF")
	}
	if inq.TransState, err = strconv.Atoi(reply["TRANSSTATE"]); err != nil {
		return Inquiry{}, bad("no TRANSSTATE")
	}
	if inq.Amount, err = paymentpage.ParseAmount(reply["AMT"], currency); err != nil {
		return Inquiry{}, bad("no AMT in " + currency)
	}
	inq.Message = reply["RESPMSG"]
	return inq, nil
}

// Expected is what Boxoffice knows of the order a Return claims to be about.
type Expected struct {
	Token, TokenID string
	Amount         int64
	Currency       string
}

// Authorisation is a Return that Payflow confirmed: the authorised transaction.
type Authorisation struct {
	PNREF  string
	Amount int64
}

// ErrMismatch reports a Return or an inquiry that does not fit the order: a forged or
// stale post, never something to act on.
var ErrMismatch = errors.New("payflow: the result does not match the order")

// Confirm trusts a Return only as far as Payflow does: it must be about the order's token,
// and an inquiry on that token must find an approved transaction, the one the Return names,
// for the order's amount. A declined Return (RESULT above 0) is answered with a Refused
// carrying its RESULT, once the inquiry agrees nothing was approved.
func (c *Client) Confirm(ctx context.Context, env provider.Env, creds Credentials, ret Return, want Expected) (Authorisation, error) {
	if subtle.ConstantTimeCompare([]byte(ret.TokenID), []byte(want.TokenID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(ret.Token), []byte(want.Token)) != 1 {
		return Authorisation{}, ErrMismatch
	}
	inq, err := c.Inquire(ctx, env, creds, want.Token, want.Currency)
	switch {
	case ResultCode(err) == ResultNotFound && ret.Result != ResultApproved:
		return Authorisation{}, &paymentpage.Refused{Provider: "payflow", Op: opDeclined, Code: strconv.Itoa(ret.Result), Message: ret.Message}
	case ResultCode(err) == ResultNotFound:
		return Authorisation{}, ErrMismatch // an approval Payflow knows nothing of
	case err != nil:
		return Authorisation{}, err
	}
	if inq.OrigResult != ResultApproved {
		return Authorisation{}, &paymentpage.Refused{Provider: "payflow", Op: opDeclined, Code: strconv.Itoa(inq.OrigResult), Message: inq.Message}
	}
	if inq.PNREF != ret.PNREF || inq.Amount != want.Amount {
		return Authorisation{}, ErrMismatch
	}
	return Authorisation{PNREF: inq.PNREF, Amount: inq.Amount}, nil
}

// opDeclined is the Op of Confirm's refusal that reports the transaction declined (the
// inquiry itself refused is Op "Inquiry").
const opDeclined = "Return"

// Declined returns Confirm's refusal when it reports the transaction declined, not a
// failure to ask.
func Declined(err error) (*paymentpage.Refused, bool) {
	r, ok := paymentpage.IsRefused(err)
	if !ok || r.Provider != "payflow" || r.Op != opDeclined {
		return nil, false
	}
	return r, true
}
