// Package promocreateapp wires the promo-create function: create codes (start a generation
// job for many), start bulk imports with a presigned upload, follow them, re-send failed
// e-mails (SPEC 3.1-3.3).
package promocreateapp

import (
	"log/slog"

	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuehttp"
)

// Config is the promo-create function's environment; the tags name the actions it performs
// on what each variable names, and the template must grant exactly those.
type Config struct {
	SitesTable     string `env:"SITES_TABLE" dynamodb:"GetItem"`
	AuditTable     string `env:"AUDIT_TABLE" dynamodb:"PutItem"`
	PromoTable     string `env:"PROMO_TABLE" dynamodb:"GetItem,PutItem,UpdateItem,Query"`
	UploadsBucket  string `env:"UPLOADS_BUCKET" s3:"PutObject" s3keys:"imports/*,resends/*,generations/*"`
	SenderAddress  string `env:"SENDER_ADDRESS"`
	SenderIdentity string `env:"SENDER_IDENTITY" ses:"SendEmail"`
	SesMaxSendRate string `env:"SES_MAX_SEND_RATE"`
	// IdempotencyTable keeps the Idempotency-Key records of the creations, and their steps.
	IdempotencyTable string `env:"IDEMPOTENCY_TABLE" dynamodb:"GetItem,PutItem,UpdateItem,DeleteItem,Query"`
}

// New builds the promo-create function's router from its environment.
func New(lookup lambdaapp.Lookup, c promoissueapp.Clients, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, lookup); err != nil {
		return nil, err
	}
	keys, err := idempotencydb.New(c.Idempotency, cfg.IdempotencyTable)
	if err != nil {
		return nil, err
	}
	once, err := idempotency.NewGuard(keys, idempotency.Options{Log: log})
	if err != nil {
		return nil, err
	}
	is, err := promoissueapp.NewIssuer(promoissueapp.Env{
		SitesTable: cfg.SitesTable, AuditTable: cfg.AuditTable, PromoTable: cfg.PromoTable, UploadsBucket: cfg.UploadsBucket,
		SenderAddress: cfg.SenderAddress, SenderIdentity: cfg.SenderIdentity, SesMaxSendRate: cfg.SesMaxSendRate,
	}, c, log, keys)
	if err != nil {
		return nil, err
	}
	return issuehttp.NewHandler(issuehttp.Deps{Issuer: is, Once: once, Log: log}), nil
}
