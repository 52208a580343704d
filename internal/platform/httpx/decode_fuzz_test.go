package httpx

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// FuzzDecode: whatever the body, Decode answers a client error, never an internal one; a
// detail names a JSON path the body has; an accepted body was text throughout (no U+FFFD
// the client did not send) and what it decoded to round-trips.
func FuzzDecode(f *testing.F) {
	for _, c := range decodeCases {
		if len(c.body) < 4096 {
			f.Add([]byte(c.body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodeString(string(body))
		if err != nil {
			e := apperr.As(err)
			if e.Code != apperr.CodeInvalid && e.Code != apperr.CodeTooLarge {
				t.Fatalf("%q: %s %v", body, e.Code, err)
			}
			switch {
			case len(e.Details) > 1:
				t.Fatalf("%q: %d details, want at most one: %+v", body, len(e.Details), e.Details)
			case len(e.Details) == 1 && !readBody(body).paths[e.Details[0].Field]:
				t.Fatalf("%q: detail names %q, which the body does not have (it has %v)", body, e.Details[0].Field, readBody(body).paths)
			}
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("%q: accepted, but it is not UTF-8", body)
		}
		decoded := 0
		for _, text := range readBody(body).texts {
			decoded += strings.Count(text, "\uFFFD")
		}
		if sent := replacementsSent(body); decoded != sent {
			t.Fatalf("%q: accepted with %d U+FFFD decoded, %d sent: a surrogate escape was replaced", body, decoded, sent)
		}
		again, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeString(string(again))
		if err != nil || !reflect.DeepEqual(back, got) {
			t.Fatalf("%q decoded to %+v; its encoding %s decodes to %+v, %v", body, got, again, back, err)
		}
	})
}

// bodyRead is what encoding/json's tokenizer alone reads in a JSON body, duplicate keys
// included: the JSON path of every value below the top (keys joined by ".", array indices
// as [i]), and every key and string.
type bodyRead struct {
	paths map[string]bool
	texts []string
}

func readBody(body []byte) bodyRead {
	out := bodyRead{paths: map[string]bool{}}
	dec := json.NewDecoder(bytes.NewReader(body))
	var value func(path string, top bool) error
	value = func(path string, top bool) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := key.(string)
				out.texts = append(out.texts, k)
				p := path + "." + k
				if top {
					p = k
				}
				out.paths[p] = true
				if err := value(p, false); err != nil {
					return err
				}
			}
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				p := path + "[" + strconv.Itoa(i) + "]"
				out.paths[p] = true
				if err := value(p, false); err != nil {
					return err
				}
			}
		default:
			if text, ok := tok.(string); ok {
				out.texts = append(out.texts, text)
			}
			return nil
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	_ = value("", true)
	return out
}

// replacementsSent counts the U+FFFD a client wrote into a valid JSON text: as UTF-8 or
// as the escape \ufffd (any case). An escaped backslash is skipped whole, so "\\ufffd" is
// not one.
func replacementsSent(body []byte) int {
	n := 0
	for i := 0; i < len(body); i++ {
		switch {
		case body[i] == '\\' && i+5 < len(body) && body[i+1] == 'u' && strings.EqualFold(string(body[i+2:i+6]), "fffd"):
			n++
			i += 5
		case body[i] == '\\':
			i++
		case bytes.HasPrefix(body[i:], []byte("\uFFFD")):
			n++
			i += 2
		}
	}
	return n
}
