package reporthttp

import (
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo/promoview"
)

// listPage is the answer of the JSON route.
type listPage struct {
	Items []promoview.Row `json:"items"`
	// Next is the cursor of the next page, omitted at the end.
	Next string `json:"next,omitempty"`
}

// list answers GET /sites/{site}/promo-codes: one page of the report, newest first (but
// alphabetically by code when the code filter is given, and by expiry date, soonest first,
// when the expiry range is the most selective filter given; see package report).
func list(d Deps) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		site, now := r.PathValue("site"), d.Now()
		q, err := parseQuery(r.URL.RawQuery, site, limits{def: DefaultLimit, max: MaxLimit}, now, d.Report)
		if err != nil {
			return err
		}
		page, err := d.Report.Page(r.Context(), site, q.filter, q.cursor, q.limit)
		if err != nil {
			return err
		}
		out := listPage{Items: make([]promoview.Row, 0, len(page.Codes)), Next: page.Next}
		for _, c := range page.Codes {
			out.Items = append(out.Items, promoview.NewRow(c, now))
		}
		httpx.JSON(w, http.StatusOK, out)
		return nil
	}
}
