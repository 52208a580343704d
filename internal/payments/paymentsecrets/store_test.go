package paymentsecrets_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	standin "github.com/boxofficehq/boxoffice/infra/secretsmanager"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentsecrets"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
)

const prefix = "boxoffice/test/providers/"

func standIn(t *testing.T) (*awssecrets.Client, *standin.Server) {
	t.Helper()
	srv := standin.NewServer()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := localaws.SecretsManager(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestStoreCreateReadDelete(t *testing.T) {
	api, srv := standIn(t)
	store, err := paymentsecrets.NewStore(api, prefix)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	name := prefix + "demo/payflow_pro/1"
	in := provider.Secrets{provider.SecretPassword: "pa&ss=wörd"}
	if err := store.Create(ctx, name, in); err != nil {
		t.Fatal(err)
	}
	got, err := store.Read(ctx, name)
	if err != nil || got[provider.SecretPassword] != "pa&ss=wörd" || len(got) != 1 {
		t.Fatalf("read back %d values, err %v", len(got), err)
	}
	if err := store.Create(ctx, name, in); err == nil {
		t.Error("a second secret under the same name was created")
	}
	// Scheduled deletion: still there to restore, no longer readable; deleting twice is fine.
	if err := store.Delete(ctx, name, false); err != nil {
		t.Fatal(err)
	}
	if err := store.Delete(ctx, name, false); err != nil {
		t.Errorf("deleting a scheduled secret again: %v", err)
	}
	if _, err := store.Read(ctx, name); !errors.Is(err, setup.ErrSecretGone) {
		t.Errorf("a secret scheduled for deletion: read says %v, want ErrSecretGone", err)
	}
	if !contains(srv.SecretNames(), name) {
		t.Error("scheduled deletion removed the secret at once")
	}
	// Forced deletion removes it now; a missing secret is not an error.
	if err := store.Delete(ctx, name, true); err != nil {
		t.Fatal(err)
	}
	if contains(srv.SecretNames(), name) {
		t.Error("forced deletion left the secret")
	}
	if err := store.Delete(ctx, name, true); err != nil {
		t.Errorf("deleting a missing secret: %v", err)
	}
	if _, err := store.Read(ctx, name); !errors.Is(err, setup.ErrSecretGone) {
		t.Errorf("a deleted secret: read says %v, want ErrSecretGone", err)
	}
}

func TestStoreStaysUnderItsPrefix(t *testing.T) {
	api, _ := standIn(t)
	store, _ := paymentsecrets.NewStore(api, prefix)
	ctx := context.Background()
	if err := store.Create(ctx, "other/secret", provider.Secrets{"x": "y"}); err == nil {
		t.Error("created a secret outside the prefix")
	}
	if err := store.Delete(ctx, "other/secret", true); err == nil {
		t.Error("deleted a secret outside the prefix")
	}
}

func TestErrorsDoNotCarryValues(t *testing.T) {
	api, _ := standIn(t)
	store, _ := paymentsecrets.NewStore(api, prefix)
	ctx := context.Background()
	name := prefix + "demo/worldpay/1"
	if err := store.Create(ctx, name, provider.Secrets{provider.SecretCallbackPassword: "cb-very-secret"}); err != nil {
		t.Fatal(err)
	}
	err := store.Create(ctx, name, provider.Secrets{provider.SecretCallbackPassword: "cb-very-secret"})
	if err == nil || strings.Contains(err.Error(), "cb-very-secret") {
		t.Errorf("error %v", err)
	}
}

// countingAPI counts the reads that reach Secrets Manager.
type countingAPI struct {
	api   paymentsecrets.GetSecretValueAPI
	reads atomic.Int32
}

func (c *countingAPI) GetSecretValue(ctx context.Context, id string) (*awssecrets.SecretValue, error) {
	c.reads.Add(1)
	return c.api.GetSecretValue(ctx, id)
}

func TestReaderCachesUntilStale(t *testing.T) {
	api, _ := standIn(t)
	store, _ := paymentsecrets.NewStore(api, prefix)
	ctx := context.Background()
	name := prefix + "demo/payflow_pro/2"
	if err := store.Create(ctx, name, provider.Secrets{provider.SecretPassword: "first-pw"}); err != nil {
		t.Fatal(err)
	}
	counting := &countingAPI{api: api}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	r := paymentsecrets.NewReader(counting, time.Minute, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		got, err := r.Read(ctx, name)
		if err != nil || got[provider.SecretPassword] != "first-pw" {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	if n := counting.reads.Load(); n != 1 {
		t.Errorf("3 fresh reads made %d calls, want 1", n)
	}
	now = now.Add(time.Minute)
	if _, err := r.Read(ctx, name); err != nil {
		t.Fatal(err)
	}
	if n := counting.reads.Load(); n != 2 {
		t.Errorf("a stale entry made %d calls in all, want 2", n)
	}
	if _, err := r.Read(ctx, prefix+"missing"); err == nil {
		t.Error("a missing secret read without error")
	}
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}
