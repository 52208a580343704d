package httpx

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// A throttled error answers 429 with its wait in whole seconds, rounded up; other errors
// carry no Retry-After.
func TestErrorSendsRetryAfter(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for wait, want := range map[time.Duration]string{
		90 * time.Second:                 "90",
		90*time.Second + time.Nanosecond: "91",
		time.Millisecond:                 "1",
	} {
		w := httptest.NewRecorder()
		Error(context.Background(), log, w, apperr.Throttled(wait, nil, "too many tries"))
		if w.Code != 429 || w.Header().Get("Retry-After") != want || w.Header().Get("Content-Type") == "" {
			t.Errorf("wait %s: %d, Retry-After %q (want %s), Content-Type %q", wait, w.Code, w.Header().Get("Retry-After"), want, w.Header().Get("Content-Type"))
		}
	}
	w := httptest.NewRecorder()
	Error(context.Background(), log, w, apperr.New(apperr.CodeConflict, "taken"))
	if _, set := w.Header()["Retry-After"]; set || w.Code != 409 {
		t.Errorf("a conflict: %d with Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}
