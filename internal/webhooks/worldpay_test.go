package webhooks

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

var wpSetup = &provider.Setup{Kind: provider.WorldPay, InstallationID: "204596", Currency: "USD", SecretRef: "wp-secret"}

// wpOrder is acme's pending test order of 49.00 USD, paid on WorldPay.
func wpOrder() checkout.Order {
	return checkout.Order{Site: "acme", Ref: ref, Mode: settings.ModeTest, State: checkout.StatePendingPayment, Provider: provider.WorldPay,
		Amounts: checkout.Amounts{Currency: "USD", TotalMinor: 4900}, ReturnURL: "https://platform.example/done?lang=en", CancelURL: "https://platform.example/cancel"}
}

func wpBody(status string, edit ...func(url.Values)) []byte {
	v := url.Values{"transStatus": {status}, "transId": {"3000000001"}, "cartId": {ref}, "instId": {"204596"}, "amount": {"49.00"},
		"currency": {"USD"}, "authMode": {"E"}, "testMode": {"100"}, "callbackPW": {"cb-pass"}}
	if status == "C" {
		v.Del("transId")
	}
	for _, e := range edit {
		e(v)
	}
	return []byte(v.Encode())
}

type wpRig struct {
	secretErr error
	orderErr  error
	notified  []checkout.Notice
}

// receive runs a payment response through ReceiveWorldPay against wpOrder and wpSetup,
// with checkout's check applied as Notified applies it.
func (r *wpRig) receive(t *testing.T, raw []byte) (WorldPayAnswer, error) {
	t.Helper()
	notices := fakeNotices{notified: func(n checkout.Notice, check checkout.Check) (checkout.Receipt, error) {
		if n.Refused == "" && check != nil {
			n.Refused = check(wpOrder(), wpSetup, &n)
		}
		r.notified = append(r.notified, n)
		if n.Refused != "" {
			return checkout.Receipt{Outcome: checkout.NoticeRefused, Why: n.Refused}, nil
		}
		return checkout.Receipt{Outcome: checkout.NoticeApplied, Order: checkout.Order{State: n.To}}, nil
	}}
	orders := fakeOrders{orderSetup: func(site, ref string) (checkout.Order, *provider.Setup, bool, error) {
		if r.orderErr != nil {
			return checkout.Order{}, nil, false, r.orderErr
		}
		if site != "acme" || ref != wpOrder().Ref {
			return checkout.Order{}, nil, false, nil
		}
		return wpOrder(), wpSetup, true, nil
	}}
	secrets := fakeSecrets{read: func(name string) (provider.Secrets, error) {
		if name != wpSetup.SecretRef {
			t.Errorf("read secret %q", name)
		}
		return provider.Secrets{provider.SecretCallbackPassword: "cb-pass"}, r.secretErr
	}}
	w, err := New(Deps{Notices: notices, IPN: fakeVerifier{}, Orders: orders, Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	return w.ReceiveWorldPay(context.Background(), "acme", raw)
}

func TestWorldPayStates(t *testing.T) {
	r := &wpRig{}
	a, err := r.receive(t, wpBody("Y"))
	n := r.notified[0]
	if err != nil || a.Outcome != checkout.NoticeApplied || a.Link != "https://platform.example/done?lang=en&order="+ref ||
		n.To != checkout.StateAuthorised || n.ID != "worldpay:3000000001:Y" || n.Refs.TransactionID != "3000000001" || n.Kind != KindWorldPay ||
		!strings.Contains(n.Note, "49.00 USD") {
		t.Errorf("Y: %+v %+v %v", a, n, err)
	}
	a, err = r.receive(t, wpBody("C"))
	n = r.notified[1]
	if err != nil || a.Link != "https://platform.example/cancel?order="+ref || n.To != checkout.StateCancelled || n.ID != "worldpay:"+ref+":C" {
		t.Errorf("C: %+v %+v %v", a, n, err)
	}
}

// A response without the callback password, or that does not match its order, is
// recorded as refused (under its hash) and answered without a link.
func TestWorldPayRefusals(t *testing.T) {
	set := func(k, v string) func(url.Values) { return func(u url.Values) { u.Set(k, v) } }
	for _, c := range []struct {
		edit func(url.Values)
		want string
	}{
		{set("callbackPW", "cb-pasS"), "callback password is wrong"},
		{func(u url.Values) { u.Del("callbackPW") }, "callback password is wrong"},
		{set("instId", "999"), `installation "999"`},
		{set("amount", "1.00"), "is not the order's total 49.00 USD"},
		{set("currency", "EUR"), `currency "EUR"`},
		{set("testMode", "0"), "a live response for a sandbox order"},
	} {
		r := &wpRig{}
		a, err := r.receive(t, wpBody("Y", c.edit))
		if err != nil || len(r.notified) != 1 {
			t.Fatalf("%s: %v, %d notices", c.want, err, len(r.notified))
		}
		n := r.notified[0]
		if a.Outcome != checkout.NoticeRefused || a.Link != "" || !strings.Contains(n.Refused, c.want) || !strings.HasPrefix(n.RefusedID, "refused:") {
			t.Errorf("%s: %+v, %+v", c.want, a, n)
		}
	}
}

// Not a payment response: invalid input, nothing applied; the order or the password not
// readable: unavailable (5xx), nothing applied; an order the site lacks: no link.
func TestWorldPayFailures(t *testing.T) {
	for _, raw := range [][]byte{[]byte("%zz"), wpBody("N"), wpBody("Y", func(u url.Values) { u.Del("transId") })} {
		r := &wpRig{}
		if _, err := r.receive(t, raw); apperr.CodeOf(err) != apperr.CodeInvalid || len(r.notified) != 0 {
			t.Errorf("%s: %v, %d notices", raw, err, len(r.notified))
		}
	}
	for _, r := range []*wpRig{{orderErr: errors.New("throttled")}, {secretErr: errors.New("secrets manager: timeout")}} {
		if _, err := r.receive(t, wpBody("Y")); apperr.CodeOf(err) != apperr.CodeUnavailable || len(r.notified) != 0 {
			t.Errorf("%+v: %v, %d notices", r, err, len(r.notified))
		}
	}
	r := &wpRig{}
	if a, err := r.receive(t, wpBody("Y", func(u url.Values) { u.Set("cartId", "BO-OTHER") })); err != nil || a.Link != "" ||
		a.Outcome != checkout.NoticeRefused || len(r.notified) != 0 {
		t.Errorf("another cart: %+v, %v", a, err)
	}
}
