package throttledb_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle/throttledb"
)

func newStore(t *testing.T) (*throttledb.Store, *dynamodb.Client, string) {
	t.Helper()
	db := testenv.DynamoDB(t)
	table := testenv.Tables(t, db)["ThrottleTable"]
	s, err := throttledb.New(db, table)
	if err != nil {
		t.Fatal(err)
	}
	return s, db, table
}

// currentWindow is a window from now to an hour from now: DynamoDB Local removes items
// whose TTL attribute is past, so the window must not end while the test runs.
func currentWindow() throttle.Window {
	start := time.Now().Truncate(time.Second)
	return throttle.Window{Start: start, End: start.Add(time.Hour)}
}

// A count starts at zero, grows by one per failure, and is kept per key and per window,
// the item expiring when its window ends.
func TestCountsPerKeyAndWindow(t *testing.T) {
	s, db, table := newStore(t)
	ctx := context.Background()
	w := currentWindow()
	if n, err := s.Count(ctx, "site#demo", w); err != nil || n != 0 {
		t.Fatalf("a key never counted: %d, %v", n, err)
	}
	for want := int64(1); want <= 3; want++ {
		if n, err := s.Add(ctx, "site#demo", w); err != nil || n != want {
			t.Fatalf("add %d: %d, %v", want, n, err)
		}
	}
	if n, err := s.Count(ctx, "site#demo", w); err != nil || n != 3 {
		t.Fatalf("count: %d, %v", n, err)
	}
	next := throttle.Window{Start: w.End, End: w.End.Add(time.Hour)}
	if n, _ := s.Count(ctx, "site#demo", next); n != 0 {
		t.Fatalf("the next window starts at %d", n)
	}
	if n, _ := s.Count(ctx, "site#other", w); n != 0 {
		t.Fatalf("another key counts %d", n)
	}
	out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table)})
	if err != nil || len(out.Items) != 1 {
		t.Fatalf("items: %v, %v", out, err)
	}
	var it struct {
		PK        string `dynamodbav:"pk"`
		ExpiresAt int64  `dynamodbav:"expiresAt"`
	}
	if err := dynamo.Unmarshal(out.Items[0], &it); err != nil || it.PK != "site#demo" || it.ExpiresAt != w.End.Unix() {
		t.Fatalf("item %+v (%v): want it to expire at %d", it, err, w.End.Unix())
	}
}

// Many failures at once all count: each Add answers a count of its own, 1 to n.
func TestConcurrentFailuresAllCount(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	w := currentWindow()
	const n = 200
	got := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = s.Add(ctx, "buyer#racing", w) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("add %d: %v", i, err)
		}
	}
	slices.Sort(got)
	for i, c := range got {
		if c != int64(i+1) {
			t.Fatalf("the counts answered are not 1..%d: %v", n, got)
		}
	}
	if c, err := s.Count(ctx, "buyer#racing", w); err != nil || c != n {
		t.Fatalf("count after %d concurrent failures: %d, %v", n, c, err)
	}
}

// The throttle over the store refuses a key at its limit.
func TestThrottleOverTheStore(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	// A clock stopped in the next hour's window: every call is in one window, which ends
	// well after the test (its items are not removed by their TTL meanwhile).
	limit := throttle.Limit{Max: 2, Window: time.Hour}
	at := limit.WindowAt(time.Now()).End.Add(time.Minute)
	th, err := throttle.New(s, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	k := throttle.Key{Name: "email#demo#x", Limit: limit}
	for range 2 {
		if _, blocked, err := th.Check(ctx, k); err != nil || blocked {
			t.Fatalf("under the limit: %v %v", blocked, err)
		}
		if err := th.Fail(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	b, blocked, err := th.Check(ctx, k)
	if err != nil || !blocked || b.RetryAfter != 59*time.Minute {
		t.Fatalf("at the limit: %+v %v %v", b, blocked, err)
	}
}
