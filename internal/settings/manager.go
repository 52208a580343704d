package settings

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/backoff"
)

// Store keeps sites' settings.
type Store interface {
	// Get returns the stored settings, or New(site) (version 0) for a site never saved.
	Get(ctx context.Context, site string) (Site, error)
	// Save stores next only if the stored version is still next.Version-1, writing entry to
	// the audit log in the same transaction; otherwise it returns ErrVersionConflict.
	Save(ctx context.Context, next Site, entry audit.Entry) error
}

// ErrVersionConflict reports that the settings changed between read and save.
var ErrVersionConflict = errors.New("settings changed concurrently")

// Retries after a concurrent change re-read and re-apply the same request, so nothing the
// other writer did is lost. They pause with jittered backoff (so that writers who collided
// do not collide again in step) for as long as conflictBudget, or the request's own
// deadline less a second, allows: a 409 then means the settings are really too busy.
const conflictBudget = 10 * time.Second

var conflictPause = backoff.Policy{Base: 5 * time.Millisecond, Max: 400 * time.Millisecond}

// maxConflictAttempts bounds the retries however the clock behaves (a test's may stand still).
const maxConflictAttempts = 100

// Audit actions.
const (
	ActionUpdate  = "settings.update"
	ActionSetMode = "settings.set_mode"
)

// Manager is the settings use cases.
type Manager struct {
	store Store
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

// NewManager returns a Manager over store.
func NewManager(store Store, now func() time.Time) *Manager {
	if now == nil {
		now = time.Now
	}
	return &Manager{store: store, now: now, sleep: sleepCtx}
}

// Get returns a site's settings.
func (m *Manager) Get(ctx context.Context, site string) (Site, error) {
	return m.store.Get(ctx, site)
}

// Update applies a patch through one service.
func (m *Manager) Update(ctx context.Context, actor, site string, svc Service, p Patch) (Site, error) {
	if p.Empty() {
		return Site{}, apperr.New(apperr.CodeInvalid, "the body changes nothing; send at least one field")
	}
	return m.Change(ctx, actor, site, ActionUpdate, string(svc), func(s Site) (Site, error) { return s.Apply(svc, p) })
}

// SetMode switches a service between test and production.
func (m *Manager) SetMode(ctx context.Context, actor, site string, svc Service, mode Mode) (Site, error) {
	return m.Change(ctx, actor, site, ActionSetMode, string(svc), func(s Site) (Site, error) { return s.SetMode(svc, mode) })
}

// Change applies one audited change to a site's settings: it reads them, applies apply, and
// saves the result with an audit entry listing the changed fields, retrying from a fresh
// read when someone else saved in between (apply may run more than once). A change that
// changes nothing is not saved.
func (m *Manager) Change(ctx context.Context, actor, site, action, target string, apply func(Site) (Site, error)) (Site, error) {
	deadline := m.now().Add(conflictBudget)
	if d, ok := ctx.Deadline(); ok && d.Add(-time.Second).Before(deadline) {
		deadline = d.Add(-time.Second)
	}
	for attempt := 0; ; attempt++ {
		cur, err := m.store.Get(ctx, site)
		if err != nil {
			return Site{}, err
		}
		next, err := apply(cur)
		if err != nil {
			return Site{}, err
		}
		if reflect.DeepEqual(cur.Services, next.Services) {
			return cur, nil
		}
		// Diff may list nothing for a change it cannot see (a provider's new secret written
		// in the same instant); the change is saved all the same.
		changes := audit.Diff(cur.Services, next.Services)
		now := m.now().UTC()
		next.Version = cur.Version + 1
		next.UpdatedAt, next.UpdatedBy = now, actor
		err = m.store.Save(ctx, next, audit.NewEntry(site, actor, action, target, now, changes))
		if !errors.Is(err, ErrVersionConflict) {
			if err != nil {
				return Site{}, err
			}
			return next, nil
		}
		pause := conflictPause.Pause(attempt)
		if attempt+1 >= maxConflictAttempts || m.now().Add(pause).After(deadline) {
			return Site{}, apperr.New(apperr.CodeConflict, "the settings are being changed by someone else; try again")
		}
		if err := m.sleep(ctx, pause); err != nil {
			return Site{}, apperr.Internal(err)
		}
	}
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
