package providersapp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/providersapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

const eventsDir = "../../../events/providers"

// secretValues are every secret the sample events send.
var secretValues = []string{"Payfl0w-Secret-1", "Uk-Secret-Pass-2", "Wp-Callback-Pass-3", "Md5SecretValue4Demo2026"}

// TestEvents feeds every sample event through the exact handler main passes to lambda.Start,
// in an order that tells the story of a site trying each provider, then checks that the
// secrets it sent are in the Secrets Manager stand-in and nowhere else: not in any response,
// not in any log line (logged at debug level), not in any item of any table.
func TestEvents(t *testing.T) {
	l := testenv.NewLocal(t)
	log, logs := testenv.CapturingLogger()
	env := l.Env(t, "providers")
	rt, err := providersapp.New(lambdaapp.MapLookup(env), l.DB, l.SecretsManager, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	h := lambdaapp.NewHTTPLambda(rt)
	liveSecrets := func(want int) func(*testing.T, testenv.Answer) {
		return func(t *testing.T, _ testenv.Answer) {
			if got := len(l.Secrets.Live(env["SECRET_PREFIX"])); got != want {
				t.Errorf("%d live secrets in Secrets Manager, want %d", got, want)
			}
		}
	}
	answers := testenv.RunHTTPEvents(t, h, eventsDir, []testenv.Step{
		{Event: "put-payflow-pro", Status: 200, Want: map[string]any{
			"provider.kind": "payflow_pro", "provider.currency": "USD", "provider.cards.5": "jcb", "provider.expressCheckout": true,
			"provider.secrets.password.set": true, "mode": "test", "env": "sandbox",
		}, Check: liveSecrets(1)},
		{Event: "get-provider", Status: 200, Want: map[string]any{
			"provider.vendor": "demoacademy", "provider.secrets.password.set": true, "provider.updatedBy": "admin-1 <admin@demo.example>",
		}, Check: func(t *testing.T, a testenv.Answer) {
			if strings.Contains(a.Raw, `\u003c`) || strings.Contains(a.Raw, "secretRef") {
				t.Errorf("raw body: %s", a.Raw)
			}
		}},
		// Changing only non-secret fields keeps the stored password: no new secret.
		{Event: "put-payflow-pro-keep-password", Status: 200, Want: map[string]any{
			"provider.accountType": "payments_pro_payflow_edition", "provider.secrets.password.set": true, "provider.expressCheckout": nil,
		}, Check: liveSecrets(1)},
		{Event: "put-invalid-cards", Status: 400, Want: map[string]any{"error.code": "invalid_input", "error.details.0.field": "cards[1]"}},
		{Event: "put-invalid-currency", Status: 400, Want: map[string]any{"error.code": "invalid_input", "error.details.0.field": "currency"}},
		// Another provider: its own secret; the Payflow one is scheduled for deletion.
		{Event: "put-website-payments-pro-uk", Status: 200, Want: map[string]any{
			"provider.kind": "website_payments_pro_uk", "provider.currency": "GBP", "provider.cards.1": "visa_debit", "provider.secrets.password.set": true,
		}, Check: liveSecrets(1)},
		{Event: "put-worldpay", Status: 200, Want: map[string]any{
			"provider.kind": "worldpay", "provider.currency": "EUR", "provider.installationId": "204596",
			"provider.secrets.callbackPassword.set": true, "provider.secrets.md5Secret.set": true,
		}, Check: liveSecrets(1)},
		{Event: "put-express-checkout-ca", Status: 200, Want: map[string]any{
			"provider.kind": "express_checkout_ca", "provider.currency": "CAD", "provider.apiPermission.granted": false, "provider.secrets": nil,
		}, Check: liveSecrets(0)},
		{Event: "put-express-checkout-us", Status: 200, Want: map[string]any{"provider.kind": "express_checkout_us", "provider.currency": "USD"}},
		{Event: "post-permission-link", Status: 201, Want: map[string]any{"env": "sandbox"}, Check: func(t *testing.T, a testenv.Answer) {
			if u, _ := a.Get("url").(string); !strings.HasPrefix(u, l.PayPalURL+"/cgi-bin/webscr?") || !strings.Contains(u, "cmd=_grant-permission") {
				t.Errorf("grant url = %q", u)
			}
		}},
		{Event: "permission-callback-unknown-state", Status: 400, Want: map[string]any{"error.code": "invalid_input"}},
		{Event: "get-provider-other-site", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "put-provider-no-token", Status: 401, Want: map[string]any{"error.code": "unauthenticated"}},
		{Event: "delete-provider", Status: 200, Want: map[string]any{"provider": nil}},
	})

	// The secrets exist in Secrets Manager (kept there for the recovery window).
	var stored strings.Builder
	for _, v := range l.Secrets.Values() {
		stored.WriteString(v)
	}
	for _, s := range secretValues {
		if !strings.Contains(stored.String(), s) {
			t.Errorf("secret %q... is not in Secrets Manager", s[:4])
		}
	}
	// ... and nowhere else.
	var elsewhere strings.Builder
	for _, a := range answers {
		elsewhere.WriteString(a.Raw)
	}
	elsewhere.WriteString(logs.String())
	elsewhere.WriteString(dumpTables(t, l.DB, l.Tables))
	if !strings.Contains(elsewhere.String(), "provider.set") {
		t.Fatal("the dump holds no audit entry: it is not looking where the data is")
	}
	for _, s := range secretValues {
		if strings.Contains(elsewhere.String(), s) {
			t.Errorf("secret %q... leaked into a response, a log line or a table", s[:4])
		}
	}
	// The audit names the changed secret fields, without values.
	if !strings.Contains(elsewhere.String(), "provider.secrets.password") {
		t.Error("the audit does not name the password as changed")
	}
}

// dumpTables reads every item of every table (a test may Scan; the product never does).
func dumpTables(t *testing.T, db *dynamodb.Client, tables map[string]string) string {
	t.Helper()
	var out strings.Builder
	for _, name := range tables {
		p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: aws.String(name)})
		for p.HasMorePages() {
			page, err := p.NextPage(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var items []map[string]any
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(items)
			out.Write(raw)
		}
	}
	return out.String()
}
