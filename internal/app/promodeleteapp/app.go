// Package promodeleteapp wires the promo-delete function.
package promodeleteapp

import (
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changedb"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changehttp"
)

// Config is the promo-delete function's environment. The dynamodb tags name the actions it
// performs on each table; the template must grant exactly those. Each code is changed by a
// TransactWriteItems, which IAM authorises per item: UpdateItem on the code, PutItem on its
// audit entry; GetItem on the codes is what a refused write's returned item needs.
type Config struct {
	AuditTable string `env:"AUDIT_TABLE" dynamodb:"PutItem"`
	PromoTable string `env:"PROMO_TABLE" dynamodb:"GetItem,UpdateItem"`
}

// DB is the DynamoDB the promo-delete function uses. Querier is there for the audit log's
// type only: the function lists nothing.
type DB interface {
	auditdb.Querier
	changedb.API
}

// New builds the promo-delete function's router from its environment.
func New(env lambdaapp.Lookup, db DB, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	auditLog, err := auditdb.New(db, cfg.AuditTable)
	if err != nil {
		return nil, err
	}
	codes, err := changedb.New(db, cfg.PromoTable, auditLog)
	if err != nil {
		return nil, err
	}
	d, err := change.NewDeleter(codes, time.Now)
	if err != nil {
		return nil, err
	}
	return changehttp.NewDeleteHandler(changehttp.DeleteDeps{Deleter: d, Log: log}), nil
}
