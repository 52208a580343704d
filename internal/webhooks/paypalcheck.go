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
	sumRefund                 // a refund (n.Refund): within what is left of the total; a partial one is a note
)

// check says why the message does not match o ("" when it does): the environment, the
// currency, the amount by its rule, and, once the order knows its PayPal transaction, that
// the message names it. A refund is then counted (refund).
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
	case r.sum == sumRefund && (n.Refund == nil || n.Refund.Minor <= 0):
		return fmt.Sprintf("a refund of %s is not a positive sum", money(r.amount))
	}
	if o.Refs.TransactionID != "" && !containsAny(r.names, o.Refs.TransactionID, o.Refs.CaptureID) {
		return "the message names none of the order's PayPal transactions"
	}
	if r.sum == sumRefund {
		return refund(o, n)
	}
	return ""
}

// refund counts n's refund on o: one bringing the refunded sum to the total moves the
// order to refunded (n.To as read), a smaller one is a note, one counted before (the same
// refund reported by the other protocol) is a note that counts nothing, and one over what
// is left is refused.
func refund(o checkout.Order, n *checkout.Notice) string {
	cur := o.Amounts.Currency
	amount := ipn.Amount{Minor: n.Refund.Minor, Currency: cur}
	count, refunded := o.CountRefund(*n.Refund)
	sofar := fmt.Sprintf("%s of %s refunded", money(ipn.Amount{Minor: refunded, Currency: cur}),
		money(ipn.Amount{Minor: o.Amounts.TotalMinor, Currency: cur}))
	switch count {
	case checkout.RefundOver:
		return fmt.Sprintf("a refund of %s is more than what is left of the order's total (%s)", money(amount), sofar)
	case checkout.RefundCounted:
		n.Note = fmt.Sprintf("refund %s of %s counted already (%s)", n.Refund.ID, money(amount), sofar)
		n.To, n.Refund = "", nil
	case checkout.RefundPartial:
		n.To = "" // the order stays captured
		n.Note = fmt.Sprintf("partial refund of %s (%s)", money(amount), sofar)
	case checkout.RefundFull:
		n.Note = fmt.Sprintf("refund of %s (%s)", money(amount), sofar)
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
