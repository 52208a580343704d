package idempotencydb_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
)

// t0 is now: DynamoDB Local removes items whose TTL attribute is past, as DynamoDB does
// (eventually), so the records' times must be real.
var t0 = time.Now().UTC().Truncate(time.Millisecond)

type fixture struct {
	db    *dynamodb.Client
	table string
	store *idempotencydb.Store
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	db := testenv.DynamoDB(t)
	table := testenv.Tables(t, db)["IdempotencyTable"]
	s, err := idempotencydb.New(db, table)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, table: table, store: s}
}

func request(key, fingerprint string) idempotency.Request {
	return idempotency.Request{Scope: "POST /sites/acme/promo-codes", Key: key, Fingerprint: fingerprint}
}

func hold(owner string, now time.Time) idempotency.Hold {
	return idempotency.Hold{Owner: owner, Now: now, Until: now.Add(time.Minute)}
}

// TestBeginHoldsTheKeyOnce: the first Begin puts the record in progress; a second one for
// the key finds it, whatever its request; after the window the key is new again.
func TestBeginHoldsTheKeyOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec, started, err := f.store.Begin(ctx, request("k1", "fp-a"), hold("try-1", t0))
	if err != nil || !started || rec.State != idempotency.InProgress || rec.Owner != "try-1" || !rec.Began.Equal(t0) || !rec.Expires.Equal(t0.Add(idempotency.Window).Truncate(time.Second)) {
		t.Fatalf("first begin: %+v %v %v", rec, started, err)
	}
	again, started, err := f.store.Begin(ctx, request("k1", "fp-b"), hold("try-2", t0.Add(time.Second)))
	if err != nil || started || again != rec {
		t.Fatalf("second begin: %+v %v %v; want the first record %+v", again, started, err, rec)
	}
	// The same key on another route is another key.
	other := request("k1", "fp-a")
	other.Scope = "POST /sites/acme/promo-codes/imports"
	if _, started, err := f.store.Begin(ctx, other, hold("try-3", t0)); err != nil || !started {
		t.Fatalf("same key, other scope: %v %v", started, err)
	}
	// Past its window (DynamoDB's TTL may not have removed it yet), the key names a new
	// request, with a new ID.
	later := t0.Add(idempotency.Window)
	fresh, started, err := f.store.Begin(ctx, request("k1", "fp-b"), hold("try-4", later))
	if err != nil || !started || fresh.Fingerprint != "fp-b" || fresh.ID() == rec.ID() {
		t.Fatalf("begin after the window: %+v %v %v", fresh, started, err)
	}
}

// TestStoredRecord: the item keeps the key's hash, not the key, and the TTL attribute
// DynamoDB removes it by.
func TestStoredRecord(t *testing.T) {
	f := newFixture(t)
	key := "a-key-that-must-not-be-stored"
	rec, _, err := f.store.Begin(context.Background(), request(key, "fp"), hold("try-1", t0))
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(f.table), Key: dynamo.Key(rec.Hash, "request")})
	if err != nil || out.Item == nil {
		t.Fatalf("read the item: %v", err)
	}
	for name, v := range out.Item {
		if s, ok := v.(*types.AttributeValueMemberS); ok && strings.Contains(s.Value, key) {
			t.Errorf("attribute %s holds the key: %q", name, s.Value)
		}
	}
	ttl, ok := out.Item["expiresAt"].(*types.AttributeValueMemberN)
	if !ok || ttl.Value != strconv.FormatInt(t0.Add(idempotency.Window).Unix(), 10) {
		t.Errorf("expiresAt = %#v, want the window's end in Unix seconds", out.Item["expiresAt"])
	}
}

// TestConcurrentBeginsStartOnce: of many tries that begin the same key at once, one holds it.
func TestConcurrentBeginsStartOnce(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	owners := map[string]int{}
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec, started, err := f.store.Begin(context.Background(), request("k", "fp"), hold(string(rune('a'+i)), t0))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if started {
				owners["started"]++
			}
			owners[rec.Owner]++
		}()
	}
	wg.Wait()
	if owners["started"] != 1 || len(owners) != 2 {
		t.Fatalf("started and owners seen: %v; want one start, every try seeing its owner", owners)
	}
}

// TestTakeOverCompleteForget: a record is taken over only once its lease has passed, by
// one try; the try that lost it can neither complete nor forget it; the new holder's answer
// is what a later Begin finds.
func TestTakeOverCompleteForget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec, _, err := f.store.Begin(ctx, request("k", "fp"), hold("first", t0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.TakeOver(ctx, rec, hold("early", t0.Add(30*time.Second))); !errors.Is(err, idempotency.ErrLost) {
		t.Fatalf("take over within the lease: %v, want ErrLost", err)
	}
	late := t0.Add(2 * time.Minute)
	var wg sync.WaitGroup
	results := make([]error, 6)
	taken := make([]idempotency.Record, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			taken[i], results[i] = f.store.TakeOver(ctx, rec, hold("retry-"+string(rune('a'+i)), late))
		}()
	}
	wg.Wait()
	var winner idempotency.Record
	wins := 0
	for i, err := range results {
		switch {
		case err == nil:
			wins++
			winner = taken[i]
		case !errors.Is(err, idempotency.ErrLost):
			t.Fatal(err)
		}
	}
	if wins != 1 || winner.ID() != rec.ID() || !winner.LeaseUntil.Equal(late.Add(time.Minute)) {
		t.Fatalf("%d tries took it over (%+v); want one, keeping the request's ID", wins, winner)
	}
	if err := f.store.Complete(ctx, rec, "first", 201, "ref-of-first"); !errors.Is(err, idempotency.ErrLost) {
		t.Fatalf("the first try completed a record it lost: %v", err)
	}
	if err := f.store.Forget(ctx, rec, "first"); !errors.Is(err, idempotency.ErrLost) {
		t.Fatalf("the first try forgot a record it lost: %v", err)
	}
	if err := f.store.Complete(ctx, winner, winner.Owner, 201, "ref"); err != nil {
		t.Fatal(err)
	}
	done, started, err := f.store.Begin(ctx, request("k", "fp"), hold("after", late))
	if err != nil || started || done.State != idempotency.Done || done.Status != 201 || done.Ref != "ref" || done.Owner != "" {
		t.Fatalf("after completion: %+v %v %v", done, started, err)
	}
	if _, err := f.store.TakeOver(ctx, done, hold("late", late.Add(time.Hour))); !errors.Is(err, idempotency.ErrLost) {
		t.Fatalf("a done record was taken over: %v", err)
	}
}

// TestAbandonAndForget: an abandoned record can be taken over at once and keeps its
// request; a forgotten one frees the key.
func TestAbandonAndForget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec, _, _ := f.store.Begin(ctx, request("k", "fp"), hold("first", t0))
	if err := f.store.Abandon(ctx, rec, "first"); err != nil {
		t.Fatal(err)
	}
	soon := t0.Add(time.Second)
	found, _, _ := f.store.Begin(ctx, request("k", "other"), hold("x", soon))
	if found.Fingerprint != "fp" || found.LeaseUntil.After(soon) {
		t.Fatalf("abandoned record: %+v", found)
	}
	next, err := f.store.TakeOver(ctx, found, hold("second", soon))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Forget(ctx, next, "second"); err != nil {
		t.Fatal(err)
	}
	if _, started, err := f.store.Begin(ctx, request("k", "other"), hold("third", soon)); err != nil || !started {
		t.Fatalf("the forgotten key is not free: %v %v", started, err)
	}
}

// TestSteps: a step is written in its transaction with what it made; a second try's write of
// the same step fails there, and the steps list by number.
func TestSteps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec, _, _ := f.store.Begin(ctx, request("k", "fp"), hold("first", t0))
	write := func(n int, values ...string) error {
		put, err := f.store.StepPut(rec.ID(), n, values, rec.Expires)
		if err != nil {
			t.Fatal(err)
		}
		return dynamo.TransactWrite(ctx, f.db, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{put}})
	}
	if err := write(0, "AAA", "BBB"); err != nil {
		t.Fatal(err)
	}
	if err := write(2, "CCC"); err != nil {
		t.Fatal(err)
	}
	if err := write(0, "ZZZ"); !dynamo.ConditionFailedAt(err, 0) {
		t.Fatalf("step 0 written twice: %v", err)
	}
	steps, err := f.store.Steps(ctx, rec.ID())
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(steps, map[int][]string{0: {"AAA", "BBB"}, 2: {"CCC"}}, slices.Equal) {
		t.Fatalf("steps = %v", steps)
	}
	// Another request's steps are its own.
	if other, err := f.store.Steps(ctx, rec.ID()+"0"); err != nil || len(other) != 0 {
		t.Fatalf("steps of another ID: %v %v", other, err)
	}
}
