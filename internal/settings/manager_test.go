package settings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
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
	clock := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	m := NewManager(store, func() time.Time { return clock })
	slept := time.Duration(0)
	m.sleep = func(_ context.Context, d time.Duration) error { clock = clock.Add(d); slept += d; return nil }
	_, err := m.SetMode(context.Background(), "u1", "acme", Training, ModeProduction)
	if apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("err = %v, want conflict", err)
	}
	// It kept trying, with pauses, for most of its budget, and not past it.
	if slept > conflictBudget || slept < conflictBudget/2 {
		t.Fatalf("slept %v in all, want most of %v", slept, conflictBudget)
	}
}

// TestGivesUpOnAClockThatStandsStill: the budget is read on the manager's clock; when that
// clock does not move (a test's), the attempts are bounded all the same.
func TestGivesUpOnAClockThatStandsStill(t *testing.T) {
	saves := 0
	store := &fakeStore{
		GetFn:  func(context.Context, string) (Site, error) { return New("acme"), nil },
		SaveFn: func(context.Context, Site, audit.Entry) error { saves++; return ErrVersionConflict },
	}
	frozen := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	m := NewManager(store, func() time.Time { return frozen })
	m.sleep = func(context.Context, time.Duration) error { return nil }
	if _, err := m.SetMode(context.Background(), "u1", "acme", Training, ModeProduction); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("err = %v, want conflict", err)
	}
	if saves != maxConflictAttempts {
		t.Fatalf("%d saves, want %d", saves, maxConflictAttempts)
	}
}

// TestTwentyConcurrentChangesAllSucceed: 20 administrators change the settings at the same
// moment, each a field of their own or the same one as others, each a value of their own; every change is saved (none gets a
// 409), each exactly once, and none is lost. (Five immediate retries gave up to 60% 409s.)
func TestTwentyConcurrentChangesAllSucceed(t *testing.T) {
	store := newVersionedStore()
	m := NewManager(store, nil)
	const writers = 20
	fields := []func(i int) Patch{
		func(i int) Patch { return Patch{MerchantName: ptr(fmt.Sprintf("Acme %d", i))} },
		func(i int) Patch { return Patch{SupportInfo: ptr(fmt.Sprintf("help%d@acme.example", i))} },
		func(i int) Patch {
			return Patch{PaymentPage: &PaymentPagePatch{Header: ptr(fmt.Sprintf("Header %d", i))}}
		},
		func(i int) Patch {
			return Patch{PaymentPage: &PaymentPagePatch{Footer: ptr(fmt.Sprintf("Footer %d", i))}}
		},
	}
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = m.Update(context.Background(), fmt.Sprintf("admin-%d", i), "acme", Events, fields[i%len(fields)](i))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	saved, entries := store.state()
	if saved.Version != writers || len(entries) != writers {
		t.Fatalf("version %d with %d audit entries, want %d saves", saved.Version, len(entries), writers)
	}
	// The last change of each field won; every field was changed by someone.
	c := saved.Services[Events].Config
	if c.MerchantName == "" || c.SupportInfo == "" || c.PaymentPage.Header == "" || c.PaymentPage.Footer == "" {
		t.Fatalf("a change was lost: %+v", c)
	}
}

// versionedStore is a Store that, like the DynamoDB one, saves only over the version read.
type versionedStore struct {
	mu      sync.Mutex
	site    Site
	entries []audit.Entry
}

func newVersionedStore() *versionedStore { return &versionedStore{site: New("acme")} }

func (s *versionedStore) Get(context.Context, string) (Site, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneSite(s.site), nil
}

func (s *versionedStore) Save(_ context.Context, next Site, e audit.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if next.Version != s.site.Version+1 {
		return ErrVersionConflict
	}
	s.site, s.entries = cloneSite(next), append(s.entries, e)
	return nil
}

func (s *versionedStore) state() (Site, []audit.Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneSite(s.site), append([]audit.Entry(nil), s.entries...)
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

// cloneSite is a deep copy, so that no writer shares a map with the store.
func cloneSite(s Site) Site {
	raw, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	var out Site
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(err)
	}
	return out
}
