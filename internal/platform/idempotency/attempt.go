package idempotency

import (
	"context"
	"sync"
	"time"
)

// Attempt is the try of a keyed request that a handler runs in; the guard puts it in the
// request's context, as the router puts the caller there.
type Attempt struct {
	// ID names the request across its tries. A creation that writes in several
	// transactions records each as a numbered step under it, in that transaction (see
	// idempotencydb.Store.StepPut); a later try reads them (Store.Steps) and writes only
	// what is missing, and derives the IDs of what it creates from ID, so that every try
	// names them alike.
	ID string
	// Began is when the first try began: every try creates as of then. Expires is when the
	// key's window ends; steps need not be kept longer.
	Began, Expires time.Time
	// Resumed is true for a try that took over from one that died or failed: some steps
	// may be written already.
	Resumed bool
}

// attempt is the Attempt of a running try with what its handler remembers for the answer.
type attempt struct {
	Attempt
	mu  sync.Mutex
	ref string
}

type attemptKey struct{}

func withAttempt(ctx context.Context, a *attempt) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

// NewContext returns ctx running in the try a, as the guard runs a keyed request's handler
// (for tests of what runs in it).
func NewContext(ctx context.Context, a Attempt) context.Context {
	return withAttempt(ctx, &attempt{Attempt: a})
}

// FromContext returns the try ctx runs in; ok is false for a request without a key.
func FromContext(ctx context.Context) (Attempt, bool) {
	a, ok := ctx.Value(attemptKey{}).(*attempt)
	if !ok {
		return Attempt{}, false
	}
	return a.Attempt, true
}

// Remember records, for a handler that succeeded, what its route's replay needs to give
// the same answer again: a small reference (an ID, or the answer without what its steps
// hold), never a secret, and well under DynamoDB's 400 KB item. Without a key it does
// nothing.
func Remember(ctx context.Context, ref string) {
	if a, ok := ctx.Value(attemptKey{}).(*attempt); ok {
		a.mu.Lock()
		a.ref = ref
		a.mu.Unlock()
	}
}

func (a *attempt) remembered() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ref
}
