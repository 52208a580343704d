package reporthttp

import (
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// FuzzReportQuery: whatever a report's query string holds, it is refused as invalid input
// naming its parameters (or "query" for a name that does not decode), or it is a filter the
// report can run, a limit in bounds and a cursor the store accepts; written back as a query
// string, it reads as the same request. The store here accepts the cursor "good" only.
func FuzzReportQuery(f *testing.F) {
	for _, q := range []string{
		"", "createdFrom=2026-05-01&createdTo=2026-05-31&limit=200", "createdFrom=2026-05-01T10:00:00+02:00&cursor=good",
		"expiresFrom=2026-06-01&expiresTo=2026-05-01", "code=spr*&status=used_up&service=events", "code=*",
		"recipient=Ada%20%20Lovelace&limit=0", "recipient=ADA@x.example", "limit=1&limit=2", "colour=red&Code=x",
		"%zz=1", "code=%zz", "%FF=1", "cursor=forged", "createdTo=10000-01-01", "expiresTo=2026-02-30", "status=expired&cursor=good",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cursors := cursorsOf(t, cursorStore{checkCursor: func(_ string, _ report.Filter, cursor string) error {
			if cursor == "good" {
				return nil
			}
			return report.ErrBadCursor
		}})
		lim := limits{def: DefaultLimit, max: MaxLimit}
		q, err := parseQuery(raw, "acme", lim, paramsNow, cursors)
		if err != nil {
			apperrtest.RequireFields(t, raw, err, append(namesIn(raw), "query")...)
			return
		}
		var v apperr.Errors
		q.filter.Check(&v)
		if v.Err() != nil || q.limit < 1 || q.limit > lim.max || q.cursor != "" && q.cursor != "good" || !q.filter.At.Equal(paramsNow) {
			t.Fatalf("%q read as %+v (%v)", raw, q, v.Err())
		}
		back := queryOf(q)
		again, err := parseQuery(back, "acme", lim, paramsNow, cursors)
		if err != nil || !reflect.DeepEqual(again, q) {
			t.Fatalf("%q read as %+v; written back as %q it reads as %+v, %v", raw, q, back, again, err)
		}
	})
}

// namesIn lists the parameter names of a raw query string that decode, as a refusal names
// them: a name that is not UTF-8 text URL-encoded.
func namesIn(raw string) []string {
	var out []string
	for _, pair := range strings.Split(raw, "&") {
		name, _, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			if !utf8.ValidString(n) {
				n = url.QueryEscape(n)
			}
			out = append(out, n)
		}
	}
	return slices.Compact(out)
}

// queryOf writes a request back as the query string a client would send for it.
func queryOf(q query) string {
	v := url.Values{}
	f := q.filter
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	if !f.CreatedFrom.IsZero() {
		set(pCreatedFrom, f.CreatedFrom.Format(time.RFC3339Nano))
	}
	if !f.CreatedTo.IsZero() {
		set(pCreatedTo, f.CreatedTo.Format(time.RFC3339Nano))
	}
	set(pExpiresFrom, f.ExpiresFrom)
	set(pExpiresTo, f.ExpiresTo)
	if f.Code != "" && f.CodePrefix {
		set(pCode, f.Code+"*")
	} else {
		set(pCode, f.Code)
	}
	set(pRecipient, f.RecipientEmail)
	set(pRecipient, f.RecipientName)
	set(pStatus, string(f.Status))
	set(pService, f.Service)
	set(pLimit, strconv.Itoa(q.limit))
	set(pCursor, q.cursor)
	return v.Encode()
}
