package issuedb_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestGenerationBatchesCountOnce: a generation's batches go in while every write's first
// attempt is cancelled for a conflict. A batch written against a count the job has passed
// (a retried batch) is refused with nothing written, so is one of a job no longer creating;
// a batch with a code the site has is refused whole and names the code.
func TestGenerationBatchesCountOnce(t *testing.T) {
	jobs, _, db := newConflictingJobs(t)
	ctx := context.Background()
	now := time.Now().UTC()
	j := issue.Job{Site: "acme", ID: audit.NewID(now), Kind: issue.KindGeneration, State: issue.JobCreating, Quantity: 150,
		Bucket: "b", Key: "generations/acme/x", CreatedAt: now, CreatedBy: "u1", UpdatedAt: now, Plan: issue.ImportPlan{Length: 8}}
	if err := jobs.CreateJob(ctx, j, nil, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	batch := func(prefix string, n int) []promo.Code {
		out := make([]promo.Code, n)
		for i := range out {
			out[i] = testCode(fmt.Sprintf("%s%04d", prefix, i), "u1")
			out[i].JobID = j.ID
		}
		return out
	}
	if err := jobs.CreateGenerated(ctx, j, batch("FIRST", 99)); err != nil {
		t.Fatal(err)
	}
	// The same batch again, as a run that died before hearing back writes it: refused.
	if err := jobs.CreateGenerated(ctx, j, batch("AGAIN", 99)); !errors.Is(err, issue.ErrWrongState) {
		t.Fatalf("a batch at a passed count: %v, want ErrWrongState", err)
	}
	got, err := jobs.Job(ctx, "acme", j.ID)
	if err != nil || got.CodesCreated != 99 || got.Kind != issue.KindGeneration || got.Quantity != 150 {
		t.Fatalf("after one batch: %+v, %v", got, err)
	}
	var taken *issue.CodesTaken
	clash := append(batch("NEXT", 50), testCode("FIRST0007", "u1"))
	if err := jobs.CreateGenerated(ctx, got, clash); !errors.As(err, &taken) || len(taken.Indexes) != 1 || taken.Indexes[0] != 50 {
		t.Fatalf("a batch with a taken code: %v", err)
	}
	if err := jobs.CreateGenerated(ctx, got, batch("LAST", 51)); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Advance(ctx, "acme", j.ID, issue.JobCreating, issue.JobDone, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	got.CodesCreated = 150
	if err := jobs.CreateGenerated(ctx, got, batch("LATE", 1)); !errors.Is(err, issue.ErrWrongState) {
		t.Fatalf("a batch of a job done: %v, want ErrWrongState", err)
	}
	got, err = jobs.Job(ctx, "acme", j.ID)
	if err != nil || got.CodesCreated != 150 || got.State != issue.JobDone {
		t.Fatalf("at the end: %s with %d codes, %v; want done with 150", got.State, got.CodesCreated, err)
	}
	stored := testenv.StoredCodes(t, db.JobsAPI.(*dynamodb.Client), db.table, "acme")
	if len(stored) != 150 || !slices.Equal(stored[:99], codesOf(batch("FIRST", 99))) || !slices.Equal(stored[99:], codesOf(batch("LAST", 51))) {
		t.Fatalf("the site has %d codes (%v...); want the 99 of the first batch and the 51 of the last", len(stored), stored[:min(3, len(stored))])
	}
	if db.injected < 6 {
		t.Fatalf("only %d conflicts injected: the test did not exercise the retries", db.injected)
	}
}
