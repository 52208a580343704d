package webhooks

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
)

// A refund is counted against what was refunded before: a partial one is a note with the
// sum so far, the one completing the total moves the order, one counted before (the other
// protocol's report of it) counts nothing, one over what is left is refused.
func TestRefundCountsWhatWasRefunded(t *testing.T) {
	o := order()
	o.State, o.Amounts.RefundedMinor, o.RefundIDs = checkout.StateCaptured, 1000, []string{"REF1"}
	for _, c := range []struct {
		refund  checkout.Refund
		to      checkout.State
		counted bool
		note    string
		refused string
	}{
		{checkout.Refund{ID: "REF2", Minor: 1500}, "", true, "partial refund of 15.00 USD (25.00 USD of 49.00 USD refunded)", ""},
		{checkout.Refund{ID: "REF2", Minor: 3900}, checkout.StateRefunded, true, "refund of 39.00 USD (49.00 USD of 49.00 USD refunded)", ""},
		{checkout.Refund{ID: "REF1", Minor: 1000}, "", false, "refund REF1 of 10.00 USD counted already (10.00 USD of 49.00 USD refunded)", ""},
		{checkout.Refund{ID: "REF2", Minor: 3901}, checkout.StateRefunded, true, "",
			"a refund of 39.01 USD is more than what is left of the order's total (10.00 USD of 49.00 USD refunded)"},
	} {
		r := c.refund
		n := checkout.Notice{To: checkout.StateRefunded, Refund: &r}
		refused := refund(o, &n)
		if refused != c.refused || n.To != c.to || (n.Refund != nil) != c.counted || !strings.Contains(n.Note, c.note) {
			t.Errorf("%+v: refused %q, %+v", c.refund, refused, n)
		}
	}
}
