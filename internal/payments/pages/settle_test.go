package pages_test

import (
	"context"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// authorisedPayflow is an order paid on Payflow's hosted page, its authorisation confirmed.
func (r *rig) authorisedPayflow(kind provider.Kind) checkout.PageRequest {
	r.t.Helper()
	pr, posted := r.payPayflow(kind, standinpage.Approve)
	out, err := r.pages.Finish(context.Background(), pr, posted)
	if err != nil || out.State != checkout.StateAuthorised {
		r.t.Fatalf("authorise: %+v, %v", out, err)
	}
	pr.Order.Refs, pr.Order.State = out.Refs, checkout.StateAuthorised
	return pr
}

// authorisedExpress is an order approved on PayPal and authorised by DoExpressCheckoutPayment.
func (r *rig) authorisedExpress(kind provider.Kind) checkout.PageRequest {
	r.t.Helper()
	pr, back := r.payExpress(kind, standinpage.Approve)
	out, err := r.pages.Finish(context.Background(), pr, back.Query())
	if err != nil || out.State != checkout.StateAuthorised {
		r.t.Fatalf("authorise: %+v, %v", out, err)
	}
	pr.Order.Refs, pr.Order.State = out.Refs, checkout.StateAuthorised
	return pr
}

// Payflow: TRXTYPE=D captures the authorisation once (a retry is the same request and
// gets the same capture); TRXTYPE=V voids another; a voided one cannot be captured.
func TestPayflowCaptureAndVoid(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, kind := range []provider.Kind{provider.PayflowPro, provider.WebsitePaymentsProUK} {
		pr := r.authorisedPayflow(kind)
		got, err := r.pages.Capture(ctx, pr)
		if err != nil || got.Refs.CaptureID == "" || got.Refs.CaptureID == pr.Order.Refs.PNREF || !strings.Contains(got.Note, got.Refs.CaptureID) {
			t.Fatalf("%s capture: %+v, %v", kind, got, err)
		}
		again, err := r.pages.Capture(ctx, pr)
		if err != nil || again.Refs.CaptureID != got.Refs.CaptureID {
			t.Errorf("%s capture again: %+v, %v (first %s)", kind, again, err, got.Refs.CaptureID)
		}
		other := r.authorisedPayflow(kind)
		if v, err := r.pages.Void(ctx, other); err != nil || !strings.Contains(v.Note, "voided through Payflow") {
			t.Fatalf("%s void: %+v, %v", kind, v, err)
		}
		if _, err := r.pages.Capture(ctx, other); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s capture of a voided authorisation: %v", kind, err)
		}
	}
}

func TestExpressCheckoutCaptureAndVoid(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, kind := range []provider.Kind{provider.ExpressCheckoutUS, provider.ExpressCheckoutCA} {
		pr := r.authorisedExpress(kind)
		got, err := r.pages.Capture(ctx, pr)
		if err != nil || got.Refs.CaptureID == "" || got.Refs.CaptureID == pr.Order.Refs.TransactionID {
			t.Fatalf("%s capture: %+v, %v", kind, got, err)
		}
		other := r.authorisedExpress(kind)
		if _, err := r.pages.Void(ctx, other); err != nil {
			t.Fatalf("%s void: %v", kind, err)
		}
		if _, err := r.pages.Capture(ctx, other); apperr.CodeOf(err) != apperr.CodeConflict {
			t.Errorf("%s capture of a voided authorisation: %v", kind, err)
		}
		// Without the permission in the order's environment nothing is sent.
		live := other
		live.Env = provider.Live
		if _, err := r.pages.Void(ctx, live); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "permission") {
			t.Errorf("%s void without the live permission: %v", kind, err)
		}
	}
}

// WorldPay: a pre-authorisation made on the stand-in's payment page is captured through
// remote administration (op=postAuth-full) with the remote admin installation's own ID and
// password; a second capture is refused by WorldPay; without remote admin, or for a void,
// Boxoffice sends nothing.
func TestWorldPayCaptureThroughRemoteAdmin(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.secrets["wp"][provider.SecretRemoteAdminPassword] = remoteAdmin.Password
	setup := provider.Setup{InstallationID: install.ID, RemoteAdminInstallationID: remoteAdmin.ID, Currency: "USD", SecretRef: "wp"}
	pr := request(provider.WorldPay, setup)
	page, err := r.pages.Start(ctx, pr)
	if err != nil {
		t.Fatal(err)
	}
	action, fields := r.open(r.worldpy, page.Redirect)
	fields.Set("decision", standinpage.Approve)
	resp, err := noRedirect.PostForm(action, fields)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r.mu.Lock()
	response := r.responses[pr.Order.Ref]
	r.mu.Unlock()
	if response.Get("transStatus") != "Y" || response.Get("transId") == "" {
		t.Fatalf("payment response = %v", response)
	}
	// What the webhooks function records from the payment response.
	pr.Order.Refs.TransactionID, pr.Order.State = response.Get("transId"), checkout.StateAuthorised
	got, err := r.pages.Capture(ctx, pr)
	if err != nil || !strings.Contains(got.Note, "remote administration") {
		t.Fatalf("capture: %+v, %v", got, err)
	}
	if _, err := r.pages.Capture(ctx, pr); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "not a pre-authorisation") {
		t.Errorf("a second capture: %v", err)
	}
	if _, err := r.pages.Void(ctx, pr); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "merchant interface") {
		t.Errorf("void: %v", err)
	}
	r.secrets["wp"][provider.SecretRemoteAdminPassword] = "Wrong-remote-pw"
	if _, err := r.pages.Capture(ctx, pr); apperr.CodeOf(err) != apperr.CodeConflict || strings.Contains(err.Error(), "Wrong-remote-pw") {
		t.Errorf("a wrong remote admin password: %v", err)
	}
	pr.Provider.RemoteAdminInstallationID = ""
	if _, err := r.pages.Capture(ctx, pr); apperr.CodeOf(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "no remote administration") {
		t.Errorf("without remote admin: %v", err)
	}
}

// An Express Checkout order whose reservation ran out takes no payment on the buyer's
// late return: DoExpressCheckoutPayment is not called (the checkout can still be
// completed, which shows it was not).
func TestExpressCheckoutLateReturnTakesNoPayment(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pr, approved := r.payExpress(provider.ExpressCheckoutUS, standinpage.Approve)
	back := approved.Query()
	late := pr
	late.Late = true
	if out, err := r.pages.Finish(ctx, late, back); err != nil || out.State != checkout.StateExpired || !strings.Contains(out.Note, "no payment was taken") {
		t.Fatalf("late return: %+v, %v", out, err)
	}
	if out, err := r.pages.Finish(ctx, pr, back); err != nil || out.State != checkout.StateAuthorised {
		t.Fatalf("the checkout was completed by the late return: %+v, %v", out, err)
	}
}
