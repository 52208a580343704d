// Package issuehttp is the HTTP API of the promo-create function (SPEC 3.1-3.3):
// creating codes, starting bulk imports and following them, re-sending failed e-mails.
package issuehttp

import (
	"log/slog"

	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// Deps is what the handler needs.
type Deps struct {
	Issuer *issue.Issuer
	// Once makes the two creations idempotent under the Idempotency-Key header; it is
	// required for a request that sends the header.
	Once *idempotency.Guard
	Log  *slog.Logger
}

// NewHandler returns the promo-create function's HTTP handler with all of its routes.
func NewHandler(d Deps) *httpx.Router {
	rt := httpx.NewRouter(d.Log)
	rt.Handle("POST /sites/{site}/promo-codes", d.Once.Wrap(create(d.Issuer), replayCreated(d.Issuer)))
	rt.Handle("POST /sites/{site}/promo-codes/imports", d.Once.Wrap(startImport(d.Issuer), replayImport(d.Issuer)))
	rt.Handle("GET /sites/{site}/promo-codes/imports/{job}", getJob(d.Issuer))
	rt.Handle("GET /sites/{site}/promo-codes/imports/{job}/recipients", listRecipients(d.Issuer))
	rt.Handle("POST /sites/{site}/promo-codes/imports/{job}/resend", resend(d.Issuer))
	return rt
}
