package ordersdb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

var created = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *ordersdb.Store {
	t.Helper()
	s, _ := newAudited(t)
	return s
}

// newAudited is the store with the audit log it writes administrators' changes to.
func newAudited(t *testing.T) (*ordersdb.Store, *auditdb.Log) {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	log, err := auditdb.New(db, tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	s, err := ordersdb.New(db, tables["OrdersTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	return s, log
}

// fullOrder sets every field an order has.
func fullOrder(ref string) checkout.Order {
	return checkout.Order{
		Site: "demo", Ref: ref, Mode: settings.ModeProduction,
		Offering:  checkout.Offering{Service: "events", Type: "event", ID: "ev-1", Name: "Go Workshop", PriceMinor: 4900, Currency: "USD"},
		Buyer:     checkout.Buyer{Name: "Ann Lee", Email: "ann@example.com"},
		ReturnURL: "https://platform.example/done", CancelURL: "https://platform.example/cancel",
		Code: "SAVE20", CodeLimit: 10, Discount: &promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000},
		Amounts: checkout.Amounts{Currency: "USD", PriceMinor: 4900, DiscountMinor: 980, TotalMinor: 3920},
		State:   checkout.StatePendingPayment, Provider: provider.PayflowPro,
		Refs: checkout.ProviderRefs{TokenID: "0f0e0d0c-0b0a-0908-0706-050403020100", Token: "tok"},
		Redirect: &checkout.Redirect{Method: "POST", URL: "https://pilot-payflowlink.paypal.com",
			Fields: []checkout.Field{{Name: "SECURETOKEN", Value: "tok"}, {Name: "SECURETOKENID", Value: "0f0e"}}},
		ReservedUntil: created.Add(30 * time.Minute), CreatedAt: created, UpdatedAt: created,
		History: []checkout.Entry{{At: created, To: checkout.StatePendingPayment, Cause: checkout.Cause{By: "buyer"}}},
	}
}

func TestCreateAndGet(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	o := fullOrder("BO-AAAAAAAAAAAA")
	out, err := s.Create(ctx, o, checkout.Key{Key: "k1", Fingerprint: "f1"})
	if err != nil || !out.New {
		t.Fatalf("create: %+v, %v", out, err)
	}
	got, found, err := s.Get(ctx, "demo", o.Ref)
	if err != nil || !found {
		t.Fatalf("get: %v, %v", found, err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, o)
	}
	if _, found, _ := s.Get(ctx, "other", o.Ref); found {
		t.Fatal("another site read the order")
	}
	// The same key again answers the first order, whatever the second one was.
	second := fullOrder("BO-BBBBBBBBBBBB")
	again, err := s.Create(ctx, second, checkout.Key{Key: "k1", Fingerprint: "f2"})
	if err != nil || again.New || again.Order.Ref != o.Ref || again.Fingerprint != "f1" {
		t.Fatalf("second create under the key: %+v, %v", again, err)
	}
	if _, found, _ := s.Get(ctx, "demo", second.Ref); found {
		t.Fatal("the refused order was written")
	}
	byKey, found, err := s.ByKey(ctx, "demo", "k1")
	if err != nil || !found || byKey.Order.Ref != o.Ref {
		t.Fatalf("by key: %+v, %v, %v", byKey, found, err)
	}
	if _, found, _ := s.ByKey(ctx, "demo", "k2"); found {
		t.Fatal("an unknown key found an order")
	}
}

func TestMoveIsConditional(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	o := fullOrder("BO-CCCCCCCCCCCC")
	if _, err := s.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	paid, _ := o.Move(checkout.StateAuthorised, created.Add(time.Minute), checkout.Cause{By: "provider:payflow_pro", Notification: "sp-1"})
	paid.Refs.PNREF = "A10B0C0D0E0F"
	if moved, err := s.Move(ctx, o, paid); err != nil || !moved {
		t.Fatalf("move: %v, %v", moved, err)
	}
	expired, _ := o.Move(checkout.StateExpired, created.Add(time.Hour), checkout.Cause{By: "sweep"})
	if moved, err := s.Move(ctx, o, expired); err != nil || moved {
		t.Fatalf("a move from a stale read: %v, %v", moved, err)
	}
	got, _, _ := s.Get(ctx, "demo", o.Ref)
	if got.State != checkout.StateAuthorised || got.Refs.PNREF != "A10B0C0D0E0F" || len(got.History) != 2 ||
		got.History[1].Cause.Notification != "sp-1" || got.History[1].From != checkout.StatePendingPayment {
		t.Fatalf("stored: %+v", got)
	}
}

func TestOverdue(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	due := fullOrder("BO-DDDDDDDDDDDD")
	later := fullOrder("BO-EEEEEEEEEEEE")
	later.ReservedUntil = created.Add(2 * time.Hour)
	paid := fullOrder("BO-FFFFFFFFFFFF")
	for _, o := range []checkout.Order{due, later, paid} {
		if _, err := s.Create(ctx, o, checkout.Key{}); err != nil {
			t.Fatal(err)
		}
	}
	auth, _ := paid.Move(checkout.StateAuthorised, created, checkout.Cause{By: "provider:payflow_pro"})
	if moved, err := s.Move(ctx, paid, auth); err != nil || !moved {
		t.Fatal(moved, err)
	}
	got, err := s.Overdue(ctx, created.Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Ref != due.Ref || len(got[0].History) != 1 {
		t.Fatalf("overdue = %+v, want %s alone", got, due.Ref)
	}
	expired, _ := got[0].Move(checkout.StateExpired, created.Add(time.Hour), checkout.Cause{By: "sweep"})
	if moved, err := s.Move(ctx, got[0], expired); err != nil || !moved {
		t.Fatalf("expire from the index: %v, %v", moved, err)
	}
	if got, _ := s.Overdue(ctx, created.Add(3*time.Hour), 10); len(got) != 1 || got[0].Ref != later.Ref {
		t.Fatalf("after the sweep: %+v", got)
	}
}
