package sesmail

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(10, clock.Now, clock.Sleep)
	ctx := context.Background()
	wait := func() {
		t.Helper()
		if err := l.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	wait() // the burst token: no sleep
	wait() // 100ms
	if got := clock.sleeps(); !slices.Equal(got, []time.Duration{100 * time.Millisecond}) {
		t.Fatalf("sleeps = %v, want [100ms]", got)
	}
	// An idle second refills only up to the burst of 1: the next wait is free, the one
	// after it is not.
	clock.now = clock.now.Add(time.Second)
	wait()
	wait()
	if got := clock.sleeps(); len(got) != 2 || got[1] != 100*time.Millisecond {
		t.Fatalf("sleeps = %v, want [100ms 100ms]", got)
	}
}

func TestLimiterGivesBackTheTokenOnCancel(t *testing.T) {
	clock := newFakeClock()
	clock.frozen = true
	cancelled := false
	sleep := func(ctx context.Context, d time.Duration) error {
		if cancelled {
			return context.Canceled
		}
		return clock.Sleep(ctx, d)
	}
	l := newLimiter(1, clock.Now, sleep)
	ctx := context.Background()
	_ = l.wait(ctx) // takes the burst token
	cancelled = true
	if err := l.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	cancelled = false
	_ = l.wait(ctx)
	// The cancelled caller's slot is free again: the next caller waits one slot, not two.
	if got := clock.sleeps(); !slices.Equal(got, []time.Duration{time.Second}) {
		t.Errorf("sleeps = %v, want [1s]", got)
	}
}

func TestSleepCtx(t *testing.T) {
	if err := sleepCtx(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if err := sleepCtx(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
}

// A caller that gives up while others have reserved after it frees no slot that one of them
// already holds: the next caller queues behind them, so no two sends share a slot.
func TestLimiterCancelBehindOthersKeepsTheRate(t *testing.T) {
	clock := newFakeClock()
	clock.frozen = true
	var l *limiter
	var queued error
	sleep := func(ctx context.Context, d time.Duration) error {
		if d == time.Second { // the first waiter: another caller queues behind it, then it gives up
			queued = l.wait(ctx)
			return context.Canceled
		}
		return clock.Sleep(ctx, d)
	}
	l = newLimiter(1, clock.Now, sleep)
	ctx := context.Background()
	if err := l.wait(ctx); err != nil { // takes the burst token
		t.Fatal(err)
	}
	if err := l.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if queued != nil {
		t.Fatal(queued)
	}
	if err := l.wait(ctx); err != nil {
		t.Fatal(err)
	}
	// Slots are 1s apart at rate 1: the burst token is at 0, the queued caller's at 2s (the
	// one that gave up held 1s); the last one may take 1s or come after 2s, not share 2s.
	got := clock.sleeps()
	if len(got) != 2 || got[0] != 2*time.Second {
		t.Fatalf("sleeps = %v, want the queued caller to wait 2s", got)
	}
	if last := got[1]; last < time.Second || (last > time.Second && last < 3*time.Second) {
		t.Errorf("the last caller waits %v: its send shares a slot with another (want 1s, or 3s or later)", last)
	}
}
