package issue_test

import (
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestSecondRunnerLeavesALeasedJob: while one delivery works on the job (it holds the
// lease, has taken the file and is reading it), a second delivery of the event finds the
// job leased and leaves it, touching nothing; the first finishes it alone.
func TestSecondRunnerLeavesALeasedJob(t *testing.T) {
	r := newRig(t)
	emails := addresses(3)
	id, key := r.startImport(t, fileOf(emails))
	inside, resume := make(chan struct{}), make(chan struct{})
	var held atomic.Bool
	open := r.objects.open
	r.objects.open = func(bucket, key, etag string, max int64) (io.ReadCloser, error) {
		if held.CompareAndSwap(false, true) {
			close(inside)
			<-resume
		}
		return open(bucket, key, etag, max)
	}
	r.crashAt()
	first := make(chan error, 1)
	go func() { first <- r.event(key, "delivery-1") }()
	<-inside
	if err := r.event(key, "delivery-2"); err != nil {
		t.Fatalf("the second delivery: %v", err)
	}
	// delivery-1 has taken the file and waits before its read is counted: any other read or
	// write here is delivery-2's.
	calls := r.callsSoFar()
	if calls["Lease"] != 2 || calls["Take"] != 1 || calls["Open"] != 0 || calls["Validated"] != 0 || calls["Advance"] != 0 || calls["Release"] != 0 {
		t.Fatalf("the second delivery did more than try the lease: %v", calls)
	}
	if j := r.job(t, id); j.LeaseOwner != "delivery-1" || j.State != issue.JobValidating {
		t.Fatalf("job %s leased by %q after the second delivery", j.State, j.LeaseOwner)
	}
	close(resume)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
}

// dieHoldingTheLease makes a delivery die after taking the job's lease: its read of the
// file fails and its release of the lease is lost with it.
func dieHoldingTheLease(t *testing.T, r *rig, id, key, invocation string) {
	t.Helper()
	r.crashAt(crashPoint{method: "Open", n: 1}, crashPoint{method: "Release", n: 1})
	if err := r.event(key, invocation); !errors.Is(err, errCrash) {
		t.Fatalf("the dying run reported %v", err)
	}
	if j := r.job(t, id); j.LeaseOwner != invocation || !j.LeaseUntil.Equal(r.clock().Add(leaseTTL)) {
		t.Fatalf("after dying: leased by %q until %s", j.LeaseOwner, j.LeaseUntil)
	}
}

// TestLapsedLeaseIsTakenOver: a run died holding the lease. Another delivery before the
// lease lapses leaves the job alone; one after it takes the job over and finishes it.
func TestLapsedLeaseIsTakenOver(t *testing.T) {
	r := newRig(t)
	emails := addresses(3)
	id, key := r.startImport(t, fileOf(emails))
	dieHoldingTheLease(t, r, id, key, "delivery-1")

	r.advanceClock(leaseTTL - time.Second)
	if err := r.event(key, "delivery-2"); err != nil {
		t.Fatal(err)
	}
	if j := r.job(t, id); j.LeaseOwner != "delivery-1" || j.State != issue.JobValidating || r.count("Open") != 1 {
		t.Fatalf("before the lease lapsed, delivery-2 took the job: %s, leased by %q, %d reads", j.State, j.LeaseOwner, r.count("Open"))
	}

	r.advanceClock(2 * time.Second)
	if err := r.event(key, "delivery-3"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
}

// TestRetryOfTheDeadInvocationResumesAtOnce: Lambda's retry carries the invocation's ID,
// so it holds the lease its dead run left and need not wait for it to lapse.
func TestRetryOfTheDeadInvocationResumesAtOnce(t *testing.T) {
	r := newRig(t)
	emails := addresses(3)
	id, key := r.startImport(t, fileOf(emails))
	dieHoldingTheLease(t, r, id, key, "req-1")
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
}
