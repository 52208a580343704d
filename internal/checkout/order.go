package checkout

import (
	"crypto/rand"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Buyer is who pays.
type Buyer struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Amounts are an order's money, in minor units of Currency.
type Amounts struct {
	Currency      string
	PriceMinor    int64
	DiscountMinor int64
	TotalMinor    int64
	// RefundedMinor is what the provider has refunded so far (the refunds of RefundIDs).
	RefundedMinor int64
}

// ProviderRefs are the provider's identifiers of an order's payment, filled in as the
// provider hands them out: the page's token (Payflow secure token and its 36-character ID
// of ours; Express Checkout's TOKEN), and the payment's reference once it is made (Payflow
// PNREF, PayPal transaction ID, WorldPay transId). Webhooks find the order by them.
type ProviderRefs struct {
	TokenID       string
	Token         string
	PayerID       string
	PNREF         string
	TransactionID string
	// CaptureID is the capture's own reference (its Payflow PNREF, PayPal transaction ID),
	// which a later refund names; the authorisation's stay in PNREF and TransactionID.
	CaptureID string
}

// Transaction is the provider's number of the payment, which the buyer's e-mail shows:
// Payflow's PNREF, else the PayPal transaction ID or WorldPay transId; "" before it is made.
func (r ProviderRefs) Transaction() string {
	if r.PNREF != "" {
		return r.PNREF
	}
	return r.TransactionID
}

// Redirect is where the buyer's browser goes to pay: a URL to open (GET), or a form to post
// to URL with Fields (in order).
type Redirect struct {
	Method string
	URL    string
	Fields []Field
}

// Field is one name/value of a form to post.
type Field struct {
	Name  string
	Value string
}

// Cause is what moved an order: who or what, and the notification that did it.
type Cause struct {
	// By is "buyer", "sweep", "admin:<actor>" or "provider:<kind>".
	By string
	// Notification identifies the provider's message (IPN, Silent Post, payment response)
	// that reported the change, when one did.
	Notification string
	Note         string
}

// Entry is one state change in an order's history.
type Entry struct {
	At    time.Time
	From  State // "" for the order's creation
	To    State
	Cause Cause
}

// Order is one buyer's purchase of one offering.
type Order struct {
	Site string
	Ref  string
	// Mode is the service's mode when the order was made: test orders use the providers'
	// sandboxes and are left out of the orders list unless asked for.
	Mode     settings.Mode
	Offering Offering
	Buyer    Buyer
	// ReturnURL and CancelURL are the platform's pages the buyer comes back to.
	ReturnURL string
	CancelURL string
	// Code is the promotion code applied (upper case), "" for none; CodeUsage is its usage
	// limit when applied (0 unlimited), kept so a use can be confirmed or given back
	// without reading the code.
	Code      string
	CodeLimit int
	Discount  *promo.Discount
	Amounts   Amounts
	// RefundIDs are the provider's ids of the refunds counted in Amounts.RefundedMinor, so
	// that a refund reported by two messages is counted once. The total bounds the list.
	RefundIDs []string
	State     State
	Provider  provider.Kind
	Refs      ProviderRefs
	Redirect  *Redirect
	// ReservedUntil is when the code use, and the order's chance to be paid, run out.
	ReservedUntil time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	History       []Entry
	// Hold is an administrator's capture or void on its way to the provider, nil for none.
	Hold *Hold
	// Mail is the buyer's e-mail on authorisation as stored, nil until the order is
	// authorised (Orders.Get reads it; moves never write it but with the move to authorised).
	Mail *MailState
}

// Hold marks an authorised order while an administrator's capture or void is with the
// provider: until it lapses no other capture or void of the order is sent, so two at once
// never reach the provider twice. A state move ends it; one that lapsed (its request died
// half-way) may be taken over, which is safe because a retry is the same request to
// Payflow and PayPal (their idempotency keys).
type Hold struct {
	Action string // "capture" or "void"
	ID     string
	Until  time.Time
}

// Holding reports whether a hold on the order is in force at now.
func (o Order) Holding(now time.Time) bool { return o.Hold != nil && now.Before(o.Hold.Until) }

// Env is the provider environment the order was paid in: the sandbox for a test order.
// Its capture or void goes there, whatever the site's mode is now.
func (o Order) Env() provider.Env {
	if o.Test() {
		return provider.Sandbox
	}
	return provider.Live
}

// Test reports whether the order is a test order.
func (o Order) Test() bool { return o.Mode != settings.ModeProduction }

// StateAt is the order's state at now: a pending order past its reservation is expired,
// whether or not the sweep has stored it so yet (it can no longer be paid).
func (o Order) StateAt(now time.Time) State {
	if o.State == StatePendingPayment && !o.ReservedUntil.IsZero() && !now.Before(o.ReservedUntil) {
		return StateExpired
	}
	return o.State
}

// Move returns the order moved to state to at now by cause, or false when the move is not
// allowed from where the order is.
func (o Order) Move(to State, at time.Time, c Cause) (Order, bool) {
	if !o.State.CanMove(to) {
		return o, false
	}
	next := o
	next.History = append(append([]Entry(nil), o.History...), Entry{At: at, From: o.State, To: to, Cause: c})
	next.State, next.UpdatedAt, next.Hold = to, at, nil
	return next, true
}

// Note returns the order with a history entry at now that keeps its state: a provider's
// message that changes nothing (a partial refund, a late one, a refused one) is recorded all
// the same.
func (o Order) Note(at time.Time, c Cause) Order {
	next := o
	next.History = append(append([]Entry(nil), o.History...), Entry{At: at, From: o.State, To: o.State, Cause: c})
	next.UpdatedAt = at
	return next
}

// refAlphabet is the order reference's alphabet: promotion codes' one, with no look-alikes.
const refAlphabet = promo.Alphabet

// RefLength is how many symbols follow "BO-" in an order reference: 12 symbols of 32 are
// 60 random bits, so references are neither guessable nor likely to collide.
const RefLength = 12

// NewRef returns a new order reference, "BO-" and RefLength random symbols. WorldPay's
// cartId and the buyer's e-mail show it.
func NewRef() string {
	b := make([]byte, RefLength)
	_, _ = rand.Read(b) // never fails since Go 1.24
	for i := range b {
		b[i] = refAlphabet[int(b[i])%len(refAlphabet)]
	}
	return "BO-" + string(b)
}

// CheckRef reports whether s has the shape of an order reference, so that one that cannot
// exist is not looked up.
func CheckRef(s string) bool {
	if len(s) != 3+RefLength || s[:3] != "BO-" {
		return false
	}
	for i := 3; i < len(s); i++ {
		if !containsByte(refAlphabet, s[i]) {
			return false
		}
	}
	return true
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}
