package issue_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// generation is a creation of quantity generated codes.
func generation(quantity int) issue.CreateInput {
	return issue.CreateInput{
		ParamsInput: promo.ParamsInput{
			Service: "events", Usage: &promo.Usage{Kind: promo.UsageOnce},
			Discount: &promo.DiscountInput{Kind: promo.DiscountPercent, Percent: "15"}, ExpiresOn: "2027-12-31",
		},
		Type: issue.TypeGenerated, Quantity: &quantity,
	}
}

// inserted makes the rig's code writer keep what a creation inside the request writes.
func (r *rig) inserted() *[]promo.Code {
	var written []promo.Code
	r.is.Codes = &fakeCodes{insert: func(codes []promo.Code, _ audit.Entry, _ func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
		written = append(written, codes...)
		return codes, nil
	}}
	return &written
}

// startGeneration creates quantity codes through the use case, which must answer a job, and
// returns it.
func (r *rig) startGeneration(t *testing.T, quantity int) issue.Job {
	t.Helper()
	out, err := r.is.Create(context.Background(), "admin-1", site, generation(quantity), "api-req-1")
	if err != nil {
		t.Fatal(err)
	}
	if !out.Queued() || len(out.Codes) != 0 {
		t.Fatalf("%d codes answered %d codes and job %+v; want a generation job", quantity, len(out.Codes), out.Job)
	}
	return *out.Job
}

// marker runs promo-import for the S3 event of the job's marker, as Lambda's invocation.
func (r *rig) marker(j issue.Job, invocation string) error {
	return r.is.HandleObject(context.Background(), issue.Object{Bucket: j.Bucket, Key: j.Key}, invocation)
}

// checkGenerated: the job is done with exactly its quantity of codes, all of them the job's,
// distinct, without a recipient, as the creation asked; no mail went out; the creation is
// audited once, with its count and job.
func (r *rig) checkGenerated(t *testing.T, id string, quantity int) {
	t.Helper()
	j := r.job(t, id)
	codes := r.mem.codesOf(id)
	if j.State != issue.JobDone || j.CodesCreated != quantity || len(codes) != quantity || j.Percent() != 100 {
		t.Fatalf("job %s with %d codes counted, %d stored; want done with %d", j.State, j.CodesCreated, len(codes), quantity)
	}
	for _, c := range codes {
		if c.Recipient != nil || len(c.Code) != promo.DefaultLength || c.Discount.PercentBasisPoints != 1500 || c.CreatedBy != "admin-1" {
			t.Fatalf("code %+v is not what the creation asked for", c)
		}
	}
	if len(r.mailsTo()) != 0 {
		t.Fatalf("a generation sent mail: %v", r.mailsTo())
	}
	var entries []audit.Entry
	for _, e := range r.mem.entries {
		if e.Action == issue.ActionCreate {
			entries = append(entries, e)
		}
	}
	if len(entries) != 1 || !slices.Contains(entries[0].Changes, audit.Change{Field: "count", After: strconv.Itoa(quantity)}) ||
		!slices.Contains(entries[0].Changes, audit.Change{Field: "job", After: id}) {
		t.Fatalf("the creation is audited as %+v; want once, with its count and job", entries)
	}
}

// TestSyncLimit: up to MaxSyncQuantity codes are made inside the request, as before; one
// more is a job, stored with its plan, whose marker names it, and the request writes no code.
func TestSyncLimit(t *testing.T) {
	for _, n := range []int{issue.MaxSyncQuantity - 1, issue.MaxSyncQuantity} {
		r := newRig(t)
		written := r.inserted()
		out, err := r.is.Create(context.Background(), "admin-1", site, generation(n), "api-req-1")
		if err != nil {
			t.Fatal(err)
		}
		if out.Queued() || len(out.Codes) != n || len(*written) != n || len(r.mem.jobs) != 0 || len(r.markers) != 0 {
			t.Fatalf("%d codes: answered %d codes (queued %v), wrote %d, %d jobs, markers %v; want all made in the request",
				n, len(out.Codes), out.Queued(), len(*written), len(r.mem.jobs), r.markers)
		}
	}
	for _, n := range []int{issue.MaxSyncQuantity + 1, promo.MaxQuantity} {
		r := newRig(t)
		written := r.inserted()
		j := r.startGeneration(t, n)
		stored := r.job(t, j.ID)
		if stored.Kind != issue.KindGeneration || stored.State != issue.JobCreating || stored.Quantity != n || stored.CodesCreated != 0 ||
			stored.Plan.Length != promo.DefaultLength || stored.Plan.Params.Discount.PercentBasisPoints != 1500 || stored.CreatedBy != "admin-1" {
			t.Fatalf("%d codes: the job stored is %+v", n, stored)
		}
		if len(*written) != 0 || len(r.mem.codes) != 0 || r.count("CreateGenerated") != 0 {
			t.Fatalf("%d codes: the request wrote %d codes", n, len(*written)+len(r.mem.codes))
		}
		if want := issue.GenerationsPrefix + site + "/" + j.ID; stored.Key != want || stored.Bucket != bucket || !slices.Equal(r.markers, []string{want}) {
			t.Fatalf("%d codes: job key %s/%s, markers %v; want one marker %s", n, stored.Bucket, stored.Key, r.markers, want)
		}
	}
}

// TestGenerationRunsToDone: the marker's event makes the job's codes in batches of 99 and
// finishes the job; a second event of the marker finds it done and changes nothing.
func TestGenerationRunsToDone(t *testing.T) {
	r := newRig(t)
	j := r.startGeneration(t, 1234)
	r.crashAt()
	if err := r.marker(j, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkGenerated(t, j.ID, 1234)
	if n := r.count("CreateGenerated"); n != 13 {
		t.Errorf("1,234 codes took %d writes, want 13 (12 of 99, one of 46)", n)
	}
	if err := r.marker(j, "req-2"); err != nil {
		t.Fatal(err)
	}
	r.checkGenerated(t, j.ID, 1234)
}

// TestGenerationResumesAfterACrashAtEachStep: a run dies at one step of a generation (every
// port call a clean run makes), before the call or after its write; Lambda's retry of the
// invocation resumes and the job ends done with exactly its quantity of codes, audited once.
func TestGenerationResumesAfterACrashAtEachStep(t *testing.T) {
	const quantity = 1001
	clean := newRig(t)
	j := clean.startGeneration(t, quantity)
	clean.crashAt()
	if err := clean.marker(j, "req-1"); err != nil {
		t.Fatal(err)
	}
	var points []crashPoint
	for method, n := range clean.callsSoFar() {
		for i := 1; i <= n; i++ {
			points = append(points, crashPoint{method: method, n: i}, crashPoint{method: method, n: i, after: true})
		}
	}
	if len(points) < 2*11 {
		t.Fatalf("a clean run made only %v", clean.callsSoFar())
	}
	for _, p := range points {
		t.Run(p.String(), func(t *testing.T) {
			r := newRig(t)
			j := r.startGeneration(t, quantity)
			r.crashAt(p)
			err := r.marker(j, "req-1")
			if p.method != "Release" && !errors.Is(err, errCrash) {
				t.Fatalf("the dying run reported %v, want the crash (else Lambda would not retry)", err)
			}
			left := quantity - r.job(t, j.ID).CodesCreated
			r.crashAt()
			if err := r.marker(j, "req-1"); err != nil {
				t.Fatalf("the retry: %v", err)
			}
			r.checkGenerated(t, j.ID, quantity)
			if wrote := r.count("CreateGenerated"); wrote != (left+98)/99 {
				t.Fatalf("the retry wrote %d batches for the %d codes left", wrote, left)
			}
		})
	}
}

// TestGenerationBatchWrittenByAnotherRun: while a run makes its batches, another run (whose
// lease had lapsed, say) writes the batch the first is about to write. The first run's
// write is refused, it reads how far the job is and goes on from there: the job still ends
// with exactly its quantity.
func TestGenerationBatchWrittenByAnotherRun(t *testing.T) {
	const quantity = 1500
	r := newRig(t)
	j := r.startGeneration(t, quantity)
	write := r.jobs.generated
	calls := 0
	r.jobs.generated = func(j issue.Job, codes []promo.Code) error {
		if calls++; calls == 3 {
			other := slices.Clone(codes)
			for i := range other {
				other[i].Code = strings.Repeat("Z", 4) + other[i].Code[4:]
			}
			if err := write(j, other); err != nil {
				t.Fatalf("the other run's batch: %v", err)
			}
		}
		return write(j, codes)
	}
	if err := r.marker(j, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkGenerated(t, j.ID, quantity)
	// 16 batches: two, the other run's, then thirteen more; and the one refused.
	if calls != 16 {
		t.Errorf("the run wrote %d times; want 15 batches of its own and the one refused", calls)
	}
}

// TestGenerationCollidesAndRegenerates: codes the site has already are generated again, and
// the job still makes exactly its quantity.
func TestGenerationCollidesAndRegenerates(t *testing.T) {
	r := newRig(t)
	j := r.startGeneration(t, 1100)
	write := r.jobs.generated
	refused := 0
	r.jobs.generated = func(j issue.Job, codes []promo.Code) error {
		if refused < 3 {
			refused++
			return &issue.CodesTaken{Indexes: []int{0, len(codes) - 1}}
		}
		return write(j, codes)
	}
	if err := r.marker(j, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkGenerated(t, j.ID, 1100)
}

// TestGenerationMarkerOfAnotherJob: a marker object naming a job that is not a generation
// (an import waiting for its file), or under another bucket, runs nothing.
func TestGenerationMarkerOfAnotherJob(t *testing.T) {
	r := newRig(t)
	id, _ := r.startImport(t, fileOf(addresses(2)))
	r.crashAt()
	if err := r.is.HandleObject(context.Background(), issue.Object{Bucket: bucket, Key: issue.GenerationsPrefix + site + "/" + id}, "req-1"); err != nil {
		t.Fatal(err)
	}
	if calls := r.callsSoFar(); len(calls) != 1 || calls["Job"] != 1 || r.job(t, id).State != issue.JobAwaitingUpload {
		t.Fatalf("a generation marker of an import made calls %v", calls)
	}
	j := r.startGeneration(t, 2000)
	r.crashAt()
	if err := r.is.HandleObject(context.Background(), issue.Object{Bucket: "another-" + bucket, Key: j.Key}, "req-1"); err != nil {
		t.Fatal(err)
	}
	if calls := r.callsSoFar(); len(calls) != 1 || len(r.mem.codesOf(j.ID)) != 0 {
		t.Fatalf("the marker in another bucket made calls %v", calls)
	}
}

// TestGenerationWhoseMarkerFails: when the marker cannot be dropped, the creation fails and
// its job, which nothing would run, ends failed having made nothing.
func TestGenerationWhoseMarkerFails(t *testing.T) {
	r := newRig(t)
	r.uploads.put = func(string, []byte) error { return errors.New("the bucket is unreachable") }
	if _, err := r.is.Create(context.Background(), "admin-1", site, generation(5000), "api-req-1"); err == nil {
		t.Fatal("the creation whose marker failed reported success")
	}
	if len(r.mem.jobs) != 1 {
		t.Fatalf("%d jobs stored", len(r.mem.jobs))
	}
	for _, j := range r.mem.jobs {
		if j.State != issue.JobFailed || j.CodesCreated != 0 || len(r.mem.codes) != 0 {
			t.Fatalf("the job is %s with %d codes; want failed with none", j.State, j.CodesCreated)
		}
	}
}
