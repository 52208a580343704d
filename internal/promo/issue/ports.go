// Package issue is the use cases that issue promotion codes (SPEC 3.1-3.3): creating
// codes on request, bulk imports from a recipients file with their e-mails, and re-sending
// failed e-mails. The promo-create and promo-import functions share it, so a single
// recipient's e-mail and an import's are recorded and re-sent the same way.
package issue

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Sites reads a site's settings: whether promotion codes are on, its time zone, the
// merchant name and support info the e-mails show.
type Sites interface {
	Get(ctx context.Context, site string) (settings.Site, error)
}

// Codes writes new codes.
type Codes interface {
	// Insert writes codes that must not exist yet, with entry in the audit log once all are
	// written. A code that exists is replaced by regenerate(code); when regenerate returns
	// false, Insert fails with ErrCodeExists. It returns the codes as written.
	Insert(ctx context.Context, codes []promo.Code, entry audit.Entry, regenerate func(promo.Code) (promo.Code, bool)) ([]promo.Code, error)
}

// ErrCodeExists reports a code the site already has.
var ErrCodeExists = errors.New("the site already has this code")

// Jobs keeps jobs (imports, recipients' jobs of one, generations) and their recipients. Every change a run makes is one conditional
// write, so a run that dies leaves a state the next run resumes from.
type Jobs interface {
	// CreateJob stores a new job; ErrJobExists if a job has its ID (a retried creation made
	// it already).
	CreateJob(ctx context.Context, j Job, recipients []JobRecipient, entry audit.Entry) error
	Job(ctx context.Context, site, id string) (Job, error)
	// Lease takes the job for owner until until, if nobody else holds it at now.
	Lease(ctx context.Context, site, id, owner string, until, now time.Time) (Job, error)
	Release(ctx context.Context, site, id, owner string) error
	// Take moves a job waiting for its file to validating, recording the upload that
	// arrived; ErrWrongState if the job is past waiting.
	Take(ctx context.Context, site, id string, file UploadedFile) error
	// Fail ends a validating job whose file was refused, with its problems.
	Fail(ctx context.Context, j Job, code string, problems []ProblemLine) error
	// Validated stores a validating job's recipients in the batches their codes will be
	// created in, and moves the job to creating with its recipient count, all at once;
	// ErrWrongState if the job is no longer validating.
	Validated(ctx context.Context, site, id string, batches []Batch) error
	// Pending lists the batches whose codes are not created yet, in line order.
	Pending(ctx context.Context, site, id string) ([]Batch, error)
	// CreateBatch writes a batch's recipients, each with its code (codes[i] is
	// b.Recipients[i]'s), counts them on the job and marks the batch created, all or
	// nothing. A batch created already (by an earlier run) is left as it is, with no error;
	// codes the site has already come back as *CodesTaken, with nothing written.
	CreateBatch(ctx context.Context, j Job, b Batch, codes []promo.Code) error
	// CreateGenerated writes codes as a generation's next batch and counts them on the job,
	// all or nothing, if the job is creating and has made exactly j.CodesCreated codes;
	// otherwise (the batch was written already, by a run that died before hearing back or
	// by another run) ErrWrongState, with nothing written. Codes the site has already come
	// back as *CodesTaken, with nothing written.
	CreateGenerated(ctx context.Context, j Job, codes []promo.Code) error
	// Advance moves a job from one state to another, writing entry (when it has an ID) to
	// the audit log with it.
	Advance(ctx context.Context, site, id string, from, to JobState, entry audit.Entry) error
	Recipients(ctx context.Context, site, id string) ([]JobRecipient, error)
	// RecordMail records a pending recipient's mail as sent or failed and counts it on the
	// job, atomically; a recipient no longer pending is left alone (ErrNotPending).
	RecordMail(ctx context.Context, site, id string, r JobRecipient) error
	// Retry puts a failed recipient back to pending and uncounts the failure, atomically.
	Retry(ctx context.Context, site, id string, line int) error
	// Note sets the job's notice.
	Note(ctx context.Context, site, id string, n JobNotice) error
}

// Batch is recipients of a job whose codes are created together, all or none: a run that
// dies leaves each batch wholly created or not at all. N numbers the batches from 0.
type Batch struct {
	N          int
	Recipients []JobRecipient
}

// CodesTaken is CreateBatch's refusal of codes the site already has: Indexes into the
// codes it was given. It is an ErrCodeExists.
type CodesTaken struct{ Indexes []int }

func (e *CodesTaken) Error() string {
	return fmt.Sprintf("%d of the batch's codes exist already", len(e.Indexes))
}

func (e *CodesTaken) Is(target error) bool { return target == ErrCodeExists }

// ProblemLine is a refused file's problem: a line (0 for the whole file) and why.
type ProblemLine struct {
	Line   int
	Reason string
}

// ErrJobNotFound, ErrJobExists, ErrLeased and ErrNotPending are the Jobs outcomes callers
// act on.
var (
	ErrJobNotFound = errors.New("no such import job")
	ErrJobExists   = errors.New("a job with this ID exists")
	ErrLeased      = errors.New("the job is being worked on by another run")
	ErrNotPending  = errors.New("the recipient's mail is no longer pending")
	ErrWrongState  = errors.New("the job is not in the expected state")
)

// Mailer sends one e-mail. A permanent failure (the address is refused, say) comes back as
// a reason with no error; an error means it may succeed later.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) (messageID, failReason string, err error)
}

// Objects reads uploaded files.
type Objects interface {
	// Open returns the object's content, refusing one larger than max bytes. With an etag,
	// an object whose ETag is another is refused with ErrFileReplaced.
	Open(ctx context.Context, bucket, key, etag string, max int64) (io.ReadCloser, error)
}

// ErrFileReplaced is Open's refusal of an object that is no longer the upload a job took.
var ErrFileReplaced = errors.New("the object was uploaded again since the job took it")

// Uploads hands out where to put a file, and drops small marker objects.
type Uploads interface {
	// PresignPut returns a URL that lets anyone holding it PUT the object until expires.
	PresignPut(ctx context.Context, key string, expires time.Duration) (url string, err error)
	Bucket() string
	Put(ctx context.Context, key string, body []byte) error
}
