package sesmail

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket of burst 1 shared by every goroutine of a Sender, so that all
// of them together stay under the account's SES MaxSendRate. The bucket is x/time/rate's;
// this only reads it with the Sender's clock and sleep (rate.Limiter.Wait would use the real
// ones), so tests drive it with a fake clock. A caller that finds no token reserves the next
// one and sleeps until it is due: waiters are served in arrival order and never wake up only
// to find the token gone.
type limiter struct {
	bucket *rate.Limiter
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
}

func newLimiter(perSecond float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{bucket: rate.NewLimiter(rate.Limit(perSecond), 1), now: now, sleep: sleep}
}

// wait takes a token, sleeping until one is due; it returns ctx's error if ctx ends first,
// and then gives the reserved token back (unless a later caller has reserved after it).
func (l *limiter) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := l.now()
	r := l.bucket.ReserveN(now, 1) // always granted: one token never exceeds the burst of 1
	d := r.DelayFrom(now)
	if d == 0 {
		return nil
	}
	if err := l.sleep(ctx, d); err != nil {
		r.CancelAt(l.now())
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
