package worldpay

import (
	"fmt"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Purchase is a pre-authorisation the buyer pays on WorldPay's page.
type Purchase struct {
	InstallationID string
	CartID         string // the order reference
	Amount         int64  // minor units
	Currency       string
	Description    string
	BuyerName      string
	BuyerEmail     string
	// MD5Secret signs the form when the installation has one (WorldPay then refuses
	// unsigned orders).
	MD5Secret string
	// CallbackURL, when set, is sent as MC_callback, for an installation whose Payment
	// Response URL is <wpdisplay item=MC_callback>.
	CallbackURL string
}

// PurchasePage returns the form that sends the buyer to WorldPay's payment page.
func (c *Client) PurchasePage(env provider.Env, p Purchase) (paymentpage.Redirect, error) {
	ep, ok := c.endpoints[env]
	if !ok {
		return paymentpage.Redirect{}, fmt.Errorf("worldpay: unknown environment %q", env)
	}
	if !installationFormat().MatchString(p.InstallationID) || !cartIDFormat().MatchString(p.CartID) {
		return paymentpage.Redirect{}, fmt.Errorf("worldpay: the installation ID (digits) and the cart ID (1-255 letters, digits, '.', '_', '-') are required")
	}
	amt, err := paymentpage.FormatAmount(p.Amount, p.Currency)
	if err != nil || p.Amount <= 0 {
		return paymentpage.Redirect{}, fmt.Errorf("worldpay: a purchase needs an amount above zero in a known currency")
	}
	fields := []paymentpage.Field{
		{Name: "instId", Value: p.InstallationID}, {Name: "cartId", Value: p.CartID}, {Name: "amount", Value: amt},
		{Name: "currency", Value: p.Currency}, {Name: "testMode", Value: testMode(env)}, {Name: "authMode", Value: "E"},
		{Name: "desc", Value: p.Description}, {Name: "name", Value: p.BuyerName}, {Name: "email", Value: p.BuyerEmail},
	}
	if p.CallbackURL != "" {
		if u, err := url.Parse(p.CallbackURL); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			return paymentpage.Redirect{}, fmt.Errorf("worldpay: the callback URL must be an absolute http(s) URL")
		}
		fields = append(fields, paymentpage.Field{Name: "MC_callback", Value: p.CallbackURL})
	}
	if p.MD5Secret != "" {
		fields = append(fields,
			paymentpage.Field{Name: "signatureFields", Value: SignatureFields},
			paymentpage.Field{Name: "signature", Value: Signature(p.MD5Secret, p.InstallationID, amt, p.Currency, p.CartID)})
	}
	return paymentpage.Form(ep.Purchase, fields...), nil
}
