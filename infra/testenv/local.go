package testenv

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/localenv"
	payflowstandin "github.com/boxofficehq/boxoffice/infra/payflow"
	paypalstandin "github.com/boxofficehq/boxoffice/infra/paypal"
	secretsstandin "github.com/boxofficehq/boxoffice/infra/secretsmanager"
	"github.com/boxofficehq/boxoffice/infra/template"
	worldpaystandin "github.com/boxofficehq/boxoffice/infra/worldpay"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
	"github.com/boxofficehq/boxoffice/internal/platform/s3object"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

// Local is everything a function needs around it in a test: DynamoDB Local with fresh
// tables, the SES emulator, and in-process S3 (with the template's buckets), Secrets
// Manager stand-in (seeded with the PayPal platform secret) and the PayPal, Payflow and
// WorldPay stand-ins (accepting localenv's accounts).
type Local struct {
	DB     *dynamodb.Client
	Tables map[string]string
	// SecretsManager, S3 and SES are the functions' own clients (awssecrets, s3object,
	// sesmail) of the Secrets Manager stand-in, the local S3 and the SES emulator.
	SecretsManager *awssecrets.Client
	S3             *s3object.Client
	SES            *sesmail.Client
	SESURL         string
	// Secrets is the stand-in itself, to look at what was stored.
	Secrets *secretsstandin.Server
	// PayPal is the PayPal stand-in itself, to send notifications from it.
	PayPal    *paypalstandin.Server
	PayPalURL string
	// Payflow and WorldPay are the stand-ins themselves, to hook their notifications.
	Payflow     *payflowstandin.Server
	PayflowURL  string
	WorldPay    *worldpaystandin.Server
	WorldPayURL string
	// APIURL is what the functions are told is the API's public URL: where `make run`
	// serves it (no test serves it; links to it are only looked at).
	APIURL   string
	Template *template.Template
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
	paypal := paypalstandin.NewServer(localenv.PayPalPlatform)
	pp := httptest.NewServer(paypal)
	t.Cleanup(pp.Close)
	pf := payflowstandin.NewServer(localenv.PayflowMerchant)
	pfServer := httptest.NewServer(pf)
	t.Cleanup(pfServer.Close)
	wp := worldpaystandin.NewServer([]worldpaystandin.Installation{localenv.WorldPayInstallation}, []worldpaystandin.RemoteAdmin{localenv.WorldPayRemoteAdmin})
	wpServer := httptest.NewServer(wp)
	t.Cleanup(wpServer.Close)
	buckets := s3mem.New()
	for _, id := range tpl.Buckets() {
		if err := buckets.CreateBucket(localenv.BucketName(id)); err != nil {
			t.Fatal(err)
		}
	}
	s3Server := httptest.NewServer(gofakes3.New(buckets).Server())
	t.Cleanup(s3Server.Close)
	sesURL := Endpoint(t, EnvSES)
	l := &Local{
		DB: db, Tables: Tables(t, db), Secrets: sm, SESURL: sesURL, Template: tpl,
		PayPal: paypal, PayPalURL: pp.URL, Payflow: pf, PayflowURL: pfServer.URL, WorldPay: wp, WorldPayURL: wpServer.URL,
		APIURL: "http://127.0.0.1:3000",
	}
	if l.SecretsManager, err = localaws.SecretsManager(smServer.URL); err != nil {
		t.Fatal(err)
	}
	if l.S3, err = localaws.S3Objects(s3Server.URL); err != nil {
		t.Fatal(err)
	}
	if l.SES, err = localaws.SES(sesURL); err != nil {
		t.Fatal(err)
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

// StandIns are the stand-ins as the functions are pointed at them, with api as the API's
// public URL: their URLs, and the PayPal stand-in's CA for its signed events.
func (l *Local) StandIns(t testing.TB, api string) localenv.StandIns {
	t.Helper()
	ca, err := l.PayPal.CACertPEM()
	if err != nil {
		t.Fatal(err)
	}
	return localenv.StandIns{PayPal: l.PayPalURL, Payflow: l.PayflowURL, WorldPay: l.WorldPayURL, API: api, PayPalCA: string(ca)}
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
			env, err := localenv.Env(f, localenv.Refs(localenv.Resources(l.Template, l.Tables)), l.StandIns(t, l.APIURL))
			if err != nil {
				t.Fatal(err)
			}
			return env
		}
	}
	t.Fatalf("the template has no function %s", fn)
	return nil
}
