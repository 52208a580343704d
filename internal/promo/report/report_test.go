package report_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

var reportNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// fields are the fields err names, in order; it must be invalid input.
func fields(t *testing.T, err error) []string {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Code != apperr.CodeInvalid {
		t.Fatalf("got %v, want invalid_input", err)
	}
	var out []string
	for _, d := range e.Details {
		out = append(out, d.Field)
	}
	return out
}

func codesNamed(names ...string) []promo.Code {
	var cs []promo.Code
	for _, n := range names {
		cs = append(cs, promo.Code{Site: "demo", Code: n})
	}
	return cs
}

// emitting is a store walk that hands out codes until emit refuses one, and answers next.
func emitting(codes []promo.Code, next string) func(string, report.Filter, string, report.WalkOptions, func(promo.Code) bool) (string, error) {
	return func(_ string, _ report.Filter, _ string, _ report.WalkOptions, emit func(promo.Code) bool) (string, error) {
		for _, c := range codes {
			if !emit(c) {
				break
			}
		}
		return next, nil
	}
}

// TestFilterCheck: every filter the report cannot run is named, all at once, and nothing
// else is.
func TestFilterCheck(t *testing.T) {
	may1, may2 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		f      report.Filter
		fields []string
	}{
		{"nothing", report.Filter{}, nil},
		{"every filter, good", report.Filter{
			CreatedFrom: may1, CreatedTo: may2, ExpiresFrom: "2026-06-01", ExpiresTo: "2026-06-01", Code: "SP", CodePrefix: true,
			RecipientEmail: "ada@example.com", RecipientName: "Ada", Status: promo.StatusUsedUp, Service: "events", At: reportNow,
		}, nil},
		{"one instant", report.Filter{CreatedFrom: may1, CreatedTo: may1}, nil},
		{"each status", report.Filter{Status: promo.StatusExpired}, nil},
		{"created inverted", report.Filter{CreatedFrom: may2, CreatedTo: may2.Add(-time.Nanosecond)}, []string{"createdTo"}},
		{"expiry dates not dates", report.Filter{ExpiresFrom: "2026-6-1", ExpiresTo: "soon"}, []string{"expiresFrom", "expiresTo"}},
		{"expiry inverted", report.Filter{ExpiresFrom: "2026-06-02", ExpiresTo: "2026-06-01"}, []string{"expiresTo"}},
		{"an empty prefix", report.Filter{CodePrefix: true}, []string{"code"}},
		{"an unknown status", report.Filter{Status: "sleeping"}, []string{"status"}},
		{"every problem at once", report.Filter{
			CreatedFrom: may2, CreatedTo: may1, ExpiresFrom: "2026-06-02", ExpiresTo: "2026-06-01", CodePrefix: true, Status: "sleeping",
		}, []string{"createdTo", "expiresTo", "code", "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v apperr.Errors
			tt.f.Check(&v)
			if tt.fields == nil {
				if err := v.Err(); err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if got := fields(t, v.Err()); !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

// TestRefusedBeforeTheStore: a filter the report cannot run is a 400 naming the parameters,
// a missing site a 400, bad bounds an internal error; none reaches the store.
func TestRefusedBeforeTheStore(t *testing.T) {
	rep := newReport(t, fakeStore{}) // walking it fails the test
	ctx := context.Background()
	_, err := rep.Page(ctx, "demo", report.Filter{ExpiresFrom: "2026-06-02", ExpiresTo: "2026-06-01", Status: "sleeping"}, "", 10)
	if got := fields(t, err); !slices.Equal(got, []string{"expiresTo", "status"}) {
		t.Fatalf("fields %v", got)
	}
	if _, err := rep.Page(ctx, "", report.Filter{}, "", 10); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Fatalf("no site: %v", err)
	}
	for _, limit := range []int{0, -1} {
		if _, err := rep.Page(ctx, "demo", report.Filter{}, "", limit); apperr.CodeOf(err) != apperr.CodeInternal {
			t.Fatalf("limit %d: %v", limit, err)
		}
	}
	if _, err := rep.Walk(ctx, "demo", report.Filter{}, "", report.WalkOptions{}, func(promo.Code) bool { return true }); apperr.CodeOf(err) != apperr.CodeInternal {
		t.Fatalf("a walk of no rows: %v", err)
	}
}

// TestStoreErrors: a cursor the store refuses is a 400 on the cursor parameter that says
// why (another query, or no cursor at all), even wrapped; any other failure of the store is
// internal, its cause kept for the log and not shown.
func TestStoreErrors(t *testing.T) {
	cause := errors.New("dynamodb: throughput exceeded")
	tests := []struct {
		name     string
		storeErr error
		reason   string // "" for an internal error
	}{
		{"foreign", report.ErrForeignCursor, "belongs to another query"},
		{"foreign, wrapped", fmt.Errorf("decode: %w", report.ErrForeignCursor), "belongs to another query"},
		{"bad", report.ErrBadCursor, "is not a cursor this report handed out"},
		{"bad, wrapped", fmt.Errorf("%w: DynamoDB refused its start key", report.ErrBadCursor), "is not a cursor this report handed out"},
		{"the store failed", cause, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := newReport(t, fakeStore{walk: func(string, report.Filter, string, report.WalkOptions, func(promo.Code) bool) (string, error) {
				return "", tt.storeErr
			}})
			page, err := rep.Page(context.Background(), "demo", report.Filter{}, "c1", 10)
			if err == nil || page.Codes != nil || page.Next != "" {
				t.Fatalf("got %+v, %v", page, err)
			}
			e := apperr.As(err)
			if tt.reason == "" {
				if e.Code != apperr.CodeInternal || e.Message != "internal error" || !errors.Is(err, cause) {
					t.Fatalf("got %+v, want internal with its cause", e)
				}
				return
			}
			if e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != "cursor" || !strings.HasPrefix(e.Details[0].Reason, tt.reason) {
				t.Fatalf("got %+v, want invalid_input on cursor: %s", e, tt.reason)
			}
			if strings.Contains(err.Error(), "promo report:") {
				t.Fatalf("the store's wording reached the client: %v", err)
			}
		})
	}
}

// TestLimits: a page asks the store for its limit and PageMaxEvaluated (the default when
// unset); a walk passes its bounds on, with the default for an unset cap.
func TestLimits(t *testing.T) {
	var got []report.WalkOptions
	rep := newReport(t, fakeStore{walk: func(_ string, _ report.Filter, _ string, o report.WalkOptions, _ func(promo.Code) bool) (string, error) {
		got = append(got, o)
		return "", nil
	}})
	ctx, f, take := context.Background(), report.Filter{}, func(promo.Code) bool { return true }
	if _, err := rep.Page(ctx, "demo", f, "", 7); err != nil {
		t.Fatal(err)
	}
	rep.PageMaxEvaluated = 30
	if _, err := rep.Page(ctx, "demo", f, "", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := rep.Walk(ctx, "demo", f, "", report.WalkOptions{MaxRows: 10_000}, take); err != nil {
		t.Fatal(err)
	}
	if _, err := rep.Walk(ctx, "demo", f, "", report.WalkOptions{MaxRows: 3, MaxEvaluated: 50_000}, take); err != nil {
		t.Fatal(err)
	}
	want := []report.WalkOptions{
		{MaxRows: 7, MaxEvaluated: report.DefaultMaxEvaluated},
		{MaxRows: 1, MaxEvaluated: 30},
		{MaxRows: 10_000, MaxEvaluated: report.DefaultMaxEvaluated},
		{MaxRows: 3, MaxEvaluated: 50_000},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("bounds %+v\nwant %+v", got, want)
	}
}

// TestPage: a page is the codes the store hands out, in its order, with its cursor; the
// site, the filter and the cursor reach the store as given, and a filter without an instant
// is judged at the clock's.
func TestPage(t *testing.T) {
	type call struct {
		site, cursor string
		f            report.Filter
	}
	var calls []call
	codes := codesNamed("C3", "C2", "C1")
	rep := newReport(t, fakeStore{walk: func(site string, f report.Filter, cursor string, o report.WalkOptions, emit func(promo.Code) bool) (string, error) {
		calls = append(calls, call{site, cursor, f})
		return emitting(codes, "next-of-"+cursor)(site, f, cursor, o, emit)
	}})
	ctx := context.Background()
	f := report.Filter{Service: "events", Status: promo.StatusActive}
	page, err := rep.Page(ctx, "demo", f, "c1", 50)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(page.Codes, codes) || page.Next != "next-of-c1" {
		t.Fatalf("page %+v", page)
	}
	later := f
	later.At = reportNow.Add(time.Hour)
	if _, err := rep.Page(ctx, "globex", later, "", 50); err != nil {
		t.Fatal(err)
	}
	judged := f
	judged.At = reportNow
	want := []call{{"demo", "c1", judged}, {"globex", "", later}}
	if !slices.Equal(calls, want) {
		t.Fatalf("calls %+v\nwant %+v", calls, want)
	}

	// Nothing found is an empty page (an empty list in JSON), not a missing one.
	rep = newReport(t, fakeStore{walk: emitting(nil, "")})
	page, err = rep.Page(ctx, "demo", f, "", 50)
	if err != nil || page.Codes == nil || len(page.Codes) != 0 || page.Next != "" {
		t.Fatalf("empty page %#v, %v", page, err)
	}
}

// TestWalk: a walk hands the store's codes to its callback, stops where the callback
// refuses, and answers the store's cursor.
func TestWalk(t *testing.T) {
	codes := codesNamed("C5", "C4", "C3", "C2", "C1")
	rep := newReport(t, fakeStore{walk: emitting(codes, "after-C3")})
	var got []promo.Code
	next, err := rep.Walk(context.Background(), "demo", report.Filter{}, "", report.WalkOptions{MaxRows: 100}, func(c promo.Code) bool {
		if len(got) == 3 {
			return false
		}
		got = append(got, c)
		return true
	})
	if err != nil || next != "after-C3" || !slices.Equal(got, codes[:3]) {
		t.Fatalf("got %v, next %q, %v", got, next, err)
	}
}

// TestCheckCursor: a request's cursor is judged by the store against its site and filters;
// without the filters (some parameters were refused), only a cursor of no query is named.
func TestCheckCursor(t *testing.T) {
	type asked struct {
		site, cursor string
		f            report.Filter
	}
	f := report.Filter{Status: promo.StatusActive, At: reportNow}
	for _, tt := range []struct {
		name          string
		storeErr      error
		withFilters   []string // the fields CheckCursor names
		withoutFilter []string // the fields CheckCursorWithoutFilters names
	}{
		{"good", nil, nil, nil},
		{"foreign", report.ErrForeignCursor, []string{"cursor"}, nil},
		{"bad", report.ErrBadCursor, []string{"cursor"}, []string{"cursor"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []asked
			rep := newReport(t, fakeStore{checkCursor: func(site string, f report.Filter, cursor string) error {
				got = append(got, asked{site, cursor, f})
				return tt.storeErr
			}})
			var v apperr.Errors
			rep.CheckCursor(&v, "demo", f, "c1")
			if names := fieldsOrNone(t, v.Err()); !slices.Equal(names, tt.withFilters) {
				t.Fatalf("with filters: fields %v, want %v", names, tt.withFilters)
			}
			var w apperr.Errors
			rep.CheckCursorWithoutFilters(&w, "demo", "c2")
			if names := fieldsOrNone(t, w.Err()); !slices.Equal(names, tt.withoutFilter) {
				t.Fatalf("without filters: fields %v, want %v", names, tt.withoutFilter)
			}
			if want := []asked{{"demo", "c1", f}, {"demo", "c2", report.Filter{}}}; !slices.Equal(got, want) {
				t.Fatalf("asked %+v\nwant %+v", got, want)
			}
		})
	}
	// No cursor is the start of the report: the store is not asked.
	rep := newReport(t, fakeStore{})
	var v apperr.Errors
	rep.CheckCursor(&v, "demo", f, "")
	rep.CheckCursorWithoutFilters(&v, "demo", "")
	if err := v.Err(); err != nil {
		t.Fatal(err)
	}
}

func fieldsOrNone(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	return fields(t, err)
}

func TestNewNeedsAStore(t *testing.T) {
	if _, err := report.New(nil, nil); err == nil {
		t.Fatal("a report without a store")
	}
}
