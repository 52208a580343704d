package checkouthttp

import (
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

func TestListFilter(t *testing.T) {
	f, err := listFilter("test=true&state=captured&code=spring20&from=2026-06-01&to=2026-06-30&limit=10&cursor=abc")
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	if err != nil || !f.Test || f.State != checkout.StateCaptured || f.Code != "SPRING20" || !f.From.Equal(day("2026-06-01")) ||
		!f.To.Equal(day("2026-07-01")) || f.Limit != 10 || f.Cursor != "abc" {
		t.Fatalf("filter = %+v, %v", f, err)
	}
	if f, err := listFilter("to=2026-06-01T10:00:00Z"); err != nil || !f.To.Equal(time.Date(2026, 6, 1, 10, 0, 0, 1, time.UTC)) || f.Limit != checkout.DefaultListLimit {
		t.Fatalf("an instant: %+v, %v", f, err)
	}
	for query, field := range map[string]string{
		"test=maybe":                    "test",
		"state=paid":                    "state",
		"from=yesterday":                "from",
		"from=2026-06-02&to=2026-06-01": "to",
		"limit=0":                       "limit",
		"limit=201":                     "limit",
		"status=captured":               "status",
		"state=captured&state=voided":   "state",
		"from=0001-01-01T00:00:00Z":     "from",
	} {
		_, err := listFilter(query)
		if e := apperr.As(err); e.Code != apperr.CodeInvalid || e.Details[0].Field != field {
			t.Errorf("%s: %v, want a detail on %s", query, err, field)
		}
	}
}
