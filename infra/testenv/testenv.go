// Package testenv connects tests to the emulators that `make test` starts. Under `make test`
// (BOXOFFICE_REQUIRE_EMULATORS=1) a missing emulator fails the test; under a bare `go test`
// the test skips with a message saying how to run it.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/tables"
	"github.com/boxofficehq/boxoffice/infra/template"
)

// Environment variables set by `make test` (infra/cmd/withemulators).
const (
	EnvDynamoDB = "BOXOFFICE_TEST_DYNAMODB_ENDPOINT"
	EnvSES      = "BOXOFFICE_TEST_SES_ENDPOINT"
	EnvRequire  = "BOXOFFICE_REQUIRE_EMULATORS"
)

// Endpoint returns the endpoint in env, or fails/skips the test when it is not set.
func Endpoint(t testing.TB, env string) string {
	t.Helper()
	ep := os.Getenv(env)
	if ep != "" {
		return ep
	}
	if os.Getenv(EnvRequire) != "" {
		t.Fatalf("%s is not set but emulators are required: this test must run against the emulator", env)
	}
	t.Skipf("%s is not set: run `make test` to run this test against the emulator", env)
	return ""
}

// DynamoDB returns a client of DynamoDB Local.
func DynamoDB(t testing.TB) *dynamodb.Client {
	t.Helper()
	ep := Endpoint(t, EnvDynamoDB)
	return localaws.DynamoDB(ep)
}

// Tables creates every table of the template under a name unique to this test, deletes them
// when the test ends, and returns their names by logical ID.
func Tables(t testing.TB, db *dynamodb.Client) map[string]string {
	t.Helper()
	tpl, err := template.LoadNearest()
	if err != nil {
		t.Fatal(err)
	}
	prefix := "t" + randomHex(6) + "-"
	names, err := tables.Create(context.Background(), db, tpl, func(id string) string { return prefix + id })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, n := range names {
			_, _ = db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(n)})
		}
	})
	return names
}

// Logger returns a logger that writes into the test's log.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewJSONHandler(testWriter{t}, nil))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
