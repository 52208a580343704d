package checkout

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv/atonce"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

const actor = "admin-1 <admin@example.com>"

// authorised creates an order and has its buyer come back with the payment authorised.
func (r *rig) authorised(t *testing.T) Order {
	t.Helper()
	o, _, err := r.create(t, goodOrderInput(), Key{})
	if err != nil {
		t.Fatal(err)
	}
	r.outcome = Outcome{State: StateAuthorised, Refs: ProviderRefs{PNREF: "A1B2C3", TransactionID: "AUTH-1"}}
	if _, err := r.c.Returned(context.Background(), "demo", o.Ref, url.Values{}); err != nil {
		t.Fatal(err)
	}
	return r.orders.get(o.Ref)
}

// setProvider gives the site's events another provider setup.
func (r *rig) setProvider(p *provider.Setup) {
	ss := r.site.Services[settings.Events]
	ss.Config.Provider = p
	r.site.Services[settings.Events] = ss
}

func worldPaySetup(remoteAdmin bool) *provider.Setup {
	p := &provider.Setup{Kind: provider.WorldPay, InstallationID: "204596", Currency: "USD",
		Secrets: map[provider.SecretName]provider.SecretStatus{provider.SecretCallbackPassword: {Set: true}}}
	if remoteAdmin {
		p.RemoteAdminInstallationID = "204597"
		p.Secrets[provider.SecretRemoteAdminPassword] = provider.SecretStatus{Set: true}
	}
	return p
}

func TestCaptureThroughTheProvider(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	ctx := context.Background()
	got, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{Note: "  seat confirmed "})
	if err != nil || got.State != StateCaptured || got.Refs.CaptureID != "captured-"+o.Ref || got.Refs.PNREF != "A1B2C3" || got.Hold != nil {
		t.Fatalf("capture: %+v, %v", got, err)
	}
	last := got.History[len(got.History)-1]
	if last.From != StateAuthorised || last.Cause.By != "admin:"+actor || last.Cause.Note != "captured through the provider; seat confirmed" {
		t.Fatalf("history entry = %+v", last)
	}
	if len(r.settled) != 1 || r.settled[0].Env != provider.Sandbox || r.settled[0].Order.Refs.PNREF != "A1B2C3" || r.settled[0].Provider.Kind != provider.PayflowPro {
		t.Fatalf("sent to the provider: %+v", r.settled)
	}
	if len(r.orders.audits) != 1 {
		t.Fatalf("audit entries: %+v", r.orders.audits)
	}
	a := r.orders.audits[0]
	if a.Action != AuditCapture || a.Actor != actor || a.Target != o.Ref || a.Site != "demo" || len(a.Changes) != 3 ||
		a.Changes[0].Before != "authorised" || a.Changes[0].After != "captured" || a.Changes[2].After != "seat confirmed" {
		t.Fatalf("audit entry = %+v", a)
	}
	// A retry answers the captured order, and sends nothing.
	again, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{})
	if err != nil || again.State != StateCaptured || len(r.settled) != 1 || len(r.orders.audits) != 1 {
		t.Fatalf("retry: %s, %v, %d sent", again.State, err, len(r.settled))
	}
	// Captured, it cannot be voided; the code use stays counted.
	if _, err := r.c.Void(ctx, actor, "demo", o.Ref, VoidInput{}); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "captured") {
		t.Fatalf("void of a captured order: %v", err)
	}
	if r.returned != 0 {
		t.Fatalf("a capture gave %d uses back", r.returned)
	}
}

func TestVoidGivesTheUseBack(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	got, err := r.c.Void(context.Background(), actor, "demo", o.Ref, VoidInput{})
	if err != nil || got.State != StateVoided || r.returned != 1 || len(r.settled) != 1 || r.orders.audits[0].Action != AuditVoid {
		t.Fatalf("void: %+v, %v, returned %d", got, err, r.returned)
	}
	if got, err := r.c.Void(context.Background(), actor, "demo", o.Ref, VoidInput{}); err != nil || got.State != StateVoided || r.returned != 1 {
		t.Fatalf("void again: %v, returned %d", err, r.returned)
	}
	if _, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("capture of a voided order: %v", err)
	}
}

// Only an authorised order is captured or voided: others are a conflict naming their
// state, and an unknown or malformed reference is not found.
func TestSettleRefusals(t *testing.T) {
	r := newRig(t)
	pending, _, _ := r.create(t, goodOrderInput(), Key{})
	ctx := context.Background()
	for _, call := range []func() (Order, error){
		func() (Order, error) { return r.c.Capture(ctx, actor, "demo", pending.Ref, CaptureInput{}) },
		func() (Order, error) {
			return r.c.Capture(ctx, actor, "demo", pending.Ref, CaptureInput{Elsewhere: true})
		},
		func() (Order, error) { return r.c.Void(ctx, actor, "demo", pending.Ref, VoidInput{}) },
	} {
		if _, err := call(); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "pending_payment") {
			t.Errorf("a pending order: %v", err)
		}
	}
	for _, ref := range []string{"BO-NOSUCHORDER1", "BO-", "nope"} {
		if _, err := r.c.Capture(ctx, actor, "demo", ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("%s: %v", ref, err)
		}
	}
	o := r.authorised(t)
	for note, want := range map[string]string{strings.Repeat("n", MaxNoteLen+1): "at most", "line\nbreak": "control character"} {
		_, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{Note: note})
		if e := apperr.As(err); e.Code != apperr.CodeInvalid || e.Details[0].Field != "note" || !strings.Contains(e.Details[0].Reason, want) {
			t.Errorf("note %.10q: %v", note, err)
		}
	}
	if len(r.settled) != 0 || len(r.orders.audits) != 0 {
		t.Fatalf("a refused request reached the provider (%d) or the audit log (%d)", len(r.settled), len(r.orders.audits))
	}
}

// A provider that refuses, or does not answer, leaves the order as it was: authorised,
// without a hold, nothing audited, and a retry goes to the provider again.
func TestProviderFailureLeavesTheOrder(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		code apperr.Code
	}{
		"refused":     {apperr.New(apperr.CodeConflict, "the payment provider refused: payflow DelayedCapture refused: 12 Declined"), apperr.CodeConflict},
		"unavailable": {apperr.New(apperr.CodeUnavailable, "the payment provider (payflow_pro) did not answer; try again"), apperr.CodeUnavailable},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			o := r.authorised(t)
			r.settleErr = tc.err
			if _, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != tc.code {
				t.Fatalf("capture: %v", err)
			}
			got := r.orders.get(o.Ref)
			if got.State != StateAuthorised || got.Hold != nil || len(got.History) != len(o.History) || len(r.orders.audits) != 0 {
				t.Fatalf("after the failure: %+v, %d audited", got, len(r.orders.audits))
			}
			r.settleErr = nil
			if got, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); err != nil || got.State != StateCaptured || len(r.settled) != 2 {
				t.Fatalf("the retry: %v, %d sent", err, len(r.settled))
			}
		})
	}
}

// Two administrators capture at once: the provider is asked once; every answer is the
// captured order or a conflict saying a capture is with the provider.
func TestTwoCapturesRace(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	const n = 8
	errs := make([]error, n)
	states := make([]State, n)
	atonce.Run(n, func(i int) {
		got, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{})
		states[i], errs[i] = got.State, err
	})
	captured := 0
	for i, err := range errs {
		switch {
		case err == nil && states[i] == StateCaptured:
			captured++
		case apperr.CodeOf(err) == apperr.CodeConflict && strings.Contains(err.Error(), "with the provider now"):
		default:
			t.Errorf("capture %d: %s, %v", i, states[i], err)
		}
	}
	if len(r.settled) != 1 || captured == 0 || len(r.orders.audits) != 1 {
		t.Fatalf("%d sent to the provider, %d answered captured, %d audited", len(r.settled), captured, len(r.orders.audits))
	}
}

// While a capture is with the provider, a second capture or a void is refused without
// reaching the provider; once the hold lapses (its request died), a capture goes ahead.
func TestHoldKeepsASecondChangeAway(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	ctx := context.Background()
	var during []error
	r.c.d.Settle = fakeSettle{capture: func(pr PageRequest) (Settled, error) {
		if pr.Order.Hold == nil || pr.Order.Hold.Action != "capture" {
			t.Errorf("sent without its hold: %+v", pr.Order.Hold)
		}
		_, err1 := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{})
		_, err2 := r.c.Void(ctx, actor, "demo", o.Ref, VoidInput{})
		during = append(during, err1, err2)
		return Settled{}, errors.New("the request dies here")
	}}
	if _, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{}); err == nil {
		t.Fatal("the dying capture succeeded")
	}
	for _, err := range during {
		if apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "capture of order") {
			t.Errorf("during the capture: %v", err)
		}
	}
	// A hold left behind (its request died before releasing it) lapses.
	stale := r.orders.get(o.Ref)
	stale.Hold = &Hold{Action: "capture", ID: "dead", Until: r.now.Add(HoldFor)}
	r.orders.orders[o.Ref] = stale
	r.c.d.Settle = fakeSettle{capture: func(PageRequest) (Settled, error) { return Settled{Note: "captured"}, nil }}
	if _, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("under a live hold: %v", err)
	}
	r.now = r.now.Add(HoldFor)
	if got, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{}); err != nil || got.State != StateCaptured {
		t.Fatalf("after the hold lapsed: %v", err)
	}
}

// A capture the provider made whose record failed is retried once the hold lapses: the
// provider gets the same request again (Payflow and PayPal perform it once).
func TestCaptureWhoseRecordFailed(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	r.orders.settle = func(Order, Order) error { return apperr.Internal(errors.New("the table is down")) }
	if _, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeInternal {
		t.Fatalf("capture: %v", err)
	}
	r.orders.settle = nil
	if _, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("while held: %v", err)
	}
	r.now = r.now.Add(HoldFor + time.Second)
	if got, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); err != nil || got.State != StateCaptured || len(r.settled) != 2 {
		t.Fatalf("after the hold: %v, %d sent", err, len(r.settled))
	}
}

func TestWorldPayCapture(t *testing.T) {
	r := newRig(t)
	r.setProvider(worldPaySetup(false))
	o := r.authorised(t)
	ctx := context.Background()
	r.orders.orders[o.Ref] = func() Order { x := r.orders.get(o.Ref); x.Provider = provider.WorldPay; return x }()
	if _, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeConflict ||
		!strings.Contains(err.Error(), "merchant interface") || !strings.Contains(err.Error(), "elsewhere") {
		t.Fatalf("without remote admin: %v", err)
	}
	if _, err := r.c.Void(ctx, actor, "demo", o.Ref, VoidInput{}); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "does not void WorldPay") {
		t.Fatalf("void: %v", err)
	}
	r.setProvider(worldPaySetup(true))
	got, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{})
	if err != nil || got.State != StateCaptured || len(r.settled) != 1 || r.settled[0].Provider.RemoteAdminInstallationID != "204597" {
		t.Fatalf("with remote admin: %v, %+v", err, r.settled)
	}
}

// A capture made in the merchant interface is recorded, for any provider: nothing is sent.
func TestRecordCaptureMadeElsewhere(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	r.setProvider(nil) // the site's provider is gone: the record needs none
	got, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{Elsewhere: true, Note: "captured by phone"})
	if err != nil || got.State != StateCaptured || len(r.settled) != 0 {
		t.Fatalf("record: %+v, %v, %d sent", got, err, len(r.settled))
	}
	if note := got.History[len(got.History)-1].Cause.Note; !strings.Contains(note, "merchant interface") || !strings.HasSuffix(note, "captured by phone") {
		t.Fatalf("note = %q", note)
	}
	if a := r.orders.audits; len(a) != 1 || a[0].Action != AuditRecordCapture {
		t.Fatalf("audit = %+v", a)
	}
}

// An order paid through another provider than the site's now cannot be captured with the
// new one's credentials.
func TestCaptureNeedsTheOrdersProvider(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	r.setProvider(&provider.Setup{Kind: provider.ExpressCheckoutUS, Currency: "USD"})
	if _, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeConflict ||
		!strings.Contains(err.Error(), "express_checkout_us") || len(r.settled) != 0 {
		t.Fatalf("capture: %v", err)
	}
}

func TestActions(t *testing.T) {
	payflow := &provider.Setup{Kind: provider.PayflowPro}
	for name, tc := range map[string]struct {
		state State
		kind  provider.Kind
		setup *provider.Setup
		want  string
	}{
		"payflow authorised":          {StateAuthorised, provider.PayflowPro, payflow, "capture void record_capture"},
		"wpp uk authorised":           {StateAuthorised, provider.WebsitePaymentsProUK, &provider.Setup{Kind: provider.WebsitePaymentsProUK}, "capture void record_capture"},
		"express authorised":          {StateAuthorised, provider.ExpressCheckoutCA, &provider.Setup{Kind: provider.ExpressCheckoutCA}, "capture void record_capture"},
		"worldpay with remote admin":  {StateAuthorised, provider.WorldPay, worldPaySetup(true), "capture record_capture"},
		"worldpay, no remote admin":   {StateAuthorised, provider.WorldPay, worldPaySetup(false), "record_capture"},
		"provider changed since":      {StateAuthorised, provider.WorldPay, payflow, "record_capture"},
		"no provider any more":        {StateAuthorised, provider.PayflowPro, nil, "record_capture"},
		"captured":                    {StateCaptured, provider.PayflowPro, payflow, ""},
		"pending":                     {StatePendingPayment, provider.PayflowPro, payflow, ""},
		"voided":                      {StateVoided, provider.PayflowPro, payflow, ""},
		"completed (nothing to take)": {StateCompleted, "", payflow, ""},
	} {
		got := Actions(Order{State: tc.state, Provider: tc.kind}, tc.setup)
		var s []string
		for _, a := range got {
			s = append(s, string(a))
		}
		if strings.Join(s, " ") != tc.want || got == nil {
			t.Errorf("%s: %v, want %q", name, got, tc.want)
		}
	}
}

// A provider's notice that only notes the order while its capture is with the provider (a
// forgery refused, an IPN of a state it is in already) does not lose the capture: it is
// stored on the order as the note left it, with every entry kept, and audited once.
func TestCaptureSurvivesANoteMeanwhile(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	ctx := context.Background()
	var during []NoticeOutcome
	r.c.d.Settle = fakeSettle{capture: func(PageRequest) (Settled, error) {
		forged := notice(o.Ref, "ipn:FORGED:Completed", StateCaptured)
		forged.Refused = "PayPal answered INVALID"
		during = append(during, r.notify(t, forged, nil).Outcome,
			r.notify(t, notice(o.Ref, "ipn:AUTH-1:Pending", StateAuthorised), nil).Outcome)
		return Settled{Refs: ProviderRefs{CaptureID: "CAP-1"}, Note: "captured through the provider"}, nil
	}}
	got, err := r.c.Capture(ctx, actor, "demo", o.Ref, CaptureInput{Note: "paid in full"})
	if err != nil || got.State != StateCaptured || got.Refs.CaptureID != "CAP-1" || got.Hold != nil {
		t.Fatalf("capture: %+v, %v", got, err)
	}
	if len(during) != 2 || during[0] != NoticeRefused || during[1] != NoticeNoted {
		t.Fatalf("the notices during the capture: %v", during)
	}
	stored := r.orders.get(o.Ref)
	if len(stored.History) != len(o.History)+3 {
		t.Fatalf("history %+v: want the two notes and the capture", stored.History)
	}
	notes, last := stored.History[len(o.History):len(o.History)+2], stored.History[len(stored.History)-1]
	if notes[0].To != StateAuthorised || !strings.HasPrefix(notes[0].Cause.Notification, "refused:") || notes[1].To != StateAuthorised ||
		last.From != StateAuthorised || last.To != StateCaptured || last.Cause.By != "admin:"+actor {
		t.Fatalf("history %+v", stored.History)
	}
	if len(r.orders.audits) != 1 || r.orders.audits[0].Action != AuditCapture {
		t.Fatalf("audit entries: %+v", r.orders.audits)
	}
}

// A notice that moves the order while its void is with the provider wins: the void is
// refused as a conflict naming the order's state, or answers the order when the notice
// reported what was asked. Nothing is audited either way.
func TestSettleLosesToAMoveMeanwhile(t *testing.T) {
	for name, tc := range map[string]struct {
		action   func(c *Checkout, ref string) (Order, error)
		noticeTo State
		wantErr  string
	}{
		"void, then a capture is reported": {func(c *Checkout, ref string) (Order, error) {
			return c.Void(context.Background(), actor, "demo", ref, VoidInput{})
		}, StateCaptured, "captured"},
		"capture, then the capture is reported": {func(c *Checkout, ref string) (Order, error) {
			return c.Capture(context.Background(), actor, "demo", ref, CaptureInput{})
		}, StateCaptured, ""},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			o := r.authorised(t)
			settle := func(PageRequest) (Settled, error) {
				r.notify(t, notice(o.Ref, "ipn:CAP-1:Completed", tc.noticeTo), nil)
				return Settled{Note: "done"}, nil
			}
			r.c.d.Settle = fakeSettle{capture: settle, void: settle}
			got, err := tc.action(r.c, o.Ref)
			switch {
			case tc.wantErr == "" && (err != nil || got.State != tc.noticeTo):
				t.Fatalf("answer: %s, %v", got.State, err)
			case tc.wantErr != "" && (apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("answer: %v", err)
			}
			if stored := r.orders.get(o.Ref); stored.State != tc.noticeTo || len(stored.History) != len(o.History)+1 || len(r.orders.audits) != 0 {
				t.Fatalf("stored %s with %d entries, %d audited", stored.State, len(stored.History), len(r.orders.audits))
			}
		})
	}
}

// A note landing just before the hold is written (between the administrator's read and
// the hold) does not refuse the void: it is held and made on the order as noted.
func TestVoidHeldOverANote(t *testing.T) {
	r := newRig(t)
	o := r.authorised(t)
	noted := false
	r.orders.hold = func(from, _ Order) error {
		if !noted {
			noted = true
			r.orders.orders[from.Ref] = r.orders.orders[from.Ref].Note(r.now, Cause{By: "provider:paypal_ipn", Note: "no change"})
		}
		return nil
	}
	got, err := r.c.Void(context.Background(), actor, "demo", o.Ref, VoidInput{})
	if err != nil || got.State != StateVoided || len(got.History) != len(o.History)+2 || len(r.settled) != 1 || r.returned != 1 {
		t.Fatalf("void: %+v, %v, %d sent, %d returned", got, err, len(r.settled), r.returned)
	}
}

// Notes that keep landing on every write of a capture stop its retries: the answer is a
// conflict, not a loop, whether they land on the hold or on the final write.
func TestCaptureUnderEndlessNotes(t *testing.T) {
	for name, at := range map[string]func(m *memOrders) *func(from, to Order) error{
		"hold":  func(m *memOrders) *func(from, to Order) error { return &m.hold },
		"write": func(m *memOrders) *func(from, to Order) error { return &m.settle },
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			o := r.authorised(t)
			tries := 0
			*at(r.orders) = func(from, _ Order) error {
				tries++
				r.orders.orders[from.Ref] = r.orders.orders[from.Ref].Note(r.now, Cause{By: "provider:paypal_ipn", Note: "no change"})
				return nil
			}
			if _, err := r.c.Capture(context.Background(), actor, "demo", o.Ref, CaptureInput{}); apperr.CodeOf(err) != apperr.CodeConflict {
				t.Fatalf("capture: %v", err)
			}
			if tries != notedRetries+1 || len(r.orders.audits) != 0 || name == "hold" && len(r.settled) != 0 {
				t.Fatalf("%d writes tried, %d audited, %d sent", tries, len(r.orders.audits), len(r.settled))
			}
		})
	}
}
