package ordersdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv/atonce"
	"github.com/boxofficehq/boxoffice/internal/checkout"
)

// Two deliveries of the same IPN at once, each from the order as read: one records the
// notice with the order's move, the other finds it recorded, and the order moved once.
func TestConcurrentDeliveriesOfOneNotice(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	o := fullOrder("BO-DDDDDDDDDDDD")
	if _, err := s.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	paid, _ := o.Move(checkout.StateAuthorised, created.Add(time.Minute), checkout.Cause{By: "provider:paypal_ipn", Notification: "ipn:AUTH-1:Pending"})
	results := make([]checkout.NoticeWrite, 2)
	errs := make([]error, 2)
	atonce.Run(len(results), func(i int) {
		results[i], errs[i] = s.Notice(ctx, o, paid, "ipn:AUTH-1:Pending")
	})
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	stored, seen := 0, 0
	for _, r := range results {
		switch r {
		case checkout.NoticeStored:
			stored++
		case checkout.NoticeSeen:
			seen++
		}
	}
	if stored != 1 || seen != 1 {
		t.Fatalf("results %v: want one stored and one seen", results)
	}
	got, _, _ := s.Get(ctx, "demo", o.Ref)
	if got.State != checkout.StateAuthorised || len(got.History) != 2 {
		t.Fatalf("stored %s with %d entries", got.State, len(got.History))
	}
}

// A notice that keeps the state (a note) is stored as one more history entry; another
// notice from a stale read writes nothing, its id included, so it may be applied later.
func TestNoticeNoteAndStaleRead(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	o := fullOrder("BO-EEEEEEEEEEEE")
	if _, err := s.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	noted := o.Note(created.Add(time.Minute), checkout.Cause{By: "provider:paypal_ipn", Notification: "ipn:R-1:Reversed", Note: "reversed"})
	if w, err := s.Notice(ctx, o, noted, "ipn:R-1:Reversed"); err != nil || w != checkout.NoticeStored {
		t.Fatalf("note: %v, %v", w, err)
	}
	stale, _ := o.Move(checkout.StateAuthorised, created.Add(2*time.Minute), checkout.Cause{By: "provider:paypal_ipn"})
	if w, err := s.Notice(ctx, o, stale, "ipn:AUTH-1:Pending"); err != nil || w != checkout.NoticeOrderChanged {
		t.Fatalf("stale read: %v, %v", w, err)
	}
	paid, _ := noted.Move(checkout.StateAuthorised, created.Add(3*time.Minute), checkout.Cause{By: "provider:paypal_ipn"})
	if w, err := s.Notice(ctx, noted, paid, "ipn:AUTH-1:Pending"); err != nil || w != checkout.NoticeStored {
		t.Fatalf("the stale one, read again: %v, %v", w, err)
	}
	got, _, _ := s.Get(ctx, "demo", o.Ref)
	if got.State != checkout.StateAuthorised || len(got.History) != 3 || got.History[1].From != got.History[1].To {
		t.Fatalf("stored %s, %+v", got.State, got.History)
	}
}
