// Package throttle is a brake on guessing: it counts failures (an unknown promotion code,
// say) per key in fixed windows, and refuses a key that reached its limit until its window
// ends. It knows no feature: callers name the keys and count what they call a failure.
package throttle

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limit is how many failures a key may have within one window.
type Limit struct {
	Max    int64
	Window time.Duration
}

// Validate refuses a limit that could never let anything through or never end.
func (l Limit) Validate() error {
	if l.Max < 1 || l.Window < time.Second {
		return fmt.Errorf("throttle: a limit needs at least 1 failure per window of at least a second, not %d per %s", l.Max, l.Window)
	}
	return nil
}

// Window is one fixed window of a limit: failures from Start (inclusive) to End (exclusive)
// count together.
type Window struct {
	Start, End time.Time
}

// WindowAt is the window of l that holds t. Windows are aligned on multiples of their
// length (a 15-minute window starts at :00, :15, :30, :45 UTC), so every instance of a
// function agrees on them with no shared clock but the time.
func (l Limit) WindowAt(t time.Time) Window {
	start := t.UTC().Truncate(l.Window)
	return Window{Start: start, End: start.Add(l.Window)}
}

// Key is what failures are counted against (one buyer, one site), with its limit.
type Key struct {
	Name  string
	Limit Limit
}

// Counts keeps the failure counts.
type Counts interface {
	// Count reads how many failures name has in w (0 when none).
	Count(ctx context.Context, name string, w Window) (int64, error)
	// Add counts one failure of name in w and answers the count with it. However many add
	// at once, every one counts. The store may forget the count once w has ended.
	Add(ctx context.Context, name string, w Window) (int64, error)
}

// Throttle checks keys against their limits and counts their failures.
type Throttle struct {
	counts Counts
	now    func() time.Time
}

// New returns a throttle keeping its counts in counts, telling the time by now.
func New(counts Counts, now func() time.Time) (*Throttle, error) {
	if counts == nil || now == nil {
		return nil, errors.New("throttle: a store and a clock are required")
	}
	return &Throttle{counts: counts, now: now}, nil
}

// Blocked is a key that reached its limit, and how long until its window ends.
type Blocked struct {
	Key        Key
	RetryAfter time.Duration
}

// Check answers whether one of keys has reached its limit in its current window; when
// several have, the one whose window ends last (waiting that long frees them all).
func (t *Throttle) Check(ctx context.Context, keys ...Key) (Blocked, bool, error) {
	now := t.now()
	var worst Blocked
	blocked := false
	for _, k := range keys {
		w := k.Limit.WindowAt(now)
		n, err := t.counts.Count(ctx, k.Name, w)
		if err != nil {
			return Blocked{}, false, err
		}
		if wait := w.End.Sub(now); n >= k.Limit.Max && (!blocked || wait > worst.RetryAfter) {
			worst, blocked = Blocked{Key: k, RetryAfter: wait}, true
		}
	}
	return worst, blocked, nil
}

// Fail counts one failure against each of keys, in each key's current window. It tries
// every key even when one fails, and answers the first error.
func (t *Throttle) Fail(ctx context.Context, keys ...Key) error {
	now := t.now()
	var first error
	for _, k := range keys {
		if _, err := t.counts.Add(ctx, k.Name, k.Limit.WindowAt(now)); err != nil && first == nil {
			first = err
		}
	}
	return first
}
