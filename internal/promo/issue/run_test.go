package issue_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestImportRunsToDone: a file of five recipients becomes five codes and five mails, each
// with the recipient's name, the code and the site's details; the run gives its lease up.
func TestImportRunsToDone(t *testing.T) {
	r := newRig(t)
	emails := addresses(5)
	id, key := r.startImport(t, fileOf(emails))
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
	if j := r.job(t, id); j.LeaseOwner != "" {
		t.Errorf("the finished run still holds the lease (%s)", j.LeaseOwner)
	}
	body := r.mailsTo()["person-2@example.com"][0]
	for _, want := range []string{"Hello Person 2,", "Acme Academy", "12.5%", "help@acme.example"} {
		if !strings.Contains(body, want) {
			t.Errorf("the mail lacks %q:\n%s", want, body)
		}
	}
}

// writes are the port methods that change state: a run may die after one took effect but
// before it heard back, as well as before.
var writes = map[string]bool{
	"Lease": true, "Release": true, "Take": true, "Validated": true, "Advance": true, "CreateBatch": true, "RecordMail": true,
}

// TestResumeAfterACrashAtEachStep: a run dies at one step of the import (any port call a
// clean run makes: taking the file, reading it, storing the recipients, each state change,
// each code, each mail, each record), before the call or after its write; the run reports the
// failure, and Lambda's retry of the invocation resumes, does only what is left, and ends
// with one code and one mail per recipient. Losing the lease's release fails nothing: the
// run has finished. A mail's record lost after SES took the mail is
// TestLostMailRecordSendsAgain's case.
func TestResumeAfterACrashAtEachStep(t *testing.T) {
	emails := addresses(4)
	points := stepsOfACleanRun(t, emails)
	for _, p := range points {
		if p.method == "RecordMail" && !p.after {
			continue
		}
		t.Run(p.String(), func(t *testing.T) {
			r := newRig(t)
			id, key := r.startImport(t, fileOf(emails))
			r.crashAt(p)
			err := r.event(key, "req-1")
			switch {
			case p.method == "Release" && err != nil:
				t.Fatalf("a lost release failed a finished run: %v", err)
			case p.method != "Release" && !errors.Is(err, errCrash):
				t.Fatalf("the dying run reported %v, want the crash (else Lambda would not retry)", err)
			}
			if st := r.job(t, id).State; st != issue.JobSending && st != issue.JobDone && len(r.mailsTo()) != 0 {
				t.Fatalf("%d mails while the job is %s: before every code exists", len(r.mailsTo()), st)
			}
			left := r.job(t, id)
			r.crashAt()
			if err := r.event(key, "req-1"); err != nil {
				t.Fatalf("the retry: %v", err)
			}
			r.checkExactlyOnce(t, id, emails)
			// The retry did only what was left.
			if created, sent := r.count("CreateBatch"), r.count("Send"); created != len(emails)-left.CodesCreated || sent != len(emails)-left.MailsSent {
				t.Fatalf("the retry created %d codes and sent %d mails; %d and %d were left", created, sent, len(emails)-left.CodesCreated, len(emails)-left.MailsSent)
			}
		})
	}
}

// stepsOfACleanRun lists every port call a clean import of emails makes, as crash points.
func stepsOfACleanRun(t *testing.T, emails []string) []crashPoint {
	t.Helper()
	r := newRig(t)
	id, key := r.startImport(t, fileOf(emails))
	r.crashAt()
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
	var points []crashPoint
	for method, n := range r.callsSoFar() {
		for i := 1; i <= n; i++ {
			points = append(points, crashPoint{method: method, n: i})
			if writes[method] {
				points = append(points, crashPoint{method: method, n: i, after: true})
			}
		}
	}
	slices.SortFunc(points, func(a, b crashPoint) int { return strings.Compare(a.String(), b.String()) })
	// Every recipient's code (the rig writes batches of one) and mail is a step of its own.
	for _, m := range []string{"CreateBatch", "Send", "RecordMail"} {
		if got := r.callsSoFar()[m]; got != len(emails) {
			t.Fatalf("a clean run called %s %d times for %d recipients", m, got, len(emails))
		}
	}
	return points
}

// TestLostMailRecordSendsAgain: SES took a mail but the run died before recording it. The
// mail is still pending, so the retry sends it again: a mail goes out at least once, never
// not at all, and the job counts it once.
func TestLostMailRecordSendsAgain(t *testing.T) {
	emails := addresses(4)
	for n := 1; n <= len(emails); n++ {
		r := newRig(t)
		id, key := r.startImport(t, fileOf(emails))
		r.crashAt(crashPoint{method: "RecordMail", n: n})
		if err := r.event(key, "req-1"); !errors.Is(err, errCrash) {
			t.Fatalf("record #%d lost: the run reported %v", n, err)
		}
		if err := r.event(key, "req-1"); err != nil {
			t.Fatal(err)
		}
		j := r.job(t, id)
		if j.State != issue.JobDone || j.MailsSent != len(emails) {
			t.Fatalf("record #%d lost: job %s with %d sent", n, j.State, j.MailsSent)
		}
		twice := 0
		for _, e := range emails {
			switch got := r.mailsTo()[e]; {
			case len(got) == 2 && got[0] == got[1]:
				twice++
			case len(got) != 1:
				t.Fatalf("record #%d lost: %s got %d mails", n, e, len(got))
			}
		}
		if twice != 1 {
			t.Fatalf("record #%d lost: %d recipients got their mail twice, want the one whose record was lost", n, twice)
		}
	}
}

// TestRunNearItsDeadlineLeavesTheRest: with less time left than the run needs to record
// what it does, it stops starting work and reports it, so the invocation's retry goes on;
// no mail goes out before every code exists.
func TestRunNearItsDeadlineLeavesTheRest(t *testing.T) {
	r := newRig(t)
	emails := addresses(4)
	id, key := r.startImport(t, fileOf(emails))
	// Less than the run's 20 s margin, so it stops before its first batch; and long enough that
	// the fakes get there before the deadline itself, also on a loaded machine.
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(15*time.Second))
	defer cancel()
	if err := r.is.HandleObject(ctx, objectOf(key, r.uploaded[bucket+"/"+key]), "req-1"); err == nil {
		t.Fatal("a run out of time reported success")
	}
	if j := r.job(t, id); j.State != issue.JobCreating || len(r.mailsTo()) != 0 {
		t.Fatalf("out of time: job %s, %d mails; want creating, none", j.State, len(r.mailsTo()))
	}
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	r.checkExactlyOnce(t, id, emails)
}
