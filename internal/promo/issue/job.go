package issue

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// JobState is where a job is. A job moves forward only: an import from awaiting_upload →
// validating (its file has arrived) → creating → sending → done, or from validating to
// failed when its file is refused; a generation from creating to done.
type JobState string

// The job states.
const (
	JobAwaitingUpload JobState = "awaiting_upload"
	JobValidating     JobState = "validating"
	JobCreating       JobState = "creating"
	JobSending        JobState = "sending"
	JobDone           JobState = "done"
	JobFailed         JobState = "failed"
)

// JobKind is what a job makes.
type JobKind string

// The job kinds.
const (
	// KindImport makes a code for each recipient of an uploaded file, and mails it.
	KindImport JobKind = "import"
	// KindRecipient is one recipient's code, made by the request, kept as a job of one so
	// its e-mail is recorded and re-sent as an import's are.
	KindRecipient JobKind = "recipient"
	// KindGeneration makes a quantity of generated codes too large to make inside one
	// request (more than MaxSyncQuantity), without recipients.
	KindGeneration JobKind = "generation"
)

// Job is a bulk creation: one generated code per recipient of an uploaded file, each mailed
// to its recipient (SPEC 3.2), or many generated codes (SPEC 3.1). A single-recipient
// creation is a job of one, without a file, so its e-mail is recorded and re-sent the same
// way.
type Job struct {
	Site  string     `json:"site"`
	ID    string     `json:"id"`
	Kind  JobKind    `json:"kind"`
	Plan  ImportPlan `json:"plan"`
	State JobState   `json:"state"`
	// Quantity is how many codes a generation makes.
	Quantity  int       `json:"quantity,omitempty"`
	Bucket    string    `json:"bucket,omitempty"`
	Key       string    `json:"key,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	// Progress, for a progress bar: recipients in the file, codes created, mails sent and
	// failed so far.
	Recipients   int `json:"recipients"`
	CodesCreated int `json:"codesCreated"`
	MailsSent    int `json:"mailsSent"`
	MailsFailed  int `json:"mailsFailed"`
	// Errors are the file's bad lines (or the file-level problem) of a failed job.
	Errors []apperr.Detail `json:"errors,omitempty"`
	// ErrorCode is the error code of a failed job (invalid_input or too_large; conflict when
	// the file was replaced while it was being checked).
	ErrorCode apperr.Code `json:"errorCode,omitempty"`
	// File is the upload the job imports, from the first event that reached it; a later
	// upload to the job's key is not imported, and Notice says so.
	File UploadedFile `json:"file,omitzero"`
	// Notice tells the administrator about something the job did not do, and what to do.
	Notice *JobNotice `json:"notice,omitempty"`
	// Lease is held by the run working on the job, so a duplicate event does not run it
	// twice at once; a retry of the same invocation holds the same lease.
	LeaseOwner string    `json:"leaseOwner,omitempty"`
	LeaseUntil time.Time `json:"leaseUntil,omitzero"`
}

// UploadedFile is one upload of a job's file as S3 announced it: the object's ETag, its
// version (in a versioned bucket) and the event's sequencer, which differs for every upload
// to a key, even of the same content.
type UploadedFile struct {
	ETag      string `json:"etag,omitempty"`
	VersionID string `json:"versionId,omitempty"`
	Sequencer string `json:"sequencer,omitempty"`
}

// Same reports whether u and o are the same upload (one event delivered twice): by version
// when both have one, else by sequencer, else by content.
func (u UploadedFile) Same(o UploadedFile) bool {
	switch {
	case u.VersionID != "" && o.VersionID != "":
		return u.VersionID == o.VersionID
	case u.Sequencer != "" && o.Sequencer != "":
		return u.Sequencer == o.Sequencer
	}
	return u.ETag == o.ETag
}

// JobNotice is something a job did not do, when it happened and what to do instead.
type JobNotice struct {
	Code    string    `json:"code"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
}

// NoticeUploadedAgain is the notice of a second upload to the key of a job that had taken
// its file already.
const NoticeUploadedAgain = "uploaded_again"

// MailState is where a recipient's e-mail is.
type MailState string

// The mail states (SPEC 3.3).
const (
	MailPending MailState = "pending"
	MailSent    MailState = "sent"
	MailFailed  MailState = "failed"
)

// JobRecipient is one recipient of a job: the code made for them and their e-mail's state.
type JobRecipient struct {
	Line  int    `json:"line"`
	Email string `json:"email"`
	Name  string `json:"name"`
	// Code is the code assigned to the recipient; CodeCreated says it was written (a code
	// that collided with an existing one is replaced by a new one before it is).
	Code        string    `json:"code"`
	CodeCreated bool      `json:"codeCreated"`
	Mail        MailState `json:"mail"`
	MessageID   string    `json:"messageId,omitempty"`
	MailReason  string    `json:"mailReason,omitempty"`
	MailAt      time.Time `json:"mailAt,omitzero"`
}

// Finished reports whether the job has nothing left to do.
func (j Job) Finished() bool { return j.State == JobDone || j.State == JobFailed }

// Percent is the job's progress from 0 to 100 for a progress bar: for an import creating the
// codes is the first half, mailing them the second; a generation's codes are all of it. A
// failed job made nothing (its file was refused), so it stays where it was, at 0: its
// state, not a full bar, says it ended.
func (j Job) Percent() int {
	switch {
	case j.State == JobDone:
		return 100
	case j.State == JobFailed:
		return 0
	case j.Kind == KindGeneration && j.Quantity > 0:
		return j.CodesCreated * 100 / j.Quantity
	case j.Recipients == 0:
		return 0
	}
	return (j.CodesCreated*50 + (j.MailsSent+j.MailsFailed)*50) / j.Recipients
}
