package settings

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// fakeStore is a Store whose behaviour each test sets.
type fakeStore struct {
	GetFn  func(ctx context.Context, site string) (Site, error)
	SaveFn func(ctx context.Context, next Site, entry audit.Entry) error
}

func (f *fakeStore) Get(ctx context.Context, site string) (Site, error) { return f.GetFn(ctx, site) }
func (f *fakeStore) Save(ctx context.Context, next Site, e audit.Entry) error {
	return f.SaveFn(ctx, next, e)
}

var _ Store = (*fakeStore)(nil)

func TestManagerRetriesConflictWithFreshRead(t *testing.T) {
	stored := New("acme")
	saves := 0
	var entry audit.Entry
	store := &fakeStore{
		GetFn: func(context.Context, string) (Site, error) { return stored, nil },
		SaveFn: func(_ context.Context, next Site, e audit.Entry) error {
			saves++
			if saves == 1 {
				// Someone else saved in between: the retry must build on their change.
				stored = mustApply(t, stored, Events, Patch{SupportInfo: ptr("help@acme.example")})
				stored.Version = 1
				return ErrVersionConflict
			}
			stored, entry = next, e
			return nil
		},
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	m := NewManager(store, func() time.Time { return now })
	got, err := m.Update(context.Background(), "u1", "acme", Events, Patch{MerchantName: ptr("Acme")})
	if err != nil {
		t.Fatal(err)
	}
	if saves != 2 || got.Version != 2 || got.Services[Events].Config.SupportInfo != "help@acme.example" || got.Services[Events].Config.MerchantName != "Acme" {
		t.Fatalf("saves=%d got=%+v", saves, got)
	}
	if entry.Actor != "u1" || entry.Action != ActionUpdate || entry.Target != "events" || !entry.At.Equal(now) ||
		len(entry.Changes) != 1 || entry.Changes[0].Field != "events.config.merchantName" || entry.Changes[0].After != "Acme" {
		t.Fatalf("entry = %+v", entry)
	}
}

func TestManagerGivesUpAfterRepeatedConflicts(t *testing.T) {
	store := &fakeStore{
		GetFn:  func(context.Context, string) (Site, error) { return New("acme"), nil },
		SaveFn: func(context.Context, Site, audit.Entry) error { return ErrVersionConflict },
	}
	_, err := NewManager(store, nil).SetMode(context.Background(), "u1", "acme", Training, ModeProduction)
	if apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("err = %v, want conflict", err)
	}
}

func TestManagerNoChangeWritesNothing(t *testing.T) {
	store := &fakeStore{
		GetFn: func(context.Context, string) (Site, error) { return New("acme"), nil },
		SaveFn: func(context.Context, Site, audit.Entry) error {
			t.Fatal("a change that changes nothing must not be saved or audited")
			return nil
		},
	}
	m := NewManager(store, nil)
	if _, err := m.SetMode(context.Background(), "u1", "acme", Events, ModeTest); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Update(context.Background(), "u1", "acme", Events, Patch{}); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Fatalf("empty patch: err = %v", err)
	}
}

func TestManagerPassesStoreErrors(t *testing.T) {
	boom := errors.New("boom")
	store := &fakeStore{GetFn: func(context.Context, string) (Site, error) { return Site{}, boom }}
	if _, err := NewManager(store, nil).Update(context.Background(), "u", "acme", Events, Patch{Enabled: ptr(true)}); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}
