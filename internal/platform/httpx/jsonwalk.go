package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A body is walked once before it is decoded, for what encoding/json gets wrong or says
// without a path: it turns bytes that are not UTF-8 and lone surrogate escapes ("\ud800")
// into U+FFFD without a word, and it names an unknown field by its key alone and a value of
// the wrong type by Go struct names without array indices. The walk knows every value's
// JSON path as the client wrote it ("paymentPage.header", "codes[3]").

// jsonValue is a value of a body that decodes into a Go type.
type jsonValue struct {
	// at is where it is in the body (its segment).
	at int
	// stack is how encoding/json's type errors name its field (UnmarshalTypeError.Field).
	stack string
	// typ is the Go type it decodes into, pointers removed.
	typ reflect.Type
	raw []byte
}

// segment is the last step of a value's JSON path: a key of an object or an index of an
// array, under its parent segment. Segment 0 is the body itself.
type segment struct {
	parent int
	key    string
	index  int // -1 for a key
}

// unknownKey is a key that no field of its object's struct takes.
type unknownKey struct {
	name string
	at   int
}

// textProblem is a string of the body that is not text.
type textProblem struct{ path, reason string }

// jsonWalk reads a body that json.Valid accepted.
type jsonWalk struct {
	data []byte
	pos  int
	segs []segment
	// values are the values that decode into a Go type, in post-order: a value comes after
	// the values inside it.
	values  []jsonValue
	unknown []unknownKey
	// text is the first string (key or value) that is not text, if any.
	text *textProblem
}

// walkJSON walks data, a valid JSON text, as it decodes into a value of type t.
func walkJSON(data []byte, t reflect.Type) *jsonWalk {
	w := &jsonWalk{data: data, segs: []segment{{index: -1}}}
	w.value(0, "", t)
	return w
}

// path is the JSON path of segment at: keys joined by ".", array indices as [i]; "" is the
// body. Paths are built only for what is reported: a deep body would make every path long.
func (w *jsonWalk) path(at int) string {
	var steps []segment
	for ; at != 0; at = w.segs[at].parent {
		steps = append(steps, w.segs[at])
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		switch s := steps[i]; {
		case s.index >= 0:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case i < len(steps)-1:
			b.WriteString("." + s.key)
		default:
			b.WriteString(s.key)
		}
	}
	return b.String()
}

func (w *jsonWalk) child(parent int, key string, index int) int {
	w.segs = append(w.segs, segment{parent: parent, key: key, index: index})
	return len(w.segs) - 1
}

func (w *jsonWalk) noteText(at int, reason string) {
	if w.text == nil && reason != "" {
		w.text = &textProblem{w.path(at), reason}
	}
}

func (w *jsonWalk) value(at int, stack string, t reflect.Type) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	w.space()
	start := w.pos
	switch w.peek() {
	case '{':
		w.object(at, stack, t)
	case '[':
		w.array(at, stack, t)
	case '"':
		w.noteText(at, w.str())
	default:
		for w.pos < len(w.data) && !isDelimiter(w.data[w.pos]) {
			w.pos++
		}
	}
	if t != nil {
		w.values = append(w.values, jsonValue{at: at, stack: stack, typ: t, raw: w.data[start:w.pos]})
	}
}

func (w *jsonWalk) object(at int, stack string, t reflect.Type) {
	structType := t != nil && t.Kind() == reflect.Struct && !decodesItself(t)
	var elem reflect.Type
	if t != nil && t.Kind() == reflect.Map && !decodesItself(t) {
		elem = t.Elem()
	}
	w.pos++ // {
	for {
		w.space()
		switch w.peek() {
		case 0, '}':
			w.pos++
			return
		case ',':
			w.pos++
			w.space()
		}
		start := w.pos
		reason := w.str()
		key := unquote(w.data[start:w.pos])
		keyAt := w.child(at, key, -1)
		if reason != "" {
			w.noteText(keyAt, "is a field name that "+reason)
		}
		w.space()
		w.pos++ // :
		if !structType {
			w.value(keyAt, stack, elem)
			continue
		}
		f, ok := fieldFor(t, key)
		if !ok {
			w.unknown = append(w.unknown, unknownKey{name: key, at: keyAt})
			w.value(keyAt, stack, nil)
			continue
		}
		fieldStack := f.stack
		if stack != "" {
			fieldStack = stack + "." + f.stack
		}
		w.value(keyAt, fieldStack, f.typ)
	}
}

func (w *jsonWalk) array(at int, stack string, t reflect.Type) {
	var elem reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !decodesItself(t) {
		elem = t.Elem()
	}
	w.pos++ // [
	for i := 0; ; i++ {
		w.space()
		switch w.peek() {
		case 0, ']':
			w.pos++
			return
		case ',':
			w.pos++
		}
		w.value(w.child(at, "", i), stack, elem)
	}
}

// unquote decodes a valid JSON string as encoding/json does.
func unquote(raw []byte) string {
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner)
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// str reads the string at w.pos and says why it is not text, or "" when it is.
func (w *jsonWalk) str() (reason string) {
	note := func(r string) {
		if reason == "" {
			reason = r
		}
	}
	w.pos++ // "
	for w.pos < len(w.data) {
		c := w.data[w.pos]
		switch {
		case c == '"':
			w.pos++
			return reason
		case c == '\\':
			if r := w.escape(); r != "" {
				note(r)
			}
		case c < utf8.RuneSelf:
			w.pos++
		default:
			r, size := utf8.DecodeRune(w.data[w.pos:])
			if r == utf8.RuneError && size == 1 {
				note(fmt.Sprintf("is not valid UTF-8 text (byte 0x%02X)", c))
			}
			w.pos += size
		}
	}
	return reason
}

// escape reads the escape at w.pos. A \u escape of a UTF-16 surrogate is text only as a
// high surrogate followed at once by a low one: the two are one character.
func (w *jsonWalk) escape() (reason string) {
	if w.pos+1 < len(w.data) && w.data[w.pos+1] != 'u' {
		w.pos += 2
		return ""
	}
	first, ok := w.hex4(w.pos)
	switch {
	case !ok:
		w.pos += 2
		return ""
	case first >= 0xD800 && first < 0xDC00:
		if second, ok := w.hex4(w.pos + 6); ok && second >= 0xDC00 && second < 0xE000 {
			w.pos += 12
			return ""
		}
	case first >= 0xDC00 && first < 0xE000:
	default:
		w.pos += 6
		return ""
	}
	reason = fmt.Sprintf(`is not valid text: %s is one half of a UTF-16 surrogate pair, without the other`, w.data[w.pos:w.pos+6])
	w.pos += 6
	return reason
}

// hex4 reads the \uXXXX escape at i.
func (w *jsonWalk) hex4(i int) (rune, bool) {
	if i+6 > len(w.data) || w.data[i] != '\\' || w.data[i+1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(w.data[i+2:i+6]), 16, 16)
	return rune(n), err == nil
}

func (w *jsonWalk) peek() byte {
	if w.pos < len(w.data) {
		return w.data[w.pos]
	}
	return 0
}

func (w *jsonWalk) space() {
	for w.pos < len(w.data) && isSpace(w.data[w.pos]) {
		w.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDelimiter(c byte) bool { return isSpace(c) || c == ',' || c == ']' || c == '}' }
