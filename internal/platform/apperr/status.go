package apperr

import "net/http"

// httpStatus is the one table from codes to HTTP status.
var httpStatus = map[Code]int{
	CodeInvalid:               http.StatusBadRequest,
	CodeUnauthenticated:       http.StatusUnauthorized,
	CodeForbidden:             http.StatusForbidden,
	CodeNotFound:              http.StatusNotFound,
	CodeMethodNotAllowed:      http.StatusMethodNotAllowed,
	CodeConflict:              http.StatusConflict,
	CodeIdempotencyKeyReused:  http.StatusConflict,
	CodeIdempotencyInProgress: http.StatusConflict,
	CodeTooLarge:              http.StatusRequestEntityTooLarge,
	CodeUnsupportedMedia:      http.StatusUnsupportedMediaType,
	CodeCodeRefused:           http.StatusConflict,
	CodeThrottled:             http.StatusTooManyRequests,
	CodeInternal:              http.StatusInternalServerError,
	CodeUnavailable:           http.StatusServiceUnavailable,
}

// HTTPStatus returns the HTTP status of a code; an unknown code is an internal error.
func HTTPStatus(c Code) int {
	if s, ok := httpStatus[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}
