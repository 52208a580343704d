package audithttp

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// FuzzAuditQuery: whatever the audit list's query string holds, the answer is a page or a
// 400, never another status (a query no URL carries as it is is refused on "query"). A page is listed with a limit from 1 to audit.MaxLimit and
// the cursor as the query reads (httpx.ReadQuery, fuzzed on its own); a 400 names only
// what the query reader refuses, or the limit.
func FuzzAuditQuery(f *testing.F) {
	for _, q := range []string{"", "limit=7&cursor=abc", "limit=0", "limit=201", "limit=ten", "limit=-1", "limit=%zz", "cursor=a&cursor=b",
		"colour=red", "%zz", "limit=+5", "limit=05", "limit=200&cursor=%20x%20", "%FF=1",
		"limit=5\x00", "\tlimit=5", "cursor=\x7f", "cursor=a#b", "cursor=a b", // once a 5xx from the Lambda adapter, or a cursor cut at "#"
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var listed *struct {
			cursor string
			limit  int
		}
		l := &fakeLister{ListFn: func(_ context.Context, site, cursor string, limit int) (audit.Page, error) {
			listed = &struct {
				cursor string
				limit  int
			}{cursor, limit}
			return audit.Page{Entries: []audit.Entry{}}, nil
		}}
		rt := httpx.NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)))
		rt.Handle(Route, List(l))
		a := testenv.CallJSON(t, lambdaapp.NewHTTPLambda(rt), "GET", "/sites/acme/audit?"+raw, "", testenv.Claims("u1", "acme"))

		if strings.ContainsFunc(raw, func(r rune) bool { return r < ' ' || r == 0x7f || r == '#' }) {
			// No URL carries these as they are: refused on the query before the list runs.
			if a.Status != 400 || a.Get("error.code") != "invalid_input" || a.Get("error.details.0.field") != "query" || listed != nil {
				t.Fatalf("%q: %d %s (listed %+v); want 400 on query", raw, a.Status, a.Raw, listed)
			}
			return
		}
		var v apperr.Errors
		q := httpx.ReadQuery(raw, []string{"limit", "cursor"}, "the audit list", &v)
		read := []string{"limit"}
		if err := v.Err(); err != nil {
			for _, d := range apperr.As(err).Details {
				read = append(read, d.Field)
			}
		}
		switch a.Status {
		case 200:
			want := audit.DefaultLimit
			if s := q.Get("limit"); s != "" {
				want, _ = strconv.Atoi(s)
			}
			if v.Err() != nil || listed == nil || listed.limit != want || listed.limit < 1 || listed.limit > audit.MaxLimit || listed.cursor != q.Get("cursor") {
				t.Fatalf("%q: listed %+v; the query reads %v (%v)", raw, listed, q, v.Err())
			}
		case 400:
			details, _ := a.Get("error.details").([]any)
			if a.Get("error.code") != "invalid_input" || len(details) == 0 || listed != nil {
				t.Fatalf("%q: %s (listed %+v)", raw, a.Raw, listed)
			}
			for i := range details {
				if field, _ := a.Get("error.details." + strconv.Itoa(i) + ".field").(string); !slices.Contains(read, field) {
					t.Fatalf("%q: refused on %q, which is none of %q", raw, field, read)
				}
			}
		default:
			t.Fatalf("%q: %d %s", raw, a.Status, a.Raw)
		}
	})
}
