package promoimportapp_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"

	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// checkExactlyOnce: the job is done, every recipient has exactly one code and exactly one
// e-mail, which carries that code.
func checkExactlyOnce(t *testing.T, r *rig, jobID string, n int) {
	t.Helper()
	j := r.job(t, jobID)
	if j.State != issue.JobDone || j.Recipients != n || j.CodesCreated != n || j.MailsSent != n || j.MailsFailed != 0 {
		t.Fatalf("job = %s, recipients %d, codes %d, sent %d, failed %d; want done and %d each", j.State, j.Recipients, j.CodesCreated, j.MailsSent, j.MailsFailed, n)
	}
	codes := r.codesOfSite(t)
	byEmail := map[string]promo.Code{}
	for _, c := range codes {
		if c.Recipient == nil || c.JobID != jobID {
			continue
		}
		if prev, dup := byEmail[c.Recipient.Email]; dup {
			t.Fatalf("%s has two codes: %s and %s", c.Recipient.Email, prev.Code, c.Code)
		}
		byEmail[c.Recipient.Email] = c
	}
	if len(byEmail) != n {
		t.Fatalf("%d recipients have a code, want %d", len(byEmail), n)
	}
	mails := r.mailsTo(t)
	if len(mails) != n {
		t.Fatalf("%d recipients got mail, want %d", len(mails), n)
	}
	for to, ms := range mails {
		if len(ms) != 1 {
			t.Fatalf("%s got %d mails", to, len(ms))
		}
		if c := byEmail[to]; !strings.Contains(ms[0].Body.Text, c.Code) {
			t.Fatalf("%s's mail does not carry their code %s:\n%s", to, c.Code, ms[0].Body.Text)
		}
	}
}

// TestImportThousandRecipients: a 1,000-line file as Excel saves it becomes 1,000 codes and
// 1,000 e-mails, each with the recipient's name and code filled in.
func TestImportThousandRecipients(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(promoMax))
	if err := r.invoke(s3Event(t, "recipients-uploaded", key), "req-1"); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, r, job, promoMax)
	m := r.mailsTo(t)["person-7@"+r.domain][0]
	for _, want := range []string{"Hello Person 7,", "Demo Academy", "12.5%", "31 December 2034", "help@demo.example"} {
		if !strings.Contains(m.Subject+m.Body.Text, want) {
			t.Errorf("the mail lacks %q:\n%s\n%s", want, m.Subject, m.Body.Text)
		}
	}
}

const promoMax = 1000

// TestDuplicateEventIsANoOp: S3 delivers the same event twice, one after the other and two
// at once; each recipient still has one code and one e-mail.
func TestDuplicateEventIsANoOp(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(60))
	ev := s3Event(t, "recipients-uploaded", key)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.invoke(ev, fmt.Sprintf("delivery-%d", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if r.job(t, job).State != issue.JobDone {
		// The deliveries that found the job leased left it to the first: retries of that
		// one would finish it. Here, the first one finishes it by itself.
		t.Fatalf("job %s after concurrent deliveries", r.job(t, job).State)
	}
	if err := r.invoke(ev, "delivery-late"); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, r, job, 60)
}

// TestRunDyingWhileCreatingResumes: the run dies after some codes are written (the second
// of the three writes of codes for 80 recipients fails); Lambda's retry of the invocation
// resumes and creates exactly the rest.
func TestRunDyingWhileCreatingResumes(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(80))
	crash := errors.New("the run died")
	var mu sync.Mutex
	codeWrites := 0
	r.db.transact = func(n int, in *dynamodb.TransactWriteItemsInput) error {
		if !writesCodes(in) {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if codeWrites++; codeWrites > 1 {
			return crash
		}
		return nil
	}
	ev := s3Event(t, "recipients-uploaded", key)
	if err := r.invoke(ev, "req-1"); err == nil {
		t.Fatal("the dying run reported success")
	}
	j := r.job(t, job)
	if j.State != issue.JobCreating || j.CodesCreated == 0 || j.CodesCreated >= 80 {
		t.Fatalf("after the crash: %s with %d codes; want creating, part-way", j.State, j.CodesCreated)
	}
	if mails := r.mailsTo(t); len(mails) != 0 {
		t.Fatalf("%d mails before every code exists", len(mails))
	}
	r.db.transact = nil
	if err := r.invoke(ev, "req-1"); err != nil { // Lambda's retry: same request ID
		t.Fatal(err)
	}
	checkExactlyOnce(t, r, job, 80)
}

// TestRunDyingWhileSendingResumes: the run dies in the middle of sending (after 25 mails);
// the retry sends the others, and nobody gets a second mail.
func TestRunDyingWhileSendingResumes(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(70))
	crash := errors.New("the run died")
	r.ses.send = func(n int, to string) error {
		if n > 25 {
			return crash
		}
		return nil
	}
	ev := s3Event(t, "recipients-uploaded", key)
	if err := r.invoke(ev, "req-1"); err == nil {
		t.Fatal("the dying run reported success")
	}
	j := r.job(t, job)
	if j.State != issue.JobSending || j.CodesCreated != 70 || j.MailsSent == 0 || j.MailsSent >= 70 {
		t.Fatalf("after the crash: %s, %d codes, %d sent; want sending part-way", j.State, j.CodesCreated, j.MailsSent)
	}
	r.ses.send = nil
	// The retry comes as a new delivery this time (the lease was released): same outcome.
	if err := r.invoke(ev, "req-2"); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, r, job, 70)
}

// TestBadFileCreatesNothing: every bad line is reported by number and reason; no code is
// created and no mail sent.
func TestBadFileCreatesNothing(t *testing.T) {
	r := newRig(t)
	file := fmt.Sprintf("good@%[1]s,Good\nnot-an-address\nx@%[1]s,A,B\ngood@%[1]s\n", r.domain)
	job, key := r.startImport(t, []byte(file))
	if err := r.invoke(s3Event(t, "recipients-uploaded", key), "req-1"); err != nil {
		t.Fatal(err)
	}
	j := r.job(t, job)
	if j.State != issue.JobFailed || j.ErrorCode != "invalid_input" || len(j.Errors) != 3 {
		t.Fatalf("job = %s %s %+v", j.State, j.ErrorCode, j.Errors)
	}
	for i, line := range []int{2, 3, 4} {
		if j.Errors[i].Line != line || j.Errors[i].Reason == "" {
			t.Errorf("problem %d = %+v, want line %d", i, j.Errors[i], line)
		}
	}
	if codes := r.codesOfSite(t); len(codes) != 0 {
		t.Errorf("%d codes created from a bad file", len(codes))
	}
	if mails := r.mailsTo(t); len(mails) != 0 {
		t.Errorf("%d mails sent for a bad file", len(mails))
	}
}

// TestTooManyRecipients: 1,001 recipients are refused as too large.
func TestTooManyRecipients(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(promoMax+1))
	if err := r.invoke(s3Event(t, "recipients-uploaded", key), "req-1"); err != nil {
		t.Fatal(err)
	}
	if j := r.job(t, job); j.State != issue.JobFailed || j.ErrorCode != "too_large" || len(r.codesOfSite(t)) != 0 {
		t.Fatalf("job = %s %s %+v", j.State, j.ErrorCode, j.Errors)
	}
}

// TestResendSendsOnlyTheFailed: SES refuses two addresses for good; the job ends with them
// failed (with the reason); a re-send request sends those two, and nobody else again.
func TestResendSendsOnlyTheFailed(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(20))
	refused := map[string]bool{"person-3@" + r.domain: true, "person-11@" + r.domain: true}
	r.ses.send = func(_ int, to string) error {
		if refused[to] {
			return &types.MessageRejected{Message: strPtr("Email address is not verified.")}
		}
		return nil
	}
	if err := r.invoke(s3Event(t, "recipients-uploaded", key), "req-1"); err != nil {
		t.Fatal(err)
	}
	j := r.job(t, job)
	if j.State != issue.JobDone || j.MailsSent != 18 || j.MailsFailed != 2 {
		t.Fatalf("job = %s, sent %d, failed %d", j.State, j.MailsSent, j.MailsFailed)
	}
	rs, err := r.jobs.Recipients(t.Context(), "demo", job)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range rs {
		if refused[rec.Email] != (rec.Mail == issue.MailFailed) || (rec.Mail == issue.MailFailed && rec.MailReason == "") || (rec.Mail == issue.MailSent && rec.MessageID == "") {
			t.Errorf("recipient %s: %s %q %q", rec.Email, rec.Mail, rec.MailReason, rec.MessageID)
		}
	}
	r.ses.send = nil
	if err := r.invoke(s3Event(t, "resend-requested", "resends/demo/"+job+"/n1"), "req-2"); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, r, job, 20)
}

func strPtr(s string) *string { return &s }

// writesCodes reports whether a transaction puts promotion codes.
func writesCodes(in *dynamodb.TransactWriteItemsInput) bool {
	for _, it := range in.TransactItems {
		if it.Put == nil {
			continue
		}
		if sk, ok := it.Put.Item["sk"].(*dbtypes.AttributeValueMemberS); ok && strings.HasPrefix(sk.Value, promodb.CodeSKPrefix) {
			return true
		}
	}
	return false
}
