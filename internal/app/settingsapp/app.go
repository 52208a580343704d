// Package settingsapp wires the settings function.
package settingsapp

import (
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
	"github.com/boxofficehq/boxoffice/internal/settings/settingshttp"
)

// Config is the settings function's environment. The dynamodb tags name the actions it
// performs on each table; the template must grant exactly those.
type Config struct {
	SitesTable string `env:"SITES_TABLE" dynamodb:"GetItem,PutItem"`
	AuditTable string `env:"AUDIT_TABLE" dynamodb:"PutItem,Query"`
}

// DB is the DynamoDB the settings function uses.
type DB interface {
	settingsdb.API
	auditdb.Querier
}

// New builds the settings function's router from its environment.
func New(env lambdaapp.Lookup, db DB, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	store, auditLog, err := settingsdb.NewAudited(db, cfg.SitesTable, cfg.AuditTable)
	if err != nil {
		return nil, err
	}
	return settingshttp.NewHandler(settingshttp.Deps{
		Settings: settings.NewManager(store, time.Now),
		Audit:    auditLog,
		Log:      log,
	}), nil
}
