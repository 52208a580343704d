// Package promoextendapp wires the promo-extend function.
package promoextendapp

import (
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changedb"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changehttp"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
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
	settingsdb.API
	auditdb.Querier
	changedb.API
}

// New builds the promo-extend function's router from its environment.
func New(env lambdaapp.Lookup, db DB, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	sites, auditLog, err := settingsdb.NewAudited(db, cfg.SitesTable, cfg.AuditTable)
	if err != nil {
		return nil, err
	}
	codes, err := changedb.New(db, cfg.PromoTable, auditLog)
	if err != nil {
		return nil, err
	}
	x, err := change.NewExtender(codes, sites, time.Now)
	if err != nil {
		return nil, err
	}
	return changehttp.NewExtendHandler(changehttp.ExtendDeps{Extender: x, Log: log}), nil
}
