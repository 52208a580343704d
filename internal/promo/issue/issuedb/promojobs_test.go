package issuedb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuedb"
)

// conflictingDB is DynamoDB Local behind a client whose every other write is cancelled as
// DynamoDB cancels a write that meets another transaction on one of its items: a
// transaction with a TransactionCanceledException naming TransactionConflict, a single
// update with a TransactionConflictException. The SDK retries neither.
type conflictingDB struct {
	issuedb.JobsAPI
	table    string // the promotion codes table
	mu       sync.Mutex
	calls    int
	injected int
}

// conflict reports whether this write is one to cancel: the first of every two.
func (c *conflictingDB) conflict() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.calls%2 == 1 {
		c.injected++
		return true
	}
	return false
}

func (c *conflictingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if c.conflict() {
		reasons := make([]types.CancellationReason, len(in.TransactItems))
		for i := range reasons {
			reasons[i].Code = aws.String("None")
		}
		reasons[len(reasons)-1].Code = aws.String("TransactionConflict")
		return nil, &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
	}
	return c.JobsAPI.TransactWriteItems(ctx, in, o...)
}

func (c *conflictingDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	if c.conflict() {
		return nil, &types.TransactionConflictException{Message: aws.String("Transaction is ongoing for the item")}
	}
	return c.JobsAPI.UpdateItem(ctx, in, o...)
}

// newConflictingJobs is a job store, and a code writer, over conflictingDB.
func newConflictingJobs(t *testing.T) (*issuedb.Jobs, *issuedb.Codes, *conflictingDB) {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	log, err := auditdb.New(db, tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	c := &conflictingDB{JobsAPI: db, table: tables["PromoCodesTable"]}
	jobs, err := issuedb.NewJobs(c, tables["PromoCodesTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := issuedb.NewCodes(c, tables["PromoCodesTable"], log, nil)
	if err != nil {
		t.Fatal(err)
	}
	return jobs, codes, c
}

func jobCode(j issue.Job, code string, r issue.JobRecipient) promo.Code {
	c := testCode(code, j.CreatedBy)
	c.Recipient, c.JobID = &promo.Recipient{Email: r.Email, Name: r.Name}, j.ID
	return c
}

// TestJobLifecycleThroughConflicts: a job goes through every write of an import (create,
// lease, take its file, store its batches, create each batch's codes, advance with the
// audit entry, record and retry a mail, a notice) while every write's first attempt is
// cancelled for a conflict: each is tried again and applied once. The batch writes keep
// their guarantees: a batch written again is a no-op, a taken code refuses the whole batch
// and names it, and a job that is not creating takes no batch.
func TestJobLifecycleThroughConflicts(t *testing.T) {
	jobs, codes, db := newConflictingJobs(t)
	ctx := context.Background()
	j := issue.Job{Site: "acme", ID: audit.NewID(time.Now()), State: issue.JobAwaitingUpload, Bucket: "b", Key: "imports/acme/x",
		CreatedAt: time.Now().UTC(), CreatedBy: "u1", UpdatedAt: time.Now().UTC(), Plan: issue.ImportPlan{Length: 8}}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("create", jobs.CreateJob(ctx, j, nil, audit.NewEntry("acme", "u1", "promo.import_start", "events", time.Now(), nil)))
	_, err := jobs.Lease(ctx, "acme", j.ID, "run-1", time.Now().Add(time.Minute), time.Now())
	must("lease", err)
	file := issue.UploadedFile{ETag: "abc", Sequencer: "0001"}
	must("take", jobs.Take(ctx, "acme", j.ID, file))
	if err := jobs.Take(ctx, "acme", j.ID, file); !errors.Is(err, issue.ErrWrongState) {
		t.Fatalf("a second take: %v, want ErrWrongState", err)
	}
	rs := []issue.JobRecipient{
		{Line: 2, Email: "a@example.com", Name: "A", Mail: issue.MailPending},
		{Line: 3, Email: "b@example.com", Name: "B", Mail: issue.MailPending},
		{Line: 4, Email: "c@example.com", Name: "C", Mail: issue.MailPending},
	}
	must("validated", jobs.Validated(ctx, "acme", j.ID, []issue.Batch{{N: 0, Recipients: rs[:2]}, {N: 1, Recipients: rs[2:]}}))
	if err := jobs.Validated(ctx, "acme", j.ID, nil); !errors.Is(err, issue.ErrWrongState) {
		t.Fatalf("validated twice: %v, want ErrWrongState", err)
	}
	got, err := jobs.Job(ctx, "acme", j.ID)
	must("job", err)
	if got.State != issue.JobCreating || got.Recipients != 3 || got.File != file {
		t.Fatalf("after validation: %s, %d recipients, file %+v", got.State, got.Recipients, got.File)
	}
	pending, err := jobs.Pending(ctx, "acme", j.ID)
	must("pending", err)
	if len(pending) != 2 || len(pending[0].Recipients) != 2 || pending[1].N != 1 || pending[1].Recipients[0] != rs[2] {
		t.Fatalf("pending %+v", pending)
	}
	first := []promo.Code{jobCode(j, "FIRST001", rs[0]), jobCode(j, "FIRST002", rs[1])}
	must("batch 0", jobs.CreateBatch(ctx, got, pending[0], first))
	must("batch 0 again", jobs.CreateBatch(ctx, got, pending[0], []promo.Code{jobCode(j, "AGAIN001", rs[0]), jobCode(j, "AGAIN002", rs[1])}))
	var taken *issue.CodesTaken
	if err := jobs.CreateBatch(ctx, got, pending[1], []promo.Code{jobCode(j, "FIRST001", rs[2])}); !errors.As(err, &taken) || len(taken.Indexes) != 1 || taken.Indexes[0] != 0 {
		t.Fatalf("a batch with a taken code: %v", err)
	}
	must("batch 1", jobs.CreateBatch(ctx, got, pending[1], []promo.Code{jobCode(j, "THIRD001", rs[2])}))
	if pending, _ := jobs.Pending(ctx, "acme", j.ID); len(pending) != 0 {
		t.Fatalf("%d batches still pending", len(pending))
	}
	stored, err := jobs.Recipients(ctx, "acme", j.ID)
	must("recipients", err)
	wantCodes := []string{"FIRST001", "FIRST002", "THIRD001"}
	if len(stored) != 3 {
		t.Fatalf("%d recipients stored", len(stored))
	}
	for i, r := range stored {
		if r.Line != rs[i].Line || r.Code != wantCodes[i] || !r.CodeCreated || r.Mail != issue.MailPending {
			t.Fatalf("recipient %d = %+v, want line %d with %s", i, r, rs[i].Line, wantCodes[i])
		}
	}
	must("advance", jobs.Advance(ctx, "acme", j.ID, issue.JobCreating, issue.JobSending,
		audit.NewEntry("acme", "u1", issue.ActionImport, "events", time.Now(), nil)))
	if err := jobs.CreateBatch(ctx, got, pending[0], first); err != nil {
		t.Fatalf("a created batch once the job moved on: %v", err)
	}
	sent := stored[0]
	sent.Mail, sent.MessageID, sent.MailAt = issue.MailSent, "m1", time.Now()
	must("record sent", jobs.RecordMail(ctx, "acme", j.ID, sent))
	failed := stored[1]
	failed.Mail, failed.MailReason, failed.MailAt = issue.MailFailed, "refused", time.Now()
	must("record failed", jobs.RecordMail(ctx, "acme", j.ID, failed))
	must("retry", jobs.Retry(ctx, "acme", j.ID, failed.Line))
	notice := issue.JobNotice{Code: issue.NoticeUploadedAgain, Message: "start a new import", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	must("note", jobs.Note(ctx, "acme", j.ID, notice))

	got, err = jobs.Job(ctx, "acme", j.ID)
	must("job", err)
	if got.State != issue.JobSending || got.CodesCreated != 3 || got.MailsSent != 1 || got.MailsFailed != 0 || got.Notice == nil || *got.Notice != notice {
		t.Fatalf("job %s: %d codes, %d sent, %d failed, notice %+v", got.State, got.CodesCreated, got.MailsSent, got.MailsFailed, got.Notice)
	}
	// The refused batch wrote nothing: its taken code is still the first batch's.
	if _, err := codes.Insert(ctx, []promo.Code{testCode("THIRD001", "x")}, audit.NewEntry("acme", "u", "promo.create", "events", time.Now(), nil),
		func(c promo.Code) (promo.Code, bool) { return c, false }); !errors.Is(err, issue.ErrCodeExists) {
		t.Fatalf("THIRD001 should exist: %v", err)
	}
	if db.injected < 15 {
		t.Fatalf("only %d conflicts injected: the test did not exercise the retries", db.injected)
	}
}

// TestInsertThroughConflicts: every transaction of a creation of 250 codes meets a
// conflict first; all codes are written once, with the audit entry.
func TestInsertThroughConflicts(t *testing.T) {
	_, codes, db := newConflictingJobs(t)
	var in []promo.Code
	for i := 0; i < 250; i++ {
		in = append(in, testCode(fmt.Sprintf("CONFLICT%03d", i), "u"))
	}
	written, err := codes.Insert(context.Background(), in, audit.NewEntry("acme", "u", "promo.create", "events", time.Now(), nil), nil)
	if err != nil || len(written) != 250 {
		t.Fatalf("insert: %d written, %v", len(written), err)
	}
	if db.injected != 3 || db.calls != 6 {
		t.Fatalf("%d calls, %d conflicts: want 3 cancelled and 3 applied (the creation is 3 transactions)", db.calls, db.injected)
	}
}
