package change

import (
	"context"
	"sync"
)

// Workers is how many codes of one request are changed at once: enough to change 1,000
// codes well within the function's timeout, few enough not to throttle the table.
const Workers = 16

// maxAttempts bounds how often a code's change is decided again after a concurrent change
// to the same code refused its write (each refusal means another writer succeeded).
const maxAttempts = 10

// each calls fn for 0..n-1 on at most workers goroutines. The first error cancels the
// calls not yet started (and the context of those running) and is returned.
func each(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					continue // stopped: drain what the feeder already handed over
				}
				if err := fn(ctx, i); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}
