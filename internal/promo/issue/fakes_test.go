package issue_test

import (
	"context"
	"io"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// The ports of the Issuer, each a struct with one func field per method. A test sets the
// fields it needs; memJobs gives the Jobs fields a store's behaviour. Like any AWS call, a
// call made with an ended context fails without reaching its func (see live).

type fakeSites struct {
	get func(site string) (settings.Site, error)
}

func (f *fakeSites) Get(ctx context.Context, site string) (settings.Site, error) {
	return live(ctx, func() (settings.Site, error) { return f.get(site) })
}

type fakeCodes struct {
	insert func(codes []promo.Code, entry audit.Entry, regenerate func(promo.Code) (promo.Code, bool)) ([]promo.Code, error)
}

func (f *fakeCodes) Insert(ctx context.Context, codes []promo.Code, entry audit.Entry, regenerate func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
	return live(ctx, func() ([]promo.Code, error) { return f.insert(codes, entry, regenerate) })
}

type fakeJobs struct {
	createJob   func(j issue.Job, rs []issue.JobRecipient, entry audit.Entry) error
	job         func(site, id string) (issue.Job, error)
	lease       func(site, id, owner string, until, now time.Time) (issue.Job, error)
	release     func(site, id, owner string) error
	take        func(site, id string, file issue.UploadedFile) error
	fail        func(j issue.Job, code string, problems []issue.ProblemLine) error
	validated   func(site, id string, batches []issue.Batch) error
	pending     func(site, id string) ([]issue.Batch, error)
	createBatch func(j issue.Job, b issue.Batch, codes []promo.Code) error
	generated   func(j issue.Job, codes []promo.Code) error
	advance     func(site, id string, from, to issue.JobState, entry audit.Entry) error
	recipients  func(site, id string) ([]issue.JobRecipient, error)
	recordMail  func(site, id string, r issue.JobRecipient) error
	retry       func(site, id string, line int) error
	note        func(site, id string, n issue.JobNotice) error
}

func (f *fakeJobs) CreateJob(ctx context.Context, j issue.Job, rs []issue.JobRecipient, entry audit.Entry) error {
	return done(ctx, func() error { return f.createJob(j, rs, entry) })
}

func (f *fakeJobs) Job(ctx context.Context, site, id string) (issue.Job, error) {
	return live(ctx, func() (issue.Job, error) { return f.job(site, id) })
}

func (f *fakeJobs) Lease(ctx context.Context, site, id, owner string, until, now time.Time) (issue.Job, error) {
	return live(ctx, func() (issue.Job, error) { return f.lease(site, id, owner, until, now) })
}

func (f *fakeJobs) Release(ctx context.Context, site, id, owner string) error {
	return done(ctx, func() error { return f.release(site, id, owner) })
}

func (f *fakeJobs) Take(ctx context.Context, site, id string, file issue.UploadedFile) error {
	return done(ctx, func() error { return f.take(site, id, file) })
}

func (f *fakeJobs) Fail(ctx context.Context, j issue.Job, code string, problems []issue.ProblemLine) error {
	return done(ctx, func() error { return f.fail(j, code, problems) })
}

func (f *fakeJobs) Validated(ctx context.Context, site, id string, batches []issue.Batch) error {
	return done(ctx, func() error { return f.validated(site, id, batches) })
}

func (f *fakeJobs) Pending(ctx context.Context, site, id string) ([]issue.Batch, error) {
	return live(ctx, func() ([]issue.Batch, error) { return f.pending(site, id) })
}

func (f *fakeJobs) CreateBatch(ctx context.Context, j issue.Job, b issue.Batch, codes []promo.Code) error {
	return done(ctx, func() error { return f.createBatch(j, b, codes) })
}

func (f *fakeJobs) CreateGenerated(ctx context.Context, j issue.Job, codes []promo.Code) error {
	return done(ctx, func() error { return f.generated(j, codes) })
}

func (f *fakeJobs) Advance(ctx context.Context, site, id string, from, to issue.JobState, entry audit.Entry) error {
	return done(ctx, func() error { return f.advance(site, id, from, to, entry) })
}

func (f *fakeJobs) Recipients(ctx context.Context, site, id string) ([]issue.JobRecipient, error) {
	return live(ctx, func() ([]issue.JobRecipient, error) { return f.recipients(site, id) })
}

func (f *fakeJobs) RecordMail(ctx context.Context, site, id string, r issue.JobRecipient) error {
	return done(ctx, func() error { return f.recordMail(site, id, r) })
}

func (f *fakeJobs) Retry(ctx context.Context, site, id string, line int) error {
	return done(ctx, func() error { return f.retry(site, id, line) })
}

func (f *fakeJobs) Note(ctx context.Context, site, id string, n issue.JobNotice) error {
	return done(ctx, func() error { return f.note(site, id, n) })
}

type fakeMailer struct {
	send func(to, subject, body string) (messageID, failReason string, err error)
}

func (f *fakeMailer) Send(ctx context.Context, to, subject, body string) (string, string, error) {
	if err := ctx.Err(); err != nil {
		return "", "", err
	}
	return f.send(to, subject, body)
}

type fakeObjects struct {
	open func(bucket, key, etag string, max int64) (io.ReadCloser, error)
}

func (f *fakeObjects) Open(ctx context.Context, bucket, key, etag string, max int64) (io.ReadCloser, error) {
	return live(ctx, func() (io.ReadCloser, error) { return f.open(bucket, key, etag, max) })
}

type fakeUploads struct {
	presignPut func(key string, expires time.Duration) (string, error)
	bucket     func() string
	put        func(key string, body []byte) error
}

func (f *fakeUploads) PresignPut(ctx context.Context, key string, expires time.Duration) (string, error) {
	return live(ctx, func() (string, error) { return f.presignPut(key, expires) })
}

func (f *fakeUploads) Bucket() string { return f.bucket() }

func (f *fakeUploads) Put(ctx context.Context, key string, body []byte) error {
	return done(ctx, func() error { return f.put(key, body) })
}

// live runs do unless ctx has ended: what a call of the ports does with an ended context.
func live[T any](ctx context.Context, do func() (T, error)) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	return do()
}

func done(ctx context.Context, do func() error) error {
	_, err := live(ctx, func() (struct{}, error) { return struct{}{}, do() })
	return err
}

var (
	_ issue.Sites   = (*fakeSites)(nil)
	_ issue.Codes   = (*fakeCodes)(nil)
	_ issue.Jobs    = (*fakeJobs)(nil)
	_ issue.Mailer  = (*fakeMailer)(nil)
	_ issue.Objects = (*fakeObjects)(nil)
	_ issue.Uploads = (*fakeUploads)(nil)
)
