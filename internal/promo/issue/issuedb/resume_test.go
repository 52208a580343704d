package issuedb_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuedb"
)

// failingDB lets the first ok transactions through and fails every later one, as a store
// that goes away (or a Lambda that times out) part way through a creation would.
type failingDB struct {
	*dynamodb.Client
	ok    int64
	calls atomic.Int64
}

func (f *failingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if f.calls.Add(1) > f.ok {
		return nil, errors.New("connection reset")
	}
	return f.Client.TransactWriteItems(ctx, in, o...)
}

type resumeFixture struct {
	db     *dynamodb.Client
	tables map[string]string
	log    *auditdb.Log
	keys   *idempotencydb.Store
	try    idempotency.Attempt
}

func newResumeFixture(t *testing.T) resumeFixture {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	log, _ := auditdb.New(db, tables["AuditTable"])
	keys, err := idempotencydb.New(db, tables["IdempotencyTable"])
	if err != nil {
		t.Fatal(err)
	}
	// DynamoDB Local removes items whose TTL is past: the request's times are real.
	began := time.Now().UTC()
	try := idempotency.Attempt{ID: "request-" + audit.NewID(began), Began: began, Expires: began.Add(idempotency.Window)}
	return resumeFixture{db: db, tables: tables, log: log, keys: keys, try: try}
}

func (f resumeFixture) codes(t *testing.T, db issuedb.Transacter) *issuedb.Codes {
	t.Helper()
	c, err := issuedb.NewCodes(db, f.tables["PromoCodesTable"], f.log, f.keys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fresh is n codes of the creation, generated anew, as each try of it generates them.
func fresh(n int) []promo.Code {
	out := make([]promo.Code, n)
	for i := range out {
		out[i] = testCode(promo.Generate(10), "admin")
	}
	return out
}

func regenerate(c promo.Code) (promo.Code, bool) { c.Code = promo.Generate(10); return c, true }

// stored lists the codes the site has in the table.
func (f resumeFixture) stored(t *testing.T) []string {
	t.Helper()
	return testenv.StoredCodes(t, f.db, f.tables["PromoCodesTable"], "acme")
}

func (f resumeFixture) auditEntries(t *testing.T) int {
	t.Helper()
	page, err := f.log.List(context.Background(), "acme", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Entries)
}

func codesOf(cs []promo.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// TestKeyedInsertRecordsItsSteps: in a keyed request each transaction records its codes as a
// step (99 codes and the step, the last 98 with the audit entry too).
func TestKeyedInsertRecordsItsSteps(t *testing.T) {
	f := newResumeFixture(t)
	ctx := idempotency.NewContext(context.Background(), f.try)
	written, err := f.codes(t, f.db).Insert(ctx, fresh(250), audit.NewEntry("acme", "admin", "promo.create", "events", f.try.Began, nil), regenerate)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := f.keys.Steps(context.Background(), f.try.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || len(steps[0]) != 99 || len(steps[1]) != 53 || len(steps[2]) != 98 {
		t.Fatalf("steps of %d, %d, %d codes; want 99, 53 and 98", len(steps[0]), len(steps[1]), len(steps[2]))
	}
	if got := slices.Concat(steps[0], steps[1], steps[2]); !slices.Equal(got, codesOf(written)) {
		t.Fatal("the steps do not hold the codes as answered, in order")
	}
	if got := f.stored(t); !slices.Equal(got, sorted(codesOf(written))) || f.auditEntries(t) != 1 {
		t.Fatalf("%d codes stored, %d audit entries; want 250 and 1", len(got), f.auditEntries(t))
	}
}

// TestRetryFinishesTheCreation: the first try of a 500-code creation dies after a few of
// its transactions; the retry, generating its codes anew, writes only what no try wrote
// and answers the 500 codes, those the first try wrote among them, with one audit entry.
func TestRetryFinishesTheCreation(t *testing.T) {
	for _, ok := range []int64{0, 2, 5} { // 5: all but the last (402 codes), which has the audit entry
		t.Run(fmt.Sprintf("died after %d transactions", ok), func(t *testing.T) {
			f := newResumeFixture(t)
			entry := func() audit.Entry { return audit.NewEntry("acme", "admin", "promo.create", "events", f.try.Began, nil) }
			first := f.try
			_, err := f.codes(t, &failingDB{Client: f.db, ok: ok}).Insert(idempotency.NewContext(context.Background(), first), fresh(500), entry(), regenerate)
			if err == nil {
				t.Fatal("the first try did not fail")
			}
			// What the first try wrote is what its steps record, transaction by transaction.
			before := f.stored(t)
			steps, err := f.keys.Steps(context.Background(), f.try.ID)
			if err != nil {
				t.Fatal(err)
			}
			var recorded []string
			for _, codes := range steps {
				recorded = append(recorded, codes...)
			}
			if int64(len(steps)) != ok || !slices.Equal(sorted(recorded), before) {
				t.Fatalf("the first try left %d codes and %d steps of %d codes, want %d steps holding them", len(before), len(steps), len(recorded), ok)
			}
			retry := f.try
			retry.Resumed = true
			written, err := f.codes(t, f.db).Insert(idempotency.NewContext(context.Background(), retry), fresh(500), entry(), regenerate)
			if err != nil {
				t.Fatal(err)
			}
			after := f.stored(t)
			answered := sorted(codesOf(written))
			if len(written) != 500 || !slices.Equal(after, answered) {
				t.Fatalf("%d codes answered, %d stored; want the same 500", len(written), len(after))
			}
			for _, c := range before {
				if _, found := slices.BinarySearch(answered, c); !found {
					t.Fatalf("the first try's code %s is not in the answer", c)
				}
			}
			if n := f.auditEntries(t); n != 1 {
				t.Fatalf("%d audit entries, want 1", n)
			}
			// A further retry writes nothing and answers the same codes, in the same order.
			again, err := f.codes(t, f.db).Insert(idempotency.NewContext(context.Background(), retry), fresh(500), entry(), regenerate)
			if err != nil || !slices.Equal(codesOf(again), codesOf(written)) || len(f.stored(t)) != 500 || f.auditEntries(t) != 1 {
				t.Fatalf("a third try: %v; %d stored, %d audit entries", err, len(f.stored(t)), f.auditEntries(t))
			}
		})
	}
}

// TestTriesAtOnceCreateOnce: a try that was thought dead wakes while its retry runs (a
// Lambda frozen past its lease): both write the same creation at once, and it is made once.
func TestTriesAtOnceCreateOnce(t *testing.T) {
	f := newResumeFixture(t)
	var wg sync.WaitGroup
	answers := make([][]promo.Code, 3)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			try := f.try
			try.Resumed = i > 0
			out, err := f.codes(t, f.db).Insert(idempotency.NewContext(context.Background(), try), fresh(700),
				audit.NewEntry("acme", "admin", "promo.create", "events", f.try.Began, nil), regenerate)
			if err != nil {
				t.Error(err)
			}
			answers[i] = out
		}()
	}
	wg.Wait()
	stored := f.stored(t)
	if len(stored) != 700 || f.auditEntries(t) != 1 {
		t.Fatalf("%d codes stored, %d audit entries; want 700 and 1", len(stored), f.auditEntries(t))
	}
	for i, a := range answers {
		if !slices.Equal(sorted(codesOf(a)), stored) {
			t.Errorf("try %d answered codes that are not the creation's", i)
		}
	}
}
