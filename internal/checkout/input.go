package checkout

import (
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// QuoteInput asks what an offering costs with an optional promotion code.
type QuoteInput struct {
	Offering *OfferingInput `json:"offering"`
	Code     string         `json:"code"`
}

// OrderInput is a quote's input plus the buyer and where to send them back.
type OrderInput struct {
	Offering  *OfferingInput `json:"offering"`
	Code      string         `json:"code"`
	Buyer     *Buyer         `json:"buyer"`
	ReturnURL string         `json:"returnUrl"`
	CancelURL string         `json:"cancelUrl"`
}

// request is a validated quote or order request.
type request struct {
	Offering  Offering
	Code      string
	Buyer     Buyer
	ReturnURL string
	CancelURL string
}

func (in QuoteInput) validate() (request, error) {
	var v apperr.Errors
	r := request{Offering: in.Offering.validate(&v, "offering"), Code: checkCodeInput(&v, in.Code)}
	return r, v.Err()
}

func (in OrderInput) validate(allowLoopback bool) (request, error) {
	var v apperr.Errors
	r := request{Offering: in.Offering.validate(&v, "offering"), Code: checkCodeInput(&v, in.Code)}
	if in.Buyer == nil {
		v.Add("buyer", "is required: name and email")
	} else {
		r.Buyer = Buyer{Name: strings.TrimSpace(in.Buyer.Name), Email: emailaddr.Normalize(in.Buyer.Email)}
		if reason := checkName(r.Buyer.Name); reason != "" {
			v.Add("buyer.name", reason)
		}
		if !emailaddr.Valid(r.Buyer.Email) {
			v.Add("buyer.email", "is not a valid e-mail address")
		}
	}
	r.ReturnURL, r.CancelURL = strings.TrimSpace(in.ReturnURL), strings.TrimSpace(in.CancelURL)
	if reason := checkReturnURL(r.ReturnURL, allowLoopback); reason != "" {
		v.Add("returnUrl", reason)
	}
	if reason := checkReturnURL(r.CancelURL, allowLoopback); reason != "" {
		v.Add("cancelUrl", reason)
	}
	return r, v.Err()
}

// checkCodeInput normalises a code as typed: codes are case-insensitive, and one that could
// not be a code of any site is refused as input rather than looked up.
func checkCodeInput(v *apperr.Errors, raw string) string {
	c := promo.NormalizeCode(raw)
	if len(c) > MaxCodeInputLen {
		v.Add("code", fmt.Sprintf("must be at most %d characters", MaxCodeInputLen))
		return ""
	}
	for i := 0; i < len(c); i++ {
		if b := c[i]; !(b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
			v.Add("code", "may hold only letters, digits, '-' and '_'")
			return ""
		}
	}
	return c
}
