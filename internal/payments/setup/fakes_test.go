package setup

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// memSettings is a settings.Store in memory; onSave, when set, may fail a save.
type memSettings struct {
	mu      sync.Mutex
	sites   map[string]settings.Site
	entries []audit.Entry
	onSave  func(next settings.Site) error
}

func (m *memSettings) Get(_ context.Context, site string) (settings.Site, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sites[site]; ok {
		return s, nil
	}
	return settings.New(site), nil
}

func (m *memSettings) Save(_ context.Context, next settings.Site, e audit.Entry) error {
	if m.onSave != nil {
		if err := m.onSave(next); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sites == nil {
		m.sites = map[string]settings.Site{}
	}
	if m.sites[next.Site].Version != next.Version-1 {
		return settings.ErrVersionConflict
	}
	m.sites[next.Site] = next
	m.entries = append(m.entries, e)
	return nil
}

// memSecrets is a SecretStore in memory that remembers what was deleted and how.
type memSecrets struct {
	mu        sync.Mutex
	live      map[string]provider.Secrets
	scheduled []string
	forced    []string
}

func (m *memSecrets) Create(_ context.Context, name string, v provider.Secrets) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.live == nil {
		m.live = map[string]provider.Secrets{}
	}
	if _, ok := m.live[name]; ok {
		return errors.New("exists")
	}
	m.live[name] = v
	return nil
}

func (m *memSecrets) Read(_ context.Context, name string) (provider.Secrets, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.live[name]
	if !ok {
		return nil, fmt.Errorf("read %s: %w", name, ErrSecretGone)
	}
	return v, nil
}

func (m *memSecrets) Delete(_ context.Context, name string, force bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.live, name)
	if force {
		m.forced = append(m.forced, name)
	} else {
		m.scheduled = append(m.scheduled, name)
	}
	return nil
}

// fakePermissions is Permissions with func fields.
type fakePermissions struct {
	request func(env provider.Env, callback string) (PermissionRequest, error)
	verify  func(env provider.Env, token, verifier string) (Grant, error)
}

func (f fakePermissions) Request(_ context.Context, env provider.Env, cb string) (PermissionRequest, error) {
	return f.request(env, cb)
}

func (f fakePermissions) Verify(_ context.Context, env provider.Env, token, verifier string) (Grant, error) {
	return f.verify(env, token, verifier)
}

// memStates is States in memory.
type memStates struct {
	mu sync.Mutex
	m  map[string]GrantState
	at map[string]time.Time
}

func (s *memStates) Put(_ context.Context, key string, st GrantState, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m, s.at = map[string]GrantState{}, map[string]time.Time{}
	}
	s.m[key], s.at[key] = st, expires
	return nil
}

func (s *memStates) Take(_ context.Context, key string, now time.Time) (GrantState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[key]
	if !ok || !now.Before(s.at[key]) {
		return GrantState{}, ErrUnknownState
	}
	delete(s.m, key)
	return st, nil
}
