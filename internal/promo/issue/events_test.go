package issue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestEventForAFinishedJobIsIgnored: the same object's event again, from the same or
// another invocation, after the job is done: nothing is leased, read, created or sent.
func TestEventForAFinishedJobIsIgnored(t *testing.T) {
	r := newRig(t)
	emails := addresses(3)
	id, key := r.startImport(t, fileOf(emails))
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.crashAt()
	for _, invocation := range []string{"req-1", "req-2"} {
		if err := r.event(key, invocation); err != nil {
			t.Fatal(err)
		}
	}
	if calls := r.callsSoFar(); len(calls) != 1 || calls["Job"] != 2 {
		t.Fatalf("a finished job's events did more than read the job: %v", calls)
	}
	r.checkExactlyOnce(t, id, emails)
}

// TestSameKeyAgainResumesAFailedRun: the first run failed part-way and gave its lease up; the
// object's event delivered again (a new invocation) resumes where it stopped.
func TestSameKeyAgainResumesAFailedRun(t *testing.T) {
	r := newRig(t)
	emails := addresses(4)
	id, key := r.startImport(t, fileOf(emails))
	r.crashAt(crashPoint{method: "CreateBatch", n: 2})
	if err := r.event(key, "delivery-1"); err == nil {
		t.Fatal("the failing run reported success")
	}
	if j := r.job(t, id); j.State != issue.JobCreating || j.LeaseOwner != "" {
		t.Fatalf("after the failed run: %s, leased by %q; want creating and free", j.State, j.LeaseOwner)
	}
	if err := r.event(key, "delivery-2"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
}

// TestDeliveriesAtOnce: S3 delivers the event three times at once; whichever gets the
// lease does the job, the others leave it, and each recipient is served once.
func TestDeliveriesAtOnce(t *testing.T) {
	r := newRig(t)
	emails := addresses(6)
	id, key := r.startImport(t, fileOf(emails))
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.event(key, fmt.Sprintf("delivery-%d", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	r.checkExactlyOnce(t, id, emails)
}

// TestObjectsOfNoJobAreIgnored: objects whose key names no job, and a job's key in another
// bucket, are logged and left; the job is not touched.
func TestObjectsOfNoJobAreIgnored(t *testing.T) {
	r := newRig(t)
	id, key := r.startImport(t, fileOf(addresses(2)))
	r.crashAt()
	for _, obj := range []struct{ bucket, key string }{
		{bucket, "imports/" + site},
		{bucket, key + "/extra"},
		{bucket, "exports/" + site + "/" + id},
		{bucket, "imports/" + site + "/no-such-job"},
		{bucket, "resends/" + site + "/no-such-job/n1"},
		{"another-bucket", key},
	} {
		if err := r.is.HandleObject(context.Background(), issue.Object{Bucket: obj.bucket, Key: obj.key}, "req-1"); err != nil {
			t.Errorf("%s/%s: %v", obj.bucket, obj.key, err)
		}
	}
	if n := r.count("Lease"); n != 0 {
		t.Fatalf("%d leases taken for objects of no job", n)
	}
	if j := r.job(t, id); j.State != issue.JobAwaitingUpload || j.LeaseOwner != "" {
		t.Fatalf("job %s, leased by %q", j.State, j.LeaseOwner)
	}
}

// TestUploadToARecipientsJobIsIgnored: a single recipient's creation is a job of one with no
// upload; an object put at the key its ID would have as an import is not its file, and its
// event touches nothing.
func TestUploadToARecipientsJobIsIgnored(t *testing.T) {
	r := newRig(t)
	id := audit.NewID(r.clock())
	j := issue.Job{Site: site, ID: id, State: issue.JobSending, Recipients: 1, CodesCreated: 1, CreatedAt: r.clock()}
	if err := r.mem.createJob(j, []issue.JobRecipient{{Line: 1, Email: "a@example.com", Code: "ABCDEFGH", CodeCreated: true, Mail: issue.MailPending}}, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	key := issue.ImportsPrefix + site + "/" + id
	r.upload(key, fileOf(addresses(2)))
	r.crashAt()
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	if calls := r.callsSoFar(); calls["Job"] != 1 || len(calls) != 1 {
		t.Fatalf("an upload to a recipient's job did more than read the job: %v", calls)
	}
	if got := r.job(t, id); got.State != issue.JobSending || got.Notice != nil || len(r.mailsTo()) != 0 {
		t.Fatalf("job %s, notice %+v, %d mails", got.State, got.Notice, len(r.mailsTo()))
	}
}
