package ordersdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
)

// The move to authorised writes the buyer's e-mail due with it, and Get reads it with the
// order; moves that are not to authorised write none.
func TestTheMoveToAuthorisedMakesTheBuyerMailDue(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	paid := authorisedOrder(t, s, "BO-MMMMMMMMMMMM")
	got, _, err := s.Get(ctx, "demo", paid.Ref)
	if err != nil || got.Mail == nil || !got.Mail.Due(paid.UpdatedAt) || got.Mail.Attempts != 0 || len(got.History) != 2 {
		t.Fatalf("mail %+v with %d entries, %v: want due", got.Mail, len(got.History), err)
	}
	due, err := s.MailsDue(ctx, paid.UpdatedAt, 10)
	if err != nil || len(due) != 1 || due[0] != (checkout.OrderID{Site: "demo", Ref: paid.Ref}) {
		t.Fatalf("due %v, %v", due, err)
	}
	if due, _ := s.MailsDue(ctx, paid.UpdatedAt.Add(-time.Nanosecond), 10); len(due) != 0 {
		t.Errorf("due before the authorisation: %v", due)
	}
	captured, _ := got.Move(checkout.StateCaptured, created.Add(2*time.Minute), checkout.Cause{By: "admin:a"})
	if moved, err := s.Move(ctx, got, captured); err != nil || !moved {
		t.Fatalf("capture: %v %v", moved, err)
	}
	o := fullOrder("BO-NNNNNNNNNNNN")
	if _, err := s.Create(ctx, o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	failed, _ := o.Move(checkout.StateFailed, created.Add(time.Minute), checkout.Cause{By: "provider:payflow_pro"})
	if written, err := s.Notice(ctx, o, failed, "payflow:X:failed"); err != nil || written != checkout.NoticeStored {
		t.Fatalf("notice: %v %v", written, err)
	}
	if got, _, _ := s.Get(ctx, "demo", o.Ref); got.Mail != nil {
		t.Errorf("a failed order has an e-mail: %+v", got.Mail)
	}
	if due, _ := s.MailsDue(ctx, created.Add(time.Hour), 10); len(due) != 1 {
		t.Errorf("due %v: want the authorised order's only", due)
	}
}

// One claim holds the e-mail until its lease runs out; a failure ends it early; once sent
// (or refused) it is claimed no more and leaves the sweep's index.
func TestBuyerMailClaims(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	paid := authorisedOrder(t, s, "BO-PPPPPPPPPPPP")
	now := paid.UpdatedAt
	claim := func(lease string, at time.Time) bool {
		t.Helper()
		ok, err := s.ClaimMail(ctx, "demo", paid.Ref, lease, at.Add(checkout.MailLease), at)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("a", now) || claim("b", now) || claim("b", now.Add(checkout.MailLease-time.Nanosecond)) {
		t.Fatal("want the first claim only, until its lease runs out")
	}
	if due, _ := s.MailsDue(ctx, now.Add(time.Minute), 10); len(due) != 0 {
		t.Errorf("a claimed e-mail is due: %v", due)
	}
	if !claim("b", now.Add(checkout.MailLease)) {
		t.Fatal("a lease that ran out was not taken over")
	}
	// a's failure comes late: it no longer holds the lease, so b's stands.
	if err := s.MailFailed(ctx, "demo", paid.Ref, "a", "timeout", false, now.Add(checkout.MailLease)); err != nil {
		t.Fatal(err)
	}
	if claim("c", now.Add(checkout.MailLease)) {
		t.Fatal("a stale lease's failure freed the current one")
	}
	later := now.Add(checkout.MailLease + time.Minute)
	if err := s.MailFailed(ctx, "demo", paid.Ref, "b", "SES cannot be reached", false, later); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.MailsDue(ctx, later, 10); len(due) != 1 || !claim("c", later) {
		t.Fatalf("after a failure: due %v, want due and claimable", due)
	}
	if err := s.MailSent(ctx, "demo", paid.Ref, "c", "msg-1", later); err != nil {
		t.Fatal(err)
	}
	got, _, _ := s.Get(ctx, "demo", paid.Ref)
	if m := got.Mail; m.MessageID != "msg-1" || !m.SentAt.Equal(later) || m.Attempts != 3 || m.Due(later.Add(time.Hour)) {
		t.Errorf("stored %+v", m)
	}
	if claim("d", later.Add(time.Hour)) {
		t.Error("a sent e-mail was claimed")
	}
	if due, _ := s.MailsDue(ctx, later.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("a sent e-mail is due: %v", due)
	}

	refused := authorisedOrder(t, s, "BO-QQQQQQQQQQQQ")
	if ok, _ := s.ClaimMail(ctx, "demo", refused.Ref, "r", now.Add(checkout.MailLease), now); !ok {
		t.Fatal("claim")
	}
	if err := s.MailFailed(ctx, "demo", refused.Ref, "r", "invalid recipient address", true, now); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.Get(ctx, "demo", refused.Ref)
	if ok, _ := s.ClaimMail(ctx, "demo", refused.Ref, "s", now.Add(time.Hour), now.Add(time.Hour)); ok || got.Mail.Refused != "invalid recipient address" {
		t.Errorf("a refused e-mail: claimed %v, stored %+v", ok, got.Mail)
	}
	if ok, err := s.ClaimMail(ctx, "demo", "BO-RRRRRRRRRRRR", "x", now.Add(time.Hour), now); ok || err != nil {
		t.Errorf("the e-mail of no order: %v %v", ok, err)
	}
}
