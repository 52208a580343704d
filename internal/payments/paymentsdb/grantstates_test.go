package paymentsdb_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentsdb"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
)

func TestGrantStatesServeOnce(t *testing.T) {
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	g, err := paymentsdb.NewGrantStates(db, tables["SitesTable"])
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	st := setup.GrantState{Site: "acme", Service: "events", Env: provider.Sandbox, Kind: provider.ExpressCheckoutUS, RequestToken: "AAAA", Actor: "u1"}
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
			case errors.Is(err, setup.ErrUnknownState):
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
	if _, err := g.Take(ctx, "k2", now.Add(2*time.Minute)); !errors.Is(err, setup.ErrUnknownState) {
		t.Errorf("expired state: %v", err)
	}
	if _, err := g.Take(ctx, "never-issued", now); !errors.Is(err, setup.ErrUnknownState) {
		t.Errorf("unknown state: %v", err)
	}
}
