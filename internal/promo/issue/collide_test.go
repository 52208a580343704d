package issue_test

import (
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestCollidingCodeIsReplaced: a recipient's code turns out to be taken by another code of
// the site when its batch is written; the run gives the recipient a new code and writes the
// batch again, and the other code stays as it was.
func TestCollidingCodeIsReplaced(t *testing.T) {
	r := newRig(t)
	emails := addresses(3)
	id, key := r.startImport(t, fileOf(emails))
	var taken string
	create := r.jobs.createBatch
	r.jobs.createBatch = func(j issue.Job, b issue.Batch, codes []promo.Code) error {
		if b.Recipients[0].Line == 2 && taken == "" {
			taken = codes[0].Code
			r.mem.mu.Lock()
			r.mem.codes[j.Site+"/"+taken] = promo.Code{Site: j.Site, Code: taken, JobID: "another-job"}
			r.mem.mu.Unlock()
		}
		return create(j, b, codes)
	}
	r.crashAt()
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
	rs, _ := r.mem.list(site, id)
	// One write per recipient, and the collided one's again: one new code.
	if rs[1].Code == taken || r.count("CreateBatch") != len(emails)+1 {
		t.Fatalf("recipient %s kept the taken code %s (%d writes)", rs[1].Email, taken, r.count("CreateBatch"))
	}
	if other := r.mem.codes[site+"/"+taken]; other.JobID != "another-job" {
		t.Fatalf("the existing code was overwritten: %+v", other)
	}
}

// TestEndlessCollisionsStop: when every new code collides too, the run gives up with an
// internal error after a bounded number of tries, before any mail.
func TestEndlessCollisionsStop(t *testing.T) {
	r := newRig(t)
	id, key := r.startImport(t, fileOf(addresses(3)))
	create := r.jobs.createBatch
	tries := 0
	r.jobs.createBatch = func(j issue.Job, b issue.Batch, codes []promo.Code) error {
		if b.Recipients[0].Line == 3 {
			tries++
			return &issue.CodesTaken{Indexes: []int{0}}
		}
		return create(j, b, codes)
	}
	r.crashAt()
	if err := r.event(key, "req-1"); apperr.CodeOf(err) != apperr.CodeInternal {
		t.Fatalf("endless collisions: %v", err)
	}
	if tries < 2 || tries > 100 {
		t.Fatalf("%d codes tried", tries)
	}
	if j := r.job(t, id); j.State != issue.JobCreating || len(r.mailsTo()) != 0 {
		t.Fatalf("job %s, %d mails", j.State, len(r.mailsTo()))
	}
}
