package sesmail

import (
	"context"
	"sync"
	"time"
)

// fakeSES is SES as a function of the attempt number (1-based) and the input.
type fakeSES struct {
	mu    sync.Mutex
	calls []Email
	send  func(ctx context.Context, n int, in Email) (string, error)
}

var _ SendEmailAPI = (*fakeSES)(nil)

func (f *fakeSES) SendEmail(ctx context.Context, in Email) (string, error) {
	f.mu.Lock()
	f.calls = append(f.calls, in)
	n := len(f.calls)
	f.mu.Unlock()
	if f.send == nil {
		return "msg-1", nil
	}
	return f.send(ctx, n, in)
}

func (f *fakeSES) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// fakeClock is a clock that only moves when someone sleeps on it (unless frozen), and
// records every sleep.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	frozen bool
	slept  []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	if !c.frozen {
		c.now = c.now.Add(d)
	}
	return nil
}

func (c *fakeClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

func (c *fakeClock) elapsed(since time.Time) time.Duration { return c.Now().Sub(since) }
