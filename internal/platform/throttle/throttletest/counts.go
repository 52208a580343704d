// Package throttletest holds an in-memory throttle store for the tests of what uses the
// throttle (the DynamoDB store is tested against DynamoDB Local).
package throttletest

import (
	"context"
	"sync"

	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
)

// Counts keeps failure counts in memory, by key and window; Err, when set, fails every call.
type Counts struct {
	mu     sync.Mutex
	counts map[string]int64
	Err    error
}

var _ throttle.Counts = (*Counts)(nil)

func slot(name string, w throttle.Window) string { return name + "@" + w.Start.String() }

// Count reads name's count in w.
func (m *Counts) Count(_ context.Context, name string, w throttle.Window) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return 0, m.Err
	}
	return m.counts[slot(name, w)], nil
}

// Add counts one failure of name in w.
func (m *Counts) Add(_ context.Context, name string, w throttle.Window) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return 0, m.Err
	}
	if m.counts == nil {
		m.counts = map[string]int64{}
	}
	m.counts[slot(name, w)]++
	return m.counts[slot(name, w)], nil
}

// Slots is how many key and window pairs have a count.
func (m *Counts) Slots() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.counts)
}
