package reporthttp

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/csvsafe"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promoview"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// NextCursorHeader carries the cursor of the rest of a CSV report that did not fit one
// response; pass it back as the cursor parameter, with the same filters.
const NextCursorHeader = "X-Next-Cursor"

// CSVLimits bound one CSV response.
//
// A Lambda function's response is at most 6 MB, and API Gateway hands it over as a JSON
// document in which the body is a string, so one response cannot carry a whole report of a
// big site. One CSV response therefore carries at most MaxRows rows (10,000) and at most
// MaxBytes of body as that JSON string counts it (escapes included), and reads at most
// MaxEvaluated items (so that a selective filter on a big site still answers in time). When
// there is more, the response says so with the X-Next-Cursor header: the next request, with
// the same filters and cursor=<that value>, continues where this one stopped (the client
// concatenates the files, skipping the header row of each file after the first). Every
// response is a complete CSV file with its header row.
type CSVLimits struct {
	MaxRows      int
	MaxBytes     int
	MaxEvaluated int
}

// DefaultCSVLimits are the limits of a CSV response: 10,000 rows, 5 MiB, leaving room under
// the 6 MB for the headers and the JSON around the body, and 50,000 items evaluated.
var DefaultCSVLimits = CSVLimits{MaxRows: 10_000, MaxBytes: 5 << 20, MaxEvaluated: 50_000}

func (l CSVLimits) withDefaults() CSVLimits {
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultCSVLimits.MaxRows
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultCSVLimits.MaxBytes
	}
	if l.MaxEvaluated <= 0 {
		l.MaxEvaluated = DefaultCSVLimits.MaxEvaluated
	}
	return l
}

// csvHeader names the columns of the CSV report.
var csvHeader = []string{
	"Code", "Service", "Recipient e-mail", "Recipient name", "Discount", "Used", "Maximum",
	"Expires on", "Status", "Created at", "Created by", "Deleted at", "Deleted by",
}

// csvRecord is one code as a CSV row. Every cell passes through csvsafe.Cell on the way out,
// so no cell starts a formula.
func csvRecord(c promo.Code, now time.Time) []string {
	var email, name string
	if c.Recipient != nil {
		email, name = c.Recipient.Email, c.Recipient.Name
	}
	status := c.StatusAt(now)
	var deletedAt, deletedBy string
	if status == promo.StatusDeleted {
		deletedAt, deletedBy = csvsafe.Time(c.DeletedAt), c.DeletedBy
	}
	return []string{
		c.Code, c.Service, email, name, promo.FormatDiscount(c.Discount), strconv.Itoa(c.Used), promoview.MaxText(c.Usage),
		c.ExpiresOn, string(status), csvsafe.Time(c.CreatedAt), c.CreatedBy, deletedAt, deletedBy,
	}
}

// export answers GET /sites/{site}/promo-codes/report.csv: the report as a CSV file, in the
// order of the JSON pages, with at most the rows and bytes of CSVLimits per response and the
// X-Next-Cursor header when there is more.
func export(d Deps) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		site, now := r.PathValue("site"), d.Now()
		q, err := parseQuery(r.URL.RawQuery, site, limits{def: d.CSV.MaxRows, max: d.CSV.MaxRows}, now, d.Report)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		cw := csvsafe.NewWriter(&buf)
		if err := cw.WriteRow(csvHeader); err != nil {
			return apperr.Internal(err)
		}
		size, rows := httpx.JSONStringLen(buf.Bytes()), 0
		var writeErr error
		next, err := d.Report.Walk(r.Context(), site, q.filter, q.cursor, report.WalkOptions{MaxRows: q.limit, MaxEvaluated: d.CSV.MaxEvaluated},
			func(c promo.Code) bool {
				mark := buf.Len()
				if writeErr = cw.WriteRow(csvRecord(c, now)); writeErr != nil {
					return false
				}
				n := httpx.JSONStringLen(buf.Bytes()[mark:])
				if rows > 0 && size+n > d.CSV.MaxBytes {
					buf.Truncate(mark) // this row starts the next response
					return false
				}
				size, rows = size+n, rows+1
				return true
			})
		if writeErr != nil {
			return apperr.Internal(fmt.Errorf("write CSV: %w", writeErr))
		}
		if err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="promo-codes-`+fileSafe(site)+`.csv"`)
		h.Set("Cache-Control", "no-store")
		if next != "" {
			h.Set(NextCursorHeader, next)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
		return nil
	}
}

// fileSafe keeps a site's name fit for the file name of the Content-Disposition header.
func fileSafe(site string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, site)
}
