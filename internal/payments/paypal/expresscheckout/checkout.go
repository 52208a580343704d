package expresscheckout

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sync"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// SetRequest is an authorisation the buyer is to approve on PayPal.
type SetRequest struct {
	Amount      int64 // minor units
	Currency    string
	Invoice     string // the order reference (PAYMENTREQUEST_0_INVNUM)
	Description string
	// Where PayPal sends the buyer back: RETURNURL (with token and PayerID) after approval,
	// CANCELURL (with token) when the buyer cancels.
	ReturnURL, CancelURL string
}

// Started is a checkout PayPal set up: its token and the link that takes the buyer there.
type Started struct {
	Token string
	Page  paymentpage.Redirect
}

var (
	tokenFormat   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^EC-[A-Z0-9]{17}$`) })
	payerIDFormat = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z0-9]{13}$`) })
)

// SetExpressCheckout sets up the checkout of an authorisation on the merchant's account.
func (c *Client) SetExpressCheckout(ctx context.Context, env provider.Env, perm paypal.Permission, r SetRequest) (Started, error) {
	amt, err := paymentpage.FormatAmount(r.Amount, r.Currency)
	if err != nil || r.Amount <= 0 {
		return Started{}, fmt.Errorf("expresscheckout: an authorisation needs an amount above zero in a known currency")
	}
	if r.Invoice == "" || len(r.Invoice) > 127 || len(r.Description) > 127 {
		return Started{}, fmt.Errorf("expresscheckout: the invoice (1-127 characters) is required, the description at most 127")
	}
	for name, u := range map[string]string{"return": r.ReturnURL, "cancel": r.CancelURL} {
		if !absoluteURL(u) {
			return Started{}, fmt.Errorf("expresscheckout: the %s URL must be an absolute http(s) URL", name)
		}
	}
	reply, err := c.call(ctx, env, perm, "SetExpressCheckout", url.Values{
		"PAYMENTREQUEST_0_PAYMENTACTION": {"Authorization"}, "PAYMENTREQUEST_0_AMT": {amt},
		"PAYMENTREQUEST_0_CURRENCYCODE": {r.Currency}, "PAYMENTREQUEST_0_INVNUM": {r.Invoice},
		"PAYMENTREQUEST_0_DESC": {r.Description}, "RETURNURL": {r.ReturnURL}, "CANCELURL": {r.CancelURL},
		"NOSHIPPING": {"1"}, "ALLOWNOTE": {"0"},
	})
	if err != nil {
		return Started{}, err
	}
	token := reply.Get("TOKEN")
	if !tokenFormat().MatchString(token) {
		return Started{}, unusable("SetExpressCheckout", "no checkout token")
	}
	link := c.endpoints[env].Web + "/cgi-bin/webscr?" + url.Values{"cmd": {"_express-checkout"}, "token": {token}, "useraction": {"commit"}}.Encode()
	return Started{Token: token, Page: paymentpage.Link(link)}, nil
}

// Return is what PayPal's redirect to the return URL carries.
type Return struct {
	Token   string
	PayerID string
}

// ParseReturn reads the return URL's query: token and PayerID, each once. Anyone can
// follow a return URL: it says which checkout the buyer comes back for, nothing more
// (DoExpressCheckoutPayment tells whether PayPal agrees).
func ParseReturn(q url.Values) (Return, error) {
	if len(q["token"]) != 1 || len(q["PayerID"]) != 1 || !tokenFormat().MatchString(q.Get("token")) || !payerIDFormat().MatchString(q.Get("PayerID")) {
		return Return{}, fmt.Errorf("expresscheckout return: needs one token (EC-...) and one PayerID")
	}
	return Return{Token: q.Get("token"), PayerID: q.Get("PayerID")}, nil
}

// ParseCancel reads the cancel URL's query: the checkout token.
func ParseCancel(q url.Values) (string, error) {
	if len(q["token"]) != 1 || !tokenFormat().MatchString(q.Get("token")) {
		return "", fmt.Errorf("expresscheckout cancel: needs one token (EC-...)")
	}
	return q.Get("token"), nil
}

// Details is GetExpressCheckoutDetails's account of a checkout.
type Details struct {
	Token          string
	PayerID        string // empty until the buyer approved
	PayerEmail     string
	CheckoutStatus string // PaymentActionNotInitiated, PaymentActionCompleted, ...
	Amount         int64
	Currency       string
	Invoice        string
}

// GetDetails asks PayPal about a checkout.
func (c *Client) GetDetails(ctx context.Context, env provider.Env, perm paypal.Permission, token string) (Details, error) {
	if !tokenFormat().MatchString(token) {
		return Details{}, fmt.Errorf("expresscheckout: not a checkout token")
	}
	reply, err := c.call(ctx, env, perm, "GetExpressCheckoutDetails", url.Values{"TOKEN": {token}})
	if err != nil {
		return Details{}, err
	}
	d := Details{
		Token: reply.Get("TOKEN"), PayerID: reply.Get("PAYERID"), PayerEmail: reply.Get("EMAIL"),
		CheckoutStatus: reply.Get("CHECKOUTSTATUS"), Currency: reply.Get("PAYMENTREQUEST_0_CURRENCYCODE"),
		Invoice: reply.Get("PAYMENTREQUEST_0_INVNUM"),
	}
	if d.Token != token || (d.PayerID != "" && !payerIDFormat().MatchString(d.PayerID)) {
		return Details{}, unusable("GetExpressCheckoutDetails", "another token or a malformed PayerID")
	}
	if d.Amount, err = paymentpage.ParseAmount(reply.Get("PAYMENTREQUEST_0_AMT"), d.Currency); err != nil {
		return Details{}, unusable("GetExpressCheckoutDetails", "no amount in its currency")
	}
	return d, nil
}

// Payment is the authorisation DoExpressCheckoutPayment made.
type Payment struct {
	AuthorizationID string // PAYMENTINFO_0_TRANSACTIONID: what DoCapture and DoVoid name
	Status          string // PAYMENTINFO_0_PAYMENTSTATUS: Pending for an authorisation
	PendingReason   string // authorization
	Amount          int64
	Currency        string
}

// DoPayment completes an approved checkout as an authorisation of amount. Sending it again
// for the same checkout is the same message (MSGSUBID), which PayPal performs once.
// notifyURL, when set, is where PayPal posts the transaction's IPNs
// (PAYMENTREQUEST_0_NOTIFYURL, whatever the merchant's profile names): the NVP guide says
// it counts on DoExpressCheckoutPayment only, and is ignored on SetExpressCheckout.
func (c *Client) DoPayment(ctx context.Context, env provider.Env, perm paypal.Permission, ret Return, amount int64, currency, invoice, notifyURL string) (Payment, error) {
	amt, err := paymentpage.FormatAmount(amount, currency)
	if err != nil || amount <= 0 {
		return Payment{}, fmt.Errorf("expresscheckout: a payment needs an amount above zero in a known currency")
	}
	if notifyURL != "" && (!absoluteURL(notifyURL) || len(notifyURL) > 2048) {
		return Payment{}, fmt.Errorf("expresscheckout: the notify URL must be an absolute http(s) URL of at most 2048 characters")
	}
	params := url.Values{
		"TOKEN": {ret.Token}, "PAYERID": {ret.PayerID}, "PAYMENTREQUEST_0_PAYMENTACTION": {"Authorization"},
		"PAYMENTREQUEST_0_AMT": {amt}, "PAYMENTREQUEST_0_CURRENCYCODE": {currency}, "PAYMENTREQUEST_0_INVNUM": {invoice},
		"MSGSUBID": {messageID("DoExpressCheckoutPayment", ret.Token)},
	}
	if notifyURL != "" {
		params.Set("PAYMENTREQUEST_0_NOTIFYURL", notifyURL)
	}
	reply, err := c.call(ctx, env, perm, "DoExpressCheckoutPayment", params)
	if err != nil {
		return Payment{}, err
	}
	p := Payment{
		AuthorizationID: reply.Get("PAYMENTINFO_0_TRANSACTIONID"), Status: reply.Get("PAYMENTINFO_0_PAYMENTSTATUS"),
		PendingReason: reply.Get("PAYMENTINFO_0_PENDINGREASON"), Currency: reply.Get("PAYMENTINFO_0_CURRENCYCODE"),
	}
	if p.AuthorizationID == "" || p.Currency != currency {
		return Payment{}, unusable("DoExpressCheckoutPayment", "no transaction in our currency")
	}
	if p.Amount, err = paymentpage.ParseAmount(reply.Get("PAYMENTINFO_0_AMT"), currency); err != nil {
		return Payment{}, unusable("DoExpressCheckoutPayment", "no amount")
	}
	return p, nil
}

func absoluteURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != ""
}
