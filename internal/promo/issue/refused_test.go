package issue_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/recipients"
)

// checkRefused: the job failed with code, nothing was stored for its recipients, no code was
// created and no mail sent.
func checkRefused(t *testing.T, r *rig, id, code string) issue.Job {
	t.Helper()
	j := r.job(t, id)
	if j.State != issue.JobFailed || string(j.ErrorCode) != code || len(j.Errors) == 0 {
		t.Fatalf("job %s %q %+v; want failed with %s and its problems", j.State, j.ErrorCode, j.Errors, code)
	}
	if rs, _ := r.mem.list(site, id); len(rs) != 0 || len(r.mem.codesOf(id)) != 0 || len(r.mailsTo()) != 0 {
		t.Fatalf("a refused file left %d recipients, %d codes, %d mails", len(rs), len(r.mem.codesOf(id)), len(r.mailsTo()))
	}
	return j
}

// TestRefusedFileCreatesNothing: a file with bad lines fails the job with every bad line by
// number and reason; nothing is created or sent, and the event again changes nothing.
func TestRefusedFileCreatesNothing(t *testing.T) {
	r := newRig(t)
	file := "good@example.com,Good\nnot-an-address\nx@example.com,A,B\ngood@example.com\n"
	id, key := r.startImport(t, []byte(file))
	r.crashAt()
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	j := checkRefused(t, r, id, "invalid_input")
	if len(j.Errors) != 3 {
		t.Fatalf("problems %+v, want lines 2, 3 and 4", j.Errors)
	}
	for i, line := range []int{2, 3, 4} {
		if j.Errors[i].Line != line || j.Errors[i].Reason == "" {
			t.Errorf("problem %d = %+v, want line %d with its reason", i, j.Errors[i], line)
		}
	}
	if calls := r.callsSoFar(); calls["Validated"]+calls["CreateBatch"]+calls["Send"] != 0 || calls["Fail"] != 1 {
		t.Fatalf("a refused file's run: %v", calls)
	}
	r.crashAt()
	if err := r.event(key, "req-2"); err != nil {
		t.Fatal(err)
	}
	if calls := r.callsSoFar(); calls["Lease"]+calls["Open"]+calls["Fail"] != 0 {
		t.Fatalf("the failed job was run again: %v", calls)
	}
}

// TestTooManyRecipients: one recipient over the limit fails the job as too large.
func TestTooManyRecipients(t *testing.T) {
	r := newRig(t)
	id, key := r.startImport(t, fileOf(addresses(recipients.MaxRecipients+1)))
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	checkRefused(t, r, id, "too_large")
}

// TestRefusalLostIsRecordedByTheRetry: the run dies recording the refusal; the retry finds
// the job still validating its file, refuses it again and records its problems once.
func TestRefusalLostIsRecordedByTheRetry(t *testing.T) {
	for _, after := range []bool{false, true} {
		t.Run(fmt.Sprintf("after=%v", after), func(t *testing.T) {
			r := newRig(t)
			id, key := r.startImport(t, []byte("not-an-address\n"))
			r.crashAt(crashPoint{method: "Fail", n: 1, after: after})
			if err := r.event(key, "req-1"); !errors.Is(err, errCrash) {
				t.Fatalf("the dying run reported %v", err)
			}
			if err := r.event(key, "req-1"); err != nil {
				t.Fatal(err)
			}
			if j := checkRefused(t, r, id, "invalid_input"); len(j.Errors) != 1 || j.Errors[0].Line != 1 {
				t.Fatalf("problems %+v", j.Errors)
			}
		})
	}
}
