// Package httpx holds what every function's HTTP handler shares: the router that enforces
// authentication and site ownership, JSON in and out, and the one way errors are written.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    apperr.Code     `json:"code"`
	Message string          `json:"message"`
	Details []apperr.Detail `json:"details,omitempty"`
}

// JSON writes v as a JSON response with status.
func JSON(w http.ResponseWriter, status int, v any) {
	// Not HTML-escaped: "<" in an actor's name stays readable; the body is never HTML.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Error writes err as a coded JSON error. Only internal errors are logged: client mistakes
// are the client's to see, not an operator's to chase.
func Error(ctx context.Context, log *slog.Logger, w http.ResponseWriter, err error) {
	e := apperr.As(err)
	status := apperr.HTTPStatus(e.Code)
	if status >= 500 {
		log.ErrorContext(ctx, "request failed", "error", err.Error())
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds(e.RetryAfter)))
	}
	JSON(w, status, errorBody{Error: errorPayload{Code: e.Code, Message: e.Message, Details: e.Details}})
}

// RetryAfterSeconds is a wait as Retry-After sends it: whole seconds, rounded up so that a
// client that waits them is not refused again, and at least one.
func RetryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
