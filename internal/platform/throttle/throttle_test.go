package throttle_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle/throttletest"
)

// clock is a fake clock the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// windowStart is a quarter-hour boundary: 15-minute windows start on it.
var windowStart = time.Date(2026, 6, 1, 12, 15, 0, 0, time.UTC)

func newThrottle(t *testing.T, at time.Time) (*throttle.Throttle, *throttletest.Counts, *clock) {
	t.Helper()
	m, c := &throttletest.Counts{}, &clock{t: at}
	th, err := throttle.New(m, c.now)
	if err != nil {
		t.Fatal(err)
	}
	return th, m, c
}

func TestWindowAt(t *testing.T) {
	l := throttle.Limit{Max: 10, Window: 15 * time.Minute}
	for _, tc := range []struct {
		at, start time.Time
	}{
		{windowStart, windowStart},
		{windowStart.Add(-time.Nanosecond), windowStart.Add(-15 * time.Minute)},
		{windowStart.Add(15*time.Minute - time.Nanosecond), windowStart},
		{windowStart.Add(15 * time.Minute), windowStart.Add(15 * time.Minute)},
		{windowStart.In(time.FixedZone("UTC+5:30", 5*3600+1800)).Add(time.Minute), windowStart}, // the zone does not move windows
	} {
		w := l.WindowAt(tc.at)
		if !w.Start.Equal(tc.start) || !w.End.Equal(tc.start.Add(15*time.Minute)) {
			t.Errorf("WindowAt(%s) = %s..%s, want from %s", tc.at, w.Start, w.End, tc.start)
		}
	}
}

// A key is refused once its failures reach the limit, with the wait until its window ends,
// and free again when the next window starts.
func TestCheckRefusesAtTheLimitUntilTheWindowEnds(t *testing.T) {
	ctx := context.Background()
	th, _, c := newThrottle(t, windowStart.Add(2*time.Minute))
	buyer := throttle.Key{Name: "buyer", Limit: throttle.Limit{Max: 3, Window: 15 * time.Minute}}
	for i := range 3 {
		if _, blocked, err := th.Check(ctx, buyer); err != nil || blocked {
			t.Fatalf("after %d failures: blocked %v, %v", i, blocked, err)
		}
		if err := th.Fail(ctx, buyer); err != nil {
			t.Fatal(err)
		}
	}
	c.t = windowStart.Add(14*time.Minute + 30*time.Second)
	b, blocked, err := th.Check(ctx, buyer)
	if err != nil || !blocked || b.Key != buyer || b.RetryAfter != 30*time.Second {
		t.Fatalf("at the limit: %+v blocked %v, %v; want 30s to wait", b, blocked, err)
	}
	c.t = windowStart.Add(15*time.Minute - time.Nanosecond)
	if b, blocked, _ := th.Check(ctx, buyer); !blocked || b.RetryAfter != time.Nanosecond {
		t.Fatalf("at the window's last instant: %+v blocked %v", b, blocked)
	}
	c.t = windowStart.Add(15 * time.Minute)
	if _, blocked, _ := th.Check(ctx, buyer); blocked {
		t.Fatal("still refused in the next window")
	}
}

// Of several keys over their limits, the answer is the one whose window ends last; keys
// are counted apart.
func TestCheckAnswersTheLongestWait(t *testing.T) {
	ctx := context.Background()
	th, m, c := newThrottle(t, windowStart.Add(time.Minute))
	short := throttle.Key{Name: "site", Limit: throttle.Limit{Max: 1, Window: 5 * time.Minute}}
	long := throttle.Key{Name: "buyer", Limit: throttle.Limit{Max: 2, Window: time.Hour}}
	if err := th.Fail(ctx, short, long); err != nil {
		t.Fatal(err)
	}
	if b, blocked, _ := th.Check(ctx, long, short); !blocked || b.Key != short || b.RetryAfter != 4*time.Minute {
		t.Fatalf("one key at its limit: %+v %v", b, blocked)
	}
	if err := th.Fail(ctx, long); err != nil {
		t.Fatal(err)
	}
	// windowStart is 12:15, so the hour's window ends at 13:00.
	if b, blocked, _ := th.Check(ctx, short, long); !blocked || b.Key != long || b.RetryAfter != 44*time.Minute {
		t.Fatalf("both at their limits: %+v %v", b, blocked)
	}
	c.t = windowStart.Add(5 * time.Minute)
	if b, _, _ := th.Check(ctx, short, long); b.Key != long {
		t.Fatalf("the short window ended: %+v", b)
	}
	if m.Slots() != 2 {
		t.Fatalf("%d counts, want one per key", m.Slots())
	}
}

// A store that fails is the caller's to handle: Check and Fail answer its error.
func TestStoreErrorsAreAnswered(t *testing.T) {
	ctx := context.Background()
	th, m, _ := newThrottle(t, windowStart)
	m.Err = errors.New("table gone")
	k := throttle.Key{Name: "buyer", Limit: throttle.Limit{Max: 1, Window: time.Minute}}
	if _, blocked, err := th.Check(ctx, k); !errors.Is(err, m.Err) || blocked {
		t.Fatalf("check: %v %v", blocked, err)
	}
	if err := th.Fail(ctx, k, k); !errors.Is(err, m.Err) {
		t.Fatalf("fail: %v", err)
	}
}

func TestLimitValidate(t *testing.T) {
	for _, l := range []throttle.Limit{{Max: 0, Window: time.Minute}, {Max: 1, Window: 0}, {Max: 1, Window: time.Millisecond}} {
		if l.Validate() == nil {
			t.Errorf("%+v passed", l)
		}
	}
	if err := (throttle.Limit{Max: 1, Window: time.Second}).Validate(); err != nil {
		t.Error(err)
	}
	if _, err := throttle.New(nil, time.Now); err == nil {
		t.Error("a throttle without a store")
	}
}
