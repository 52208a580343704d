package worldpay

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// PaymentResponse is what WorldPay posts to the callback URL when a payment is made
// (transStatus Y) or cancelled (C). The webhooks function receives it; Parse and
// Authenticate are its reading.
type PaymentResponse struct {
	Status         string // Y authorised, C cancelled
	TransID        string
	CartID         string
	InstallationID string
	Amount         int64
	Currency       string
	AuthMode       string // E: a pre-authorisation
	TestMode       bool
	callbackPW     string
}

// ParsePaymentResponse reads a payment response: every field once, the status Y or C, a
// transaction ID for Y, the amount in its currency.
func ParsePaymentResponse(form url.Values) (PaymentResponse, error) {
	for _, name := range []string{"transStatus", "transId", "cartId", "instId", "amount", "currency", "authMode", "testMode", "callbackPW"} {
		if len(form[name]) > 1 {
			return PaymentResponse{}, fmt.Errorf("worldpay payment response: %s is given twice", name)
		}
	}
	r := PaymentResponse{
		Status: form.Get("transStatus"), TransID: form.Get("transId"), CartID: form.Get("cartId"),
		InstallationID: form.Get("instId"), Currency: form.Get("currency"), AuthMode: form.Get("authMode"),
		TestMode: form.Get("testMode") != "" && form.Get("testMode") != "0", callbackPW: form.Get("callbackPW"),
	}
	if r.Status != "Y" && r.Status != "C" {
		return PaymentResponse{}, fmt.Errorf("worldpay payment response: transStatus must be Y or C")
	}
	if (r.Status == "Y" && r.TransID == "") || !cartIDFormat().MatchString(r.CartID) || !installationFormat().MatchString(r.InstallationID) {
		return PaymentResponse{}, fmt.Errorf("worldpay payment response: needs the cart ID, the installation and (when authorised) the transaction")
	}
	amount, err := paymentpage.ParseAmount(form.Get("amount"), r.Currency)
	if err != nil {
		return PaymentResponse{}, fmt.Errorf("worldpay payment response: %w", err)
	}
	r.Amount = amount
	return r, nil
}

// ErrCallbackPassword reports a payment response without the installation's callback
// password: not WorldPay's.
var ErrCallbackPassword = errors.New("worldpay payment response: wrong callback password")

// Authenticate checks the callback password the response carries.
func (r PaymentResponse) Authenticate(callbackPassword string) error {
	if callbackPassword == "" || subtle.ConstantTimeCompare([]byte(r.callbackPW), []byte(callbackPassword)) != 1 {
		return ErrCallbackPassword
	}
	return nil
}
