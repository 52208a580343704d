package issue_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// checkUploadedAgainNotice: the job has the notice of a second upload, which says what to
// do, stamped at the rig's clock (the events carry no time).
func checkUploadedAgainNotice(t *testing.T, r *rig, id string) {
	t.Helper()
	n := r.job(t, id).Notice
	if n == nil || n.Code != issue.NoticeUploadedAgain || !n.At.Equal(r.clock()) || !strings.Contains(n.Message, "start a new import") {
		t.Fatalf("notice %+v; want %s at %s telling to start a new import", n, issue.NoticeUploadedAgain, r.clock())
	}
}

// TestUploadAgainToAFinishedJobLeavesANotice: after the import is done, a file uploaded
// again to its key (another file, or the same one again) is not imported: its event leaves a
// notice on the job and does nothing else, and so does a duplicate of that event. A
// duplicate of the first upload's event is still a no-op.
func TestUploadAgainToAFinishedJobLeavesANotice(t *testing.T) {
	for name, second := range map[string][]byte{"another file": fileOf(addresses(7)), "the same file": fileOf(addresses(3))} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			emails := addresses(3)
			id, key := r.startImport(t, fileOf(emails))
			first := r.uploaded[bucket+"/"+key]
			if err := r.event(key, "req-1"); err != nil {
				t.Fatal(err)
			}
			r.advanceClock(time.Hour)
			r.upload(key, second)
			r.crashAt()
			for _, invocation := range []string{"req-2", "req-2-again"} {
				if err := r.event(key, invocation); err != nil {
					t.Fatal(err)
				}
			}
			if calls := r.callsSoFar(); calls["Job"] != 2 || calls["Note"] != 2 || len(calls) != 2 {
				t.Fatalf("the second upload's events did more than leave a notice: %v", calls)
			}
			checkUploadedAgainNotice(t, r, id)
			r.checkExactlyOnce(t, id, emails)

			r.crashAt()
			if err := r.is.HandleObject(t.Context(), objectOf(key, first), "req-1"); err != nil {
				t.Fatal(err)
			}
			if calls := r.callsSoFar(); calls["Job"] != 1 || len(calls) != 1 {
				t.Fatalf("the first upload's event again did more than read the job: %v", calls)
			}
		})
	}
}

// TestUploadAgainToARefusedJobLeavesANotice: the corrected file uploaded to a refused job's
// key is not checked (a job takes one file): the job stays failed with its problems, and its
// notice says to start a new import.
func TestUploadAgainToARefusedJobLeavesANotice(t *testing.T) {
	r := newRig(t)
	id, key := r.startImport(t, []byte("not-an-address\n"))
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.upload(key, fileOf(addresses(2)))
	r.crashAt()
	if err := r.event(key, "req-2"); err != nil {
		t.Fatal(err)
	}
	checkUploadedAgainNotice(t, r, id)
	j := checkRefused(t, r, id, "invalid_input")
	if len(j.Errors) != 1 || r.count("Open") != 0 {
		t.Fatalf("problems %+v, %d reads: the second upload was looked at", j.Errors, r.count("Open"))
	}
}

// TestUploadAgainWhileImportingLeavesANotice: a run died creating codes; a second upload
// arrives before Lambda's retry. The second upload's event only leaves the notice; the retry
// finishes the job with the recipients of the first file, whose codes do not depend on the
// object any more.
func TestUploadAgainWhileImportingLeavesANotice(t *testing.T) {
	r := newRig(t)
	emails := addresses(4)
	id, key := r.startImport(t, fileOf(emails))
	first := r.uploaded[bucket+"/"+key]
	r.crashAt(crashPoint{method: "CreateBatch", n: 2})
	if err := r.event(key, "req-1"); !errors.Is(err, errCrash) {
		t.Fatalf("the dying run reported %v", err)
	}
	r.upload(key, fileOf([]string{"someone-else@example.com"}))
	r.crashAt()
	if err := r.event(key, "req-2"); err != nil {
		t.Fatal(err)
	}
	if calls := r.callsSoFar(); calls["Lease"]+calls["Open"]+calls["CreateBatch"] != 0 {
		t.Fatalf("the second upload's event ran the job: %v", calls)
	}
	checkUploadedAgainNotice(t, r, id)
	if err := r.is.HandleObject(t.Context(), objectOf(key, first), "req-1"); err != nil { // Lambda's retry
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
}

// TestFileReplacedBeforeItWasReadFailsTheJob: the first upload's event takes the job, but a
// second upload replaced the object before it was read. The job cannot import the file it
// took, and must not import another under its name: it fails with conflict, creating
// nothing; the second upload's event leaves the notice.
func TestFileReplacedBeforeItWasReadFailsTheJob(t *testing.T) {
	r := newRig(t)
	id, key := r.startImport(t, fileOf(addresses(3)))
	first := r.uploaded[bucket+"/"+key]
	r.upload(key, fileOf(addresses(5)))
	if err := r.is.HandleObject(t.Context(), objectOf(key, first), "req-1"); err != nil {
		t.Fatal(err)
	}
	j := checkRefused(t, r, id, "conflict")
	if !strings.Contains(j.Errors[0].Reason, "uploaded again") {
		t.Fatalf("problems %+v", j.Errors)
	}
	if err := r.event(key, "req-2"); err != nil {
		t.Fatal(err)
	}
	checkUploadedAgainNotice(t, r, id)
}
