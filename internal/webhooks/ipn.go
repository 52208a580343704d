package webhooks

import (
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// KindIPN names PayPal's IPN in the orders' history ("provider:paypal_ipn").
const KindIPN = "paypal_ipn"

// ipnID is an IPN's identity: PayPal sends one txn_id for each status it reports (an
// authorisation's Pending then Voided), and the same pair on every resend.
func ipnID(m *ipn.Message) string { return "ipn:" + m.TxnID + ":" + m.PaymentStatus }

// readIPN reads what a verified IPN reports about the order its invoice names (SPEC 4.1
// states). ok is false for a message that reports no payment of an order (no txn_id).
// Reversed and Canceled_Reversal have no state in SPEC 4.1: they are noted in the history.
func readIPN(site string, m *ipn.Message) (checkout.Notice, bool) {
	if m.TxnID == "" || m.PaymentStatus == "" {
		return checkout.Notice{}, false
	}
	n := checkout.Notice{Site: site, Ref: m.Invoice, Kind: KindIPN, ID: ipnID(m)}
	switch m.PaymentStatus {
	case "Pending":
		if m.PendingReason != "authorization" {
			n.Note = "PayPal reports the payment pending: " + quote(orNone(m.PendingReason))
			break
		}
		n.To, n.Refs.TransactionID = checkout.StateAuthorised, authID(m)
		n.Note = "authorised " + money(m.Gross)
	case "Completed":
		n.To, n.Refs.CaptureID = checkout.StateCaptured, m.TxnID
		n.Note = "captured " + money(m.Gross)
	case "Voided", "Expired":
		n.To = checkout.StateVoided
		n.Note = "the authorisation is " + strings.ToLower(m.PaymentStatus)
	case "Denied", "Failed":
		n.To = checkout.StateFailed
		n.Note = "PayPal reports the payment " + strings.ToLower(m.PaymentStatus)
	case "Refunded":
		// txn_id is the refund's own transaction: the REST event's refund id.
		n.To, n.Note = checkout.StateRefunded, "refund of "+money(neg(m.Gross))
		n.Refund = &checkout.Refund{ID: m.TxnID, Minor: -m.Gross.Minor}
	case "Reversed":
		n.Note = "PayPal reversed the payment (" + quote(orNone(m.ReasonCode)) + "): " + money(neg(m.Gross)) + " taken back from the merchant"
	case "Canceled_Reversal":
		n.Note = "PayPal cancelled the reversal of the payment: " + money(m.Gross) + " back to the merchant"
	default:
		n.Note = "PayPal reports the payment " + quote(m.PaymentStatus)
	}
	return n, true
}

// checkIPN is the check of a verified IPN against its order (SPEC 4.3): the receiver is
// the site's PayPal account, then the environment, amount, currency and transaction as
// payPalReport checks them.
func checkIPN(m *ipn.Message) checkout.Check {
	report := payPalReport{test: m.Test, amount: m.Gross, names: []string{m.AuthID, m.ParentTxnID, m.TxnID}}
	switch m.PaymentStatus {
	case "Pending", "Completed":
		report.sum = sumPayment
	case "Refunded":
		report.sum, report.amount = sumRefund, neg(m.Gross)
	}
	return func(o checkout.Order, p *provider.Setup, n *checkout.Notice) string {
		switch {
		case p == nil || p.PayPalEmail == "":
			return "the site's provider has no PayPal account to check the receiver against"
		case !sameAccount(p.PayPalEmail, m.ReceiverEmail) && !sameAccount(p.PayPalEmail, m.Business):
			return fmt.Sprintf("the receiver %q is not the site's PayPal account", quote(orNone(firstOf(m.ReceiverEmail, m.Business))))
		}
		return report.check(o, n)
	}
}

// authID is the authorisation's ID: auth_id, which is the txn_id of an authorisation's IPN.
func authID(m *ipn.Message) string { return firstOf(m.AuthID, m.TxnID) }

func sameAccount(a, b string) bool {
	return b != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func orNone(s string) string {
	if s == "" {
		return "none given"
	}
	return s
}

func envName(test bool) string {
	if test {
		return "sandbox"
	}
	return "live"
}

func neg(a ipn.Amount) ipn.Amount { return ipn.Amount{Minor: -a.Minor, Currency: a.Currency} }

func money(a ipn.Amount) string {
	if a.Currency == "" {
		return "no amount"
	}
	s, err := paymentpage.FormatAmount(a.Minor, a.Currency)
	if err != nil {
		return fmt.Sprintf("%d minor units of %s", a.Minor, a.Currency)
	}
	return s + " " + a.Currency
}
