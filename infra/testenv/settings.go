package testenv

import (
	"context"
	"sync"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// SettingsStore is settings.Store with func fields, for tests of what works over a site's
// settings; MemSettings gives them a table's behaviour.
type SettingsStore struct {
	GetFn  func(site string) (settings.Site, error)
	SaveFn func(next settings.Site, entry audit.Entry) error
}

var _ settings.Store = (*SettingsStore)(nil)

func (f *SettingsStore) Get(_ context.Context, site string) (settings.Site, error) {
	return f.GetFn(site)
}

func (f *SettingsStore) Save(_ context.Context, next settings.Site, entry audit.Entry) error {
	return f.SaveFn(next, entry)
}

// MemSettings keeps sites' settings in memory as the settings table does: a site never
// saved reads as settings.New, a save lands only over the version it was read at, and the
// audit entries written with the saves are kept.
type MemSettings struct {
	mu      sync.Mutex
	sites   map[string]settings.Site
	entries []audit.Entry
}

// NewMemSettings holds the given sites, as saved.
func NewMemSettings(sites ...settings.Site) *MemSettings {
	m := &MemSettings{sites: map[string]settings.Site{}}
	for _, s := range sites {
		m.sites[s.Site] = s
	}
	return m
}

// Store is a SettingsStore over m.
func (m *MemSettings) Store() *SettingsStore {
	return &SettingsStore{GetFn: m.get, SaveFn: m.save}
}

func (m *MemSettings) get(site string) (settings.Site, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sites[site]; ok {
		return s, nil
	}
	return settings.New(site), nil
}

func (m *MemSettings) save(next settings.Site, entry audit.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if next.Version != m.sites[next.Site].Version+1 {
		return settings.ErrVersionConflict
	}
	m.sites[next.Site], m.entries = next, append(m.entries, entry)
	return nil
}

// Audited lists the entries saved so far.
func (m *MemSettings) Audited() []audit.Entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]audit.Entry(nil), m.entries...)
}
