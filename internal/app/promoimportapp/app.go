// Package promoimportapp wires the promo-import function: started by the uploads bucket, it
// imports a recipients file and re-sends failed e-mails (SPEC 3.2-3.3). It has no HTTP routes.
package promoimportapp

import (
	"context"
	"errors"
	"log/slog"
	"net/url"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// Config is the promo-import function's environment; the tags name the actions it performs
// on what each variable names, and the template must grant exactly those.
type Config struct {
	SitesTable     string `env:"SITES_TABLE" dynamodb:"GetItem"`
	AuditTable     string `env:"AUDIT_TABLE" dynamodb:"PutItem"`
	PromoTable     string `env:"PROMO_TABLE" dynamodb:"GetItem,PutItem,UpdateItem,Query,BatchWriteItem"`
	UploadsBucket  string `env:"UPLOADS_BUCKET" s3:"GetObject" s3keys:"imports/*,resends/*"`
	SenderAddress  string `env:"SENDER_ADDRESS"`
	SenderIdentity string `env:"SENDER_IDENTITY" ses:"SendEmail"`
	SesMaxSendRate string `env:"SES_MAX_SEND_RATE"`
}

// New builds the promo-import function's handler from its environment.
func New(lookup lambdaapp.Lookup, c promoissueapp.Clients, log *slog.Logger) (lambdaapp.S3Lambda, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, lookup); err != nil {
		return nil, err
	}
	is, err := promoissueapp.NewIssuer(promoissueapp.Env(cfg), c, log, nil)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, ev events.S3Event) error {
		invocation := "local"
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			invocation = lc.AwsRequestID
		}
		var errs []error
		for _, rec := range ev.Records {
			key, err := url.QueryUnescape(rec.S3.Object.Key) // S3 form-encodes keys in events
			if err != nil {
				log.WarnContext(ctx, "undecodable key in S3 event; ignored", "key", rec.S3.Object.Key)
				continue
			}
			obj := issue.Object{
				Bucket: rec.S3.Bucket.Name, Key: key, At: rec.EventTime,
				File: issue.UploadedFile{ETag: rec.S3.Object.ETag, VersionID: rec.S3.Object.VersionID, Sequencer: rec.S3.Object.Sequencer},
			}
			if err := is.HandleObject(ctx, obj, invocation); err != nil {
				log.ErrorContext(ctx, "import failed; the invocation will be retried", "bucket", rec.S3.Bucket.Name, "key", key, "error", err.Error())
				errs = append(errs, err)
			}
		}
		// An error makes Lambda retry the invocation (same request ID), which resumes.
		return errors.Join(errs...)
	}, nil
}
