package checkouthttp

import (
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// adminOrderView is one order as its site's administrators read it: the order as the list
// shows it, the provider's references of its payment, and what they can do with it now.
type adminOrderView struct {
	orderView
	ProviderRefs refsView `json:"providerRefs"`
	// RefundedMinor is what the provider reports refunded so far (partial refunds add up).
	RefundedMinor int64    `json:"refundedMinor"`
	Actions       []string `json:"actions"`
}

// refsView are the provider's identifiers of the payment: ids, never a secret.
type refsView struct {
	TokenID       string `json:"tokenId,omitempty"`
	Token         string `json:"token,omitempty"`
	PayerID       string `json:"payerId,omitempty"`
	PNREF         string `json:"pnref,omitempty"`
	TransactionID string `json:"transactionId,omitempty"`
	// CaptureID is the capture's own transaction (PayPal's), the one a refund names.
	CaptureID string `json:"captureId,omitempty"`
}

func viewAdminOrder(o checkout.Order, actions []checkout.Action) adminOrderView {
	r := o.Refs
	v := adminOrderView{orderView: viewOrder(o), RefundedMinor: o.Amounts.RefundedMinor, Actions: make([]string, 0, len(actions)),
		ProviderRefs: refsView{TokenID: r.TokenID, Token: r.Token, PayerID: r.PayerID, PNREF: r.PNREF, TransactionID: r.TransactionID,
			CaptureID: r.CaptureID}}
	for _, a := range actions {
		v.Actions = append(v.Actions, string(a))
	}
	return v
}

func adminOrder(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, actions, err := c.AdminOrder(r.Context(), r.PathValue("site"), r.PathValue("ref"))
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewAdminOrder(o, actions))
		return nil
	}
}

func captureOrder(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in checkout.CaptureInput
		if err := decodeOptional(r, &in); err != nil {
			return err
		}
		if _, err := c.Capture(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), r.PathValue("ref"), in); err != nil {
			return err
		}
		return adminOrder(c)(w, r) // the order as it is now, with what can be done next
	}
}

func voidOrder(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in checkout.VoidInput
		if err := decodeOptional(r, &in); err != nil {
			return err
		}
		if _, err := c.Void(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), r.PathValue("ref"), in); err != nil {
			return err
		}
		return adminOrder(c)(w, r) // the order as it is now, with what can be done next
	}
}

// decodeOptional reads a JSON body that may be left out: no body is the empty object.
func decodeOptional(r *http.Request, dst any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return httpx.Decode(r, dst)
}
