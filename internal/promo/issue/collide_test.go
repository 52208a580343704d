package issue_test

import (
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestCollidingCodeIsReplaced: a recipient's candidate code turns out to be taken by
// another code of the site; the run gives the recipient a new code and creates that one,
// and the other code stays as it was.
func TestCollidingCodeIsReplaced(t *testing.T) {
	r := newRig(t)
	emails := addresses(3)
	id, key := r.startImport(t, fileOf(emails))
	var taken string
	add := r.jobs.addRecipients
	r.jobs.addRecipients = func(s, job string, rs []promo.JobRecipient) error {
		taken = rs[1].Code
		r.mem.mu.Lock()
		r.mem.codes[s+"/"+taken] = promo.Code{Site: s, Code: taken, JobID: "another-job"}
		r.mem.mu.Unlock()
		return add(s, job, rs)
	}
	r.crashAt()
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
	rs, _ := r.mem.list(site, id)
	if rs[1].Code == taken || r.count("Reassign") != 1 {
		t.Fatalf("recipient %s kept the taken code %s (%d reassigned)", rs[1].Email, taken, r.count("Reassign"))
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
	create := r.jobs.createCode
	r.jobs.createCode = func(j promo.Job, rec promo.JobRecipient, c promo.Code) error {
		if rec.Line == 3 {
			return issue.ErrCodeExists
		}
		return create(j, rec, c)
	}
	r.crashAt()
	if err := r.event(key, "req-1"); apperr.CodeOf(err) != apperr.CodeInternal {
		t.Fatalf("endless collisions: %v", err)
	}
	if n := r.count("Reassign"); n == 0 || n > 100 {
		t.Fatalf("%d new codes tried", n)
	}
	if j := r.job(t, id); j.State != promo.JobCreating || len(r.mailsTo()) != 0 {
		t.Fatalf("job %s, %d mails", j.State, len(r.mailsTo()))
	}
}
