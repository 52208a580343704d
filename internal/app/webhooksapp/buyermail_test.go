package webhooksapp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/webhooksapp"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// WorldPay's payment response, through the exact handler main passes to lambda.Start and
// delivered three times, authorises the order and sends its buyer one e-mail through the
// SES emulator, with the order reference and WorldPay's transId.
func TestAuthorisationSendsTheBuyerOneMail(t *testing.T) {
	l := testenv.NewLocal(t)
	env := l.Env(t, "webhooks")
	orders := seedWorldPay(t, l, env, checkout.NewRef())
	domain := testenv.MailDomain()
	o := pendingOrder("shop", checkout.NewRef(), provider.WorldPay)
	o.Buyer.Email = "ann@" + domain
	if _, err := orders.Create(context.Background(), o, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	rt, err := webhooksapp.New(lambdaapp.MapLookup(env), l.DB, l.SecretsManager, l.SES, nil, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	h := lambdaapp.NewHTTPLambda(rt)
	for i := range 3 {
		ev := testenv.LoadHTTPEvent(t, eventsDir, "worldpay-authorisation")
		forOrder(o.Ref)(&ev)
		resp, err := h(context.Background(), ev)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("delivery %d: %d %v", i, resp.StatusCode, err)
		}
	}
	stored, _, err := orders.Get(context.Background(), "shop", o.Ref)
	if err != nil || stored.State != checkout.StateAuthorised {
		t.Fatalf("order %s, %v", stored.State, err)
	}
	mails := testenv.MailsTo(t, l.SESURL, domain)[o.Buyer.Email]
	if len(mails) != 1 {
		t.Fatalf("%d e-mails, want 1", len(mails))
	}
	m := mails[0]
	if !strings.Contains(m.Subject, o.Ref) || !strings.Contains(m.Body.Text, "Transaction number: 3000000042") ||
		!strings.Contains(m.Body.Text, "49.00 USD") {
		t.Errorf("e-mail %q:\n%s", m.Subject, m.Body.Text)
	}
	if stored.Mail == nil || stored.Mail.MessageID != m.MessageID {
		t.Errorf("stored %+v, want sent as %s", stored.Mail, m.MessageID)
	}
}
