package paymentsecrets

import (
	"context"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
)

// GetSecretValueAPI is what the reader needs of Secrets Manager.
type GetSecretValueAPI interface {
	GetSecretValue(ctx context.Context, id string) (*awssecrets.SecretValue, error)
}

// Reader reads secrets for the functions that use them per request (checkout, webhooks,
// PayPal calls), from a cache that is refreshed only when an entry is older than the TTL.
// Provider secret names never change meaning (a change writes a new secret), so a cached
// value is never wrong for its name; the TTL only bounds how long a removed or rotated
// secret outlives its removal in a warm Lambda.
type Reader struct {
	api GetSecretValueAPI
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]cached
}

type cached struct {
	raw string
	at  time.Time
}

// DefaultTTL is how long the reader trusts a value it read.
const DefaultTTL = 5 * time.Minute

// NewReader returns a reader with a cache of the given TTL (DefaultTTL when 0).
func NewReader(api GetSecretValueAPI, ttl time.Duration, now func() time.Time) *Reader {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Reader{api: api, ttl: ttl, now: now, entries: map[string]cached{}}
}

// Read returns a provider secret's values, from the cache when fresh.
func (r *Reader) Read(ctx context.Context, name string) (provider.Secrets, error) {
	var values map[provider.SecretName]string
	if err := r.ReadJSON(ctx, name, &values); err != nil {
		return nil, err
	}
	return provider.Secrets(values), nil
}

// ReadJSON decodes a secret holding a JSON document into v, from the cache when fresh.
func (r *Reader) ReadJSON(ctx context.Context, name string, v any) error {
	now := r.now()
	r.mu.Lock()
	e, ok := r.entries[name]
	r.mu.Unlock()
	if !ok || now.Sub(e.at) >= r.ttl {
		raw, err := readString(ctx, r.api, name)
		if err != nil {
			return err
		}
		e = cached{raw: raw, at: now}
		r.mu.Lock()
		r.entries[name] = e
		r.mu.Unlock()
	}
	return decode(name, e.raw, v)
}
