package awssecrets_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	standin "github.com/boxofficehq/boxoffice/infra/secretsmanager"
	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest/awsrequesttest"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
)

var keys = aws.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "local-secret"}

func config() aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.StaticCredentialsProvider{Value: keys}}
}

// serve puts h behind a signature check and returns a client of it.
func serve(t *testing.T, h http.Handler) (*awssecrets.Client, string) {
	t.Helper()
	srv := httptest.NewServer(awsrequesttest.Verifier{Credentials: keys}.Handler(h))
	t.Cleanup(srv.Close)
	c, err := awssecrets.New(config(), awssecrets.Options{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv.URL
}

func code(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// Against the wire-compatible stand-in the local stack and the tests use.
func TestCreateReadDelete(t *testing.T) {
	c, _ := serve(t, standin.NewServer())
	ctx := context.Background()
	const name = "boxoffice/test/providers/demo/paypal/1"
	if err := c.CreateSecret(ctx, name, `{"password":"pa&ss=wörd"}`, "a test secret"); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetSecretValue(ctx, name)
	if err != nil || got.String == nil || *got.String != `{"password":"pa&ss=wörd"}` {
		t.Fatalf("GetSecretValue = %+v, %v", got, err)
	}
	if err := c.CreateSecret(ctx, name, "{}", ""); code(err) != "ResourceExistsException" {
		t.Errorf("creating it again: %v, want ResourceExistsException", err)
	}
	if err := c.DeleteSecret(ctx, name, false, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecretValue(ctx, name); code(err) != "InvalidRequestException" {
		t.Errorf("reading a secret scheduled for deletion: %v, want InvalidRequestException", err)
	}
	if err := c.DeleteSecret(ctx, name, true, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecretValue(ctx, name); code(err) != "ResourceNotFoundException" {
		t.Errorf("reading a deleted secret: %v, want ResourceNotFoundException", err)
	}
	if err := c.DeleteSecret(ctx, name, false, 3); code(err) == "" {
		t.Errorf("a recovery window of 3 days was accepted: %v", err)
	}
}

func TestABinarySecretHasNoString(t *testing.T) {
	c, url := serve(t, standin.NewServer())
	sdk := secretsmanager.NewFromConfig(config(), func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(url) })
	if _, err := sdk.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: aws.String("bin"), SecretBinary: []byte{0, 1, 2}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetSecretValue(context.Background(), "bin")
	if err != nil || got.String != nil {
		t.Fatalf("GetSecretValue = %+v, %v; want no string", got, err)
	}
}

// call is one request as the server saw it.
type call struct {
	target, contentType string
	body                map[string]any
}

// Each call is the SDK client's for the same input: the same target, content type and
// JSON, an idempotency token of the same form on CreateSecret.
func TestRequestsAreTheSDKs(t *testing.T) {
	var calls []call
	c, url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body map[string]any
		if err := json.Unmarshal(b, &body); err != nil {
			t.Errorf("%s: %v", b, err)
		}
		calls = append(calls, call{r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"), body})
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"Name":"n","SecretString":"v"}`)
	}))
	sdk := secretsmanager.NewFromConfig(config(), func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(url) })
	ctx := context.Background()
	steps := []struct {
		name      string
		mine, sdk func() error
	}{
		{"CreateSecret", func() error { return c.CreateSecret(ctx, "n", "v", "d") }, func() error {
			_, err := sdk.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("n"), SecretString: aws.String("v"), Description: aws.String("d")})
			return err
		}},
		{"GetSecretValue", func() error { _, err := c.GetSecretValue(ctx, "n"); return err }, func() error {
			_, err := sdk.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("n")})
			return err
		}},
		{"DeleteSecret scheduled", func() error { return c.DeleteSecret(ctx, "n", false, 7) }, func() error {
			_, err := sdk.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("n"), RecoveryWindowInDays: aws.Int64(7)})
			return err
		}},
		{"DeleteSecret forced", func() error { return c.DeleteSecret(ctx, "n", true, 0) }, func() error {
			_, err := sdk.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("n"), ForceDeleteWithoutRecovery: aws.Bool(true)})
			return err
		}},
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, step := range steps {
		calls = nil
		if err := step.mine(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if err := step.sdk(); err != nil {
			t.Fatalf("%s, the SDK: %v", step.name, err)
		}
		mine, theirs := calls[0], calls[1]
		if tokens := []any{mine.body["ClientRequestToken"], theirs.body["ClientRequestToken"]}; tokens[1] != nil {
			if s, _ := tokens[0].(string); !uuid.MatchString(s) || s == tokens[1] {
				t.Errorf("%s: token %v, want a fresh UUID as the SDK's %v", step.name, tokens[0], tokens[1])
			}
			delete(mine.body, "ClientRequestToken")
			delete(theirs.body, "ClientRequestToken")
		}
		a, _ := json.Marshal(mine.body)
		b, _ := json.Marshal(theirs.body)
		if mine.target != theirs.target || mine.contentType != theirs.contentType || string(a) != string(b) {
			t.Errorf("%s:\n mine %s %s %s\nSDK's %s %s %s", step.name, mine.target, mine.contentType, a, theirs.target, theirs.contentType, b)
		}
	}
}
