package checkout

import (
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// QuoteInput asks what an offering costs with an optional promotion code, for an
// optional buyer: with the buyer's e-mail, unknown codes also count against that buyer's
// guessing limit (see Guessing), not only the site's.
type QuoteInput struct {
	Offering *OfferingInput `json:"offering"`
	Code     string         `json:"code"`
	// Buyer needs only the e-mail in a quote; a name, if sent, is checked as an order's.
	Buyer *Buyer `json:"buyer"`
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
	if in.Buyer != nil {
		r.Buyer = checkBuyer(&v, *in.Buyer, false)
	}
	return r, v.Err()
}

func (in OrderInput) validate(allowLoopback bool) (request, error) {
	var v apperr.Errors
	r := request{Offering: in.Offering.validate(&v, "offering"), Code: checkCodeInput(&v, in.Code)}
	if in.Buyer == nil {
		v.Add("buyer", "is required: name and email")
	} else {
		r.Buyer = checkBuyer(&v, *in.Buyer, true)
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

// checkBuyer normalises a buyer: an order needs the name, a quote only the e-mail.
func checkBuyer(v *apperr.Errors, in Buyer, needName bool) Buyer {
	b := Buyer{Name: strings.TrimSpace(in.Name), Email: emailaddr.Normalize(in.Email)}
	if reason := checkName(b.Name); reason != "" && (needName || b.Name != "") {
		v.Add("buyer.name", reason)
	}
	if !emailaddr.Valid(b.Email) {
		v.Add("buyer.email", "is not a valid e-mail address")
	}
	return b
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
