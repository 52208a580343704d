// Package reporthttp is the HTTP API of the promo-report function (SPEC 3.4): a site's
// promotion codes as JSON pages, and the same report as a CSV download, both filtered by the
// query parameters of parseQuery and read by the report use case (report.Report).
package reporthttp

import (
	"context"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// The routes (template.yaml, PromoReportFunction).
const (
	RouteList   = "GET " + httpx.SitePrefix + "/promo-codes"
	RouteExport = "GET " + httpx.SitePrefix + "/promo-codes/report.csv"
)

// Report reads the report; *report.Report is one.
type Report interface {
	Page(ctx context.Context, site string, f report.Filter, cursor string, limit int) (report.Page, error)
	Walk(ctx context.Context, site string, f report.Filter, cursor string, o report.WalkOptions, emit func(promo.Code) bool) (string, error)
	cursorChecker
}

// cursorChecker judges a request's cursor with its other parameters (parseQuery).
type cursorChecker interface {
	CheckCursor(v *apperr.Errors, site string, f report.Filter, cursor string)
	CheckCursorWithoutFilters(v *apperr.Errors, site, cursor string)
}

var _ Report = (*report.Report)(nil)

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
