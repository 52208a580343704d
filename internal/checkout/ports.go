package checkout

import (
	"context"
	"net/url"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Sites reads a site's settings: whether the service sells, its mode, time zone, whether
// codes are on, and its provider.
type Sites interface {
	Get(ctx context.Context, site string) (settings.Site, error)
}

// CodeUses is what checkout needs of the promotion codes store: a code with how many of
// its uses are taken, and the atomic reservation, release and confirmation of one use on
// behalf of an order (ref).
type CodeUses interface {
	// Lookup reads a code and how many of its uses are held at now (confirmed, or reserved
	// until later than now); found is false when the site has no such code.
	Lookup(ctx context.Context, site, code string, now time.Time) (c promo.Code, held int, found bool, err error)
	// Reserve holds one use of c for ref until until, in one conditional write, taking over
	// a reservation that expired by now when the code is at its limit. It answers "" when
	// the use is held (also when ref held it already), else the status that refused it:
	// used_up (no use left), deleted or expired.
	Reserve(ctx context.Context, c promo.Code, ref string, until, now time.Time) (promo.Status, error)
	// Release gives back the use ref reserved; false when ref held none (given back
	// already, or taken over once expired).
	Release(ctx context.Context, site, code, ref string) (bool, error)
	// Confirm turns ref's reservation into a use; false when ref holds no reservation.
	Confirm(ctx context.Context, site, code, ref string, limit int) (bool, error)
	// Return gives back a confirmed use (a voided or fully refunded payment).
	Return(ctx context.Context, site, code string, limit int) (bool, error)
}

// Orders keeps orders and their history. Every state change is conditional on the state
// the order was read in.
type Orders interface {
	// Create writes a new order; with a key, only if no order was created under it yet. When
	// one was, it answers that order and its request's fingerprint, New false.
	Create(ctx context.Context, o Order, key Key) (Created, error)
	// ByKey reads the order created under an idempotency key.
	ByKey(ctx context.Context, site, key string) (Created, bool, error)
	// Get reads an order with its history.
	Get(ctx context.Context, site, ref string) (Order, bool, error)
	// Move stores to (from moved one state forward) with its newest history entry, if the
	// order is still in from's state; false when it is not.
	Move(ctx context.Context, from, to Order) (bool, error)
	// SetPayment stores a pending order's provider refs and redirect.
	SetPayment(ctx context.Context, o Order) error
	// Hold stores held (o with a new Hold, or with none to end one) if the order is still as
	// o was read, hold included; false when it is not.
	Hold(ctx context.Context, o, held Order) (bool, error)
	// Settle is Move for an administrator's change: the audit entry is written in the same
	// transaction as the order, so neither is stored without the other.
	Settle(ctx context.Context, from, to Order, e audit.Entry) (bool, error)
	// Notice is Move for a provider's notice: the notice's id is recorded in the same
	// transaction, only if it was not recorded before (to may keep from's state, with one
	// more history entry). It answers NoticeSeen when the id was recorded already,
	// NoticeOrderChanged when the order is no longer as read; nothing is written then.
	Notice(ctx context.Context, from, to Order, id string) (NoticeWrite, error)
	// Overdue lists up to limit pending orders whose reservation ran out by now.
	Overdue(ctx context.Context, now time.Time, limit int) ([]Order, error)
}

// Key is a create request's Idempotency-Key with the fingerprint of its request, as the
// platform reads every route's key.
type Key = idempotency.Keyed

// Created is an order as created under a key.
type Created struct {
	Order       Order
	Fingerprint string
	New         bool
}

// PaymentPages starts and finishes a payment on the provider's own page (SPEC 4.2). The
// provider clients implement it; checkout never sees card data.
type PaymentPages interface {
	// Start gets the page the buyer pays on, and the refs the provider handed out for it.
	Start(ctx context.Context, r PageRequest) (Page, error)
	// Finish reads the outcome of the buyer's return from the page (query or form
	// parameters the provider sent the browser back with), after checking it with the
	// provider: authorised, failed, or still pending (the provider reports later).
	Finish(ctx context.Context, r PageRequest, params url.Values) (Outcome, error)
}

// PageRequest is an order with what a provider needs to take its payment.
type PageRequest struct {
	Order    Order
	Provider provider.Setup
	Env      provider.Env
	// MerchantName and PaymentPage are shown on the provider's page.
	MerchantName string
	PaymentPage  settings.PaymentPage
	// ReturnURL and CancelURL are Boxoffice's own buyer-facing routes for the order: the
	// provider sends the browser there, and they send it on to the platform's.
	ReturnURL string
	CancelURL string
	// Late says the order stopped waiting for the payment before the buyer came back (its
	// reservation ran out, or it was cancelled or failed: State.PaidAfterAll): Finish
	// reports a payment the buyer already made on the page (Payflow's), and makes none
	// (Express Checkout's DoExpressCheckoutPayment is not called).
	Late bool
}

// Settlements captures and voids an authorised payment through its provider (SPEC 4.2):
// Payflow TRXTYPE=D / V, Express Checkout DoCapture / DoVoid, WorldPay remote
// administration (capture only). A refusal is a conflict carrying the provider's message;
// no usable answer is unavailable; either way nothing changed at the provider as far as
// Boxoffice can tell.
type Settlements interface {
	Capture(ctx context.Context, r PageRequest) (Settled, error)
	Void(ctx context.Context, r PageRequest) (Settled, error)
}

// Settled is what the provider made of a capture or void: its own reference, and a note
// for the order's history.
type Settled struct {
	Refs ProviderRefs
	Note string
}

// Page is where to send the buyer, and the provider's refs for it.
type Page struct {
	Redirect Redirect
	Refs     ProviderRefs
}

// Outcome is what the buyer's return says of the payment, once checked with the provider.
type Outcome struct {
	// State is authorised, failed, or pending_payment when the provider reports later
	// (WorldPay's payment response).
	State State
	Refs  ProviderRefs
	Note  string
}
