// Package settingshttp is the HTTP API of the settings function (SPEC 1) and the audit list.
package settingshttp

import (
	"log/slog"
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/audithttp"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Deps is what the handler needs.
type Deps struct {
	Settings *settings.Manager
	Audit    audit.Lister
	Log      *slog.Logger
}

// NewHandler returns the settings function's HTTP handler with all of its routes.
func NewHandler(d Deps) *httpx.Router {
	rt := httpx.NewRouter(d.Log)
	rt.Handle("GET /sites/{site}/settings", getSite(d.Settings))
	rt.Handle("GET /sites/{site}/settings/{service}", getService(d.Settings))
	rt.Handle("PATCH /sites/{site}/settings/{service}", patchService(d.Settings))
	rt.Handle("PUT /sites/{site}/settings/{service}/mode", putMode(d.Settings))
	rt.Handle(audithttp.Route, audithttp.List(d.Audit))
	return rt
}

var _ http.Handler = (*httpx.Router)(nil)
