// Package apperrtest checks coded errors in tests: that a refusal is the client's error
// and names only what the request holds.
package apperrtest

import (
	"slices"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// RequireFields fails t unless err is invalid input with at least one detail, and every
// detail names one of fields. what describes the refused input in the failure.
func RequireFields(t testing.TB, what any, err error, fields ...string) {
	t.Helper()
	e := apperr.As(err)
	if e.Code != apperr.CodeInvalid || len(e.Details) == 0 {
		t.Fatalf("%+v: %s %v, want invalid input naming a field", what, e.Code, err)
	}
	for _, d := range e.Details {
		if !slices.Contains(fields, d.Field) {
			t.Fatalf("%+v: a detail names %q, which is none of %q", what, d.Field, fields)
		}
	}
}
