package promoimportapp_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// startGeneration asks promo-create for quantity codes, which it must answer with a
// generation job; it returns the job's ID and the S3 event of its marker.
func (r *rig) startGeneration(t *testing.T, quantity int) (string, events.S3Event) {
	t.Helper()
	ev := testenv.LoadHTTPEvent(t, createEvents, "create-generated-job")
	ev.Body = strings.Replace(ev.Body, `"quantity": 5000`, `"quantity": `+strconv.Itoa(quantity), 1)
	resp, err := r.create(context.Background(), ev)
	if err != nil || resp.StatusCode != 202 {
		t.Fatalf("create %d codes: %d %s %v", quantity, resp.StatusCode, resp.Body, err)
	}
	var out struct{ Job struct{ ID, Key string } }
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil || out.Job.Key != issue.GenerationsPrefix+"demo/"+out.Job.ID {
		t.Fatalf("the job answered: %s (%v)", resp.Body, err)
	}
	return out.Job.ID, s3Event(t, "generation-requested", out.Job.Key)
}

// codesOfJob lists the codes of the site the job made, and fails if any other code exists.
func (r *rig) codesOfJob(t *testing.T, id string) []string {
	t.Helper()
	var out []string
	for _, c := range r.codesOfSite(t) {
		if c.JobID != id || c.Recipient != nil {
			t.Fatalf("code %s of job %q, recipient %v: the site has codes other than the job's", c.Code, c.JobID, c.Recipient)
		}
		out = append(out, c.Code)
	}
	return out
}

// TestGenerationRunsFromItsMarker: promo-create answers 2,500 codes with a job; the marker's
// S3 event, fed to promo-import's handler, makes them. The first invocation dies part way
// (its DynamoDB goes away after a few batches) and reports it; whatever it made is counted
// on the job. Lambda's retry of the invocation, and a second delivery of the event, end
// with the job done and exactly 2,500 codes, audited once.
func TestGenerationRunsFromItsMarker(t *testing.T) {
	const quantity = 2500
	r := newRig(t)
	id, ev := r.startGeneration(t, quantity)
	if j := r.job(t, id); j.State != issue.JobCreating || len(r.codesOfJob(t, id)) != 0 {
		t.Fatalf("before promo-import: job %s with %d codes", j.State, len(r.codesOfJob(t, id)))
	}
	r.failTransactionsAfter(4)
	if err := r.invoke(ev, "req-1"); err == nil {
		t.Fatal("the invocation whose DynamoDB went away reported success")
	}
	part := r.job(t, id)
	if made := r.codesOfJob(t, id); part.State != issue.JobCreating || part.CodesCreated == 0 || part.CodesCreated >= quantity || len(made) != part.CodesCreated {
		t.Fatalf("the dying run left the job %s counting %d codes, %d stored; want a part, counted as stored", part.State, part.CodesCreated, len(made))
	}
	r.heal()
	if err := r.invoke(ev, "req-1"); err != nil {
		t.Fatalf("the retry: %v", err)
	}
	if err := r.invoke(ev, "req-2"); err != nil {
		t.Fatalf("a second delivery: %v", err)
	}
	j := r.job(t, id)
	made := r.codesOfJob(t, id)
	if j.State != issue.JobDone || j.CodesCreated != quantity || j.Percent() != 100 || len(made) != quantity || len(slices.Compact(slices.Sorted(slices.Values(made)))) != quantity {
		t.Fatalf("job %s counting %d codes, %d stored; want done with %d distinct codes", j.State, j.CodesCreated, len(made), quantity)
	}
	log, err := auditdb.New(r.l.DB, r.env["AUDIT_TABLE"])
	if err != nil {
		t.Fatal(err)
	}
	page, err := log.List(context.Background(), "demo", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var creations []audit.Entry
	for _, e := range page.Entries {
		if e.Action == issue.ActionCreate {
			creations = append(creations, e)
		}
	}
	if len(creations) != 1 || !slices.Contains(creations[0].Changes, audit.Change{Field: "count", After: strconv.Itoa(quantity)}) {
		t.Fatalf("the audit holds the creations %+v; want one, with its count", creations)
	}
}
