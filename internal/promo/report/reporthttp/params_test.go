package reporthttp

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

var paramsNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// cursorStore is the report.Store of the parameter tests: it reads nothing, and judges every
// cursor with checkCursor (a nil one fails the test when asked).
type cursorStore struct {
	t           *testing.T
	checkCursor func(site string, f report.Filter, cursor string) error
}

func (s cursorStore) Walk(context.Context, string, report.Filter, string, report.WalkOptions, func(promo.Code) bool) (string, error) {
	s.t.Fatal("parsing the parameters walked the report")
	return "", nil
}

func (s cursorStore) CheckCursor(site string, f report.Filter, cursor string) error {
	if s.checkCursor == nil {
		s.t.Fatalf("asked about cursor %q", cursor)
	}
	return s.checkCursor(site, f, cursor)
}

// cursorsOf is the report use case over s: what parseQuery judges cursors with.
func cursorsOf(t *testing.T, s cursorStore) *report.Report {
	t.Helper()
	s.t = t
	rep, err := report.New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestParseQuery(t *testing.T) {
	page := limits{def: DefaultLimit, max: MaxLimit}
	tests := []struct {
		name  string
		raw   string
		lim   limits
		want  report.Filter
		limit int
	}{
		{"nothing", "", page, report.Filter{}, 50},
		{"empty values are no values", "code=&recipient=+&status=&limit=&cursor=", page, report.Filter{}, 50},
		{"created dates are whole UTC days", "createdFrom=2026-05-01&createdTo=2026-05-31", page, report.Filter{
			CreatedFrom: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), CreatedTo: time.Date(2026, 5, 31, 23, 59, 59, 999999999, time.UTC),
		}, 50},
		{"created instants, converted to UTC", "createdFrom=2026-05-01T10:00:00%2B02:00&createdTo=2026-05-01T09:00:00.5Z", page, report.Filter{
			CreatedFrom: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), CreatedTo: time.Date(2026, 5, 1, 9, 0, 0, 500000000, time.UTC),
		}, 50},
		{"an unescaped + arrives as a space", "createdFrom=2026-05-01T10:00:00+02:00", page, report.Filter{
			CreatedFrom: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC),
		}, 50},
		{"expiry dates", "expiresFrom=2026-06-01&expiresTo=2026-06-01", page, report.Filter{ExpiresFrom: "2026-06-01", ExpiresTo: "2026-06-01"}, 50},
		{"code, any case", "code=%20spring-10%20", page, report.Filter{Code: "SPRING-10"}, 50},
		{"code prefix", "code=spr*", page, report.Filter{Code: "SPR", CodePrefix: true}, 50},
		{"recipient e-mail", "recipient=Ada@Example.COM", page, report.Filter{RecipientEmail: "ada@example.com"}, 50},
		{"recipient name", "recipient=Ada++Lovelace", page, report.Filter{RecipientName: "Ada  Lovelace"}, 50},
		{"status and service", "status=used_up&service=training", page, report.Filter{Status: promo.StatusUsedUp, Service: "training"}, 50},
		{"limit", "limit=200", page, report.Filter{}, 200},
		{"CSV limit", "limit=10000", limits{def: 10000, max: 10000}, report.Filter{}, 10000},
		{"CSV default", "", limits{def: 10000, max: 10000}, report.Filter{}, 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := parseQuery(tt.raw, "demo", tt.lim, paramsNow, cursorsOf(t, cursorStore{}))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.At = paramsNow
			if !reflect.DeepEqual(q.filter, tt.want) || q.limit != tt.limit {
				t.Fatalf("got %+v limit %d\nwant %+v limit %d", q.filter, q.limit, tt.want, tt.limit)
			}
		})
	}

	// A cursor the store accepts for the parsed filters is the query's.
	var asked []report.Filter
	store := cursorStore{checkCursor: func(site string, f report.Filter, cursor string) error {
		if site != "demo" || cursor != "c-1" {
			t.Errorf("asked about cursor %q of %q", cursor, site)
		}
		asked = append(asked, f)
		return nil
	}}
	q, err := parseQuery("service=events&cursor=c-1", "demo", page, paramsNow, cursorsOf(t, store))
	if err != nil || q.cursor != "c-1" {
		t.Fatalf("got %+v, %v", q, err)
	}
	if want := []report.Filter{{Service: "events", At: paramsNow}}; !reflect.DeepEqual(asked, want) {
		t.Fatalf("asked with %+v, want %+v", asked, want)
	}
}

func TestParseQueryRefuses(t *testing.T) {
	page := limits{def: DefaultLimit, max: MaxLimit}
	tests := []struct {
		name   string
		raw    string
		fields []string
	}{
		{"every problem at once", "createdFrom=yesterday&createdTo=2026-13-01&expiresFrom=2026-6-1&expiresTo=soon&code=SP%C3%84&recipient=not@valid&status=sleeping&service=music&limit=0",
			[]string{"createdFrom", "createdTo", "expiresFrom", "expiresTo", "code", "recipient", "status", "service", "limit"}},
		{"inverted ranges", "createdFrom=2026-05-02&createdTo=2026-05-01T23:59:59Z&expiresFrom=2026-06-02&expiresTo=2026-06-01", []string{"createdTo", "expiresTo"}},
		{"limit too big", "limit=201", []string{"limit"}},
		{"limit not a number", "limit=ten", []string{"limit"}},
		{"a lone star", "code=*", []string{"code"}},
		{"a star inside", "code=SP*RING", []string{"code"}},
		{"a code too long", "code=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", []string{"code"}},
		{"a name too long", "recipient=" + string(slices.Repeat([]byte("a"), 201)), []string{"recipient"}},
		{"repeated", "status=active&status=expired", []string{"status"}},
		{"unknown, sorted", "stauts=active&Code=X", []string{"Code", "stauts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseQuery(tt.raw, "demo", page, paramsNow, cursorsOf(t, cursorStore{}))
			if fields := refusedFields(t, err); !slices.Equal(fields, tt.fields) {
				t.Fatalf("fields %v, want %v (%+v)", fields, tt.fields, apperr.As(err).Details)
			}
		})
	}
	if _, err := parseQuery("a=%zz", "demo", page, paramsNow, cursorsOf(t, cursorStore{})); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Fatalf("a broken query string: %v", err)
	}
	if _, err := parseQuery("limit=201", "demo", limits{def: 10000, max: 10000}, paramsNow, cursorsOf(t, cursorStore{})); err != nil {
		t.Fatalf("the CSV takes more rows: %v", err)
	}
}

// TestParseQueryJudgesTheCursor: the cursor is judged with the other parameters: against the
// parsed filters when they all parsed, otherwise alone, when only a cursor of no query is
// named (handler_test sends the same cursors through the real store).
func TestParseQueryJudgesTheCursor(t *testing.T) {
	page := limits{def: DefaultLimit, max: MaxLimit}
	tests := []struct {
		name   string
		raw    string
		fields []string
		// judged is how the store judges the cursor, asked the filters it is asked with (none
		// when other parameters were refused).
		judged error
		asked  report.Filter
	}{
		{"a garbage cursor with other problems", "status=x&cursor=%21%21", []string{"status", "cursor"}, report.ErrBadCursor, report.Filter{}},
		{"a garbage cursor alone", "cursor=%21%21", []string{"cursor"}, report.ErrBadCursor, report.Filter{At: paramsNow}},
		{"a foreign cursor with other problems", "status=x&cursor=%21%21", []string{"status"}, report.ErrForeignCursor, report.Filter{}},
		{"a foreign cursor alone", "service=events&cursor=%21%21", []string{"cursor"}, report.ErrForeignCursor, report.Filter{Service: "events", At: paramsNow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asked := 0
			store := cursorStore{checkCursor: func(site string, f report.Filter, cursor string) error {
				asked++
				if site != "demo" || cursor != "!!" || !reflect.DeepEqual(f, tt.asked) {
					t.Errorf("asked about cursor %q of %q with %+v, want %q of demo with %+v", cursor, site, f, "!!", tt.asked)
				}
				return tt.judged
			}}
			_, err := parseQuery(tt.raw, "demo", page, paramsNow, cursorsOf(t, store))
			if asked != 1 {
				t.Errorf("the cursor was judged %d times", asked)
			}
			if fields := refusedFields(t, err); !slices.Equal(fields, tt.fields) {
				t.Fatalf("fields %v, want %v (%+v)", fields, tt.fields, apperr.As(err).Details)
			}
		})
	}
}

// refusedFields are the fields err names; it must be invalid input.
func refusedFields(t *testing.T, err error) []string {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Code != apperr.CodeInvalid {
		t.Fatalf("got %v, want invalid_input", err)
	}
	var fields []string
	for _, d := range e.Details {
		fields = append(fields, d.Field)
	}
	return fields
}

func TestFileSafe(t *testing.T) {
	if got := fileSafe(`de"mo/..\x`); got != "de_mo_.._x" {
		t.Fatalf("got %q", got)
	}
}

func mustJSON(t *testing.T, s string) []byte {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
