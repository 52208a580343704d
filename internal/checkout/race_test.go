package checkout_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/infra/testenv/atonce"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

var raceNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

type sitesFunc func(site string) (settings.Site, error)

func (f sitesFunc) Get(_ context.Context, site string) (settings.Site, error) { return f(site) }

type pagesFunc func(r checkout.PageRequest) (checkout.Page, error)

func (f pagesFunc) Start(_ context.Context, r checkout.PageRequest) (checkout.Page, error) {
	return f(r)
}

func (f pagesFunc) Finish(context.Context, checkout.PageRequest, url.Values) (checkout.Outcome, error) {
	return checkout.Outcome{State: checkout.StatePendingPayment}, nil
}

// settleFunc captures (and voids) with one func.
type settleFunc func(r checkout.PageRequest) (checkout.Settled, error)

func (f settleFunc) Capture(_ context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	return f(r)
}

func (f settleFunc) Void(_ context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	return f(r)
}

// stores is checkout over the real promotion code and order stores on DynamoDB Local.
type stores struct {
	db     *dynamodb.Client
	promo  string
	uses   *promodb.Uses
	orders *ordersdb.Store
	audit  *auditdb.Log
}

func newStores(t testing.TB) stores {
	t.Helper()
	db := testenv.RacingDynamoDB(t)
	tables := testenv.Tables(t, db)
	uses, err := promodb.NewUses(db, tables["PromoCodesTable"])
	if err != nil {
		t.Fatal(err)
	}
	log, err := auditdb.New(db, tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	orders, err := ordersdb.New(db, tables["OrdersTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	return stores{db: db, promo: tables["PromoCodesTable"], uses: uses, orders: orders, audit: log}
}

func (s stores) checkout(t testing.TB, now *time.Time) *checkout.Checkout {
	t.Helper()
	return s.checkoutSettling(t, now, func(checkout.PageRequest) (checkout.Settled, error) {
		return checkout.Settled{}, errors.New("no capture or void in this test")
	})
}

func (s stores) checkoutSettling(t testing.TB, now *time.Time, settle settleFunc) *checkout.Checkout {
	t.Helper()
	pages := pagesFunc(func(r checkout.PageRequest) (checkout.Page, error) {
		return checkout.Page{Redirect: checkout.Redirect{Method: "GET", URL: "https://payments.example/" + r.Order.Ref}}, nil
	})
	c, err := checkout.New(s.deps(now, pages, settle))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// deps are checkout's over the stores, for site demo selling events through Payflow.
func (s stores) deps(now *time.Time, pages checkout.PaymentPages, settle settleFunc) checkout.Deps {
	site := settings.New("demo")
	ev := site.Services[settings.Events]
	ev.Enabled, ev.Config.PromoCodesEnabled = true, true
	ev.Config.MerchantName, ev.Config.SupportInfo = "Demo Academy", "help@demo.example"
	ev.Config.Provider = &provider.Setup{Kind: provider.PayflowPro, Currency: "USD"}
	site.Services[settings.Events] = ev
	return checkout.Deps{Sites: sitesFunc(func(string) (settings.Site, error) { return site, nil }),
		Codes: s.uses, Orders: s.orders, Pages: pages, Settle: settle, Now: func() time.Time { return *now }}
}

func (s stores) seedCode(t testing.TB, code string, u promo.Usage) {
	t.Helper()
	item, err := promodb.MarshalCode(promo.Code{Site: "demo", Code: code, Service: "events", Usage: u,
		Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2500}, ExpiresOn: "2026-06-30",
		ExpiresAt: raceNow.Add(30 * 24 * time.Hour), AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive,
		CreatedAt: raceNow.Add(-time.Hour), CreatedBy: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(s.promo), Item: item}); err != nil {
		t.Fatal(err)
	}
}

func orderWith(code string) checkout.OrderInput {
	price := int64(4000)
	return checkout.OrderInput{
		Offering: &checkout.OfferingInput{Service: "events", Type: "event", ID: "ev-1", Name: "Go Workshop", PriceMinor: &price, Currency: "USD"},
		Code:     code, Buyer: &checkout.Buyer{Name: "Ann Lee", Email: "ann@example.com"},
		ReturnURL: "https://platform.example/done", CancelURL: "https://platform.example/cancel",
	}
}

// A thousand buyers create orders at once with a 10-use code: ten orders are created,
// each holding a use, and the 990 others are refused with no_uses_left.
func TestThousandBuyersRaceForTenUses(t *testing.T) {
	s := newStores(t)
	s.seedCode(t, "TEN", promo.Usage{Kind: promo.UsageMultiple, Max: 10})
	now := raceNow
	c := s.checkout(t, &now)
	const buyers = 1000
	orders := make([]checkout.Order, buyers)
	errs := make([]error, buyers)
	atonce.Run(buyers, func(i int) {
		orders[i], _, errs[i] = c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("ten")})
	})
	created, refused := 0, 0
	for i, err := range errs {
		switch e := apperr.As(err); {
		case err == nil:
			created++
			if orders[i].State != checkout.StatePendingPayment || orders[i].Amounts.TotalMinor != 3000 {
				t.Errorf("order %d: %+v", i, orders[i])
			}
		case e.Code == apperr.CodeCodeRefused && len(e.Details) == 1 && e.Details[0].Reason == string(checkout.RefusedNoUsesLeft):
			refused++
		default:
			t.Fatalf("buyer %d: %v", i, err)
		}
	}
	if created != 10 || refused != buyers-10 {
		t.Fatalf("%d created, %d refused; want 10 and %d", created, refused, buyers-10)
	}
	if _, held, _, err := s.uses.Lookup(context.Background(), "demo", "TEN", now); err != nil || held != 10 {
		t.Fatalf("held = %d, %v; want 10", held, err)
	}
}

// An unpaid order's reservation runs out: the code's last use goes to the next buyer at
// once (the sweep has not run), the first order reads expired, and the sweep then expires
// it without giving back a use it no longer holds.
func TestAnExpiredReservationsUseComesBack(t *testing.T) {
	s := newStores(t)
	s.seedCode(t, "ONE", promo.Usage{Kind: promo.UsageOnce})
	now := raceNow
	c := s.checkout(t, &now)
	first, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("ONE")})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("ONE")}); apperr.CodeOf(err) != apperr.CodeCodeRefused {
		t.Fatalf("a second buyer while the first holds the use: %v", err)
	}
	now = raceNow.Add(checkout.DefaultReservation)
	q, err := c.Quote(context.Background(), "demo", checkout.QuoteInput{Offering: orderWith("").Offering, Code: "ONE"})
	if err != nil || q.Refused != "" {
		t.Fatalf("quote once the reservation ran out: %+v, %v", q, err)
	}
	second, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("ONE")})
	if err != nil {
		t.Fatalf("the next buyer was refused: %v", err)
	}
	if got, _ := c.Order(context.Background(), "demo", first.Ref); got.State != checkout.StateExpired {
		t.Fatalf("the first order reads %s", got.State)
	}
	res, err := c.Sweep(context.Background())
	if err != nil || res.Expired != 1 {
		t.Fatalf("sweep: %+v, %v", res, err)
	}
	if _, held, _, _ := s.uses.Lookup(context.Background(), "demo", "ONE", now); held != 1 {
		t.Fatalf("held after the sweep = %d, want 1 (the second order's)", held)
	}
	stored, _, _ := s.orders.Get(context.Background(), "demo", first.Ref)
	if stored.State != checkout.StateExpired {
		t.Fatalf("stored state %s", stored.State)
	}
	// Cancelling the second order gives its use back.
	if _, err := c.Cancelled(context.Background(), "demo", second.Ref); err != nil {
		t.Fatal(err)
	}
	if _, held, _, _ := s.uses.Lookup(context.Background(), "demo", "ONE", now); held != 0 {
		t.Fatalf("held after the cancel = %d, want 0", held)
	}
}

// A retry under the same Idempotency-Key answers the same order and reserves nothing more.
func TestIdempotentRetryOnTheStores(t *testing.T) {
	s := newStores(t)
	s.seedCode(t, "TWO", promo.Usage{Kind: promo.UsageMultiple, Max: 2})
	now := raceNow
	c := s.checkout(t, &now)
	req := checkout.CreateRequest{Site: "demo", Input: orderWith("TWO"), Key: checkout.Key{Key: "retry-me", Fingerprint: "retry-me-request"}}
	first, created, err := c.Create(context.Background(), req)
	if err != nil || !created {
		t.Fatal(err)
	}
	again, created, err := c.Create(context.Background(), req)
	if err != nil || created || again.Ref != first.Ref || again.Redirect == nil || again.Redirect.URL != first.Redirect.URL {
		t.Fatalf("retry: %+v, %v, %v", again, created, err)
	}
	if _, held, _, _ := s.uses.Lookup(context.Background(), "demo", "TWO", now); held != 1 {
		t.Fatalf("held = %d, want 1", held)
	}
}

// authorise has the order's provider report it authorised, as the buyer's return does.
func (s stores) authorise(t *testing.T, ref string) {
	t.Helper()
	o, found, err := s.orders.Get(context.Background(), "demo", ref)
	if err != nil || !found {
		t.Fatalf("get %s: %v %v", ref, found, err)
	}
	next, _ := o.Move(checkout.StateAuthorised, raceNow, checkout.Cause{By: "provider:payflow_pro"})
	next.Refs.PNREF = "A1B2C3D4E5F6"
	if moved, err := s.orders.Move(context.Background(), o, next); err != nil || !moved {
		t.Fatalf("authorise: %v %v", moved, err)
	}
}

// Administrators capture one order at once, on the real store: the provider is asked
// once, the order is captured once with one audit entry, and every other answer is the
// captured order or a conflict saying the capture is with the provider.
func TestCapturesRaceOnTheStores(t *testing.T) {
	s := newStores(t)
	now := raceNow
	var mu sync.Mutex
	sent := 0
	c := s.checkoutSettling(t, &now, func(r checkout.PageRequest) (checkout.Settled, error) {
		mu.Lock()
		sent++
		mu.Unlock()
		return checkout.Settled{Refs: checkout.ProviderRefs{CaptureID: "CAPTURE1"}, Note: "captured"}, nil
	})
	o, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("")})
	if err != nil {
		t.Fatal(err)
	}
	s.authorise(t, o.Ref)
	const admins = 20
	errs := make([]error, admins)
	atonce.Run(admins, func(i int) {
		_, errs[i] = c.Capture(context.Background(), "admin-1", "demo", o.Ref, checkout.CaptureInput{})
	})
	for i, err := range errs {
		if err != nil && (apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "with the provider now")) {
			t.Errorf("admin %d: %v", i, err)
		}
	}
	got, _, _ := s.orders.Get(context.Background(), "demo", o.Ref)
	if sent != 1 || got.State != checkout.StateCaptured || got.Refs.CaptureID != "CAPTURE1" || got.Hold != nil {
		t.Fatalf("%d captures sent; stored %s %+v hold %+v", sent, got.State, got.Refs, got.Hold)
	}
	entries, err := s.audit.List(context.Background(), "demo", "", 50)
	if err != nil || len(entries.Entries) != 1 || entries.Entries[0].Action != checkout.AuditCapture || entries.Entries[0].Target != o.Ref {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
}

// The sweep expired an order and gave its one-use code's use back; then the provider
// reports the buyer paid after all. On the real stores: the order is authorised, and the
// use is counted again, as nobody took it meanwhile.
func TestLatePaymentOnTheStores(t *testing.T) {
	s := newStores(t)
	s.seedCode(t, "LATE", promo.Usage{Kind: promo.UsageOnce})
	now := raceNow
	c := s.checkout(t, &now)
	o, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("LATE")})
	if err != nil {
		t.Fatal(err)
	}
	now = raceNow.Add(checkout.DefaultReservation + time.Minute)
	if res, err := c.Sweep(context.Background()); err != nil || res.Expired != 1 {
		t.Fatalf("sweep: %+v, %v", res, err)
	}
	if _, held, _, _ := s.uses.Lookup(context.Background(), "demo", "LATE", now); held != 0 {
		t.Fatalf("held after the sweep = %d", held)
	}
	if _, err := c.Returned(context.Background(), "demo", o.Ref, nil); err != nil { // pagesFunc's Finish: still pending
		t.Fatal(err)
	}
	expired, _, _ := s.orders.Get(context.Background(), "demo", o.Ref)
	if expired.State != checkout.StateExpired {
		t.Fatalf("a return without a payment moved the order to %s", expired.State)
	}
	got, moved, err := checkout.MoveForTest(c, context.Background(), expired, checkout.StateAuthorised, checkout.Cause{By: "provider:payflow_pro"})
	if err != nil || !moved || got.State != checkout.StateAuthorised {
		t.Fatalf("late authorisation: %s %v %v", got.State, moved, err)
	}
	if _, held, _, _ := s.uses.Lookup(context.Background(), "demo", "LATE", now); held != 1 {
		t.Fatalf("held after the late payment = %d, want 1", held)
	}
	if _, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("LATE")}); apperr.CodeOf(err) != apperr.CodeCodeRefused {
		t.Fatalf("the code after its use was counted again: %v", err)
	}
}

// Forged notices arrive at once with an administrator's capture, on the real store, one
// of them while the capture is with the provider: the capture is stored, audited once, and
// every refusal that was recorded is still in the history beside it.
func TestCaptureRacesNotesOnTheStores(t *testing.T) {
	s := newStores(t)
	now := raceNow
	var c *checkout.Checkout
	forged := func(ref string, i int) checkout.Notice {
		return checkout.Notice{Site: "demo", Ref: ref, ID: fmt.Sprintf("ipn:FORGED-%d:Completed", i), Kind: "paypal_ipn",
			To: checkout.StateCaptured, Refused: "PayPal answered INVALID"}
	}
	var during checkout.Receipt
	c = s.checkoutSettling(t, &now, func(r checkout.PageRequest) (checkout.Settled, error) {
		var err error
		if during, err = c.Notified(context.Background(), forged(r.Order.Ref, 0), nil); err != nil {
			t.Errorf("the notice during the capture: %v", err)
		}
		return checkout.Settled{Refs: checkout.ProviderRefs{CaptureID: "CAPTURE1"}, Note: "captured"}, nil
	})
	o, _, err := c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: orderWith("")})
	if err != nil {
		t.Fatal(err)
	}
	s.authorise(t, o.Ref)
	const notices = 6
	receipts := make([]checkout.Receipt, notices+1)
	errs := make([]error, notices+1)
	var captured checkout.Order
	atonce.Run(notices+1, func(i int) {
		if i == 0 {
			captured, errs[0] = c.Capture(context.Background(), "admin-1", "demo", o.Ref, checkout.CaptureInput{})
			return
		}
		receipts[i], errs[i] = c.Notified(context.Background(), forged(o.Ref, i), nil)
	})
	if errs[0] != nil || captured.State != checkout.StateCaptured || during.Outcome != checkout.NoticeRefused {
		t.Fatalf("capture: %s, %v; the notice during it: %s", captured.State, errs[0], during.Outcome)
	}
	refused := 1 // the one during the capture
	for i := 1; i <= notices; i++ {
		switch {
		case errs[i] == nil && receipts[i].Outcome == checkout.NoticeRefused:
			refused++
		case errs[i] != nil && strings.Contains(errs[i].Error(), "kept changing"): // answered 5xx: the provider sends it again
		default:
			t.Errorf("notice %d: %s, %v", i, receipts[i].Outcome, errs[i])
		}
	}
	got, _, _ := s.orders.Get(context.Background(), "demo", o.Ref)
	inHistory := 0
	for _, e := range got.History {
		if strings.HasPrefix(e.Cause.Notification, "refused:") {
			inHistory++
		}
	}
	last := got.History[len(got.History)-1]
	if got.State != checkout.StateCaptured || got.Refs.CaptureID != "CAPTURE1" || got.Hold != nil || inHistory != refused ||
		len(got.History) != len(o.History)+1+refused+1 || (last.To != checkout.StateCaptured && last.From != checkout.StateCaptured) {
		t.Fatalf("stored %s %+v hold %+v, %d refusals of %d, history %+v", got.State, got.Refs, got.Hold, inHistory, refused, got.History)
	}
	entries, err := s.audit.List(context.Background(), "demo", "", 50)
	if err != nil || len(entries.Entries) != 1 || entries.Entries[0].Action != checkout.AuditCapture {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
}
