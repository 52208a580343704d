package testenv

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/localenv"
	paypalstandin "github.com/boxofficehq/boxoffice/infra/paypal"
	secretsstandin "github.com/boxofficehq/boxoffice/infra/secretsmanager"
	"github.com/boxofficehq/boxoffice/infra/template"
)

// Local is everything a function needs around it in a test: DynamoDB Local with fresh
// tables, the Secrets Manager stand-in (seeded with the PayPal platform secret) and the
// PayPal stand-in, both in-process.
type Local struct {
	DB             *dynamodb.Client
	Tables         map[string]string
	SecretsManager *secretsmanager.Client
	// Secrets is the stand-in itself, to look at what was stored.
	Secrets   *secretsstandin.Server
	PayPalURL string
	Template  *template.Template
}

// NewLocal sets up a Local for t and tears it down when t ends.
func NewLocal(t testing.TB) *Local {
	t.Helper()
	db := DynamoDB(t)
	tpl, err := template.LoadNearest()
	if err != nil {
		t.Fatal(err)
	}
	sm := secretsstandin.NewServer()
	smServer := httptest.NewServer(sm)
	t.Cleanup(smServer.Close)
	pp := httptest.NewServer(paypalstandin.NewServer(localenv.PayPalPlatform))
	t.Cleanup(pp.Close)
	l := &Local{
		DB: db, Tables: Tables(t, db), SecretsManager: localaws.SecretsManager(smServer.URL), Secrets: sm,
		PayPalURL: pp.URL, Template: tpl,
	}
	name, err := localenv.PlatformSecretName(tpl)
	if err != nil {
		t.Fatal(err)
	}
	if err := localenv.SeedPlatformSecret(context.Background(), l.SecretsManager, name); err != nil {
		t.Fatal(err)
	}
	return l
}

// Env returns the environment the template gives the function fn, resolved locally.
func (l *Local) Env(t testing.TB, fn string) map[string]string {
	t.Helper()
	fns, err := l.Template.Functions()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fns {
		if f.Name == fn {
			env, err := localenv.Env(f, localenv.Refs(l.Tables), l.PayPalURL)
			if err != nil {
				t.Fatal(err)
			}
			return env
		}
	}
	t.Fatalf("the template has no function %s", fn)
	return nil
}
