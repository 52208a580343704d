package webhooks

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// What the history and the logs keep of a message is what an administrator needs: never
// the callback password, the card's or the buyer's details, and a forger's long values
// clipped, so the order's history stays small.
func TestNothingPrivateKept(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var notices []checkout.Notice
	notified := fakeNotices{notified: func(n checkout.Notice, check checkout.Check) (checkout.Receipt, error) {
		if n.Refused == "" && check != nil {
			o, p := order(), setup
			if n.Kind == KindWorldPay {
				o, p = wpOrder(), wpSetup
			}
			n.Refused = check(o, p, &n)
		}
		notices = append(notices, n)
		if n.Refused != "" {
			return checkout.Receipt{Outcome: checkout.NoticeRefused, Why: n.Refused}, nil
		}
		return checkout.Receipt{Outcome: checkout.NoticeApplied}, nil
	}}
	orders := fakeOrders{orderSetup: func(site, ref string) (checkout.Order, *provider.Setup, bool, error) {
		return wpOrder(), wpSetup, true, nil
	}}
	secrets := fakeSecrets{read: func(string) (provider.Secrets, error) {
		return provider.Secrets{provider.SecretCallbackPassword: "cb-pass"}, nil
	}}
	w, err := New(Deps{Notices: notified, IPN: fakeVerifier{verify: func(*ipn.Message) (provider.Env, error) { return provider.Sandbox, nil }},
		Orders: orders, Secrets: secrets, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	long := strings.Repeat("9", 10_000)
	private := []string{"cb-pass", "guessed-pw", "Visa", "4444", "1 Main Street", "SW1A", "ann@buyer.example", "Renée", "Payer-Surname", long}
	card := func(u url.Values) {
		for k, v := range map[string]string{"cardType": "Visa", "AVS": "2222", "countryMatch": "Y", "address": "1 Main Street",
			"postcode": "SW1A 1AA", "email": "ann@buyer.example", "name": "Renée Payer-Surname", "cardNo": "4444********1111"} {
			u.Set(k, v)
		}
	}
	for _, raw := range [][]byte{wpBody("Y", card), wpBody("Y", card, func(u url.Values) { u.Set("callbackPW", "guessed-pw"); u.Set("transId", long) })} {
		if _, err := w.ReceiveWorldPay(ctx, "acme", raw); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.ReceiveIPN(ctx, "acme", body("Completed", "payer_email=ann%40buyer.example", "first_name=Ren%E9e", "last_name=Payer-Surname",
		"address_street=1+Main+Street")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ReceiveIPN(ctx, "acme", body("Pending", "pending_reason="+long)); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 4 {
		t.Fatalf("%d notices", len(notices))
	}
	for _, n := range notices {
		kept := strings.Join([]string{n.ID, n.Note, n.Refused, n.Refs.TransactionID, n.Refs.CaptureID}, " ")
		if len(n.Note)+len(n.Refused) > 300 {
			t.Errorf("a note of %d bytes: %.80q", len(n.Note)+len(n.Refused), kept)
		}
		for _, p := range private[:len(private)-1] {
			if strings.Contains(kept, p) {
				t.Errorf("the notice keeps %q: %q", p, kept)
			}
		}
	}
	for _, p := range private {
		if strings.Contains(logs.String(), p) {
			t.Errorf("the logs keep %.20q: %s", p, logs.String()[:min(logs.Len(), 2000)])
		}
	}
	if !strings.Contains(logs.String(), "refused") {
		t.Errorf("the forgery is not logged: %s", logs.String())
	}
}
