package issue_test

import (
	"context"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestResendSendsOnlyTheFailed: SES refuses two addresses for good; the job ends done with
// them failed, with the reason. A re-send request drops a marker whose event sends those
// two again, and nobody else.
func TestResendSendsOnlyTheFailed(t *testing.T) {
	r := newRig(t)
	emails := addresses(6)
	id, key := r.startImport(t, fileOf(emails))
	refused := map[string]bool{emails[1]: true, emails[4]: true}
	for e := range refused {
		r.refuse(e, "Email address is not verified.")
	}
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	j := r.job(t, id)
	if j.State != issue.JobDone || j.MailsSent != 4 || j.MailsFailed != 2 {
		t.Fatalf("job %s, %d sent, %d failed", j.State, j.MailsSent, j.MailsFailed)
	}
	rs, _ := r.mem.list(site, id)
	for _, rec := range rs {
		if refused[rec.Email] != (rec.Mail == issue.MailFailed) || (rec.Mail == issue.MailFailed && rec.MailReason != "Email address is not verified.") {
			t.Errorf("recipient %s: %s %q", rec.Email, rec.Mail, rec.MailReason)
		}
	}

	for e := range refused {
		r.refuse(e, "")
	}
	if _, err := r.is.RequestResend(context.Background(), site, id); err != nil {
		t.Fatal(err)
	}
	if len(r.markers) != 1 || !strings.HasPrefix(r.markers[0], issue.ResendsPrefix+site+"/"+id+"/") {
		t.Fatalf("markers %v", r.markers)
	}
	if err := r.event(r.markers[0], "req-2"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)

	if _, err := r.is.RequestResend(context.Background(), site, id); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("a re-send with no failed mail: %v", err)
	}
}

// TestResendOfARunningJobLeavesItToItsRun: a re-send event for a job still sending puts
// nothing back: its run sends what is pending anyway.
func TestResendOfARunningJobLeavesItToItsRun(t *testing.T) {
	r := newRig(t)
	emails := addresses(3)
	id, key := r.startImport(t, fileOf(emails))
	r.crashAt(crashPoint{method: "Send", n: 1})
	if err := r.event(key, "req-1"); err == nil {
		t.Fatal("the failing run reported success")
	}
	if _, err := r.is.RequestResend(context.Background(), site, id); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("a re-send request for a running job: %v", err)
	}
	r.crashAt()
	if err := r.event(issue.ResendsPrefix+site+"/"+id+"/n1", "req-2"); err != nil {
		t.Fatal(err)
	}
	if n := r.count("Retry"); n != 0 {
		t.Fatalf("%d mails put back for a running job", n)
	}
	r.checkExactlyOnce(t, id, emails)
}
