package setup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Audit actions.
const (
	ActionSet             = "provider.set"
	ActionRemove          = "provider.remove"
	ActionGrantPermission = "provider.grant_permission"
)

// Deps are the manager's collaborators.
type Deps struct {
	Settings    *settings.Manager
	Secrets     SecretStore
	Permissions Permissions
	States      States
	// SecretPrefix starts every secret name; the function may touch only secrets under it.
	SecretPrefix string
	Now          func() time.Time
	Log          *slog.Logger
}

// Manager is the provider use cases.
type Manager struct{ Deps }

// NewManager checks d and returns a Manager.
func NewManager(d Deps) (*Manager, error) {
	if d.Settings == nil || d.Secrets == nil || d.Permissions == nil || d.States == nil || d.SecretPrefix == "" {
		return nil, fmt.Errorf("providersetup: settings, secrets, permissions, states and a secret prefix are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Manager{d}, nil
}

// Get returns a site's settings, for the view of one service's provider.
func (m *Manager) Get(ctx context.Context, site string) (settings.Site, error) {
	return m.Settings.Get(ctx, site)
}

// siteName is what a site ID may hold to be part of a secret name.
// Compiled on first use, not in package init: init is paid by every cold start.
var siteName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`) })

// Put replaces a service's provider with in. Secrets sent are written to a new secret before
// the settings are saved; the save is the commit point: if it fails the new secret is
// removed at once, and once it succeeds a secret no configuration refers to any more is
// scheduled for deletion.
func (m *Manager) Put(ctx context.Context, actor, site string, svc settings.Service, in provider.Input) (settings.Site, error) {
	if !siteName().MatchString(site) {
		return settings.Site{}, apperr.New(apperr.CodeInvalid, "site %q cannot hold a provider: a site ID is 1 to 64 letters, digits, '.', '_' or '-'", site)
	}
	cur, err := m.Settings.Get(ctx, site)
	if err != nil {
		return settings.Site{}, err
	}
	prev := cur.Provider(svc)
	next, sent, err := in.Validate(prev)
	if err != nil {
		return settings.Site{}, err
	}
	changes := sent
	if prev != nil && prev.Kind == next.Kind && prev.Permission != nil && next.Permission == nil {
		// A new PayPal login: the old login's permission tokens go.
		changes = maps.Clone(changes)
		changes[provider.SecretPermissionToken], changes[provider.SecretPermissionTokenSecret] = "", ""
	}
	now := m.Now().UTC()
	created, err := m.writeSecrets(ctx, site, prev, &next, changes, now)
	if err != nil {
		return settings.Site{}, err
	}
	return m.save(ctx, actor, site, ActionSet, svc, prev, created, func(s settings.Site) (settings.Site, error) {
		if prev != nil {
			next.UpdatedAt, next.UpdatedBy = prev.UpdatedAt, prev.UpdatedBy
			if len(audit.Diff(prev, next)) == 0 && next.SecretRef == prev.SecretRef {
				return s, nil // the same setup again: nothing to save or audit
			}
		}
		next.UpdatedAt, next.UpdatedBy = now, actor
		return s.SetProvider(svc, &next)
	})
}

// Remove removes a service's provider; removing none is not an error.
func (m *Manager) Remove(ctx context.Context, actor, site string, svc settings.Service) (settings.Site, error) {
	cur, err := m.Settings.Get(ctx, site)
	if err != nil {
		return settings.Site{}, err
	}
	prev := cur.Provider(svc)
	return m.save(ctx, actor, site, ActionRemove, svc, prev, "", func(s settings.Site) (settings.Site, error) {
		return s.SetProvider(svc, nil)
	})
}

// save applies one audited change to a service's provider, unless the provider is no longer
// the one read (prev), and takes over the secrets the site retired meanwhile, in the same
// write; then commit cleans up. created is the secret written for the change, if any.
func (m *Manager) save(ctx context.Context, actor, site, action string, svc settings.Service, prev *provider.Setup, created string, apply func(settings.Site) (settings.Site, error)) (settings.Site, error) {
	var retired []string
	saved, err := m.Settings.Change(ctx, actor, site, action, string(svc), func(s settings.Site) (settings.Site, error) {
		retired = nil
		if err := unchanged(s.Provider(svc), prev); err != nil {
			return s, err
		}
		next, err := apply(s)
		if err != nil || reflect.DeepEqual(next.Services, s.Services) {
			return s, err
		}
		retired, next.RetiredSecrets = next.RetiredSecrets, nil
		return next, nil
	})
	return m.commit(ctx, saved, err, created, prev, retired)
}

// writeSecrets decides the secret next refers to. Without changes it keeps prev's secret
// (same kind) or has none; with changes it writes a new secret holding prev's values (same
// kind) with the changes applied, and returns its name so a failed save can remove it.
func (m *Manager) writeSecrets(ctx context.Context, site string, prev, next *provider.Setup, changes provider.Secrets, now time.Time) (string, error) {
	sameKind := prev != nil && prev.Kind == next.Kind
	if sameKind {
		next.SecretRef, next.Secrets = prev.SecretRef, prev.Secrets
	}
	if len(changes) == 0 && sameKind {
		return "", nil
	}
	base := provider.Secrets{}
	if sameKind && prev.SecretRef != "" {
		old, err := m.Secrets.Read(ctx, prev.SecretRef)
		if errors.Is(err, ErrSecretGone) {
			// Another change retired it after the settings were read: this change was made
			// over a provider that is no longer there.
			return "", apperr.New(apperr.CodeConflict, "the provider was changed by someone else meanwhile; read it again and retry")
		}
		if err != nil {
			return "", err
		}
		base = old
	}
	values := provider.Merge(base, changes)
	next.Secrets = statuses(values, changes, next.Secrets, now)
	next.SecretRef = ""
	if len(values) == 0 {
		return "", nil
	}
	name := m.secretName(site, next.Kind)
	if err := m.Secrets.Create(ctx, name, values); err != nil {
		return "", err
	}
	next.SecretRef = name
	return name, nil
}

// statuses says which secrets are set and since when: now for those just changed.
func statuses(values, changes provider.Secrets, prev map[provider.SecretName]provider.SecretStatus, now time.Time) map[provider.SecretName]provider.SecretStatus {
	if len(values) == 0 {
		return nil
	}
	out := map[provider.SecretName]provider.SecretStatus{}
	for name := range values {
		st := provider.SecretStatus{Set: true, UpdatedAt: prev[name].UpdatedAt}
		if _, changed := changes[name]; changed || st.UpdatedAt.IsZero() {
			st.UpdatedAt = now
		}
		out[name] = st
	}
	return out
}

func (m *Manager) secretName(site string, kind provider.Kind) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s%s/%s/%s", m.SecretPrefix, site, kind, hex.EncodeToString(b))
}

// commit finishes a change: on failure it removes the secret written for it; on success it
// schedules the deletion of the previous secret and of the ones the site retired, if
// nothing refers to them any more.
func (m *Manager) commit(ctx context.Context, saved settings.Site, err error, created string, prev *provider.Setup, retired []string) (settings.Site, error) {
	if err != nil {
		if created != "" {
			if derr := m.Secrets.Delete(ctx, created, true); derr != nil {
				m.Log.ErrorContext(ctx, "remove the secret of a failed change", "secret", created, "error", derr)
			}
		}
		return settings.Site{}, err
	}
	if prev != nil && prev.SecretRef != "" {
		retired = append(retired, prev.SecretRef)
	}
	for _, ref := range retired {
		if slices.Contains(saved.SecretRefs(), ref) {
			continue
		}
		// The change is saved; a secret left behind is only untidy, so this is logged, not failed.
		if derr := m.Secrets.Delete(ctx, ref, false); derr != nil {
			m.Log.ErrorContext(ctx, "schedule the deletion of a retired secret", "secret", ref, "error", derr)
		}
	}
	return saved, nil
}

// unchanged refuses to save over a provider someone else changed since it was read: the new
// secret was merged from the old one, so the change must be made again from a fresh read.
func unchanged(cur, read *provider.Setup) error {
	if (cur == nil) == (read == nil) && (cur == nil || (cur.SecretRef == read.SecretRef && cur.UpdatedAt.Equal(read.UpdatedAt))) {
		return nil
	}
	return apperr.New(apperr.CodeConflict, "the provider was changed by someone else meanwhile; read it again and retry")
}
