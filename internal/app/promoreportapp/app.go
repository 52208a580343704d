// Package promoreportapp wires the promo-report function: the promotion code report and its
// CSV download (SPEC 3.4).
package promoreportapp

import (
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
	"github.com/boxofficehq/boxoffice/internal/promo/report/reportdb"
	"github.com/boxofficehq/boxoffice/internal/promo/report/reporthttp"
)

// Config is the promo-report function's environment. The dynamodb tag names the actions it
// performs on the table (and its indexes); the template must grant exactly those.
type Config struct {
	PromoTable string `env:"PROMO_TABLE" dynamodb:"Query"`
	// CursorKey signs the report's cursors (the template generates it in Secrets Manager
	// and hands it over at deploy time).
	CursorKey string `env:"CURSOR_KEY"`
}

// DB is the DynamoDB the promo-report function uses: Query and nothing else, so that the
// report cannot Scan (or write) even by mistake; that is checked by the compiler.
type DB interface {
	reportdb.Querier
}

// New builds the promo-report function's router from its environment: the table's report
// store, the report use case over it, and the HTTP API over that, all on one clock.
func New(env lambdaapp.Lookup, db DB, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	store, err := reportdb.New(db, cfg.PromoTable, []byte(cfg.CursorKey))
	if err != nil {
		return nil, err
	}
	rep, err := report.New(store, time.Now)
	if err != nil {
		return nil, err
	}
	return reporthttp.NewHandler(reporthttp.Deps{Report: rep, Now: time.Now, Log: log}), nil
}
