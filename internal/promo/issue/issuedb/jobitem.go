package issuedb

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// jobItem is an import job as stored (sk "job#<id>"). The attribute names are this store's
// own, so renaming a field of the API never changes what is stored; items_test.go pins
// them. Times keep the codec's encoding (RFC 3339, "0001-01-01T00:00:00Z" for none), the
// form the updates of promojobs.go write too.
type jobItem struct {
	PK           string        `dynamodbav:"pk"`
	SK           string        `dynamodbav:"sk"`
	Site         string        `dynamodbav:"site"`
	ID           string        `dynamodbav:"id"`
	Kind         string        `dynamodbav:"kind,omitempty"`
	Plan         planItem      `dynamodbav:"plan"`
	State        string        `dynamodbav:"state"`
	Quantity     int           `dynamodbav:"quantity,omitempty"`
	Bucket       string        `dynamodbav:"bucket,omitempty"`
	Key          string        `dynamodbav:"key,omitempty"`
	CreatedAt    time.Time     `dynamodbav:"createdAt"`
	CreatedBy    string        `dynamodbav:"createdBy"`
	UpdatedAt    time.Time     `dynamodbav:"updatedAt"`
	Recipients   int           `dynamodbav:"recipients"`
	CodesCreated int           `dynamodbav:"codesCreated"`
	MailsSent    int           `dynamodbav:"mailsSent"`
	MailsFailed  int           `dynamodbav:"mailsFailed"`
	Errors       []problemItem `dynamodbav:"errors,omitempty"`
	ErrorCode    string        `dynamodbav:"errorCode,omitempty"`
	LeaseOwner   string        `dynamodbav:"leaseOwner,omitempty"`
	LeaseUntil   time.Time     `dynamodbav:"leaseUntil"`
	// LeaseUntilKey is LeaseUntil in promodb's fixed-width form, so a condition can compare
	// it; only Lease writes it.
	LeaseUntilKey string `dynamodbav:"leaseUntilKey,omitempty"`
	// File is the upload the job took (Take writes it); Notice what Note wrote last.
	File   *fileItem   `dynamodbav:"file,omitempty"`
	Notice *noticeItem `dynamodbav:"notice,omitempty"`
}

// fileItem is the upload a job imports.
type fileItem struct {
	ETag      string `dynamodbav:"etag,omitempty"`
	VersionID string `dynamodbav:"versionId,omitempty"`
	Sequencer string `dynamodbav:"sequencer,omitempty"`
}

// noticeItem is a job's notice; its time is stored as Note writes it, RFC 3339.
type noticeItem struct {
	Code    string    `dynamodbav:"code"`
	Message string    `dynamodbav:"message"`
	At      time.Time `dynamodbav:"at"`
}

// newFileItem is nil for no upload, so a job that has none stores no attribute.
func newFileItem(f issue.UploadedFile) *fileItem {
	if f == (issue.UploadedFile{}) {
		return nil
	}
	return &fileItem{ETag: f.ETag, VersionID: f.VersionID, Sequencer: f.Sequencer}
}

func (it *fileItem) file() issue.UploadedFile {
	if it == nil {
		return issue.UploadedFile{}
	}
	return issue.UploadedFile{ETag: it.ETag, VersionID: it.VersionID, Sequencer: it.Sequencer}
}

func newNoticeItem(n *issue.JobNotice) *noticeItem {
	if n == nil {
		return nil
	}
	return &noticeItem{Code: n.Code, Message: n.Message, At: n.At}
}

func (it *noticeItem) notice() *issue.JobNotice {
	if it == nil {
		return nil
	}
	return &issue.JobNotice{Code: it.Code, Message: it.Message, At: it.At}
}

// planItem is what a job's codes are made with.
type planItem struct {
	Params   paramsItem   `dynamodbav:"params"`
	Length   int          `dynamodbav:"length"`
	Template templateItem `dynamodbav:"emailTemplate"`
	FileName string       `dynamodbav:"fileName,omitempty"`
}

type paramsItem struct {
	Service   string               `dynamodbav:"service"`
	Usage     promodb.UsageItem    `dynamodbav:"usage"`
	Discount  promodb.DiscountItem `dynamodbav:"discount"`
	ExpiresOn string               `dynamodbav:"expiresOn"`
	AppliesTo string               `dynamodbav:"appliesTo"`
}

type templateItem struct {
	Subject string `dynamodbav:"subject"`
	Body    string `dynamodbav:"body"`
}

// problemItem is one problem of a refused file: a line (none for the whole file) and why.
type problemItem struct {
	Field  string `dynamodbav:"field,omitempty"`
	Line   int    `dynamodbav:"line,omitempty"`
	Reason string `dynamodbav:"reason"`
}

func newJobItem(j issue.Job) jobItem {
	return jobItem{
		PK: j.Site, SK: jobSK(j.ID), Site: j.Site, ID: j.ID, Kind: string(j.Kind), Plan: newPlanItem(j.Plan), State: string(j.State), Quantity: j.Quantity,
		Bucket: j.Bucket, Key: j.Key, CreatedAt: j.CreatedAt, CreatedBy: j.CreatedBy, UpdatedAt: j.UpdatedAt,
		Recipients: j.Recipients, CodesCreated: j.CodesCreated, MailsSent: j.MailsSent, MailsFailed: j.MailsFailed,
		Errors: newProblemItems(j.Errors), ErrorCode: string(j.ErrorCode), LeaseOwner: j.LeaseOwner, LeaseUntil: j.LeaseUntil,
		File: newFileItem(j.File), Notice: newNoticeItem(j.Notice),
	}
}

func (it jobItem) job() issue.Job {
	return issue.Job{
		Site: it.Site, ID: it.ID, Kind: it.kind(), Plan: it.Plan.plan(), State: issue.JobState(it.State), Quantity: it.Quantity,
		Bucket: it.Bucket, Key: it.Key, CreatedAt: it.CreatedAt, CreatedBy: it.CreatedBy, UpdatedAt: it.UpdatedAt,
		Recipients: it.Recipients, CodesCreated: it.CodesCreated, MailsSent: it.MailsSent, MailsFailed: it.MailsFailed,
		Errors: details(it.Errors), ErrorCode: apperr.Code(it.ErrorCode), LeaseOwner: it.LeaseOwner, LeaseUntil: it.LeaseUntil,
		File: it.File.file(), Notice: it.Notice.notice(),
	}
}

// kind is the job's kind; jobs stored before jobs had one are imports, or a recipient's job
// of one where they have no file.
func (it jobItem) kind() issue.JobKind {
	switch {
	case it.Kind != "":
		return issue.JobKind(it.Kind)
	case it.Key == "":
		return issue.KindRecipient
	}
	return issue.KindImport
}

func newPlanItem(p issue.ImportPlan) planItem {
	return planItem{
		Params: paramsItem{
			Service: p.Params.Service, Usage: promodb.NewUsageItem(p.Params.Usage), Discount: promodb.NewDiscountItem(p.Params.Discount),
			ExpiresOn: p.Params.ExpiresOn, AppliesTo: p.Params.AppliesTo,
		},
		Length: p.Length, Template: templateItem{Subject: p.Template.Subject, Body: p.Template.Body}, FileName: p.FileName,
	}
}

func (it planItem) plan() issue.ImportPlan {
	return issue.ImportPlan{
		Params: promo.Params{
			Service: it.Params.Service, Usage: it.Params.Usage.Usage(), Discount: it.Params.Discount.Discount(),
			ExpiresOn: it.Params.ExpiresOn, AppliesTo: it.Params.AppliesTo,
		},
		Length: it.Length, Template: mail.Template{Subject: it.Template.Subject, Body: it.Template.Body}, FileName: it.FileName,
	}
}

// newProblemItems keeps nil apart from empty, like every mapping here.
func newProblemItems(ds []apperr.Detail) []problemItem {
	if ds == nil {
		return nil
	}
	out := make([]problemItem, len(ds))
	for i, d := range ds {
		out[i] = problemItem{Field: d.Field, Line: d.Line, Reason: d.Reason}
	}
	return out
}

// newProblemLineItems are a refused file's problems as Fail stores them: always a list.
func newProblemLineItems(problems []issue.ProblemLine) []problemItem {
	out := make([]problemItem, len(problems))
	for i, p := range problems {
		out[i] = problemItem{Line: p.Line, Reason: p.Reason}
	}
	return out
}

func details(ps []problemItem) []apperr.Detail {
	if ps == nil {
		return nil
	}
	out := make([]apperr.Detail, len(ps))
	for i, p := range ps {
		out[i] = apperr.Detail{Field: p.Field, Line: p.Line, Reason: p.Reason}
	}
	return out
}
