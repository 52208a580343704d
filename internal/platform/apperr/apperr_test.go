package apperr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestEveryCodeHasAStatus(t *testing.T) {
	codes := []Code{CodeInvalid, CodeUnauthenticated, CodeForbidden, CodeNotFound, CodeMethodNotAllowed,
		CodeConflict, CodeIdempotencyKeyReused, CodeIdempotencyInProgress, CodeTooLarge, CodeUnsupportedMedia, CodeCodeRefused, CodeThrottled, CodeInternal, CodeUnavailable}
	for _, c := range codes {
		if _, ok := httpStatus[c]; !ok {
			t.Errorf("code %q has no HTTP status", c)
		}
	}
	if got := HTTPStatus("no_such_code"); got != http.StatusInternalServerError {
		t.Errorf("unknown code: got %d, want 500", got)
	}
	if got := HTTPStatus(CodeInvalid); got != http.StatusBadRequest {
		t.Errorf("invalid: got %d, want 400", got)
	}
}

func TestCodeOfWrapped(t *testing.T) {
	err := fmt.Errorf("saving: %w", Field("timeZone", "unknown"))
	if got := CodeOf(err); got != CodeInvalid {
		t.Fatalf("CodeOf = %q, want %q", got, CodeInvalid)
	}
	if got := CodeOf(errors.New("boom")); got != CodeInternal {
		t.Fatalf("CodeOf(plain) = %q, want internal", got)
	}
	e := As(errors.New("boom"))
	if e.Code != CodeInternal || e.Message != "internal error" {
		t.Fatalf("As(plain) = %+v", e)
	}
}

func TestErrorsCollectsAll(t *testing.T) {
	var v Errors
	if v.Err() != nil {
		t.Fatal("empty collector must return nil")
	}
	v.Add("a", "bad")
	v.Add("b", "worse")
	e := As(v.Err())
	if e.Code != CodeInvalid || len(e.Details) != 2 || e.Details[1].Field != "b" {
		t.Fatalf("got %+v", e)
	}
}
