// Package issue is the use cases that issue promotion codes (SPEC 3.1-3.3): creating
// codes on request, bulk imports from a recipients file with their e-mails, and re-sending
// failed e-mails. The promo-create and promo-import functions share it, so a single
// recipient's e-mail and an import's are recorded and re-sent the same way.
package issue

import (
	"context"
	"errors"
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

// Jobs keeps import jobs and their recipients. Every change a run makes is one conditional
// write, so a run that dies leaves a state the next run resumes from.
type Jobs interface {
	CreateJob(ctx context.Context, j promo.Job, recipients []promo.JobRecipient, entry audit.Entry) error
	Job(ctx context.Context, site, id string) (promo.Job, error)
	// Lease takes the job for owner until until, if nobody else holds it at now.
	Lease(ctx context.Context, site, id, owner string, until, now time.Time) (promo.Job, error)
	Release(ctx context.Context, site, id, owner string) error
	// Fail ends a job whose file was refused, with its problems.
	Fail(ctx context.Context, j promo.Job, code string, problems []ProblemLine) error
	// Advance moves a job from one state to another, setting its recipient count when
	// recipients > 0 and writing entry (when it has an ID) to the audit log with it.
	Advance(ctx context.Context, site, id string, from, to promo.JobState, recipients int, entry audit.Entry) error
	// AddRecipients stores the recipients of a job (idempotent: the same lines again
	// overwrite nothing that has moved on).
	AddRecipients(ctx context.Context, site, id string, rs []promo.JobRecipient) error
	Recipients(ctx context.Context, site, id string) ([]promo.JobRecipient, error)
	// CreateCode writes a recipient's code, marks the recipient's code created and counts it
	// on the job, atomically; ErrCodeExists if the code is taken.
	CreateCode(ctx context.Context, j promo.Job, r promo.JobRecipient, c promo.Code) error
	// Reassign gives a recipient whose code collided a new one, before it is created.
	Reassign(ctx context.Context, site, id string, line int, code string) error
	// RecordMail records a pending recipient's mail as sent or failed and counts it on the
	// job, atomically; a recipient no longer pending is left alone (ErrNotPending).
	RecordMail(ctx context.Context, site, id string, r promo.JobRecipient) error
	// Retry puts a failed recipient back to pending and uncounts the failure, atomically.
	Retry(ctx context.Context, site, id string, line int) error
}

// ProblemLine is a refused file's problem: a line (0 for the whole file) and why.
type ProblemLine struct {
	Line   int
	Reason string
}

// ErrJobNotFound, ErrLeased and ErrNotPending are the Jobs outcomes callers act on.
var (
	ErrJobNotFound = errors.New("no such import job")
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
	// Open returns the object's content, refusing one larger than max bytes.
	Open(ctx context.Context, bucket, key string, max int64) (io.ReadCloser, error)
}

// Uploads hands out where to put a file, and drops small marker objects.
type Uploads interface {
	// PresignPut returns a URL that lets anyone holding it PUT the object until expires.
	PresignPut(ctx context.Context, key string, expires time.Duration) (url string, err error)
	Bucket() string
	Put(ctx context.Context, key string, body []byte) error
}
