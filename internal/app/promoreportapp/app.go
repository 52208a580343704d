// Package promoreportapp wires the promo-report function: the promotion code report and its
// CSV download (SPEC 3.4).
package promoreportapp

import (
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/app"
	"github.com/boxofficehq/boxoffice/internal/dynamo"
	"github.com/boxofficehq/boxoffice/internal/httpx"
	"github.com/boxofficehq/boxoffice/internal/promoreporthttp"
)

// Config is the promo-report function's environment. The dynamodb tag names the actions it
// performs on the table (and its indexes); the template must grant exactly those.
type Config struct {
	PromoTable string `env:"PROMO_TABLE" dynamodb:"Query"`
}

// DB is the DynamoDB the promo-report function uses: Query and nothing else, so that the
// report cannot Scan (or write) even by mistake; that is checked by the compiler.
type DB interface {
	dynamo.Querier
}

// New builds the promo-report function's router from its environment.
func New(env app.Lookup, db DB, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := app.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	report, err := dynamo.NewPromoReport(db, cfg.PromoTable)
	if err != nil {
		return nil, err
	}
	return promoreporthttp.NewHandler(promoreporthttp.Deps{Report: report, Now: time.Now, Log: log}), nil
}
