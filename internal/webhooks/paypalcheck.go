package webhooks

import (
	"fmt"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
)

// payPalReport is what a verified PayPal message (an IPN or a REST event) says about
// money and transactions, checked against its order the same way whichever protocol
// carried it.
type payPalReport struct {
	test   bool       // a sandbox message
	amount ipn.Amount // a refund's as a positive sum
	// optional: a message that may carry no amount at all (a REST event about a void);
	// one it carries is still checked.
	optional bool
	sum      sumRule
	names    []string // the PayPal transactions the message is about or hangs off
}

// sumRule is what the amount of a message must be.
type sumRule int

const (
	sumAny     sumRule = iota // a note: the currency is checked, not the amount
	sumPayment                // an authorisation or capture: the order's total
	sumRefund                 // a refund: within the order's total; a partial one is a note
)

// check says why the message does not match o ("" when it does): the environment, the
// currency, the amount by its rule, and, once the order knows its PayPal transaction, that
// the message names it. A partial refund turns n into a note.
func (r payPalReport) check(o checkout.Order, n *checkout.Notice) string {
	total := ipn.Amount{Minor: o.Amounts.TotalMinor, Currency: o.Amounts.Currency}
	switch {
	case r.test != o.Test():
		return fmt.Sprintf("a %s message for a %s order", envName(r.test), envName(o.Test()))
	case r.amount.Currency == "" && r.optional && r.sum == sumAny:
	case r.amount.Currency != total.Currency:
		return fmt.Sprintf("the currency %q is not the order's %s", quote(orNone(r.amount.Currency)), total.Currency)
	case r.sum == sumPayment && r.amount.Minor != total.Minor:
		return fmt.Sprintf("the amount %s is not the order's total %s", money(r.amount), money(total))
	case r.sum == sumRefund && (r.amount.Minor <= 0 || r.amount.Minor > total.Minor):
		return fmt.Sprintf("a refund of %s is not within the order's total", money(r.amount))
	}
	if o.Refs.TransactionID != "" && !containsAny(r.names, o.Refs.TransactionID, o.Refs.CaptureID) {
		return "the message names none of the order's PayPal transactions"
	}
	if r.sum == sumRefund && r.amount.Minor < total.Minor {
		n.To = "" // a partial refund: the order stays captured, the refund is noted
		n.Note = "partial " + n.Note
	}
	return ""
}

func containsAny(names []string, refs ...string) bool {
	for _, n := range names {
		for _, r := range refs {
			if n != "" && n == r {
				return true
			}
		}
	}
	return false
}
