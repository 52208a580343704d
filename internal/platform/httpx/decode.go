package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// MaxBody is the largest JSON body an administrative route accepts.
const MaxBody = 64 << 10

// Decode reads a JSON object body into dst. Unknown fields, wrong types, text that is not
// UTF-8, trailing data and oversized bodies are client errors; each names the JSON path of
// the value it is about ("paymentPage.header", "codes[3]") where there is one.
func Decode(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.New(apperr.CodeUnsupportedMedia, "the body must be application/json, not %q", ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBody))
	if err != nil {
		return decodeError(nil, err)
	}
	// The walk names the value a problem is about; it is made only when there is one.
	var (
		walk   *jsonWalk
		walked bool
	)
	walkBody := func() *jsonWalk {
		if !walked && json.Valid(body) {
			walk = walkJSON(body, reflect.TypeOf(dst))
		}
		walked = true
		return walk
	}
	// The raw text is judged first: decoding would turn what is not text into U+FFFD.
	if mayHoldNonText(body) {
		if w := walkBody(); w != nil && w.text != nil {
			if w.text.path == "" {
				return apperr.New(apperr.CodeInvalid, "the body %s", w.text.reason)
			}
			return apperr.Field(w.text.path, w.text.reason)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(walkBody(), err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.CodeInvalid, "the body must hold one JSON object and nothing after it")
	}
	return nil
}

// mayHoldNonText is false when body is UTF-8 without a surrogate escape, as almost every
// body is: nothing in it can be other than text.
func mayHoldNonText(body []byte) bool {
	if !utf8.Valid(body) {
		return true
	}
	for i := bytes.Index(body, []byte(`\u`)); i >= 0 && i+2 < len(body); {
		if c := body[i+2]; c == 'd' || c == 'D' {
			return true // a surrogate, or a character of U+D000-U+D7FF: the walk tells
		}
		next := bytes.Index(body[i+2:], []byte(`\u`))
		if next < 0 {
			break
		}
		i += 2 + next
	}
	return false
}

// decodeError turns what encoding/json refused into a client error. walk is the body's walk
// (nil when the body is not valid JSON), which names the value an error is about.
func decodeError(walk *jsonWalk, err error) error {
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
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.CodeInvalid, "the body is truncated JSON")
	case walk == nil:
	case errors.As(err, &typ):
		if v, ok := walk.failing(func(v jsonValue) bool { return v.stack == typ.Field }); ok {
			if v.at == 0 {
				return apperr.New(apperr.CodeInvalid, "the body must be a JSON %s", jsonKind(v.typ))
			}
			return apperr.Field(walk.path(v.at), typeReason(typ))
		}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		for _, u := range walk.unknown {
			if u.name == name {
				return apperr.Field(walk.path(u.at), "is not a known field")
			}
		}
	default:
		// A type that decodes itself refused its value: its error says why.
		if v, ok := walk.failing(func(v jsonValue) bool { return decodesItself(v.typ) }); ok && v.at != 0 {
			return apperr.Field(walk.path(v.at), err.Error())
		}
	}
	return apperr.New(apperr.CodeInvalid, "the body could not be read as JSON")
}

// failing returns the first value, innermost first, that is one of those candidate picks
// and does not decode on its own: the one encoding/json stopped at.
func (w *jsonWalk) failing(candidate func(jsonValue) bool) (jsonValue, bool) {
	for _, v := range w.values {
		if candidate(v) && json.Unmarshal(v.raw, reflect.New(v.typ).Interface()) != nil {
			return v, true
		}
	}
	return jsonValue{}, false
}

// typeReason says what a value of the wrong type should have been.
func typeReason(e *json.UnmarshalTypeError) string {
	// e.Value is "string", "bool", "array", "object", "number", or "number 1.5" for a number
	// the type cannot hold.
	literal, badNumber := strings.CutPrefix(e.Value, "number ")
	switch k := e.Type.Kind(); {
	case e.Type == reflect.TypeFor[json.Number]():
		return "must be a JSON number"
	case badNumber && isInteger(k) && strings.ContainsAny(literal, ".eE"):
		return "must be a whole number"
	case badNumber:
		return "is out of range"
	case k == reflect.Bool:
		return "must be true or false"
	}
	return "must be a JSON " + jsonKind(e.Type)
}

func isInteger(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uint64
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	default:
		return "number"
	}
}
