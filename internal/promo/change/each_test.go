package change

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// Every index is called once, never more than workers at a time.
func TestEachCallsEveryIndexOnce(t *testing.T) {
	const n, workers = 200, 4
	calls := make([]atomic.Int32, n)
	var running, most atomic.Int32
	err := each(context.Background(), n, workers, func(ctx context.Context, i int) error {
		now := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
		}
		calls[i].Add(1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range calls {
		if c := calls[i].Load(); c != 1 {
			t.Errorf("index %d called %d times", i, c)
		}
	}
	if m := most.Load(); m > workers {
		t.Errorf("%d calls at once, want at most %d", m, workers)
	}
}

// The first error is returned, cancels the context of the call still running, and no call
// starts after it.
func TestEachStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	var mu sync.Mutex
	var called []int
	err := each(context.Background(), 100, 2, func(ctx context.Context, i int) error {
		mu.Lock()
		called = append(called, i)
		mu.Unlock()
		if i == 0 {
			return boom
		}
		<-ctx.Done() // only the first error ends this call
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	for _, i := range called {
		if i > 1 {
			t.Errorf("index %d started after the error (called: %v)", i, called)
		}
	}
}

// A context that ends stops the calls not yet started, and its cause is returned.
func TestEachEndsWithTheContext(t *testing.T) {
	stop := errors.New("the request was abandoned")
	ctx, cancel := context.WithCancelCause(context.Background())
	var calls atomic.Int32
	err := each(ctx, 100, 2, func(ctx context.Context, i int) error {
		if calls.Add(1) == 1 {
			cancel(stop)
		}
		<-ctx.Done()
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the context's cause", err)
	}
	if c := calls.Load(); c > 2 {
		t.Errorf("%d calls, want at most the 2 running when the context ended", c)
	}
}
