// Package backoff is the one pause between retries that every adapter uses: exponential
// with "full jitter", so that many callers throttled at the same moment do not all come
// back at the same moment.
package backoff

import (
	"math/rand/v2"
	"time"
)

// Policy is exponential backoff with full jitter: the pause before retry n (0 for the
// first retry) is a uniformly random duration below min(Max, Base·2ⁿ).
type Policy struct {
	Base, Max time.Duration
	// Random returns a number in [0, 1); nil means math/rand/v2's Float64. Tests inject a
	// constant one to make the pause exact.
	Random func() float64
}

// Pause is the pause before retry number n (0 for the first retry).
func (p Policy) Pause(n int) time.Duration {
	ceiling := p.Max
	if n < 62 { // past that, Base<<n overflows whatever Base is
		if d := p.Base << n; d > 0 && d < p.Max {
			ceiling = d
		}
	}
	random := p.Random
	if random == nil {
		random = rand.Float64
	}
	return time.Duration(random() * float64(ceiling))
}
