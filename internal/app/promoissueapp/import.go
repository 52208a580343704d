package promoissueapp

import (
	"context"
	"errors"
	"log/slog"
	"net/url"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// ImportConfig is the promo-import function's environment.
type ImportConfig struct {
	SitesTable     string `env:"SITES_TABLE" dynamodb:"GetItem"`
	AuditTable     string `env:"AUDIT_TABLE" dynamodb:"PutItem"`
	PromoTable     string `env:"PROMO_TABLE" dynamodb:"GetItem,PutItem,UpdateItem,Query,BatchWriteItem"`
	UploadsBucket  string `env:"UPLOADS_BUCKET" s3:"GetObject" s3keys:"imports/*,resends/*"`
	SenderAddress  string `env:"SENDER_ADDRESS"`
	SenderIdentity string `env:"SENDER_IDENTITY" ses:"SendEmail"`
	SesMaxSendRate string `env:"SES_MAX_SEND_RATE"`
}

// NewImport builds the promo-import function's handler from its environment.
func NewImport(lookup lambdaapp.Lookup, c Clients, log *slog.Logger) (lambdaapp.S3Lambda, error) {
	var cfg ImportConfig
	if err := lambdaapp.LoadEnv(&cfg, lookup); err != nil {
		return nil, err
	}
	is, err := newIssuer(env{cfg.SitesTable, cfg.AuditTable, cfg.PromoTable, cfg.UploadsBucket, cfg.SenderAddress, cfg.SesMaxSendRate}, c, log, nil)
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
				File: promo.UploadedFile{ETag: rec.S3.Object.ETag, VersionID: rec.S3.Object.VersionID, Sequencer: rec.S3.Object.Sequencer},
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
