// Package idempotency makes a creation safe to retry, as Stripe's API does: a request that
// carries an Idempotency-Key header is done once per key, and a retry with the same key and
// the same request gets the first answer instead of creating again. The guard wraps a
// route's handler; a Store keeps one record per key for Window, and the steps of a creation
// that writes in several transactions, so a retry after the first try died finishes that
// creation rather than starting another. It knows no feature: the promotion codes' creation
// and the checkout's orders use it alike.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// Window is how long a key holds its request's answer. A key used again after it names a
// new request.
const Window = 24 * time.Hour

// State is where a keyed request is.
type State string

// The states: a try holds the record while it runs; the record keeps the answer once done.
const (
	InProgress State = "in_progress"
	Done       State = "done"
)

// Request is one request under a key.
type Request struct {
	// Scope is the route the key belongs to: the method and the path (the site is in it).
	// The same key on another route is another key.
	Scope string
	Key   string
	// Fingerprint tells requests under one key apart: the caller, the query and the body
	// (as JSON, so spacing and the order of fields do not count).
	Fingerprint string
}

// Hash names the key within its scope; the store keys its record by it, and never keeps the
// key itself.
func (r Request) Hash() string {
	h := sha256.New()
	writeField(h, r.Scope)
	writeField(h, r.Key)
	return hex.EncodeToString(h.Sum(nil))
}

// Record is what the store keeps for a key.
type Record struct {
	Hash        string
	Scope       string
	Fingerprint string
	State       State
	// Owner is the try holding an in-progress record, until LeaseUntil; after that (or
	// once the owner let go, which zeroes LeaseUntil) another try may take it over.
	Owner      string
	LeaseUntil time.Time
	// Began is when the first try began; the record counts until Expires.
	Began   time.Time
	Expires time.Time
	// Status and Ref are the answer of a done request: its HTTP status and what its route
	// remembered to answer it again (see Remember).
	Status int
	Ref    string
}

// ID names the request across its tries: the steps of its creation are recorded under it.
// It changes when the key is used again after its window, so old steps are never read as
// a new request's.
func (r Record) ID() string {
	return r.Hash + "." + strconv.FormatInt(r.Began.UnixNano(), 10)
}

// Hold is a try's claim on a record: Owner names the try; it holds the record until Until.
type Hold struct {
	Owner      string
	Now, Until time.Time
}

// Store keeps the records, one per key, each written with a condition so two tries never
// both hold one.
type Store interface {
	// Begin records req as in progress under h, unless its key has a record that has not
	// expired at h.Now: then it returns that record, and started is false.
	Begin(ctx context.Context, req Request, h Hold) (rec Record, started bool, err error)
	// TakeOver hands rec, in progress and past its lease at h.Now, to h; ErrLost if another
	// try took it first or it is done.
	TakeOver(ctx context.Context, rec Record, h Hold) (Record, error)
	// Complete records the answer of the try owner; ErrLost if owner no longer holds rec.
	Complete(ctx context.Context, rec Record, owner string, status int, ref string) error
	// Forget deletes rec if owner holds it: its key is free again.
	Forget(ctx context.Context, rec Record, owner string) error
	// Abandon ends owner's lease on rec at once and keeps it: the next try takes over.
	Abandon(ctx context.Context, rec Record, owner string) error
	// Steps lists the steps recorded under a request's ID, by number (see Attempt).
	Steps(ctx context.Context, id string) (map[int][]string, error)
}

// ErrLost is a store's refusal of a try that no longer holds its record.
var ErrLost = errors.New("idempotency: the record is no longer held by this try")
