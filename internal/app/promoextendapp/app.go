// Package promoextendapp wires the promo-extend function.
package promoextendapp

import (
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/app"
	"github.com/boxofficehq/boxoffice/internal/dynamo"
	"github.com/boxofficehq/boxoffice/internal/httpx"
	"github.com/boxofficehq/boxoffice/internal/promochange"
	"github.com/boxofficehq/boxoffice/internal/promochangehttp"
)

// Config is the promo-extend function's environment. The dynamodb tags name the actions it
// performs on each table; the template must grant exactly those. Each code is changed by a
// TransactWriteItems, which IAM authorises per item: UpdateItem on the code, PutItem on its
// audit entry.
type Config struct {
	SitesTable string `env:"SITES_TABLE" dynamodb:"GetItem"`
	AuditTable string `env:"AUDIT_TABLE" dynamodb:"PutItem"`
	PromoTable string `env:"PROMO_TABLE" dynamodb:"GetItem,UpdateItem"`
}

// DB is the DynamoDB the promo-extend function uses. Querier is there for the audit log's
// type only: the function lists nothing.
type DB interface {
	dynamo.SettingsAPI
	dynamo.Querier
	dynamo.PromoChangeAPI
}

// New builds the promo-extend function's router from its environment.
func New(env app.Lookup, db DB, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := app.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	sites, auditLog, err := dynamo.NewAuditedSettings(db, cfg.SitesTable, cfg.AuditTable)
	if err != nil {
		return nil, err
	}
	codes, err := dynamo.NewPromoChanges(db, cfg.PromoTable, auditLog)
	if err != nil {
		return nil, err
	}
	x, err := promochange.NewExtender(codes, sites, time.Now)
	if err != nil {
		return nil, err
	}
	return promochangehttp.NewExtendHandler(promochangehttp.ExtendDeps{Extender: x, Log: log}), nil
}
