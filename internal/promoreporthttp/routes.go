// Package promoreporthttp is the HTTP API of the promo-report function (SPEC 3.4): a site's
// promotion codes as JSON pages, and the same report as a CSV download, both filtered by the
// query parameters of parseQuery and read through the table's indexes (dynamo.PromoReport).
package promoreporthttp

import (
	"context"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/dynamo"
	"github.com/boxofficehq/boxoffice/internal/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// The routes (template.yaml, PromoReportFunction).
const (
	RouteList   = "GET " + httpx.SitePrefix + "/promo-codes"
	RouteExport = "GET " + httpx.SitePrefix + "/promo-codes/report.csv"
)

// Report reads the report; *dynamo.PromoReport is one.
type Report interface {
	Page(ctx context.Context, site string, f dynamo.ReportFilter, cursor string, limit int) (dynamo.ReportPage, error)
	Walk(ctx context.Context, site string, f dynamo.ReportFilter, cursor string, o dynamo.WalkOptions, emit func(promo.Code) bool) (string, error)
}

var _ Report = (*dynamo.PromoReport)(nil)

// Deps is what the handler needs.
type Deps struct {
	Report Report
	// Now is the clock statuses are judged by (time.Now when nil).
	Now func() time.Time
	Log *slog.Logger
	// CSV bounds one CSV response; zero fields take the defaults (DefaultCSVLimits).
	CSV CSVLimits
}

// NewHandler returns the promo-report function's HTTP handler with all of its routes.
func NewHandler(d Deps) *httpx.Router {
	if d.Now == nil {
		d.Now = time.Now
	}
	d.CSV = d.CSV.withDefaults()
	rt := httpx.NewRouter(d.Log)
	rt.Handle(RouteList, list(d))
	rt.Handle(RouteExport, export(d))
	return rt
}
