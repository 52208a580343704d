// Package changehttp is the HTTP API of the promo-extend and promo-delete functions
// (SPEC 3.5, 3.6): each function serves one route that changes selected codes and answers,
// code by code, what happened.
package changehttp

import (
	"log/slog"

	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
)

// The routes, as in template.yaml.
const (
	ExtendRoute = "POST /sites/{site}/promo-codes/extend"
	DeleteRoute = "POST /sites/{site}/promo-codes/delete"
)

// ExtendDeps is what the promo-extend handler needs.
type ExtendDeps struct {
	Extender *change.Extender
	Log      *slog.Logger
}

// NewExtendHandler returns the promo-extend function's HTTP handler.
func NewExtendHandler(d ExtendDeps) *httpx.Router {
	rt := httpx.NewRouter(d.Log)
	rt.Handle(ExtendRoute, extend(d.Extender))
	return rt
}

// DeleteDeps is what the promo-delete handler needs.
type DeleteDeps struct {
	Deleter *change.Deleter
	Log     *slog.Logger
}

// NewDeleteHandler returns the promo-delete function's HTTP handler.
func NewDeleteHandler(d DeleteDeps) *httpx.Router {
	rt := httpx.NewRouter(d.Log)
	rt.Handle(DeleteRoute, remove(d.Deleter))
	return rt
}
