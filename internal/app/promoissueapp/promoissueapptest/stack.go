// Package promoissueapptest is what the promo-create and promo-import tests share: the local
// stack with the site their sample events name, and the mails the SES emulator holds.
package promoissueapptest

import (
	"context"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

// Stack is DynamoDB Local, an in-process S3 and the SES emulator, with the promo-create
// function's environment (without an SES quota: the emulator has none) and the site "demo"
// with promotion codes switched on for events.
func Stack(t testing.TB) (*testenv.Local, map[string]string) {
	t.Helper()
	l := testenv.NewLocal(t)
	env := l.Env(t, "promo-create")
	env["SES_MAX_SEND_RATE"] = "1000"
	store, _, err := settingsdb.NewAudited(l.DB, env["SITES_TABLE"], env["AUDIT_TABLE"])
	if err != nil {
		t.Fatal(err)
	}
	yes, name, support, tz := true, "Demo Academy", "help@demo.example", "Europe/Amsterdam"
	if _, err := settings.NewManager(store, nil).Update(context.Background(), "admin-1", "demo", settings.Events, settings.Patch{
		Enabled: &yes, PromoCodesEnabled: &yes, MerchantName: &name, SupportInfo: &support, TimeZone: &tz,
	}); err != nil {
		t.Fatal(err)
	}
	return l, env
}

// Mail is a mail as the SES emulator holds it.
type Mail = testenv.Mail

// MailsTo lists the mails the SES emulator of l holds per recipient of domain.
func MailsTo(t testing.TB, l *testenv.Local, domain string) map[string][]Mail {
	t.Helper()
	return testenv.MailsTo(t, l.SESURL, domain)
}
