package ordersdb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/checkout"
)

// authorisedOrder is a stored order its provider authorised.
func authorisedOrder(t *testing.T, s interface {
	Create(context.Context, checkout.Order, checkout.Key) (checkout.Created, error)
	Move(context.Context, checkout.Order, checkout.Order) (bool, error)
}, ref string) checkout.Order {
	t.Helper()
	o := fullOrder(ref)
	if _, err := s.Create(context.Background(), o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	paid, _ := o.Move(checkout.StateAuthorised, created.Add(time.Minute), checkout.Cause{By: "provider:payflow_pro"})
	paid.Refs.PNREF = "A10B0C0D0E0F"
	if moved, err := s.Move(context.Background(), o, paid); err != nil || !moved {
		t.Fatalf("authorise: %v %v", moved, err)
	}
	return paid
}

// A hold is stored with the order and read back; a second hold over the first, or a
// move from a read without it, is refused; a move ends it.
func TestHoldIsConditional(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	o := authorisedOrder(t, s, "BO-HHHHHHHHHHHH")
	held := o
	held.Hold = &checkout.Hold{Action: "capture", ID: "hold-1", Until: created.Add(time.Hour)}
	if ok, err := s.Hold(ctx, o, held); err != nil || !ok {
		t.Fatalf("hold: %v %v", ok, err)
	}
	got, _, _ := s.Get(ctx, "demo", o.Ref)
	if !reflect.DeepEqual(got.Hold, held.Hold) {
		t.Fatalf("read back hold %+v, want %+v", got.Hold, held.Hold)
	}
	other := o
	other.Hold = &checkout.Hold{Action: "void", ID: "hold-2", Until: created.Add(time.Hour)}
	if ok, err := s.Hold(ctx, o, other); err != nil || ok {
		t.Fatalf("a second hold from a read without the first: %v %v", ok, err)
	}
	captured, _ := o.Move(checkout.StateCaptured, created.Add(2*time.Minute), checkout.Cause{By: "admin:a"})
	if moved, err := s.Move(ctx, o, captured); err != nil || moved {
		t.Fatalf("a move from a read without the hold: %v %v", moved, err)
	}
	captured, _ = held.Move(checkout.StateCaptured, created.Add(2*time.Minute), checkout.Cause{By: "admin:a"})
	if moved, err := s.Move(ctx, held, captured); err != nil || !moved {
		t.Fatalf("the holder's move: %v %v", moved, err)
	}
	if got, _, _ := s.Get(ctx, "demo", o.Ref); got.State != checkout.StateCaptured || got.Hold != nil {
		t.Fatalf("after the move: %s, hold %+v", got.State, got.Hold)
	}
	// Releasing a hold puts the order back as it was.
	v := authorisedOrder(t, s, "BO-JJJJJJJJJJJJ")
	vh := v
	vh.Hold = &checkout.Hold{Action: "void", ID: "hold-3", Until: created.Add(time.Hour)}
	if ok, _ := s.Hold(ctx, v, vh); !ok {
		t.Fatal("hold")
	}
	if ok, err := s.Hold(ctx, vh, v); err != nil || !ok {
		t.Fatalf("release: %v %v", ok, err)
	}
	got, _, _ = s.Get(ctx, "demo", v.Ref)
	got.Mail = nil // the buyer e-mail due since the order was authorised (mail_test.go)
	if got.Hold != nil || !reflect.DeepEqual(got, v) {
		t.Fatalf("released: %+v", got)
	}
}

// Settle writes the move and its audit entry together, or neither.
func TestSettleAuditsInTheSameTransaction(t *testing.T) {
	s, log := newAudited(t)
	ctx := context.Background()
	o := authorisedOrder(t, s, "BO-KKKKKKKKKKKK")
	captured, _ := o.Move(checkout.StateCaptured, created.Add(time.Hour), checkout.Cause{By: "admin:a <a@example.com>", Note: "captured"})
	captured.Refs.CaptureID = "B10B0C0D0E0F"
	entry := audit.NewEntry("demo", "a <a@example.com>", checkout.AuditCapture, o.Ref, created.Add(time.Hour),
		[]audit.Change{{Field: "state", Before: "authorised", After: "captured"}})
	if moved, err := s.Settle(ctx, o, captured, entry); err != nil || !moved {
		t.Fatalf("settle: %v %v", moved, err)
	}
	// A second settle from the same read is refused, and its entry is not written.
	voided, _ := o.Move(checkout.StateVoided, created.Add(time.Hour), checkout.Cause{By: "admin:b"})
	late := audit.NewEntry("demo", "b", checkout.AuditVoid, o.Ref, created.Add(time.Hour), nil)
	if moved, err := s.Settle(ctx, o, voided, late); err != nil || moved {
		t.Fatalf("a settle from a stale read: %v %v", moved, err)
	}
	got, _, _ := s.Get(ctx, "demo", o.Ref)
	if got.State != checkout.StateCaptured || got.Refs.CaptureID != "B10B0C0D0E0F" || got.History[2].Cause.By != "admin:a <a@example.com>" {
		t.Fatalf("stored: %+v", got)
	}
	page, err := log.List(ctx, "demo", "", 10)
	if err != nil || len(page.Entries) != 1 || page.Entries[0].ID != entry.ID || page.Entries[0].Action != checkout.AuditCapture {
		t.Fatalf("audit entries: %+v, %v", page, err)
	}
}
