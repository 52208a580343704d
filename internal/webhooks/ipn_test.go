package webhooks

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

type fakeNotices struct {
	notified func(n checkout.Notice, check checkout.Check) (checkout.Receipt, error)
}

func (f fakeNotices) Notified(_ context.Context, n checkout.Notice, check checkout.Check) (checkout.Receipt, error) {
	return f.notified(n, check)
}

type fakeVerifier struct {
	verify func(m *ipn.Message) (provider.Env, error)
}

func (f fakeVerifier) Verify(_ context.Context, m *ipn.Message) (provider.Env, error) {
	return f.verify(m)
}

type fakeOrders struct {
	orderSetup func(site, ref string) (checkout.Order, *provider.Setup, bool, error)
}

func (f fakeOrders) OrderSetup(_ context.Context, site, ref string) (checkout.Order, *provider.Setup, bool, error) {
	return f.orderSetup(site, ref)
}

type fakeSecrets struct {
	read func(name string) (provider.Secrets, error)
}

func (f fakeSecrets) Read(_ context.Context, name string) (provider.Secrets, error) {
	return f.read(name)
}

const ref = "BO-ABCDEFGHJKMN"

func body(status string, more ...string) []byte {
	fields := []string{"mc_gross=49.00", "invoice=" + ref, "payment_status=" + status, "charset=windows-1252",
		"business=pay%40acme.example", "receiver_email=pay%40acme.example", "txn_id=AUTH1", "auth_id=AUTH1",
		"mc_currency=USD", "test_ipn=1"}
	return []byte(strings.Join(append(fields, more...), "&"))
}

// order is acme's test order of 49.00 USD, authorised as AUTH1 by the buyer's return.
func order() checkout.Order {
	return checkout.Order{Site: "acme", Ref: ref, Mode: settings.ModeTest, State: checkout.StateAuthorised,
		Amounts: checkout.Amounts{Currency: "USD", TotalMinor: 4900}, Refs: checkout.ProviderRefs{TransactionID: "AUTH1"}}
}

var setup = &provider.Setup{Kind: provider.ExpressCheckoutUS, PayPalEmail: "Pay@Acme.example", Currency: "USD"}

// received runs an IPN through ReceiveIPN with a verifier answering verifyErr, and returns
// the notice checkout was given, checked against order() and setup (its refusal in
// Refused), and the result.
func received(t *testing.T, raw []byte, verifyErr error) (checkout.Notice, Result, error) {
	t.Helper()
	var got checkout.Notice
	notices := fakeNotices{notified: func(n checkout.Notice, check checkout.Check) (checkout.Receipt, error) {
		if check != nil {
			n.Refused = check(order(), setup, &n)
		}
		got = n
		if n.Refused != "" {
			return checkout.Receipt{Outcome: checkout.NoticeRefused, Why: n.Refused}, nil
		}
		return checkout.Receipt{Outcome: checkout.NoticeApplied}, nil
	}}
	w, err := New(Deps{Notices: notices, IPN: fakeVerifier{verify: func(*ipn.Message) (provider.Env, error) { return provider.Sandbox, verifyErr }},
		Orders: fakeOrders{}, Secrets: fakeSecrets{}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.ReceiveIPN(context.Background(), "acme", raw)
	return got, res, err
}

func TestIPNStates(t *testing.T) {
	for _, c := range []struct {
		status string
		more   []string
		to     checkout.State
		note   string
	}{
		{"Pending", []string{"pending_reason=authorization"}, checkout.StateAuthorised, "authorised 49.00 USD"},
		{"Pending", []string{"pending_reason=echeck"}, "", "pending: echeck"},
		{"Completed", nil, checkout.StateCaptured, "captured 49.00 USD"},
		{"Voided", nil, checkout.StateVoided, "voided"},
		{"Expired", nil, checkout.StateVoided, "expired"},
		{"Denied", nil, checkout.StateFailed, "denied"},
		{"Failed", nil, checkout.StateFailed, "failed"},
		{"Reversed", []string{"reason_code=chargeback"}, "", "reversed the payment (chargeback)"},
		{"Canceled_Reversal", nil, "", "cancelled the reversal"},
	} {
		raw := body(c.status, c.more...)
		if c.status == "Reversed" {
			raw = []byte(strings.Replace(string(raw), "mc_gross=49.00", "mc_gross=-49.00", 1))
		}
		n, res, err := received(t, raw, nil)
		if err != nil || res.Outcome != checkout.NoticeApplied || n.To != c.to || !strings.Contains(n.Note, c.note) ||
			n.ID != "ipn:AUTH1:"+c.status || n.Kind != KindIPN || n.Ref != ref || n.Site != "acme" {
			t.Errorf("%s %v: %+v, %+v, %v", c.status, c.more, n, res, err)
		}
	}
}

func TestIPNRefunds(t *testing.T) {
	full := []byte(strings.Replace(string(body("Refunded", "parent_txn_id=AUTH1")), "mc_gross=49.00", "mc_gross=-49.00", 1))
	if n, _, _ := received(t, full, nil); n.To != checkout.StateRefunded || n.Refused != "" {
		t.Errorf("full refund: %+v", n)
	}
	partial := []byte(strings.Replace(string(full), "mc_gross=-49.00", "mc_gross=-10.00", 1))
	if n, _, _ := received(t, partial, nil); n.To != "" || !strings.Contains(n.Note, "partial refund of 10.00 USD") || n.Refused != "" {
		t.Errorf("partial refund: %+v", n)
	}
	tooMuch := []byte(strings.Replace(string(full), "mc_gross=-49.00", "mc_gross=-50.00", 1))
	if n, _, _ := received(t, tooMuch, nil); !strings.Contains(n.Refused, "more than what is left of the order's total (0.00 USD of 49.00 USD refunded)") {
		t.Errorf("a refund over the total: %+v", n)
	}
}

// A verified message that does not match its order is refused, with why.
func TestIPNChecks(t *testing.T) {
	swap := func(from, to string) []byte {
		return []byte(strings.Replace(string(body("Completed")), from, to, 1))
	}
	for _, c := range []struct {
		raw  []byte
		want string
	}{
		{swap("receiver_email=pay%40acme.example", "receiver_email=thief%40evil.example&x=1"), ""}, // business still matches
		{[]byte(strings.ReplaceAll(string(body("Completed")), "pay%40acme.example", "thief%40evil.example")), "is not the site's PayPal account"},
		{swap("mc_gross=49.00", "mc_gross=1.00"), "is not the order's total 49.00 USD"},
		{swap("mc_currency=USD", "mc_currency=EUR"), "is not the order's USD"},
		{swap("test_ipn=1", "test_ipn=0"), "a live message for a sandbox order"},
		{swap("txn_id=AUTH1&auth_id=AUTH1", "txn_id=OTHER&auth_id=OTHER2"), "names none of the order's PayPal transactions"},
	} {
		n, res, err := received(t, c.raw, nil)
		switch {
		case err != nil:
			t.Errorf("%s: %v", c.raw, err)
		case c.want == "" && (n.Refused != "" || res.Outcome != checkout.NoticeApplied):
			t.Errorf("%s: refused %q", c.raw, n.Refused)
		case c.want != "" && (!strings.Contains(n.Refused, c.want) || res.Outcome != checkout.NoticeRefused || res.Why != n.Refused):
			t.Errorf("%s: refused %q, %+v; want %q", c.raw, n.Refused, res, c.want)
		}
	}
}

// INVALID at the post-back: refused under the message's hash, never its identity; PayPal
// not answering: unavailable (5xx, PayPal sends it again), and nothing applied; no IPN at
// all: invalid input.
func TestIPNVerification(t *testing.T) {
	n, res, err := received(t, body("Completed"), ipn.ErrInvalid)
	if err != nil || res.Outcome != checkout.NoticeRefused || !strings.Contains(n.Refused, "INVALID") || !strings.HasPrefix(n.RefusedID, "refused:") {
		t.Fatalf("INVALID: %+v, %+v, %v", n, res, err)
	}
	other, _, _ := received(t, append(body("Completed"), '0'), ipn.ErrInvalid)
	if other.RefusedID == n.RefusedID {
		t.Fatal("two forgeries share one id")
	}
	n, _, err = received(t, body("Completed"), errors.New("connection refused"))
	if apperr.CodeOf(err) != apperr.CodeUnavailable || n.ID != "" {
		t.Fatalf("no post-back: %v, %+v", err, n)
	}
	if _, _, err := received(t, []byte("%zz"), nil); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Fatalf("not an IPN: %v", err)
	}
	if _, res, err := received(t, []byte("txn_type=new_case&charset=windows-1252"), nil); err != nil || res.Outcome != NoticeIgnored {
		t.Fatalf("a message about no payment: %+v, %v", res, err)
	}
}

// A store that fails is answered unavailable, so PayPal sends the message again; an order
// the site does not have is refused (acknowledged) with why.
func TestIPNStoreOutcomes(t *testing.T) {
	for _, c := range []struct {
		receipt checkout.Receipt
		err     error
		code    apperr.Code
		outcome checkout.NoticeOutcome
	}{
		{err: apperr.Internal(errors.New("dynamodb: throttled")), code: apperr.CodeUnavailable},
		{err: apperr.New(apperr.CodeUnavailable, "a capture before its authorisation"), code: apperr.CodeUnavailable},
		{receipt: checkout.Receipt{Outcome: checkout.NoticeUnknownOrder}, outcome: checkout.NoticeRefused},
		{receipt: checkout.Receipt{Outcome: checkout.NoticeDuplicate}, outcome: checkout.NoticeDuplicate},
	} {
		notices := fakeNotices{notified: func(checkout.Notice, checkout.Check) (checkout.Receipt, error) { return c.receipt, c.err }}
		w, _ := New(Deps{Notices: notices, IPN: fakeVerifier{verify: func(*ipn.Message) (provider.Env, error) { return provider.Sandbox, nil }},
			Orders: fakeOrders{}, Secrets: fakeSecrets{}})
		res, err := w.ReceiveIPN(context.Background(), "acme", body("Completed"))
		if c.err != nil && apperr.CodeOf(err) != c.code || c.err == nil && (err != nil || res.Outcome != c.outcome) {
			t.Errorf("%+v: %+v, %v", c, res, err)
		}
		if c.receipt.Outcome == checkout.NoticeUnknownOrder && !strings.Contains(res.Why, ref) {
			t.Errorf("unknown order: why %q", res.Why)
		}
	}
}
