package dynamo_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/dynamo"
	"github.com/boxofficehq/boxoffice/internal/provider"
	"github.com/boxofficehq/boxoffice/internal/providersetup"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/testenv"
)

func TestGrantStatesServeOnce(t *testing.T) {
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	g, err := dynamo.NewGrantStates(db, tables["SitesTable"])
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	st := providersetup.GrantState{Site: "acme", Service: "events", Env: provider.Sandbox, Kind: provider.ExpressCheckoutUS, RequestToken: "AAAA", Actor: "u1"}
	if err := g.Put(ctx, "k1", st, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := g.Put(ctx, "k1", st, now.Add(time.Hour)); err == nil {
		t.Error("a state was overwritten")
	}
	// Eight callbacks race for the same state: exactly one gets it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, lost := 0, 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := g.Take(ctx, "k1", now)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && got == st:
				won++
			case errors.Is(err, providersetup.ErrUnknownState):
				lost++
			default:
				t.Errorf("take: %+v, %v", got, err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || lost != 7 {
		t.Errorf("won %d, lost %d; want 1 and 7", won, lost)
	}
	// An expired state is refused even though DynamoDB has not swept it yet.
	if err := g.Put(ctx, "k2", st, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Take(ctx, "k2", now.Add(2*time.Minute)); !errors.Is(err, providersetup.ErrUnknownState) {
		t.Errorf("expired state: %v", err)
	}
	if _, err := g.Take(ctx, "never-issued", now); !errors.Is(err, providersetup.ErrUnknownState) {
		t.Errorf("unknown state: %v", err)
	}
}

// TestProviderRoundTrip: a provider stored in the settings item keeps every field, its
// secret reference included (the API hides it; the table must not lose it).
func TestProviderRoundTrip(t *testing.T) {
	store, _ := newStores(t)
	ctx := context.Background()
	m := settings.NewManager(store, nil)
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	p := &provider.Setup{
		Kind: provider.PayflowPro, PartnerID: "PayPal", Vendor: "acme", UserID: "api", AccountType: provider.AccountPayflowPro,
		ExpressCheckout: true, Cards: []provider.Card{provider.Visa, provider.JCB}, Currency: provider.USD,
		Secrets:   map[provider.SecretName]provider.SecretStatus{provider.SecretPassword: {Set: true, UpdatedAt: at}},
		SecretRef: "boxoffice/t/providers/acme/payflow_pro/ab12", UpdatedAt: at, UpdatedBy: "u1",
	}
	if _, err := m.Change(ctx, "u1", "acme", "provider.set", "events", func(s settings.Site) (settings.Site, error) {
		return s.SetProvider(settings.Events, p)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := store.Get(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	g := got.Provider(settings.Events)
	if g == nil || g.SecretRef != p.SecretRef || g.Kind != p.Kind || len(g.Cards) != 2 || g.Cards[1] != provider.JCB ||
		!g.ExpressCheckout || !g.Secrets[provider.SecretPassword].Set || !g.Secrets[provider.SecretPassword].UpdatedAt.Equal(at) {
		t.Errorf("read back %+v", g)
	}
}
