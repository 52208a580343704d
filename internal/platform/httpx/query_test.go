package httpx

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

func TestReadQueryNamesWhatItRefusesAsText(t *testing.T) {
	long := strings.Repeat("é", 50)
	for _, tc := range []struct{ raw, field, reason string }{
		{"%FF=1", "%FF", "is not a parameter of the list"},
		{"%C3%A9t%E9=1", "%C3%A9t%E9", "is not a parameter of the list"},
		{"%FF=%zz", "%FF", "is not URL-encoded properly"},
		{"\xff%zz=1", "query", "a parameter name is not URL-encoded properly: \uFFFD%zz"},
		{"%zz" + long + "=1", "query", "a parameter name is not URL-encoded properly: %zz" + long[:2*37] + "…"},
	} {
		var v apperr.Errors
		ReadQuery(tc.raw, []string{"limit"}, "the list", &v)
		d := apperr.As(v.Err()).Details
		if len(d) != 1 || d[0].Field != tc.field || !strings.HasPrefix(d[0].Reason, tc.reason) {
			t.Errorf("%q: %+v; want %s: %s", tc.raw, d, tc.field, tc.reason)
		}
	}
}
