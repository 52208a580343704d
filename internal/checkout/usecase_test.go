package checkout

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

var useNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// rig is the checkout use cases over fakes that record what was done to code uses.
type rig struct {
	c        *Checkout
	orders   *memOrders
	now      time.Time
	site     settings.Site
	code     promo.Code
	held     int
	reserved map[string]time.Time
	released []string
	confirm  []string
	returned int
	started  []PageRequest
	startErr error
	outcome  Outcome
	// lastFinish is the page request the buyer's last return was checked with.
	lastFinish PageRequest
	// settled are the captures and voids sent to the provider; settleErr refuses them.
	settled   []PageRequest
	settleErr error
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{orders: newMemOrders(), now: useNow, site: sellingSite("demo"), code: goodCode(), reserved: map[string]time.Time{}}
	r.code.ExpiresAt = useNow.Add(24 * time.Hour)
	codes := fakeCodes{
		lookup: func(site, code string, now time.Time) (promo.Code, int, bool, error) {
			if code != r.code.Code {
				return promo.Code{}, 0, false, nil
			}
			return r.code, r.held, true, nil
		},
		reserve: func(c promo.Code, ref string, until, now time.Time) (promo.Status, error) {
			if r.held >= c.Usage.Limit() && c.Usage.Limit() > 0 {
				return promo.StatusUsedUp, nil
			}
			r.held++
			r.reserved[ref] = until
			return "", nil
		},
		release: func(site, code, ref string) (bool, error) {
			r.released = append(r.released, ref)
			_, ok := r.reserved[ref]
			delete(r.reserved, ref)
			if ok {
				r.held--
			}
			return ok, nil
		},
		confirm: func(site, code, ref string, limit int) (bool, error) {
			r.confirm = append(r.confirm, ref)
			_, ok := r.reserved[ref]
			delete(r.reserved, ref)
			return ok, nil
		},
	}
	codes.give = func(site, code string, limit int) (bool, error) {
		r.returned++
		r.held--
		return true, nil
	}
	pages := fakePages{
		start: func(pr PageRequest) (Page, error) {
			r.started = append(r.started, pr)
			if r.startErr != nil {
				return Page{}, r.startErr
			}
			return Page{Redirect: Redirect{Method: "POST", URL: "https://pilot-payflowlink.paypal.com", Fields: []Field{{Name: "SECURETOKEN", Value: "tok-" + pr.Order.Ref}}},
				Refs: ProviderRefs{TokenID: "id-" + pr.Order.Ref, Token: "tok-" + pr.Order.Ref}}, nil
		},
		finish: func(pr PageRequest, params url.Values) (Outcome, error) { r.lastFinish = pr; return r.outcome, nil },
	}
	var mu sync.Mutex
	settleWith := func(kind string) func(PageRequest) (Settled, error) {
		return func(pr PageRequest) (Settled, error) {
			mu.Lock()
			defer mu.Unlock()
			r.settled = append(r.settled, pr)
			if r.settleErr != nil {
				return Settled{}, r.settleErr
			}
			return Settled{Refs: ProviderRefs{CaptureID: kind + "-" + pr.Order.Ref}, Note: kind + " through the provider"}, nil
		}
	}
	settle := fakeSettle{capture: settleWith("captured"), void: settleWith("voided")}
	c, err := New(Deps{Sites: fakeSites{get: func(string) (settings.Site, error) { return r.site, nil }}, Codes: codes, Orders: r.orders,
		Pages: pages, Settle: settle, Now: func() time.Time { return r.now }})
	if err != nil {
		t.Fatal(err)
	}
	r.c = c
	return r
}

func back(ref string) (string, string) {
	return "https://api.example/checkout/demo/orders/" + ref + "/return", "https://api.example/checkout/demo/orders/" + ref + "/cancel"
}

func (r *rig) create(t *testing.T, in OrderInput, key Key) (Order, bool, error) {
	t.Helper()
	return r.c.Create(context.Background(), CreateRequest{Site: "demo", Input: in, Key: key, Back: back})
}

func TestQuoteHasNoSideEffects(t *testing.T) {
	r := newRig(t)
	in := goodOrderInput()
	q, err := r.c.Quote(context.Background(), "demo", QuoteInput{Offering: in.Offering, Code: "save20"})
	if err != nil || q.TotalMinor != 3920 || q.DiscountMinor != 980 || q.Refused != "" {
		t.Fatalf("quote = %+v, %v", q, err)
	}
	if len(r.reserved) != 0 || len(r.orders.orders) != 0 {
		t.Fatal("a quote reserved or stored something")
	}
	r.held = 10
	if q, _ := r.c.Quote(context.Background(), "demo", QuoteInput{Offering: in.Offering, Code: "SAVE20"}); q.Refused != RefusedNoUsesLeft || q.TotalMinor != 4900 {
		t.Fatalf("quote of a full code = %+v", q)
	}
	if q, _ := r.c.Quote(context.Background(), "demo", QuoteInput{Offering: in.Offering, Code: "NOPE"}); q.Refused != RefusedUnknown {
		t.Fatalf("unknown code: %+v", q)
	}
}

func TestQuoteRefusesWhatCannotSell(t *testing.T) {
	r := newRig(t)
	in := goodOrderInput()
	in.Offering.Currency = "GBP"
	_, err := r.c.Quote(context.Background(), "demo", QuoteInput{Offering: in.Offering})
	if e := apperr.As(err); e.Code != apperr.CodeInvalid || e.Details[0].Field != "offering.currency" {
		t.Fatalf("another currency than the provider's: %v", err)
	}
	in = goodOrderInput()
	in.Offering.Service, in.Offering.Type = "training", "session"
	if _, err := r.c.Quote(context.Background(), "demo", QuoteInput{Offering: in.Offering}); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("a service that does not sell: %v", err)
	}
}

func TestCreateReservesAndStartsThePage(t *testing.T) {
	r := newRig(t)
	o, created, err := r.create(t, goodOrderInput(), Key{})
	if err != nil || !created {
		t.Fatal(err)
	}
	if o.State != StatePendingPayment || o.Amounts.TotalMinor != 3920 || o.Code != "SAVE20" || o.CodeLimit != 10 || o.Test() == false ||
		o.Redirect == nil || o.Refs.TokenID != "id-"+o.Ref || !o.ReservedUntil.Equal(useNow.Add(DefaultReservation)) {
		t.Fatalf("order = %+v", o)
	}
	if until := r.reserved[o.Ref]; !until.Equal(o.ReservedUntil) {
		t.Fatalf("reservation until %v, order until %v", until, o.ReservedUntil)
	}
	if len(r.started) != 1 || r.started[0].ReturnURL != "https://api.example/checkout/demo/orders/"+o.Ref+"/return" || r.started[0].MerchantName != "Demo Academy" {
		t.Fatalf("page request = %+v", r.started)
	}
	stored, _, _ := r.orders.Get(context.Background(), "demo", o.Ref)
	if stored.Redirect == nil || stored.Refs.Token == "" {
		t.Fatalf("stored = %+v", stored)
	}
}

func TestCreateRefusesACodeWithNoUseLeft(t *testing.T) {
	r := newRig(t)
	r.held = 9
	if _, _, err := r.create(t, goodOrderInput(), Key{}); err != nil {
		t.Fatal(err)
	}
	_, _, err := r.create(t, goodOrderInput(), Key{})
	e := apperr.As(err)
	if e.Code != apperr.CodeCodeRefused || len(e.Details) != 1 || e.Details[0].Field != "code" || e.Details[0].Reason != string(RefusedNoUsesLeft) {
		t.Fatalf("err = %+v", err)
	}
	if len(r.orders.orders) != 1 || len(r.started) != 1 {
		t.Fatal("the refused order was stored or sent to the provider")
	}
}

func TestCreateIsIdempotent(t *testing.T) {
	r := newRig(t)
	key := Key{Key: "key-1", Fingerprint: "request-a"}
	first, created, err := r.create(t, goodOrderInput(), key)
	if err != nil || !created {
		t.Fatal(err)
	}
	again, created, err := r.create(t, goodOrderInput(), key)
	if err != nil || created || again.Ref != first.Ref || again.Redirect == nil {
		t.Fatalf("retry = %+v, %v, %v", again, created, err)
	}
	if len(r.reserved) != 1 || len(r.started) != 1 {
		t.Fatalf("the retry reserved or started again: %d reservations, %d pages", len(r.reserved), len(r.started))
	}
	other := goodOrderInput()
	other.Buyer.Email = "bob@example.com"
	if _, _, err := r.create(t, other, Key{Key: "key-1", Fingerprint: "request-b"}); apperr.CodeOf(err) != apperr.CodeIdempotencyKeyReused {
		t.Fatalf("the key with another request: %v", err)
	}
	if _, _, err := r.create(t, goodOrderInput(), Key{Key: "key-2"}); apperr.CodeOf(err) != apperr.CodeInternal {
		t.Fatalf("a key without its fingerprint: %v", err)
	}
	if len(r.reserved) != 1 || len(r.orders.orders) != 1 {
		t.Fatalf("a refused retry reserved or stored: %d reservations, %d orders", len(r.reserved), len(r.orders.orders))
	}
}

func TestFreeOrderCompletesAtOnce(t *testing.T) {
	r := newRig(t)
	r.code.Discount = percent(10000)
	o, created, err := r.create(t, goodOrderInput(), Key{})
	if err != nil || !created || o.State != StateCompleted || o.Amounts.TotalMinor != 0 || o.Provider != "" || o.Redirect != nil {
		t.Fatalf("free order = %+v, %v", o, err)
	}
	if len(r.started) != 0 || len(r.confirm) != 1 || r.confirm[0] != o.Ref || len(o.History) != 2 {
		t.Fatalf("pages %d, confirmed %v, history %v", len(r.started), r.confirm, o.History)
	}
	// A free offering with no provider at all sells too.
	r.site.Services[settings.Events] = func() settings.ServiceSettings {
		ss := r.site.Services[settings.Events]
		ss.Config.Provider = nil
		return ss
	}()
	in := goodOrderInput()
	in.Code, in.Offering.PriceMinor = "", price(0)
	if o, _, err := r.create(t, in, Key{}); err != nil || o.State != StateCompleted {
		t.Fatalf("a free offering: %+v, %v", o, err)
	}
	in.Offering.PriceMinor = price(100)
	if _, _, err := r.create(t, in, Key{}); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("a paid order without a provider: %v", err)
	}
}

func TestAPageThatFailsFailsTheOrder(t *testing.T) {
	r := newRig(t)
	r.startErr = errors.New("provider down")
	if _, _, err := r.create(t, goodOrderInput(), Key{}); err == nil {
		t.Fatal("no error")
	}
	for _, o := range r.orders.orders {
		if o.State != StateFailed || len(r.released) != 1 || r.released[0] != o.Ref || r.held != 0 {
			t.Fatalf("order %+v, released %v, held %d", o, r.released, r.held)
		}
	}
}

func TestBuyerComesBack(t *testing.T) {
	r := newRig(t)
	paid, _, _ := r.create(t, goodOrderInput(), Key{})
	r.outcome = Outcome{State: StateAuthorised, Refs: ProviderRefs{PNREF: "A1B2C3"}}
	to, err := r.c.Returned(context.Background(), "demo", paid.Ref, url.Values{"RESULT": {"0"}})
	if err != nil || to != "https://platform.example/done?order="+paid.Ref+"&x=1" {
		t.Fatalf("return: %q, %v", to, err)
	}
	got, _ := r.c.Order(context.Background(), "demo", paid.Ref)
	if got.State != StateAuthorised || got.Refs.PNREF != "A1B2C3" || got.Refs.TokenID == "" || len(r.confirm) != 1 {
		t.Fatalf("after return: %+v, confirmed %v", got, r.confirm)
	}
	// Coming back again changes nothing.
	if _, err := r.c.Returned(context.Background(), "demo", paid.Ref, nil); err != nil || len(r.confirm) != 1 {
		t.Fatalf("second return: %v, confirmed %v", err, r.confirm)
	}

	left, _, _ := r.create(t, goodOrderInput(), Key{})
	to, err = r.c.Cancelled(context.Background(), "demo", left.Ref)
	if err != nil || to != "https://platform.example/cancel?order="+left.Ref {
		t.Fatalf("cancel: %q, %v", to, err)
	}
	got, _ = r.c.Order(context.Background(), "demo", left.Ref)
	if got.State != StateCancelled || len(r.released) != 1 || r.held != 1 {
		t.Fatalf("after cancel: %s, released %v, held %d", got.State, r.released, r.held)
	}
	if _, err := r.c.Cancelled(context.Background(), "demo", left.Ref); err != nil || len(r.released) != 1 {
		t.Fatalf("cancel again: %v, released %v", err, r.released)
	}
	if _, err := r.c.Cancelled(context.Background(), "demo", "BO-XXXXXXXXXXX"); apperr.CodeOf(err) != apperr.CodeNotFound {
		t.Fatalf("a reference that cannot exist: %v", err)
	}
}

func TestSweepExpiresOverdueOrders(t *testing.T) {
	r := newRig(t)
	overdue, _, _ := r.create(t, goodOrderInput(), Key{})
	r.now = useNow.Add(20 * time.Minute)
	fresh, _, _ := r.create(t, goodOrderInput(), Key{})
	r.now = useNow.Add(DefaultReservation + time.Minute)
	if got, _ := r.c.Order(context.Background(), "demo", overdue.Ref); got.State != StateExpired {
		t.Fatalf("an overdue order reads %s", got.State)
	}
	res, err := r.c.Sweep(context.Background())
	if err != nil || res.Expired != 1 || len(r.released) != 1 || r.released[0] != overdue.Ref {
		t.Fatalf("sweep = %+v, %v, released %v", res, err, r.released)
	}
	stored, _, _ := r.orders.Get(context.Background(), "demo", overdue.Ref)
	if stored.State != StateExpired || stored.History[len(stored.History)-1].Cause.By != "sweep" {
		t.Fatalf("stored = %+v", stored)
	}
	if res, _ := r.c.Sweep(context.Background()); res.Expired != 0 {
		t.Fatalf("a second sweep expired %d", res.Expired)
	}
	if got, _ := r.c.Order(context.Background(), "demo", fresh.Ref); got.State != StatePendingPayment {
		t.Fatalf("a fresh order: %s", got.State)
	}
}

// Each move does its one thing to the code use: an authorised order's void gives its
// confirmed use back, a capture keeps it, and a stale move does nothing.
func TestMovesApplyTheirUseEffect(t *testing.T) {
	r := newRig(t)
	o, _, _ := r.create(t, goodOrderInput(), Key{})
	ctx := context.Background()
	paid, moved, err := r.c.move(ctx, o, StateAuthorised, Cause{By: "provider:payflow_pro"}, nil)
	if err != nil || !moved || len(r.confirm) != 1 || r.held != 1 {
		t.Fatalf("authorise: %v %v, confirmed %v, held %d", moved, err, r.confirm, r.held)
	}
	if _, moved, _ := r.c.move(ctx, o, StateCancelled, Cause{By: "buyer"}, nil); moved || len(r.released) != 0 {
		t.Fatalf("a move from a stale read: moved %v, released %v", moved, r.released)
	}
	voided, moved, err := r.c.move(ctx, paid, StateVoided, Cause{By: "admin:a1"}, nil)
	if err != nil || !moved || voided.State != StateVoided || r.returned != 1 || r.held != 0 {
		t.Fatalf("void: %v %v, returned %d, held %d", moved, err, r.returned, r.held)
	}
	if _, moved, _ := r.c.move(ctx, voided, StateCaptured, Cause{By: "admin:a1"}, nil); moved || r.returned != 1 {
		t.Fatal("a voided order was captured")
	}
}
