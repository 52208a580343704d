package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// MaxBody is the largest JSON body an administrative route accepts.
const MaxBody = 64 << 10

// Decode reads a JSON object body into dst. Unknown fields, wrong types, trailing data and
// oversized bodies are client errors that name the field where one is known.
func Decode(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.New(apperr.CodeUnsupportedMedia, "the body must be application/json, not %q", ct)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.CodeInvalid, "the body must hold one JSON object and nothing after it")
	}
	return nil
}

func decodeError(err error) error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.CodeInvalid, "the body is empty; a JSON object is required")
	case errors.As(err, &tooLarge):
		return apperr.New(apperr.CodeTooLarge, "the body is larger than %d bytes", tooLarge.Limit)
	case errors.As(err, &syntax):
		return apperr.New(apperr.CodeInvalid, "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return apperr.New(apperr.CodeInvalid, "the body must be a JSON object")
		}
		return apperr.Field(typ.Field, fmt.Sprintf("must be a JSON %s", jsonKind(typ.Type.Kind().String())))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.CodeInvalid, "the body is truncated JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Field(field, "is not a known field")
	}
	return apperr.New(apperr.CodeInvalid, "the body could not be read as JSON")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	default:
		return "number"
	}
}
