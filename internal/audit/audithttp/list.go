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

// List answers GET /sites/{site}/audit?limit=N&cursor=C, newest first. Unknown, repeated
// or garbled parameters are refused, naming each, as the report does.
func List(l audit.Lister) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var v apperr.Errors
		q := httpx.ReadQuery(r.URL.RawQuery, []string{"limit", "cursor"}, "the audit list", &v)
		limit := audit.DefaultLimit
		if s := q.Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > audit.MaxLimit {
				v.Add("limit", fmt.Sprintf("must be a whole number from 1 to %d", audit.MaxLimit))
			}
			limit = n
		}
		if err := v.Err(); err != nil {
			return err
		}
		page, err := l.List(r.Context(), r.PathValue("site"), q.Get("cursor"), limit)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewPage(page))
		return nil
	}
}
