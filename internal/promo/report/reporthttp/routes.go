// Package reporthttp is the HTTP API of the promo-report function (SPEC 3.4): a site's
// promotion codes as JSON pages, and the same report as a CSV download, both filtered by the
// query parameters of parseQuery and read through the table's indexes (reportdb.Report).
package reporthttp

import (
	"context"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report/reportdb"
)

// The routes (template.yaml, PromoReportFunction).
const (
	RouteList   = "GET " + httpx.SitePrefix + "/promo-codes"
	RouteExport = "GET " + httpx.SitePrefix + "/promo-codes/report.csv"
)

// Report reads the report; *reportdb.Report is one.
type Report interface {
	Page(ctx context.Context, site string, f reportdb.Filter, cursor string, limit int) (reportdb.Page, error)
	Walk(ctx context.Context, site string, f reportdb.Filter, cursor string, o reportdb.WalkOptions, emit func(promo.Code) bool) (string, error)
}

var _ Report = (*reportdb.Report)(nil)

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
