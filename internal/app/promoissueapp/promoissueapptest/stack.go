// Package promoissueapptest is what the promo-create and promo-import tests share: the local
// stack with the site their sample events name, and the mails the SES emulator holds.
package promoissueapptest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
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
type Mail struct {
	MessageID   string `json:"messageId"`
	Subject     string `json:"subject"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
	Body struct {
		Text string `json:"text"`
	} `json:"body"`
}

// MailsTo lists the mails the SES emulator of l holds per recipient of domain.
func MailsTo(t testing.TB, l *testenv.Local, domain string) map[string][]Mail {
	t.Helper()
	resp, err := http.Get(l.SESURL + "/store")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var store struct {
		Emails []Mail `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatal(err)
	}
	out := map[string][]Mail{}
	for _, m := range store.Emails {
		for _, to := range m.Destination.To {
			if strings.HasSuffix(to, "@"+domain) {
				out[to] = append(out[to], m)
			}
		}
	}
	return out
}
