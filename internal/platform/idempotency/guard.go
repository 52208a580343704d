package idempotency

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// ReplayedHeader marks an answer given again from a key's first request (as Stripe's
// Idempotent-Replayed).
const ReplayedHeader = "Idempotent-Replayed"

// Options tune a Guard; zero values take the defaults.
type Options struct {
	Now func() time.Time
	// Lease is how long a try holds its key: a retry after that takes over. A try's own
	// context ends Margin before its lease, so it stops writing while it still holds the
	// key. The lease must outlast the function's timeout plus Margin; 60 s and 15 s by
	// default, for the 29 s of API Gateway's limit.
	Lease, Margin time.Duration
	Log           *slog.Logger
}

// Guard runs keyed requests once.
type Guard struct {
	store         Store
	now           func() time.Time
	lease, margin time.Duration
	log           *slog.Logger
}

// NewGuard returns a guard keeping its records in store.
func NewGuard(store Store, o Options) (*Guard, error) {
	if store == nil {
		return nil, errors.New("idempotency: a store is required")
	}
	g := &Guard{store: store, now: o.Now, lease: o.Lease, margin: o.Margin, log: o.Log}
	if g.now == nil {
		g.now = time.Now
	}
	if g.lease == 0 {
		g.lease = time.Minute
	}
	if g.margin == 0 {
		g.margin = 15 * time.Second
	}
	if g.margin >= g.lease {
		return nil, fmt.Errorf("idempotency: the margin (%s) must be shorter than the lease (%s)", g.margin, g.lease)
	}
	if g.log == nil {
		g.log = slog.Default()
	}
	return g, nil
}

// Answer is a done request's first answer, for its route's replay.
type Answer struct {
	Status int
	// Ref is what the first try remembered (see Remember).
	Ref string
	// ID is the request's ID, under which its steps are recorded.
	ID    string
	steps func(ctx context.Context) (map[int][]string, error)
}

// Steps lists the steps the request's tries recorded, by number.
func (a Answer) Steps(ctx context.Context) (map[int][]string, error) { return a.steps(ctx) }

// Replay answers a request again from its first answer.
type Replay func(w http.ResponseWriter, r *http.Request, first Answer) error

// Wrap makes a creation route idempotent. A request without the header runs h as it is.
// With a key (scoped to the method and path, so to the site):
//   - the first request runs h; its 2xx answer is kept for Window and replayed to a retry
//     of the same request (same caller, query and body) with what h remembered;
//   - the key sent with another request is a 409 idempotency_key_reused;
//   - a retry while the first runs is a 409 idempotency_in_progress with Retry-After;
//   - a first try's 4xx is not kept (h refuses before it writes), so the key is free
//     again; a 5xx (or a panic) is not kept either, but the key stays bound to its request,
//     and the next retry takes over at once and finishes what was written (see Attempt);
//     so does a retry after a try that died, once its lease has passed.
//
// h must remember (see Remember) what replay needs to answer again.
func (g *Guard) Wrap(h httpx.HandlerFunc, replay Replay) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		k, ok, err := Identify(r)
		if err != nil || !ok {
			if err != nil {
				return err
			}
			return h(w, r)
		}
		req := Request{Scope: r.Method + " " + r.URL.EscapedPath(), Key: k.Key, Fingerprint: k.Fingerprint}
		now := g.now()
		hold := Hold{Owner: newOwner(), Now: now, Until: now.Add(g.lease)}
		rec, started, err := g.store.Begin(r.Context(), req, hold)
		if err != nil {
			return err
		}
		if !started {
			switch {
			case rec.Fingerprint != req.Fingerprint:
				return KeyReused()
			case rec.State == Done:
				w.Header().Set(ReplayedHeader, "true")
				return replay(w, r, Answer{Status: rec.Status, Ref: rec.Ref, ID: rec.ID(), steps: func(ctx context.Context) (map[int][]string, error) {
					return g.store.Steps(ctx, rec.ID())
				}})
			case now.Before(rec.LeaseUntil):
				return inProgress(rec.LeaseUntil.Sub(now))
			}
			if rec, err = g.store.TakeOver(r.Context(), rec, hold); errors.Is(err, ErrLost) {
				return inProgress(time.Second)
			} else if err != nil {
				return err
			}
		}
		return g.run(w, r, h, rec, hold.Owner, !started)
	}
}

// inProgress refuses a retry while the key's request runs. It says when to try again: when
// the running try's lease ends, but no later than in a few seconds, as the try is most
// likely about to answer.
func inProgress(left time.Duration) error {
	return &apperr.Error{Code: apperr.CodeIdempotencyInProgress, RetryAfter: min(left, 5*time.Second),
		Message: "a request with this Idempotency-Key is still being processed; retry after Retry-After seconds to get its answer"}
}

// run runs h as the try owner of rec and settles the record with its answer.
func (g *Guard) run(w http.ResponseWriter, r *http.Request, h httpx.HandlerFunc, rec Record, owner string, resumed bool) error {
	a := &attempt{Attempt: Attempt{ID: rec.ID(), Began: rec.Began, Expires: rec.Expires, Resumed: resumed}}
	ctx, cancel := context.WithTimeout(r.Context(), g.lease-g.margin)
	defer cancel()
	rw := &statusWriter{ResponseWriter: w}
	settled := false
	defer func() {
		if !settled { // h panicked: a failed try
			g.settle(r.Context(), rec, owner, resumed, http.StatusInternalServerError, "")
		}
	}()
	err := h(rw, r.WithContext(withAttempt(ctx, a)))
	status := rw.status
	if err != nil {
		status = apperr.HTTPStatus(apperr.As(err).Code)
	}
	settled = true
	g.settle(r.Context(), rec, owner, resumed, status, a.remembered())
	return err
}

// settle records how a try ended: a success keeps its answer; a first try's refusal frees
// the key; anything else lets the next try take over at once.
func (g *Guard) settle(ctx context.Context, rec Record, owner string, resumed bool, status int, ref string) {
	// The request's context may have ended with the try; the record must still be settled.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var err error
	switch {
	case status < 400:
		err = g.store.Complete(ctx, rec, owner, status, ref)
	case status < 500 && !resumed:
		err = g.store.Forget(ctx, rec, owner)
	default:
		err = g.store.Abandon(ctx, rec, owner)
	}
	if err != nil {
		// The answer stands; the record stays in progress, and a retry after its lease
		// takes over and finds the work done.
		g.log.ErrorContext(ctx, "idempotency: the record was not settled", "scope", rec.Scope, "status", status, "error", err.Error())
	}
}

// peekBody reads the body (up to one byte past what any route accepts) and puts it back for
// the handler.
func peekBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, httpx.MaxBody+1))
	if err != nil {
		return nil, err
	}
	r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	return body, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

func newOwner() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter notes the status a handler answers with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}
