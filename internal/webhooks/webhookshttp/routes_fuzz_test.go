package webhookshttp

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
)

// stubs is every port of the webhooks use cases in one small fake: the notices apply the
// protocol's check to one pending test order of 49.00 USD of site acme, the verifier
// answers verdict, the order is found whatever its reference, and WorldPay's callback
// password is "cb-pass".
type stubs struct {
	verdict error
}

const fuzzRef = "BO-ABCDEFGHJKMN"

var fuzzSetup = &provider.Setup{Kind: provider.WorldPay, InstallationID: "204596", PayPalEmail: "pay@acme.example", Currency: "USD", SecretRef: "wp"}

// fuzzPayflowSetup is the setup a Silent Post's order is paid through.
var fuzzPayflowSetup = &provider.Setup{Kind: provider.PayflowPro, PartnerID: "PayPal", Vendor: "acme", Currency: "USD", SecretRef: "pf"}

const fuzzTokenID, fuzzToken = "TOKENID0123456789ABCDEFGHIJKLMNOPQRS", "SECURETOKEN1"

func fuzzOrder() checkout.Order {
	return checkout.Order{Site: "acme", Ref: fuzzRef, Mode: settings.ModeTest, State: checkout.StatePendingPayment,
		Amounts: checkout.Amounts{Currency: "USD", TotalMinor: 4900}, ReturnURL: "https://platform.example/done", CancelURL: "https://platform.example/cancel",
		Refs: checkout.ProviderRefs{TokenID: fuzzTokenID, Token: fuzzToken}}
}

func (s stubs) Notified(_ context.Context, n checkout.Notice, check checkout.Check) (checkout.Receipt, error) {
	if n.Refused == "" && check != nil {
		setup := fuzzSetup
		if n.Kind == webhooks.KindPayflow {
			setup = fuzzPayflowSetup
		}
		n.Refused = check(fuzzOrder(), setup, &n)
	}
	if n.Refused != "" {
		return checkout.Receipt{Outcome: checkout.NoticeRefused, Why: n.Refused}, nil
	}
	return checkout.Receipt{Outcome: checkout.NoticeApplied, Order: checkout.Order{State: n.To}}, nil
}

func (s stubs) Verify(context.Context, *ipn.Message) (provider.Env, error) {
	return provider.Sandbox, s.verdict
}

func (s stubs) OrderSetup(context.Context, string, string) (checkout.Order, *provider.Setup, bool, error) {
	return fuzzOrder(), fuzzSetup, true, nil
}

func (s stubs) Read(context.Context, string) (provider.Secrets, error) {
	return provider.Secrets{provider.SecretCallbackPassword: "cb-pass", provider.SecretPassword: "pf-pass"}, nil
}

func (s stubs) PayflowOrder(_ context.Context, _, tokenID string) (checkout.Order, *provider.Setup, bool, error) {
	return fuzzOrder(), fuzzPayflowSetup, tokenID == fuzzTokenID, nil
}

// Confirm is Payflow's inquiry: it agrees with an approved post (verdict nil), finds another
// transaction (ipn.ErrInvalid stands for a disagreement), or cannot be asked (any other).
func (s stubs) Confirm(_ context.Context, _ provider.Env, _ payflow.Credentials, ret payflow.Return, want payflow.Expected) (payflow.Authorisation, error) {
	switch {
	case s.verdict == nil:
		return payflow.Authorisation{PNREF: ret.PNREF, Amount: want.Amount}, nil
	case errors.Is(s.verdict, ipn.ErrInvalid):
		return payflow.Authorisation{}, payflow.ErrMismatch
	}
	return payflow.Authorisation{}, s.verdict
}

// post sends body to path through the function's router, with the verifier answering verdict.
func post(t *testing.T, verdict error, path string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	s := stubs{verdict: verdict}
	wh, err := webhooks.New(webhooks.Deps{Notices: s, IPN: s, Orders: s, Secrets: s, Payflow: s, PayflowOrders: s})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	NewHandler(wh, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body)))
	if rec.Header().Get("Content-Type") == "" {
		t.Fatalf("%s %q: %d without a Content-Type", path, body, rec.Code)
	}
	return rec
}

const ipnSample = "mc_gross=49.00&invoice=" + fuzzRef + "&payment_status=Pending&pending_reason=authorization&charset=windows-1252" +
	"&first_name=Ren%E9e&business=pay%40acme.example&receiver_email=pay%40acme.example&txn_id=AUTH1&auth_id=AUTH1&mc_currency=USD&test_ipn=1"

// FuzzIPNRoute: whatever bytes are posted as an IPN, the route never panics and answers a
// client's bytes with 200 (acknowledged: applied, refused, ignored) or 4xx, never 5xx; only
// PayPal not answering the post-back is a 503 (PayPal sends the message again); and a
// message PayPal calls INVALID is never applied.
func FuzzIPNRoute(f *testing.F) {
	fuzzVerifiedRoute(f, "/webhooks/acme/paypal/ipn", ipnSample, strings.Replace(ipnSample, "Pending", "Refunded", 1),
		strings.Replace(ipnSample, "49.00", "-49.00", 1), "txn_type=new_case", "charset=UTF-16&x=%FE", "%zz", "",
		"mc_gross=1e9&mc_currency=XXX&txn_id=1&payment_status=Completed")
}

// fuzzVerifiedRoute fuzzes a route whose message is believed only once its provider
// confirms it (the IPN's post-back, the Silent Post's inquiry), with the provider agreeing,
// disowning the message (ipn.ErrInvalid) or not answering: a client's bytes get 200 or 4xx,
// a 5xx is only the provider not answering (503), and a disowned message is never applied.
func fuzzVerifiedRoute(f *testing.F, path string, seeds ...string) {
	for _, s := range seeds {
		for verdict := range uint8(3) {
			f.Add([]byte(s), verdict)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, verdict uint8) {
		verdicts := []error{nil, ipn.ErrInvalid, errors.New("connection reset")}
		v := verdicts[int(verdict)%len(verdicts)]
		rec := post(t, v, path, body)
		switch {
		case rec.Code >= 500 && (v == nil || errors.Is(v, ipn.ErrInvalid)):
			t.Fatalf("%q (%v): %d %s", body, v, rec.Code, rec.Body)
		case rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable:
			t.Fatalf("%q: %d %s, want 503", body, rec.Code, rec.Body)
		case errors.Is(v, ipn.ErrInvalid) && strings.Contains(rec.Body.String(), `"applied"`):
			t.Fatalf("%q applied though its provider disowned it: %s", body, rec.Body)
		}
	})
}

const worldPaySample = "transStatus=Y&transId=3000000001&cartId=" + fuzzRef + "&instId=204596&amount=49.00&currency=USD&authMode=E" +
	"&testMode=100&callbackPW=cb-pass&cardType=Visa&name=Ren%C3%A9e"

// FuzzWorldPayRoute: whatever bytes are posted as a payment response, the route never
// panics, never answers 5xx (nothing it reads can fail here), and links the buyer back only
// for a response that carried the callback password.
func FuzzWorldPayRoute(f *testing.F) {
	for _, s := range []string{worldPaySample, strings.Replace(worldPaySample, "cb-pass", "cb-pasS", 1),
		strings.Replace(worldPaySample, "transStatus=Y&transId=3000000001", "transStatus=C", 1), "transStatus=Y&transStatus=C", "%zz", "",
		strings.Replace(worldPaySample, "49.00", "49.001", 1)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := post(t, nil, "/webhooks/acme/worldpay", body)
		if rec.Code >= 500 {
			t.Fatalf("%q: %d %s", body, rec.Code, rec.Body)
		}
		if strings.Contains(rec.Body.String(), "href") && !bytes.Contains(body, []byte("cb-pass")) {
			t.Fatalf("%q links on without the password: %s", body, rec.Body)
		}
	})
}

const silentPostSample = "RESULT=0&RESPMSG=Approved&PNREF=EPNREF000001&SECURETOKEN=" + fuzzToken + "&SECURETOKENID=" + fuzzTokenID +
	"&AMT=49.00&CURRENCY=USD&TRXTYPE=A&TENDER=C&INVNUM=" + fuzzRef + "&AUTHCODE=010101&BILLTOFIRSTNAME=Ren%C3%A9e"

// FuzzPayflowRoute: whatever bytes are posted as a Silent Post, the route never panics and
// answers a client's bytes with 200 (acknowledged) or 4xx; only the inquiry not answering is
// a 503; and a post the inquiry disagrees with is never applied.
func FuzzPayflowRoute(f *testing.F) {
	fuzzVerifiedRoute(f, "/webhooks/acme/payflow", silentPostSample, strings.Replace(silentPostSample, "RESULT=0", "RESULT=12", 1),
		strings.Replace(silentPostSample, "49.00", "0.49", 1), strings.Replace(silentPostSample, fuzzTokenID, "UNKNOWN", 1),
		"RESULT=0&RESULT=1", "%zz", "", "SECURETOKENID="+fuzzTokenID)
}

// The sample Silent Post is applied when the inquiry agrees: the fuzz's seeds reach the
// whole route, not only its refusals.
func TestPayflowRouteSampleApplies(t *testing.T) {
	if rec := post(t, nil, "/webhooks/acme/payflow", []byte(silentPostSample)); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"applied"`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}
