// Package apperr is the one error vocabulary of Boxoffice: every error a client can see
// carries a stable code, a message, and per-field or per-line details.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable, machine-readable error code. Clients may switch on it.
type Code string

// The codes. HTTPStatus maps each to its HTTP status; add a code there when adding one here.
const (
	CodeInvalid          Code = "invalid_input"
	CodeUnauthenticated  Code = "unauthenticated"
	CodeForbidden        Code = "forbidden"
	CodeNotFound         Code = "not_found"
	CodeMethodNotAllowed Code = "method_not_allowed"
	CodeConflict         Code = "conflict"
	// CodeIdempotencyKeyReused is an Idempotency-Key sent again with another request;
	// CodeIdempotencyInProgress a retry while the key's first request still runs.
	CodeIdempotencyKeyReused  Code = "idempotency_key_reused"
	CodeIdempotencyInProgress Code = "idempotency_in_progress"
	CodeTooLarge              Code = "too_large"
	CodeUnsupportedMedia      Code = "unsupported_media_type"
	// CodeCodeRefused is a promotion code that does not apply to an order; its detail's
	// reason is the stable refusal (no_uses_left, expired, ...).
	CodeCodeRefused Code = "code_refused"
	// CodeThrottled is a caller that tried too often (guessing promotion codes, say); the
	// error's RetryAfter says when it may try again.
	CodeThrottled Code = "throttled"
	CodeInternal  Code = "internal"
	// CodeUnavailable is a feature the deployment's configuration does not enable yet.
	CodeUnavailable Code = "unavailable"
)

// Detail names what was wrong: a field (JSON path such as "paymentPage.header") or a
// line of an uploaded file, and why.
type Detail struct {
	Field  string `json:"field,omitempty"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

// Error is a coded error. Err, when set, is the internal cause: it is logged, never shown.
type Error struct {
	Code    Code
	Message string
	Details []Detail
	Err     error
	// RetryAfter, when set, is how long the client should wait before trying again: the
	// HTTP layer sends it as Retry-After.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns a coded error with a message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an invalid-input error about one field.
func Field(field, reason string) *Error {
	return &Error{Code: CodeInvalid, Message: field + ": " + reason, Details: []Detail{{Field: field, Reason: reason}}}
}

// Throttled refuses a caller that tried too often until after has passed.
func Throttled(after time.Duration, details []Detail, format string, args ...any) *Error {
	return &Error{Code: CodeThrottled, Message: fmt.Sprintf(format, args...), Details: details, RetryAfter: after}
}

// Internal wraps an unexpected failure; its cause is logged and hidden from the client.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "internal error", Err: err}
}

// CodeOf returns the code of err, or CodeInternal for an uncoded error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// As returns err as a coded error; an uncoded error becomes an internal one.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}
