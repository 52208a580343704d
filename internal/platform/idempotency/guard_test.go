package idempotency_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// clock is a settable time for the guard, starting now (DynamoDB Local removes items whose
// TTL is past, so the records' times must be real).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// route is a creation route behind the guard: each run creates "thing-<n>" unless the test
// says how it ends; the replay answers what the run remembered.
type route struct {
	mu      sync.Mutex
	runs    int
	tries   []idempotency.Attempt
	outcome func(n int, ctx context.Context) error // nil: succeed
	clock   *clock
	h       lambdaapp.HTTPLambda
}

func newRoute(t *testing.T) *route {
	t.Helper()
	db := testenv.DynamoDB(t)
	store, err := idempotencydb.New(db, testenv.Tables(t, db)["IdempotencyTable"])
	if err != nil {
		t.Fatal(err)
	}
	rt := &route{clock: &clock{t: time.Now().UTC()}}
	g, err := idempotency.NewGuard(store, idempotency.Options{Now: rt.clock.now, Lease: time.Minute, Margin: 10 * time.Second, Log: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	create := func(w http.ResponseWriter, r *http.Request) error {
		var in struct{ Name, Colour string }
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		if in.Name == "" {
			return apperr.Field("name", "is required")
		}
		a, _ := idempotency.FromContext(r.Context())
		rt.mu.Lock()
		rt.runs++
		n, outcome := rt.runs, rt.outcome
		rt.tries = append(rt.tries, a)
		rt.mu.Unlock()
		if outcome != nil {
			if err := outcome(n, r.Context()); err != nil {
				return err
			}
		}
		id := in.Name + "-" + string(rune('0'+n))
		idempotency.Remember(r.Context(), id)
		httpx.JSON(w, http.StatusCreated, map[string]any{"id": id})
		return nil
	}
	replay := func(w http.ResponseWriter, _ *http.Request, first idempotency.Answer) error {
		httpx.JSON(w, first.Status, map[string]any{"id": first.Ref})
		return nil
	}
	router := httpx.NewRouter(testenv.Logger(t))
	router.Handle("POST /sites/{site}/things", g.Wrap(create, replay))
	rt.h = lambdaapp.NewHTTPLambda(router)
	return rt
}

var admin = testenv.Claims("admin-1", "acme", "globex")

func (rt *route) post(t *testing.T, key, body string) testenv.Answer {
	t.Helper()
	return rt.postAs(t, admin, "/sites/acme/things", key, body)
}

func (rt *route) postAs(t *testing.T, claims map[string]string, path, key, body string) testenv.Answer {
	t.Helper()
	headers := map[string]string{}
	if key != "" {
		headers["idempotency-key"] = key
	}
	return testenv.CallWithHeaders(t, rt.h, "POST", path, body, claims, headers)
}

func (rt *route) runCount() int { rt.mu.Lock(); defer rt.mu.Unlock(); return rt.runs }

// TestSameKeySameRequestCreatesOnce: the retry gets the first answer, marked replayed, and
// nothing runs again; spacing and field order do not make it another request.
func TestSameKeySameRequestCreatesOnce(t *testing.T) {
	rt := newRoute(t)
	first := rt.post(t, "key-1", `{"name":"a","colour":"red"}`)
	first.Want(t, 201, map[string]any{"id": "a-1"})
	if first.Headers[idempotency.ReplayedHeader] != "" {
		t.Error("a first answer is marked replayed")
	}
	again := rt.post(t, "key-1", "{ \"colour\": \"red\",\n \"name\": \"a\" }")
	again.Want(t, 201, map[string]any{"id": "a-1"})
	if again.Headers[idempotency.ReplayedHeader] != "true" || !strings.HasPrefix(again.Headers["Content-Type"], "application/json") {
		t.Errorf("replay headers: %v", again.Headers)
	}
	// Without a key, or with another, it creates again.
	rt.post(t, "", `{"name":"a","colour":"red"}`).Want(t, 201, map[string]any{"id": "a-2"})
	rt.post(t, "key-2", `{"name":"a","colour":"red"}`).Want(t, 201, map[string]any{"id": "a-3"})
	if n := rt.runCount(); n != 3 {
		t.Fatalf("%d runs, want 3", n)
	}
}

// TestKeyWithAnotherRequest: another body, or another caller, under a key is refused; the
// same key on another site (another path) is another key.
func TestKeyWithAnotherRequest(t *testing.T) {
	rt := newRoute(t)
	rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, nil)
	for name, a := range map[string]testenv.Answer{
		"another body":   rt.post(t, "key-1", `{"name":"b"}`),
		"another caller": rt.postAs(t, testenv.Claims("admin-2", "acme"), "/sites/acme/things", "key-1", `{"name":"a"}`),
	} {
		a.Want(t, 409, map[string]any{"error.code": "idempotency_key_reused", "error.details.0.field": "Idempotency-Key"})
		if t.Failed() {
			t.Fatalf("%s: %s", name, a.Raw)
		}
	}
	rt.postAs(t, admin, "/sites/globex/things", "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-2"})
	if n := rt.runCount(); n != 2 {
		t.Fatalf("%d runs, want 2", n)
	}
}

// TestBadKeys: a key that is empty, too long, not printable ASCII or sent twice is a 400
// naming the header, and nothing runs.
func TestBadKeys(t *testing.T) {
	rt := newRoute(t)
	for name, key := range map[string]string{
		"too long": strings.Repeat("k", 256), "control": "key\x01", "not ASCII": "clé", "blank": " ", "twice": "a, b",
	} {
		a := rt.post(t, key, `{"name":"a"}`)
		a.Want(t, 400, map[string]any{"error.code": "invalid_input", "error.details.0.field": "Idempotency-Key"})
		if t.Failed() {
			t.Fatalf("%s: %s", name, a.Raw)
		}
	}
	rt.post(t, strings.Repeat("k", 255), `{"name":"a"}`).Want(t, 201, nil)
	if n := rt.runCount(); n != 1 {
		t.Fatalf("%d runs, want 1", n)
	}
}

// TestRefusalFreesTheKey: a refused first request (400) is not kept: the corrected request
// may use the same key.
func TestRefusalFreesTheKey(t *testing.T) {
	rt := newRoute(t)
	rt.post(t, "key-1", `{"colour":"red"}`).Want(t, 400, map[string]any{"error.details.0.field": "name"})
	rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-1"})
	rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-1"})
}

// TestRetryWhileRunning: a retry while the first request runs is a 409 with Retry-After and
// runs nothing; once the first answers, the retry gets its answer.
func TestRetryWhileRunning(t *testing.T) {
	rt := newRoute(t)
	inside, release := make(chan struct{}), make(chan struct{})
	rt.outcome = func(n int, _ context.Context) error {
		if n == 1 {
			close(inside)
			<-release
		}
		return nil
	}
	done := make(chan testenv.Answer)
	go func() { done <- rt.post(t, "key-1", `{"name":"a"}`) }()
	<-inside
	a := rt.post(t, "key-1", `{"name":"a"}`)
	a.Want(t, 409, map[string]any{"error.code": "idempotency_in_progress"})
	if ra := a.Headers["Retry-After"]; ra == "" || ra == "0" || len(ra) > 1 {
		t.Errorf("Retry-After %q, want a few seconds", ra)
	}
	close(release)
	(<-done).Want(t, 201, map[string]any{"id": "a-1"})
	rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-1"})
	if n := rt.runCount(); n != 1 {
		t.Fatalf("%d runs, want 1", n)
	}
}

// TestFailedTryIsTakenOver: a 5xx (or a panic) is not kept, but the key stays bound to its
// request: the retry runs at once as a resumed try of the same request (same ID, same
// start), and another body is still refused.
func TestFailedTryIsTakenOver(t *testing.T) {
	for name, fail := range map[string]func(){
		"error": nil,
		"panic": func() { panic("boom") },
	} {
		t.Run(name, func(t *testing.T) {
			rt := newRoute(t)
			rt.outcome = func(n int, _ context.Context) error {
				if n == 1 {
					if fail != nil {
						fail()
					}
					return apperr.Internal(errors.New("the store went away"))
				}
				return nil
			}
			rt.post(t, "key-1", `{"name":"a"}`).Want(t, 500, map[string]any{"error.code": "internal"})
			rt.post(t, "key-1", `{"name":"b"}`).Want(t, 409, map[string]any{"error.code": "idempotency_key_reused"})
			rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-2"})
			rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-2"})
			if len(rt.tries) != 2 || rt.tries[0].Resumed || !rt.tries[1].Resumed || rt.tries[0].ID != rt.tries[1].ID ||
				!rt.tries[0].Began.Equal(rt.tries[1].Began) || rt.tries[0].ID == "" {
				t.Fatalf("tries %+v: want a first and a resumed try of one request", rt.tries)
			}
		})
	}
}

// TestDeadTryIsTakenOverAfterItsLease: a try that never answers (its Lambda timed out)
// holds the key until its lease passes; then a retry takes over. The try's own context ends
// before its lease does, so it has stopped writing by then.
func TestDeadTryIsTakenOverAfterItsLease(t *testing.T) {
	rt := newRoute(t)
	inside, dead := make(chan struct{}), make(chan struct{})
	var deadline time.Time
	rt.outcome = func(n int, ctx context.Context) error {
		if n == 1 {
			deadline, _ = ctx.Deadline()
			close(inside)
			<-dead
			return errors.New("frozen")
		}
		return nil
	}
	first := make(chan testenv.Answer)
	go func() { first <- rt.post(t, "key-1", `{"name":"a"}`) }()
	<-inside
	if left := time.Until(deadline); deadline.IsZero() || left > 50*time.Second {
		t.Errorf("the try's context ends in %s; want before its lease less the margin (50 s)", left)
	}
	rt.clock.add(59 * time.Second)
	rt.post(t, "key-1", `{"name":"a"}`).Want(t, 409, map[string]any{"error.code": "idempotency_in_progress"})
	rt.clock.add(2 * time.Second)
	rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-2"})
	close(dead) // the dead try wakes: it lost the key, and settles nothing
	(<-first).Want(t, 500, nil)
	rt.post(t, "key-1", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-2"})
}

// TestNoKeyRunsAsBefore: without the header the route runs as it would without the guard,
// and a body is read by the handler as sent.
func TestNoKeyRunsAsBefore(t *testing.T) {
	rt := newRoute(t)
	rt.outcome = func(_ int, ctx context.Context) error {
		if _, ok := idempotency.FromContext(ctx); ok {
			return errors.New("an attempt without a key")
		}
		return nil
	}
	rt.post(t, "", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-1"})
	rt.post(t, "", `{"name":"a"}`).Want(t, 201, map[string]any{"id": "a-2"})
}
