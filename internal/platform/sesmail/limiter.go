package sesmail

import (
	"context"
	"sync"
	"time"
)

// limiter is a token bucket of burst 1 shared by every goroutine of a Sender, so that all
// of them together stay under the account's SES MaxSendRate. A caller that finds no token
// reserves the next one (the balance goes negative) and sleeps until it is due: waiters are
// served in arrival order and never wake up only to find the token gone.
type limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	tokens float64 // may be negative: tokens reserved by sleeping callers
	last   time.Time
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
}

const burst = 1

func newLimiter(rate float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{rate: rate, tokens: burst, last: now(), now: now, sleep: sleep}
}

// wait takes a token, sleeping until one is due; it returns ctx's error if ctx ends first,
// and then gives the reserved token back.
func (l *limiter) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.now()
	if elapsed := now.Sub(l.last); elapsed > 0 {
		l.tokens = min(burst, l.tokens+elapsed.Seconds()*l.rate)
		l.last = now
	}
	l.tokens--
	var d time.Duration
	if l.tokens < 0 {
		d = time.Duration(-l.tokens / l.rate * float64(time.Second))
	}
	l.mu.Unlock()
	if d == 0 {
		return nil
	}
	if err := l.sleep(ctx, d); err != nil {
		l.mu.Lock()
		l.tokens = min(burst, l.tokens+1)
		l.mu.Unlock()
		return err
	}
	return nil
}

// sleepCtx sleeps for d or until ctx ends, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
