package webhooksapp_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// worldPayRig is a journey of site shop through WorldPay (localenv's installation, its
// callback password in the Secrets Manager stand-in under the function's prefix).
type worldPayRig struct{ *journey }

func newWorldPayRig(t *testing.T) worldPayRig {
	t.Helper()
	l := testenv.NewLocal(t)
	env := l.Env(t, "webhooks")
	w := localenv.WorldPayInstallation
	secret := storeSecrets(t, l, env, "shop", provider.Secrets{provider.SecretCallbackPassword: w.CallbackPassword})
	return worldPayRig{newJourney(t, l, env, "shop", "/webhooks/shop/worldpay",
		&provider.Setup{Kind: provider.WorldPay, Currency: "USD", InstallationID: w.ID, SecretRef: secret})}
}

// response is the sample payment response for the order, with fields set (removed when
// set to ""), in the form WorldPay posts it.
func (r worldPayRig) response(t *testing.T, set map[string]string) string {
	t.Helper()
	ev := testenv.LoadHTTPEvent(t, eventsDir, "worldpay-authorisation")
	forOrder(r.ref)(&ev)
	form, err := url.ParseQuery(ev.Body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		if v == "" {
			form.Del(k)
		} else {
			form.Set(k, v)
		}
	}
	return form.Encode()
}

// page posts body and checks the page WorldPay shows the buyer: 200, HTML, holding each
// of want; with no link unless one of want is one.
func (r worldPayRig) page(t *testing.T, body string, want ...string) {
	t.Helper()
	a := r.post(t, body)
	linked := false
	for _, w := range want {
		if a.Status != http.StatusOK || !strings.HasPrefix(a.Headers["Content-Type"], "text/html") || !strings.Contains(a.Raw, w) {
			t.Fatalf("answer %d %q (%s), want %q", a.Status, a.Raw, a.Headers["Content-Type"], w)
		}
		linked = linked || strings.Contains(w, "href")
	}
	if !linked && strings.Contains(a.Raw, "href") {
		t.Fatalf("the page links on: %s", a.Raw)
	}
}

func (r worldPayRig) thanks() string {
	return `href="https://platform.example/done?order=` + r.ref + `"`
}

// Every forged or mismatched payment response is answered with a page that does not link
// on, recorded as refused in the order's history, and changes nothing else (the genuine
// response applies after all of them); one for an order the site lacks records nothing.
func TestWorldPayForgeriesChangeNothing(t *testing.T) {
	r := newWorldPayRig(t)
	pw := localenv.WorldPayInstallation.CallbackPassword
	for i, c := range []struct {
		name string
		set  map[string]string
		why  string
	}{
		{"one byte of the password changed", map[string]string{"callbackPW": pw[:len(pw)-1] + "X"}, "callback password is wrong"},
		{"no password", map[string]string{"callbackPW": ""}, "callback password is wrong"},
		{"another installation", map[string]string{"instId": "999999"}, `installation "999999"`},
		{"wrong amount", map[string]string{"amount": "1.00"}, "not the order's total 49.00 USD"},
		{"wrong currency", map[string]string{"currency": "EUR"}, `currency "EUR"`},
		{"live response", map[string]string{"testMode": "0"}, "a live response for a sandbox order"},
	} {
		r.page(t, r.response(t, c.set), "not accepted")
		o := r.is(t, checkout.StatePendingPayment, i+1, 0, 1)
		e := o.History[len(o.History)-1]
		if !strings.Contains(e.Cause.Note, c.why) || !strings.HasPrefix(e.Cause.Notification, "refused:") || e.From != e.To ||
			strings.Contains(e.Cause.Note, pw[:8]) {
			t.Errorf("%s: entry %+v, want a refusal saying %q", c.name, e, c.why)
		}
	}
	r.page(t, strings.ReplaceAll(r.response(t, nil), r.ref, checkout.NewRef()), "not accepted")
	r.is(t, checkout.StatePendingPayment, 6, 0, 1)
	r.page(t, r.response(t, nil), r.thanks())
	if o := r.is(t, checkout.StateAuthorised, 7, 1, 1); o.Refs.TransactionID != "3000000042" {
		t.Errorf("refs %+v", o.Refs)
	}
}

// The same response five times authorises once; a cancellation after it (the buyer's
// other tab) is noted, never moves the order back nor gives its code use back, and the
// buyer is shown the order as it is: paid.
func TestWorldPayFiveTimesChangesOnce(t *testing.T) {
	r := newWorldPayRig(t)
	for range 5 {
		r.page(t, r.response(t, nil), r.thanks())
	}
	r.is(t, checkout.StateAuthorised, 1, 1, 1)
	r.page(t, r.response(t, map[string]string{"transStatus": "C", "transId": ""}), r.thanks())
	r.is(t, checkout.StateAuthorised, 2, 1, 1)
}

// A cancellation gives the code use back, once however often it comes; a payment after it
// (the buyer went back to WorldPay's page and paid) authorises the order after all, the
// money being taken, and counts the code use again, once however often it comes.
func TestWorldPayCancelled(t *testing.T) {
	r := newWorldPayRig(t)
	cancel := r.response(t, map[string]string{"transStatus": "C", "transId": ""})
	back := `href="https://platform.example/cancel?order=` + r.ref + `"`
	for range 5 {
		r.page(t, cancel, back)
	}
	r.is(t, checkout.StateCancelled, 1, 0, 0)
	r.page(t, r.response(t, nil), r.thanks())
	r.page(t, r.response(t, nil), r.thanks())
	o := r.is(t, checkout.StateAuthorised, 2, 1, 1)
	if e := o.History[len(o.History)-1]; e.From != checkout.StateCancelled || !strings.Contains(e.Cause.Note, "paid after the order was cancelled") ||
		o.Refs.TransactionID != "3000000042" {
		t.Errorf("the late payment's entry %+v, refs %+v", e, o.Refs)
	}
	r.page(t, cancel, r.thanks()) // the cancellation again: a duplicate, the order stays paid
	r.is(t, checkout.StateAuthorised, 2, 1, 1)
}

// Forgeries cannot grow an order's item without bound: past checkout.MaxRefusedNotices
// refusals, more are answered as refused but not stored, and the genuine response still
// applies.
func TestForgeriesBounded(t *testing.T) {
	r := newWorldPayRig(t)
	for i := range checkout.MaxRefusedNotices + 3 {
		r.page(t, r.response(t, map[string]string{"callbackPW": fmt.Sprintf("guess-%d", i)}), "not accepted")
	}
	r.is(t, checkout.StatePendingPayment, checkout.MaxRefusedNotices, 0, 1)
	r.page(t, r.response(t, nil), r.thanks())
	r.is(t, checkout.StateAuthorised, checkout.MaxRefusedNotices+1, 1, 1)
}
