package issue_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// The rig's site, bucket and lease.
const (
	site     = "acme"
	bucket   = "uploads"
	leaseTTL = 16 * time.Minute
)

// errCrash is what a port answers at the call a test makes fail, as a run dying there
// would see it.
var errCrash = errors.New("the run died here")

// crashPoint is the n-th call (from 1) of a port method; after means the call takes
// effect before it fails (the write was made, its answer lost).
type crashPoint struct {
	method string
	n      int
	after  bool
}

func (p crashPoint) String() string {
	when := "before"
	if p.after {
		when = "after"
	}
	return fmt.Sprintf("%s#%d/%s", p.method, p.n, when)
}

// rig is an Issuer over the func-field fakes: the jobs in memJobs, the uploads bucket in a
// map, the mails sent in a mailbox, a clock the test moves. Every port call is counted by
// method, and any of them can be made to fail once.
type rig struct {
	is      *issue.Issuer
	mem     *memJobs
	sites   *fakeSites
	jobs    *fakeJobs
	mailer  *fakeMailer
	objects *fakeObjects
	uploads *fakeUploads

	mu       sync.Mutex
	now      time.Time
	files    map[string][]byte             // bucket/key
	uploaded map[string]issue.UploadedFile // bucket/key: the upload now there
	sequence int                           // the last upload's sequencer
	markers  []string                      // keys of the objects Uploads.Put dropped
	mails    map[string][]string           // bodies delivered, by recipient
	refused  map[string]string             // addresses SES refuses for good, with the reason
	calls    map[string]int
	crashes  map[crashPoint]bool // to fire; true once fired
}

// newRig's imports create one recipient's code per write, so that each code is a step a run
// can die at; newBatchRig's create batchSize at once.
func newRig(t *testing.T) *rig {
	t.Helper()
	return newBatchRig(t, 1)
}

func newBatchRig(t *testing.T, batchSize int) *rig {
	t.Helper()
	r := &rig{
		mem: newMemJobs(), now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		files: map[string][]byte{}, uploaded: map[string]issue.UploadedFile{}, mails: map[string][]string{}, refused: map[string]string{}, calls: map[string]int{}, crashes: map[crashPoint]bool{},
	}
	s := settings.New(site)
	cfg := s.Services[settings.Events]
	cfg.Enabled, cfg.Config.PromoCodesEnabled, cfg.Config.MerchantName, cfg.Config.SupportInfo = true, true, "Acme Academy", "help@acme.example"
	s.Services[settings.Events] = cfg
	r.sites = &fakeSites{get: func(string) (settings.Site, error) {
		return call(r, "Sites.Get", func() (settings.Site, error) { return s, nil })
	}}
	r.jobs = r.countedJobs(r.mem.fake())
	r.mailer = &fakeMailer{send: func(to, subject, body string) (string, string, error) {
		type sent struct{ id, reason string }
		out, err := call(r, "Send", func() (sent, error) {
			if reason := r.refusal(to); reason != "" {
				return sent{"", reason}, nil
			}
			return sent{r.deliver(to, body), ""}, nil
		})
		return out.id, out.reason, err
	}}
	r.objects = &fakeObjects{open: func(bucket, key, etag string, max int64) (io.ReadCloser, error) {
		return call(r, "Open", func() (io.ReadCloser, error) { return r.file(bucket, key, etag) })
	}}
	r.uploads = &fakeUploads{
		presignPut: func(key string, _ time.Duration) (string, error) {
			return "https://uploads.example/" + key + "?signed", nil
		},
		bucket: func() string { return bucket },
		put: func(key string, _ []byte) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.markers = append(r.markers, key)
			return nil
		},
	}
	is, err := issue.New(issue.Deps{
		Sites: r.sites, Codes: &fakeCodes{}, Jobs: r.jobs, Mailer: r.mailer, Objects: r.objects, Uploads: r.uploads,
		Now: r.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), LeaseTTL: leaseTTL, BatchSize: batchSize,
	})
	if err != nil {
		t.Fatal(err)
	}
	r.is = is
	return r
}

// countedJobs routes every method of f through call, so it is counted and may crash.
func (r *rig) countedJobs(f *fakeJobs) *fakeJobs {
	return &fakeJobs{
		createJob: func(j issue.Job, rs []issue.JobRecipient, e audit.Entry) error {
			return r.step("CreateJob", func() error { return f.createJob(j, rs, e) })
		},
		job: func(site, id string) (issue.Job, error) {
			return call(r, "Job", func() (issue.Job, error) { return f.job(site, id) })
		},
		lease: func(site, id, owner string, until, now time.Time) (issue.Job, error) {
			return call(r, "Lease", func() (issue.Job, error) { return f.lease(site, id, owner, until, now) })
		},
		release: func(site, id, owner string) error {
			return r.step("Release", func() error { return f.release(site, id, owner) })
		},
		take: func(site, id string, file issue.UploadedFile) error {
			return r.step("Take", func() error { return f.take(site, id, file) })
		},
		fail: func(j issue.Job, code string, problems []issue.ProblemLine) error {
			return r.step("Fail", func() error { return f.fail(j, code, problems) })
		},
		validated: func(site, id string, batches []issue.Batch) error {
			return r.step("Validated", func() error { return f.validated(site, id, batches) })
		},
		pending: func(site, id string) ([]issue.Batch, error) {
			return call(r, "Pending", func() ([]issue.Batch, error) { return f.pending(site, id) })
		},
		createBatch: func(j issue.Job, b issue.Batch, codes []promo.Code) error {
			return r.step("CreateBatch", func() error { return f.createBatch(j, b, codes) })
		},
		generated: func(j issue.Job, codes []promo.Code) error {
			return r.step("CreateGenerated", func() error { return f.generated(j, codes) })
		},
		advance: func(site, id string, from, to issue.JobState, e audit.Entry) error {
			return r.step("Advance", func() error { return f.advance(site, id, from, to, e) })
		},
		recipients: func(site, id string) ([]issue.JobRecipient, error) {
			return call(r, "Recipients", func() ([]issue.JobRecipient, error) { return f.recipients(site, id) })
		},
		recordMail: func(site, id string, rec issue.JobRecipient) error {
			return r.step("RecordMail", func() error { return f.recordMail(site, id, rec) })
		},
		retry: func(site, id string, line int) error {
			return r.step("Retry", func() error { return f.retry(site, id, line) })
		},
		note: func(site, id string, n issue.JobNotice) error {
			return r.step("Note", func() error { return f.note(site, id, n) })
		},
	}
}

// call counts a call of method and runs do, unless the call is a crash point: then it
// fails before do, or after it.
func call[T any](r *rig, method string, do func() (T, error)) (T, error) {
	r.mu.Lock()
	r.calls[method]++
	n := r.calls[method]
	var fire *crashPoint
	for p, fired := range r.crashes {
		if !fired && p.method == method && p.n == n {
			r.crashes[p], fire = true, &p
		}
	}
	r.mu.Unlock()
	var zero T
	if fire != nil && !fire.after {
		return zero, errCrash
	}
	v, err := do()
	if fire != nil {
		return zero, errCrash
	}
	return v, err
}

func (r *rig) step(method string, do func() error) error {
	_, err := call(r, method, func() (struct{}, error) { return struct{}{}, do() })
	return err
}

// crashAt makes each point's call fail once; the counts start again from here.
func (r *rig) crashAt(points ...crashPoint) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = map[string]int{}
	for _, p := range points {
		r.crashes[p] = false
	}
}

// count is how often method was called (since the last crashAt).
func (r *rig) count(method string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[method]
}

// callsSoFar is a copy of the counts.
func (r *rig) callsSoFar() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for m, n := range r.calls {
		out[m] = n
	}
	return out
}

func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *rig) advanceClock(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.now = r.now.Add(d)
}

// file is the object's content, refused as S3's Open refuses it when etag is another's.
func (r *rig) file(bucket, key, etag string) (io.ReadCloser, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.files[bucket+"/"+key]
	if !ok {
		return nil, fmt.Errorf("no object %s/%s", bucket, key)
	}
	if etag != "" && etag != r.uploaded[bucket+"/"+key].ETag {
		return nil, issue.ErrFileReplaced
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// upload stores file at key as a new upload (with its own sequencer) and returns it.
func (r *rig) upload(key string, file []byte) issue.UploadedFile {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sequence++
	sum := md5.Sum(file)
	u := issue.UploadedFile{ETag: hex.EncodeToString(sum[:]), Sequencer: fmt.Sprintf("%018X", r.sequence)}
	r.files[bucket+"/"+key], r.uploaded[bucket+"/"+key] = file, u
	return u
}

// deliver puts a mail into the recipient's mailbox and returns its message ID.
func (r *rig) deliver(to, body string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mails[to] = append(r.mails[to], body)
	return fmt.Sprintf("msg-%s-%d", to, len(r.mails[to]))
}

// refuse makes SES refuse to (or accept it again, with no reason).
func (r *rig) refuse(to, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refused[to] = reason
}

func (r *rig) refusal(to string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused[to]
}

// mailsTo is a copy of the mailboxes.
func (r *rig) mailsTo() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for to, bodies := range r.mails {
		out[to] = append([]string(nil), bodies...)
	}
	return out
}

// addresses are n recipients' addresses.
func addresses(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("person-%d@example.com", i+1)
	}
	return out
}

// fileOf is a recipients file with a header and one "address,name" line per address.
func fileOf(emails []string) []byte {
	var b bytes.Buffer
	b.WriteString("Email,Name\r\n")
	for i, e := range emails {
		fmt.Fprintf(&b, "%s,Person %d\r\n", e, i+1)
	}
	return b.Bytes()
}

// startImport starts an import through the use case and uploads file to its key; it
// returns the job's ID and key.
func (r *rig) startImport(t *testing.T, file []byte) (id, key string) {
	t.Helper()
	j, up, err := r.is.StartImport(context.Background(), "admin-1", site, issue.ImportInput{ParamsInput: promo.ParamsInput{
		Service: "events", Usage: &promo.Usage{Kind: promo.UsageOnce},
		Discount: &promo.DiscountInput{Kind: promo.DiscountPercent, Percent: "12.5"}, ExpiresOn: "2027-12-31",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if up.Bucket != bucket || up.Key != j.Key || !strings.HasPrefix(up.Key, issue.ImportsPrefix+site+"/") {
		t.Fatalf("upload to %s/%s for job key %s", up.Bucket, up.Key, j.Key)
	}
	r.upload(up.Key, file)
	return j.ID, up.Key
}

// event runs the import for the S3 event of the upload now at key, as Lambda's invocation.
func (r *rig) event(key, invocation string) error {
	r.mu.Lock()
	u := r.uploaded[bucket+"/"+key]
	r.mu.Unlock()
	return r.is.HandleObject(context.Background(), objectOf(key, u), invocation)
}

// objectOf is what the S3 event of upload u at key announces.
func objectOf(key string, u issue.UploadedFile) issue.Object {
	return issue.Object{Bucket: bucket, Key: key, File: u}
}

func (r *rig) job(t *testing.T, id string) issue.Job {
	t.Helper()
	j, err := r.mem.job(site, id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// checkExactlyOnce: the job is done; each address has one code of the job, recorded on its
// recipient, and one mail carrying it; nobody else got mail; the import is audited once.
func (r *rig) checkExactlyOnce(t *testing.T, id string, emails []string) {
	t.Helper()
	n := len(emails)
	j := r.job(t, id)
	if j.State != issue.JobDone || j.Recipients != n || j.CodesCreated != n || j.MailsSent != n || j.MailsFailed != 0 {
		t.Fatalf("job %s: recipients %d, codes %d, sent %d, failed %d; want done and %d each", j.State, j.Recipients, j.CodesCreated, j.MailsSent, j.MailsFailed, n)
	}
	codes := map[string]string{}
	for _, c := range r.mem.codesOf(id) {
		if c.Recipient == nil {
			t.Fatalf("code %s of the job has no recipient", c.Code)
		}
		if prev, dup := codes[c.Recipient.Email]; dup {
			t.Fatalf("%s has two codes: %s and %s", c.Recipient.Email, prev, c.Code)
		}
		codes[c.Recipient.Email] = c.Code
	}
	rs, _ := r.mem.list(site, id)
	if len(codes) != n || len(rs) != n {
		t.Fatalf("%d codes for %d recipients, want %d", len(codes), len(rs), n)
	}
	for _, rec := range rs {
		if !rec.CodeCreated || rec.Code != codes[rec.Email] || rec.Mail != issue.MailSent || rec.MessageID == "" {
			t.Fatalf("recipient %+v; its code is %q", rec, codes[rec.Email])
		}
	}
	mails := r.mailsTo()
	if len(mails) != n {
		t.Fatalf("%d addresses got mail, want %d", len(mails), n)
	}
	for _, e := range emails {
		if got := mails[e]; len(got) != 1 || codes[e] == "" || !strings.Contains(got[0], codes[e]) {
			t.Fatalf("%s got %d mails (%q), want one with the code %s", e, len(got), got, codes[e])
		}
	}
	if n := r.mem.audited(issue.ActionImport); n != 1 {
		t.Fatalf("the import is audited %d times", n)
	}
}
