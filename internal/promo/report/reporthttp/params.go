package reporthttp

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// Rows of a JSON page.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// The query parameters of both routes. All are optional and combine (AND):
//
//	createdFrom, createdTo  a YYYY-MM-DD date (that whole day in UTC) or an RFC 3339 instant; inclusive
//	expiresFrom, expiresTo  a YYYY-MM-DD date, compared with the code's expiry date; inclusive
//	code                    a code, exact and case-insensitive; a trailing * makes it a prefix (SPRING*)
//	recipient               with an @, the recipient's e-mail address (exact, case-insensitive);
//	                        otherwise the recipient's name (exact, case-insensitive, spaces squeezed)
//	status                  active, expired, used_up or deleted
//	service                 events or training
//	limit                   rows per answer: 1 to 200 (default 50) for a page, 1 to 10,000 (the
//	                        default) for the CSV
//	cursor                  the "next" of the previous page (or X-Next-Cursor of the previous CSV),
//	                        with the same filters; a cursor of other filters is refused
//
// An empty value is the same as no value (forms send empty fields). Unknown or repeated
// parameters are refused, so a misspelt filter never silently widens the report.
const (
	pCreatedFrom = "createdFrom"
	pCreatedTo   = "createdTo"
	pExpiresFrom = "expiresFrom"
	pExpiresTo   = "expiresTo"
	pCode        = "code"
	pRecipient   = "recipient"
	pStatus      = "status"
	pService     = "service"
	pLimit       = "limit"
	pCursor      = "cursor"
)

var params = []string{pCreatedFrom, pCreatedTo, pExpiresFrom, pExpiresTo, pCode, pRecipient, pStatus, pService, pLimit, pCursor}

// query is a validated request.
type query struct {
	filter report.Filter
	limit  int
	cursor string
}

// limits are the rows one answer may hold: the default and the most.
type limits struct{ def, max int }

// codeParam is a code or a prefix of one as a person may type it (after upper-casing).
// Compiled on first use, not in package init: init is paid by every cold start.
var codeParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z0-9_-]{1,32}$`) })

// parseQuery reads the query string of a report request of site, judged at now, reporting
// every bad parameter at once: those that do not parse, those the report refuses
// (report.Filter.Check), and a cursor that cursors refuse.
func parseQuery(rawQuery, site string, lim limits, now time.Time, cursors cursorChecker) (query, error) {
	var v apperr.Errors
	values := httpx.ReadQuery(rawQuery, params, "this report", &v)
	get := values.Get
	q := query{limit: lim.def, filter: report.Filter{At: now}}
	f := &q.filter

	if s := get(pCreatedFrom); s != "" {
		if t, err := parseInstant(s, false); err != nil {
			v.Add(pCreatedFrom, err.Error())
		} else {
			f.CreatedFrom = t
		}
	}
	if s := get(pCreatedTo); s != "" {
		if t, err := parseInstant(s, true); err != nil {
			v.Add(pCreatedTo, err.Error())
		} else {
			f.CreatedTo = t
		}
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{pExpiresFrom, &f.ExpiresFrom}, {pExpiresTo, &f.ExpiresTo}} {
		if s := get(p.name); s != "" {
			if _, err := promo.ParseDate(s); err != nil {
				v.Add(p.name, "must be a date in YYYY-MM-DD form")
			} else {
				*p.dst = s
			}
		}
	}
	if s := get(pCode); s != "" {
		code, prefix := strings.CutSuffix(promo.NormalizeCode(s), "*")
		if !codeParam().MatchString(code) {
			v.Add(pCode, "must be a code of letters A-Z, digits, '-' and '_' (at most 32), or the start of one followed by *")
		} else {
			f.Code, f.CodePrefix = code, prefix
		}
	}
	if s := get(pRecipient); s != "" {
		if strings.Contains(s, "@") {
			if addr := emailaddr.Normalize(s); !emailaddr.Valid(addr) {
				v.Add(pRecipient, "is not a valid e-mail address (a value with @ is matched as an address, anything else as a name)")
			} else {
				f.RecipientEmail = addr
			}
		} else if len([]rune(s)) > promo.MaxRecipientName {
			v.Add(pRecipient, fmt.Sprintf("must be at most %d characters", promo.MaxRecipientName))
		} else {
			f.RecipientName = s
		}
	}
	if s := get(pStatus); s != "" {
		if st := promo.Status(s); slices.Contains(promo.Statuses, st) {
			f.Status = st
		} else {
			v.Add(pStatus, "must be active, expired, used_up or deleted")
		}
	}
	if s := get(pService); s != "" {
		if _, ok := promo.AppliesTo[s]; ok {
			f.Service = s
		} else {
			v.Add(pService, `must be "events" or "training"`)
		}
	}
	// What is left to refuse is what the parameters say together (an inverted range): the
	// filter holds only the values that parsed.
	f.Check(&v)
	if s := get(pLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > lim.max {
			v.Add(pLimit, fmt.Sprintf("must be a whole number from 1 to %d", lim.max))
		} else {
			q.limit = n
		}
	}
	q.cursor = get(pCursor)
	if v.Err() == nil {
		cursors.CheckCursor(&v, site, q.filter, q.cursor)
	} else {
		// The cursor belongs with filters that are not all known: say what is wrong with it only
		// when it cannot be a cursor of any query.
		cursors.CheckCursorWithoutFilters(&v, site, q.cursor)
	}
	if err := v.Err(); err != nil {
		return query{}, err
	}
	return q, nil
}

// parseInstant reads a creation bound: a date is that whole day in UTC (its first instant for
// a lower bound, its last for an upper one), or an RFC 3339 instant.
func parseInstant(s string, upper bool) (time.Time, error) {
	if d, err := promo.ParseDate(s); err == nil {
		if upper {
			return d.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil && strings.Contains(s, " ") {
		// An unescaped + of "+02:00" arrives as a space: take it as the + it was.
		t, err = time.Parse(time.RFC3339Nano, strings.ReplaceAll(s, " ", "+"))
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("must be a date (YYYY-MM-DD, the whole day in UTC) or an RFC 3339 instant such as 2026-05-01T09:30:00Z")
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("must be between the years 1 and 9999")
	}
	return t.UTC(), nil
}
