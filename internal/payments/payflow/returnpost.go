package payflow

import (
	"fmt"
	"net/url"
	"strconv"
)

// Return is what the hosted page posts to the return (or error, or cancel) URL when the
// buyer leaves it, and what Payflow's Silent Post posts to the SILENTPOSTURL server to
// server: the same fields. Anyone can post either: it says which order it is about, and
// nothing is believed until Confirm has asked Payflow.
type Return struct {
	Result   int    // RESULT: 0 approved, above 0 declined or an error
	Message  string // RESPMSG
	PNREF    string // the transaction, when one was made
	Token    string // SECURETOKEN
	TokenID  string // SECURETOKENID: ours, which names the order
	Amount   string // AMT as posted
	Invoice  string // INVNUM (or INVOICE)
	AuthCode string // AUTHCODE, when approved
	Currency string // CURRENCY, when posted (the token's currency)
}

// ParseReturn reads the fields the hosted page posts. The token and its ID are required
// (they name the order); RESULT must be a number; an approved result must name its
// transaction (PNREF). Each field is read once: a field given twice is refused.
func ParseReturn(form url.Values) (Return, error) {
	one := func(name string) (string, error) {
		if len(form[name]) > 1 {
			return "", fmt.Errorf("payflow return: %s is given twice", name)
		}
		return form.Get(name), nil
	}
	var r Return
	var result string
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"RESULT", &result}, {"RESPMSG", &r.Message}, {"PNREF", &r.PNREF}, {"SECURETOKEN", &r.Token},
		{"SECURETOKENID", &r.TokenID}, {"AMT", &r.Amount}, {"INVNUM", &r.Invoice}, {"AUTHCODE", &r.AuthCode}, {"CURRENCY", &r.Currency},
	} {
		v, err := one(f.name)
		if err != nil {
			return Return{}, err
		}
		*f.dst = v
	}
	if r.Invoice == "" {
		r.Invoice = form.Get("INVOICE")
	}
	if r.Token == "" || !tokenIDFormat().MatchString(r.TokenID) {
		return Return{}, fmt.Errorf("payflow return: no secure token and token ID")
	}
	n, err := strconv.Atoi(result)
	if err != nil {
		return Return{}, fmt.Errorf("payflow return: RESULT %q is not a number", result)
	}
	r.Result = n
	if n == ResultApproved && r.PNREF == "" {
		return Return{}, fmt.Errorf("payflow return: an approved result without PNREF")
	}
	return r, nil
}

// ParseCancel reads what the hosted page posts to the cancel URL: the token ID that names
// the order the buyer walked away from.
func ParseCancel(form url.Values) (tokenID string, err error) {
	if len(form["SECURETOKENID"]) != 1 || !tokenIDFormat().MatchString(form.Get("SECURETOKENID")) {
		return "", fmt.Errorf("payflow cancel: no secure token ID")
	}
	return form.Get("SECURETOKENID"), nil
}
