package backoff

import (
	"testing"
	"time"
)

func TestPause(t *testing.T) {
	const base, max = 100 * time.Millisecond, 5 * time.Second
	for _, tc := range []struct {
		n      int
		random float64
		want   time.Duration
	}{
		{0, 1, 100 * time.Millisecond},
		{1, 1, 200 * time.Millisecond},
		{3, 1, 800 * time.Millisecond},
		{5, 1, 3200 * time.Millisecond},
		{6, 1, max},
		{62, 1, max},  // base<<62 overflows
		{200, 1, max}, // shift past the width
		{3, 0.5, 400 * time.Millisecond},
		{3, 0, 0},
	} {
		p := Policy{Base: base, Max: max, Random: func() float64 { return tc.random }}
		if got := p.Pause(tc.n); got != tc.want {
			t.Errorf("Pause(%d), random %v = %v, want %v", tc.n, tc.random, got, tc.want)
		}
	}
}

// With the default random source every pause stays below its ceiling, and they are not all
// the same (which a constant source would give).
func TestPauseIsJittered(t *testing.T) {
	p := Policy{Base: 100 * time.Millisecond, Max: 5 * time.Second}
	seen := map[time.Duration]bool{}
	for range 100 {
		d := p.Pause(2)
		if d < 0 || d >= 400*time.Millisecond {
			t.Fatalf("jittered Pause(2) = %v, want in [0, 400ms)", d)
		}
		seen[d] = true
	}
	if len(seen) < 2 {
		t.Errorf("100 pauses took %d distinct values, want jitter", len(seen))
	}
}
