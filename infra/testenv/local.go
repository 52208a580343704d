package testenv

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/localenv"
	paypalstandin "github.com/boxofficehq/boxoffice/infra/paypal"
	secretsstandin "github.com/boxofficehq/boxoffice/infra/secretsmanager"
	"github.com/boxofficehq/boxoffice/infra/template"
)

// Local is everything a function needs around it in a test: DynamoDB Local with fresh
// tables, the SES emulator, and in-process S3 (with the template's buckets), Secrets
// Manager stand-in (seeded with the PayPal platform secret) and PayPal stand-in.
type Local struct {
	DB             *dynamodb.Client
	Tables         map[string]string
	SecretsManager *secretsmanager.Client
	S3             *s3.Client
	SES            *ses.Client
	SESURL         string
	// Secrets is the stand-in itself, to look at what was stored.
	Secrets   *secretsstandin.Server
	PayPalURL string
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
	pp := httptest.NewServer(paypalstandin.NewServer(localenv.PayPalPlatform))
	t.Cleanup(pp.Close)
	s3Server := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(s3Server.Close)
	sesURL := Endpoint(t, EnvSES)
	l := &Local{
		DB: db, Tables: Tables(t, db), SecretsManager: localaws.SecretsManager(smServer.URL), Secrets: sm,
		S3: localaws.S3(s3Server.URL), SES: localaws.SES(sesURL), SESURL: sesURL,
		PayPalURL: pp.URL, APIURL: "http://127.0.0.1:3000", Template: tpl,
	}
	for _, id := range tpl.Buckets() {
		if _, err := l.S3.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(localenv.BucketName(id))}); err != nil {
			t.Fatal(err)
		}
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
			env, err := localenv.Env(f, localenv.Refs(localenv.Resources(l.Template, l.Tables)), localenv.Endpoints{PayPal: l.PayPalURL, API: l.APIURL})
			if err != nil {
				t.Fatal(err)
			}
			return env
		}
	}
	t.Fatalf("the template has no function %s", fn)
	return nil
}
