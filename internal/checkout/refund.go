package checkout

import "slices"

// Refund is a refund a notice reports, counted on its order once: a provider may report one
// refund by more than one message (PayPal: the Refunded IPN and the REST
// PAYMENT.CAPTURE.REFUNDED event), each with its own notice ID but the same refund ID.
type Refund struct {
	// ID is the provider's own id of the refund (PayPal: the refund's transaction id, which
	// is the IPN's txn_id and the REST refund's id).
	ID    string
	Minor int64
}

// RefundCount is what a refund does to its order's refunded sum.
type RefundCount int

// The counts.
const (
	// RefundPartial: counted, and part of the total is still not refunded.
	RefundPartial RefundCount = iota
	// RefundFull: counted, and it brings the refunded sum to the total.
	RefundFull
	// RefundCounted: the refund was counted before (reported by another message).
	RefundCounted
	// RefundOver: more than what is left of the total; not counted.
	RefundOver
)

// CountRefund says what r does to o, and o's refunded sum with r counted (as it is for
// RefundCounted and RefundOver).
func (o Order) CountRefund(r Refund) (RefundCount, int64) {
	refunded := o.Amounts.RefundedMinor
	switch {
	case slices.Contains(o.RefundIDs, r.ID):
		return RefundCounted, refunded
	case r.Minor <= 0 || r.Minor > o.Amounts.TotalMinor-refunded:
		return RefundOver, refunded
	case refunded+r.Minor == o.Amounts.TotalMinor:
		return RefundFull, refunded + r.Minor
	}
	return RefundPartial, refunded + r.Minor
}

// withRefund returns o with r counted, or o when r is nil or counted already (so that a
// retried write counts it once).
func (o Order) withRefund(r *Refund) Order {
	if r == nil || slices.Contains(o.RefundIDs, r.ID) {
		return o
	}
	o.Amounts.RefundedMinor += r.Minor
	o.RefundIDs = append(slices.Clip(o.RefundIDs), r.ID)
	return o
}
