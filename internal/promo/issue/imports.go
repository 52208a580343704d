package issue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Object key prefixes of the uploads bucket; the template's S3 events start promo-import on
// these and on GenerationsPrefix.
const (
	ImportsPrefix = "imports/"
	ResendsPrefix = "resends/"
)

// Upload says where to put a recipients file: a presigned URL for any HTTP client, or the
// bucket and key for an S3 client (`aws s3 cp file s3://bucket/key`).
type Upload struct {
	Method    string    `json:"method"`
	URL       string    `json:"url"`
	Bucket    string    `json:"bucket"`
	Key       string    `json:"key"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// StartImport creates an import job for the code parameters in and returns where to upload
// its recipients file; the upload starts the import.
func (is *Issuer) StartImport(ctx context.Context, actor, site string, in ImportInput) (Job, Upload, error) {
	sc, err := is.context(ctx, site, in.Service)
	if err != nil {
		return Job{}, Upload{}, err
	}
	cr := is.creation(ctx)
	now := cr.now
	plan, err := in.Validate(promo.Today(now, sc.loc))
	if err != nil {
		return Job{}, Upload{}, err
	}
	if err := requireEnabled(sc, plan.Params.Service); err != nil {
		return Job{}, Upload{}, err
	}
	if is.Uploads == nil {
		return Job{}, Upload{}, apperr.Internal(errors.New("promo issue: no uploads bucket configured"))
	}
	id := cr.newID("job")
	job := Job{
		Site: site, ID: id, Kind: KindImport, Plan: plan, State: JobAwaitingUpload, Bucket: is.Uploads.Bucket(),
		Key: ImportsPrefix + site + "/" + id, CreatedAt: now, CreatedBy: actor, UpdatedAt: now,
	}
	entry := audit.NewEntry(site, actor, ActionImportStart, plan.Params.Service, now, []audit.Change{
		{Field: "job", After: id}, {Field: "fileName", After: plan.FileName},
		{Field: "discount", After: promo.FormatDiscount(plan.Params.Discount)}, {Field: "expiresOn", After: plan.Params.ExpiresOn},
	})
	// A retry of the request finds the job its first try made (the same ID): it goes on.
	if err := is.Jobs.CreateJob(ctx, job, nil, entry); err != nil && !errors.Is(err, ErrJobExists) {
		return Job{}, Upload{}, err
	}
	upload, err := is.upload(ctx, job)
	if err != nil {
		return Job{}, Upload{}, err
	}
	return job, upload, nil
}

// ImportUpload returns a job with where to upload its file, signed anew: what a retried
// start of the import answers. The first answer's URL is not kept: it carries the
// function's temporary credentials.
func (is *Issuer) ImportUpload(ctx context.Context, site, id string) (Job, Upload, error) {
	j, err := is.Job(ctx, site, id)
	if err != nil {
		return Job{}, Upload{}, err
	}
	if is.Uploads == nil {
		return Job{}, Upload{}, apperr.Internal(errors.New("promo issue: no uploads bucket configured"))
	}
	upload, err := is.upload(ctx, j)
	if err != nil {
		return Job{}, Upload{}, err
	}
	return j, upload, nil
}

// upload presigns the PUT of a job's file.
func (is *Issuer) upload(ctx context.Context, j Job) (Upload, error) {
	url, err := is.Uploads.PresignPut(ctx, j.Key, is.UploadTTL)
	if err != nil {
		return Upload{}, err
	}
	return Upload{Method: "PUT", URL: url, Bucket: j.Bucket, Key: j.Key, ExpiresAt: is.Now().UTC().Add(is.UploadTTL)}, nil
}

// Job returns a job, for its progress.
// An ID that cannot be one is not looked up: no job has it.
func (is *Issuer) Job(ctx context.Context, site, id string) (Job, error) {
	if !audit.IsID(id) {
		return Job{}, apperr.New(apperr.CodeNotFound, "no import job %q on this site: job IDs look like 20261201T120000.000000000Z-0123456789ab", clip(id))
	}
	j, err := is.Jobs.Job(ctx, site, id)
	if errors.Is(err, ErrJobNotFound) {
		return Job{}, apperr.New(apperr.CodeNotFound, "no import job %q on this site", id)
	}
	return j, err
}

// Recipients returns a job's recipients with their codes and mail states.
func (is *Issuer) Recipients(ctx context.Context, site, id string) ([]JobRecipient, error) {
	if _, err := is.Job(ctx, site, id); err != nil {
		return nil, err
	}
	return is.Jobs.Recipients(ctx, site, id)
}

// RequestResend asks for the failed e-mails of a finished job to be sent again. The sending
// runs in promo-import (it may take minutes), started by a marker object in the bucket.
func (is *Issuer) RequestResend(ctx context.Context, site, id string) (Job, error) {
	j, err := is.Job(ctx, site, id)
	if err != nil {
		return Job{}, err
	}
	switch {
	case !j.Finished():
		return Job{}, apperr.New(apperr.CodeConflict, "the job is still %s; re-send its failed e-mails once it is done", j.State)
	case j.State == JobFailed:
		return Job{}, apperr.New(apperr.CodeConflict, "the job's file was refused; no code was created and no e-mail sent")
	case j.MailsFailed == 0:
		return Job{}, apperr.New(apperr.CodeConflict, "the job has no failed e-mail to re-send")
	}
	if is.Uploads == nil {
		return Job{}, apperr.Internal(errors.New("promo issue: no uploads bucket configured"))
	}
	if err := is.Uploads.Put(ctx, ResendsPrefix+site+"/"+id+"/"+nonce(), nil); err != nil {
		return Job{}, err
	}
	return j, nil
}

func nonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + hex.EncodeToString(b)
}

// Object is an S3 object an event announced: where it is, which upload of it, and when S3
// stored it.
type Object struct {
	Bucket, Key string
	File        UploadedFile
	At          time.Time
}

// HandleObject is promo-import's work for one S3 object: an uploaded recipients file
// (imports/<site>/<job>), a re-send request (resends/<site>/<job>/<nonce>) or a generation's
// marker (generations/<site>/<job>), which only names its job. invocation
// identifies the Lambda invocation: its retries carry the same one. A run resumes whatever
// an earlier run left (every step is recorded as it is done); while a run holds the job's
// lease, other deliveries of the event leave the job to it; a finished job is not run again.
// A job imports the first upload that reaches it: another upload to its key is not
// imported, and the job's notice says so and what to do.
func (is *Issuer) HandleObject(ctx context.Context, obj Object, invocation string) error {
	parts := strings.Split(obj.Key, "/")
	var site, id string
	resend, generation := false, false
	switch {
	case len(parts) == 3 && parts[0]+"/" == ImportsPrefix:
		site, id = parts[1], parts[2]
	case len(parts) == 4 && parts[0]+"/" == ResendsPrefix:
		site, id, resend = parts[1], parts[2], true
	case len(parts) == 3 && parts[0]+"/" == GenerationsPrefix:
		site, id, generation = parts[1], parts[2], true
	default:
		is.Log.WarnContext(ctx, "object is neither a recipients file nor a re-send request nor a generation; ignored", "bucket", obj.Bucket, "key", clip(obj.Key))
		return nil
	}
	if !audit.IsID(id) {
		is.Log.WarnContext(ctx, "no import job can have this object's key; ignored", "key", clip(obj.Key))
		return nil
	}
	j, err := is.Jobs.Job(ctx, site, id)
	if errors.Is(err, ErrJobNotFound) {
		is.Log.WarnContext(ctx, "no import job for this object; ignored", "key", obj.Key)
		return nil
	}
	if err != nil {
		return err
	}
	if generation {
		return is.runGeneration(ctx, j, obj, invocation)
	}
	if !resend && (j.Bucket != "" && j.Bucket != obj.Bucket || j.Key != obj.Key) {
		// Another bucket, or a job with no upload (a single recipient's).
		is.Log.WarnContext(ctx, "object is not the job's upload; ignored", "job", id, "bucket", obj.Bucket, "key", clip(obj.Key))
		return nil
	}
	if !resend && j.State != JobAwaitingUpload && !j.File.Same(obj.File) {
		return is.noteUploadedAgain(ctx, j, obj)
	}
	if !resend && j.Finished() {
		is.Log.InfoContext(ctx, "import already finished; a duplicate event is ignored", "job", id, "state", j.State)
		return nil
	}
	return is.runLeased(ctx, site, id, invocation, resend, obj.File)
}

// runGeneration runs the generation job a marker names, unless the job is no generation of
// that marker or is done already (a duplicate event, or the marker a retried request
// dropped again).
func (is *Issuer) runGeneration(ctx context.Context, j Job, obj Object, invocation string) error {
	switch {
	case j.Kind != KindGeneration || j.Bucket != obj.Bucket || j.Key != obj.Key:
		is.Log.WarnContext(ctx, "object is not the marker of a generation job; ignored", "job", j.ID, "bucket", obj.Bucket, "key", clip(obj.Key))
		return nil
	case j.Finished():
		is.Log.InfoContext(ctx, "generation already finished; a duplicate event is ignored", "job", j.ID, "state", j.State)
		return nil
	}
	return is.runLeased(ctx, j.Site, j.ID, invocation, false, UploadedFile{})
}

// noteUploadedAgain leaves a notice on a job that had its file when another upload to its
// key arrived: the upload is not imported (a job takes one file, so that a run resumes the
// same recipients, and each gets one code and one e-mail).
func (is *Issuer) noteUploadedAgain(ctx context.Context, j Job, obj Object) error {
	var what string
	switch j.State {
	case JobDone:
		what = "This import had already imported its file"
	case JobFailed:
		what = "This import had already refused its file"
	default:
		what = "This import is importing the file it received first"
	}
	at := obj.At.UTC()
	if at.IsZero() {
		at = is.Now().UTC()
	}
	is.Log.InfoContext(ctx, "a file was uploaded again to a job that has its file; not imported", "job", j.ID, "state", j.State)
	return is.Jobs.Note(ctx, j.Site, j.ID, JobNotice{
		Code: NoticeUploadedAgain, At: at,
		Message: what + ", so the file uploaded again to its key was not imported. To import that file, start a new import and upload it there.",
	})
}

// runLeased takes the job's lease and runs it; when another run holds the lease, it leaves
// the job to that run.
func (is *Issuer) runLeased(ctx context.Context, site, id, invocation string, resend bool, file UploadedFile) error {
	now := is.Now().UTC()
	j, err := is.Jobs.Lease(ctx, site, id, invocation, now.Add(is.LeaseTTL), now)
	if errors.Is(err, ErrLeased) {
		is.Log.InfoContext(ctx, "job is being worked on by another run; leaving it", "job", id)
		return nil
	}
	if err != nil {
		return err
	}
	defer func() {
		// A lease left behind only delays a takeover until it lapses.
		if err := is.Jobs.Release(context.WithoutCancel(ctx), site, id, invocation); err != nil {
			is.Log.WarnContext(ctx, "release the job's lease", "job", id, "error", err)
		}
	}()
	if resend {
		if j, err = is.reopen(ctx, j); err != nil {
			return err
		}
	}
	return is.run(ctx, j, file)
}

// reopen puts a finished job's failed recipients back to pending for another try.
func (is *Issuer) reopen(ctx context.Context, j Job) (Job, error) {
	if j.State != JobDone {
		return j, nil // still running: its run sends what is pending anyway
	}
	rs, err := is.Jobs.Recipients(ctx, j.Site, j.ID)
	if err != nil {
		return j, err
	}
	for _, r := range rs {
		if r.Mail == MailFailed {
			if err := is.Jobs.Retry(ctx, j.Site, j.ID, r.Line); err != nil && !errors.Is(err, ErrNotPending) {
				return j, err
			}
		}
	}
	if err := is.Jobs.Advance(ctx, j.Site, j.ID, JobDone, JobSending, audit.Entry{}); err != nil && !errors.Is(err, ErrWrongState) {
		return j, err
	}
	return is.Jobs.Job(ctx, j.Site, j.ID)
}

// clip shortens what a caller sent to a length fit for a message or a log line.
func clip(s string) string { return plaintext.Clip(s, 80) }
