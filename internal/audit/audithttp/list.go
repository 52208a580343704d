// Package audithttp serves a site's audit list; every function that mounts it lists the same
// log.
package audithttp

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// Route is the pattern of the audit list.
const Route = "GET " + httpx.SitePrefix + "/audit"

// List answers GET /sites/{site}/audit?limit=N&cursor=C, newest first.
func List(l audit.Lister) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		limit := audit.DefaultLimit
		if v := r.URL.Query().Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > audit.MaxLimit {
				return apperr.Field("limit", fmt.Sprintf("must be a whole number from 1 to %d", audit.MaxLimit))
			}
			limit = n
		}
		page, err := l.List(r.Context(), r.PathValue("site"), r.URL.Query().Get("cursor"), limit)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewPage(page))
		return nil
	}
}
