// Package promoissueapp is the wiring promo-create and promo-import share: both issue codes
// through the same use cases, over the same table, bucket and mailer. Each function's own
// wiring (promocreateapp, promoimportapp) reads its environment and adds its entry point,
// so promo-import links no HTTP handler.
package promoissueapp

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
	"github.com/boxofficehq/boxoffice/internal/platform/s3object"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuedb"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/uploads"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

// Env is what both functions read, whatever they may do with it: each function's Config
// has these fields, in this order, with its own tags, so it converts to Env.
type Env struct {
	SitesTable, AuditTable, PromoTable string
	UploadsBucket                      string
	SenderAddress, SenderIdentity      string
	SesMaxSendRate                     string
}

// DB is the DynamoDB both functions use.
type DB interface {
	settingsdb.API
	issuedb.JobsAPI
}

// Clients are the AWS clients of the two functions.
type Clients struct {
	DynamoDB DB
	// Idempotency is promo-create's DynamoDB for the Idempotency-Key records (the same
	// client as DynamoDB; promo-import has no use for it).
	Idempotency idempotencydb.API
	S3          *s3object.Client
	SES         sesmail.SendEmailAPI
}

// NewClients returns the clients cfg configures: the SDK's for DynamoDB; for S3 and SES,
// small clients of the few calls the functions make, which keep the SDK's S3 and SES
// packages (a megabyte and thousands of init allocations) out of the binaries.
func NewClients(cfg aws.Config) (Clients, error) {
	objects, err := s3object.New(cfg, s3object.Options{})
	if err != nil {
		return Clients{}, err
	}
	mail, err := sesmail.NewClient(cfg, sesmail.ClientOptions{})
	if err != nil {
		return Clients{}, err
	}
	db := dynamodb.NewFromConfig(cfg)
	return Clients{DynamoDB: db, Idempotency: db, S3: objects, SES: mail}, nil
}

// NewIssuer builds the use cases over the function's resources; with steps, creations in
// keyed requests record their transactions there (promo-create).
func NewIssuer(e Env, c Clients, log *slog.Logger, steps issuedb.Steps) (*issue.Issuer, error) {
	store, auditLog, err := settingsdb.NewAudited(c.DynamoDB, e.SitesTable, e.AuditTable)
	if err != nil {
		return nil, err
	}
	codes, err := issuedb.NewCodes(c.DynamoDB, e.PromoTable, auditLog, steps)
	if err != nil {
		return nil, err
	}
	jobs, err := issuedb.NewJobs(c.DynamoDB, e.PromoTable, auditLog)
	if err != nil {
		return nil, err
	}
	uploads, err := uploads.New(c.S3, e.UploadsBucket)
	if err != nil {
		return nil, err
	}
	sender, err := sesmail.NewConfigured(c.SES, e.SenderAddress, e.SesMaxSendRate)
	if err != nil {
		return nil, err
	}
	rate := sender.Rate()
	return issue.New(issue.Deps{
		Sites: store, Codes: codes, Jobs: jobs, Mailer: mailer{sender}, Objects: uploads, Uploads: uploads, Log: log,
		Workers: max(1, min(16, int(rate))),
	})
}

// mailer tells the use cases which SES failures are final.
type mailer struct{ s *sesmail.Sender }

func (m mailer) Send(ctx context.Context, to, subject, body string) (string, string, error) {
	return m.s.Deliver(ctx, to, subject, body)
}
