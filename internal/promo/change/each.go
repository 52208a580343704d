package change

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Workers is how many codes of one request are changed at once: enough to change 1,000
// codes well within the function's timeout, few enough not to throttle the table.
const Workers = 16

// maxAttempts bounds how often a code's change is decided again after a concurrent change
// to the same code refused its write (each refusal means another writer succeeded).
const maxAttempts = 10

// each calls fn for 0..n-1, at most workers at once. The first error cancels the calls not
// yet started (and the context of those running) and is returned; so is ctx's end.
func each(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	g, stopped := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range n {
		if stopped.Err() != nil {
			break
		}
		g.Go(func() error {
			if stopped.Err() != nil {
				return nil // stopped while this call waited for a free worker
			}
			return fn(stopped, i)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return context.Cause(ctx)
}
