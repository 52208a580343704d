package issuehttp_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuedb"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuehttp"
)

// frozenDB holds the transactions of a keyed creation's first try after the first pass of
// them until wake is closed, as a Lambda that timed out part way and later thaws would.
type frozenDB struct {
	*dynamodb.Client
	pass    int
	n       atomic.Int64
	held    chan struct{} // closed once the first try is held
	hold    sync.Once
	wake    chan struct{}
	firstTo atomic.Int64 // transactions the first try wrote before it froze
}

func (f *frozenDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if a, ok := idempotency.FromContext(ctx); ok && !a.Resumed {
		if f.n.Add(1) > int64(f.pass) {
			f.hold.Do(func() { close(f.held) })
			<-f.wake
		} else {
			f.firstTo.Add(1)
		}
	}
	return f.Client.TransactWriteItems(ctx, in, o...)
}

// TestCreationOfADeadTryIsFinishedOnce: the first try of a keyed 600-code creation freezes
// after two transactions. A retry meanwhile is told to wait (409, Retry-After); once the
// first try's lease has passed, a retry takes over and answers the 600 codes, the first
// try's among them. When the first try thaws and writes on, it finds its transactions
// done: the site has 600 codes and one audit entry, and the key answers them again.
func TestCreationOfADeadTryIsFinishedOnce(t *testing.T) {
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	auditLog, err := auditdb.New(db, tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	keys, err := idempotencydb.New(db, tables["IdempotencyTable"])
	if err != nil {
		t.Fatal(err)
	}
	frozen := &frozenDB{Client: db, pass: 2, held: make(chan struct{}), wake: make(chan struct{})}
	codes, err := issuedb.NewCodes(frozen, tables["PromoCodesTable"], auditLog, keys)
	if err != nil {
		t.Fatal(err)
	}
	p := newPorts(true)
	is, err := issue.New(issue.Deps{Sites: p.sites, Codes: codes, Jobs: p.jobs, Mailer: noMailer{}, Uploads: p.uploads})
	if err != nil {
		t.Fatal(err)
	}
	// The guard's clock runs ahead when the test says time has passed (the records' times
	// stay real: DynamoDB Local removes items whose TTL is past).
	var ahead atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	once, err := idempotency.NewGuard(keys, idempotency.Options{Now: now, Lease: time.Minute, Margin: 10 * time.Second, Log: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	h := lambdaapp.NewHTTPLambda(issuehttp.NewHandler(issuehttp.Deps{Issuer: is, Once: once, Log: testenv.Logger(t)}))
	body := strings.Replace(generated, `"quantity":3`, `"quantity":600`, 1)
	key := map[string]string{"idempotency-key": "8e0f3c2a-5b1d-4e7f-a9c6-2d4b8f1e3a57"}
	post := func() testenv.Answer {
		return testenv.CallWithHeaders(t, h, "POST", "/sites/acme/promo-codes", body, admin, key)
	}

	first := make(chan testenv.Answer)
	go func() { first <- post() }()
	<-frozen.held
	wait := post()
	wait.Want(t, 409, map[string]any{"error.code": "idempotency_in_progress"})
	if wait.Headers["Retry-After"] == "" {
		t.Error("no Retry-After")
	}
	ahead.Store(int64(61 * time.Second))
	retry := post()
	retry.Want(t, 201, map[string]any{"count": 600.0})
	answered := stringsOf(retry.Get("codes"))
	stored := testenv.StoredCodes(t, db, tables["PromoCodesTable"], "acme")
	if !slices.Equal(slices.Sorted(slices.Values(answered)), stored) || len(stored) != 600 {
		t.Fatalf("%d codes answered, %d stored; want the same 600", len(answered), len(stored))
	}
	if frozen.firstTo.Load() != 2 {
		t.Fatalf("the first try wrote %d transactions before it froze, want 2", frozen.firstTo.Load())
	}

	close(frozen.wake)
	thawed := <-first
	if thawed.Status == 201 && !slices.Equal(stringsOf(thawed.Get("codes")), answered) {
		t.Errorf("the thawed try answered other codes")
	}
	if got := testenv.StoredCodes(t, db, tables["PromoCodesTable"], "acme"); len(got) != 600 {
		t.Fatalf("%d codes once the first try thawed, want 600", len(got))
	}
	if page, err := auditLog.List(context.Background(), "acme", "", 10); err != nil || len(page.Entries) != 1 {
		t.Fatalf("%d audit entries, want 1 (%v)", len(page.Entries), err)
	}
	again := post()
	if again.Status != 201 || again.Raw != retry.Raw || again.Headers["Idempotent-Replayed"] != "true" {
		t.Fatalf("the key answered %d %s, not the creation's answer", again.Status, again.Raw)
	}
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, s := range list {
		out[i], _ = s.(string)
	}
	return out
}
