package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// The shapes the handlers decode: an embedded struct of shared fields, nested objects
// behind pointers, arrays of strings and of objects, a map, and a type that decodes itself.
type (
	shared struct {
		Service  string    `json:"service"`
		Discount *discount `json:"discount"`
	}
	discount struct {
		AmountMinor *int64 `json:"amountMinor"`
		Percent     number `json:"percent"`
	}
	page struct {
		Header *string `json:"header"`
		Footer *string `json:"footer"`
	}
	recipient struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	request struct {
		shared
		Enabled    *bool             `json:"enabled"`
		Page       *page             `json:"paymentPage"`
		Codes      []string          `json:"codes"`
		Recipients []recipient       `json:"recipients"`
		Labels     map[string]string `json:"labels"`
		Count      int               `json:"count"`
	}
)

// number is a decimal kept as text, from a JSON number or string, as promo.Decimal is.
type number string

func (n *number) UnmarshalJSON(b []byte) error {
	var text string
	if json.Unmarshal(b, &text) == nil {
		*n = number(text)
		return nil
	}
	var num json.Number
	if json.Unmarshal(b, &num) != nil {
		return errors.New("must be a number")
	}
	*n = number(num)
	return nil
}

func decodeString(body string) (request, error) {
	var dst request
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return dst, Decode(r, &dst)
}

// decodeCases are the bodies TestDecode checks and FuzzDecode starts from. field is the
// JSON path the one detail must name ("" for an error about the whole body), reason a part
// of what it must say; code "" means the body is accepted.
var decodeCases = []struct {
	name, body  string
	code        apperr.Code
	field, says string
}{
	{"accepted", `{"service":"events","discount":{"amountMinor":500,"percent":"12.5"},"enabled":true,"paymentPage":{"header":"Hi"},"codes":["A"],"recipients":[{"name":"Ada"}],"labels":{"k":"v"},"count":3}`, "", "", ""},
	{"a surrogate pair is one character", `{"recipients":[{"name":"\ud83d\ude00"}]}`, "", "", ""},
	{"an escaped backslash before ud800 is text", `{"service":"\\ud800"}`, "", "", ""},
	{"U+FFFD sent as itself", "{\"service\":\"\uFFFD \\ufffd\"}", "", "", ""},
	{"field names match without case, as encoding/json does", `{"Enabled":true}`, "", "", ""},

	// Item 5: text that is not text is refused, not stored as U+FFFD.
	{"lone high surrogate", `{"paymentPage":{"header":"a\ud800b"}}`, apperr.CodeInvalid, "paymentPage.header", `\ud800 is one half`},
	{"lone low surrogate in an array", `{"codes":["OK","x\uDC00"]}`, apperr.CodeInvalid, "codes[1]", `\uDC00`},
	{"high surrogate at the end", `{"recipients":[{"name":"A"},{"name":"\ud83d"}]}`, apperr.CodeInvalid, "recipients[1].name", "surrogate"},
	{"high surrogate before another escape", `{"service":"\ud800\u0041"}`, apperr.CodeInvalid, "service", "surrogate"},
	{"two high surrogates", `{"service":"\ud800\ud800"}`, apperr.CodeInvalid, "service", "surrogate"},
	{"invalid UTF-8 byte", "{\"service\":\"a\xffb\"}", apperr.CodeInvalid, "service", "0xFF"},
	{"overlong UTF-8", "{\"recipients\":[{\"email\":\"\xc0\xaf\"}]}", apperr.CodeInvalid, "recipients[0].email", "UTF-8"},
	{"UTF-8 of a surrogate", "{\"labels\":{\"k\":\"\xed\xa0\x80\"}}", apperr.CodeInvalid, "labels.k", "UTF-8"},
	{"truncated UTF-8", "{\"service\":\"\xe2\x82\"}", apperr.CodeInvalid, "service", "UTF-8"},
	{"invalid UTF-8 in a field name", "{\"paymentPage\":{\"head\xfer\":\"x\"}}", apperr.CodeInvalid, "paymentPage.head\uFFFDr", "field name"},
	{"a surrogate in an unknown field", `{"extra":"\udfff"}`, apperr.CodeInvalid, "extra", "surrogate"},

	// Item 7: every detail names the JSON path.
	{"wrong type at the top", `{"enabled":"yes"}`, apperr.CodeInvalid, "enabled", "true or false"},
	{"wrong type behind an embedded struct", `{"discount":{"amountMinor":"5"}}`, apperr.CodeInvalid, "discount.amountMinor", "number"},
	{"a type that decodes itself refuses", `{"discount":{"percent":true}}`, apperr.CodeInvalid, "discount.percent", "must be a number"},
	{"unknown nested field", `{"paymentPage":{"headr":"x"}}`, apperr.CodeInvalid, "paymentPage.headr", "not a known field"},
	{"unknown field in an array element", `{"recipients":[{"name":"a"},{"nmae":"b"}]}`, apperr.CodeInvalid, "recipients[1].nmae", "not a known field"},
	{"unknown at the top, known below", `{"paymentPage":{"header":"y"},"header":"x"}`, apperr.CodeInvalid, "header", "not a known field"},
	{"wrong type in an array", `{"codes":["A",3]}`, apperr.CodeInvalid, "codes[1]", "string"},
	{"array where a string goes", `{"codes":["A",["B"]]}`, apperr.CodeInvalid, "codes[1]", "string"},
	{"wrong type in an array of objects", `{"recipients":[{"name":"a"},{"name":5}]}`, apperr.CodeInvalid, "recipients[1].name", "string"},
	{"wrong type in a map", `{"labels":{"a":"b","c":1}}`, apperr.CodeInvalid, "labels.c", "string"},
	{"object where an object is not", `{"paymentPage":[1]}`, apperr.CodeInvalid, "paymentPage", "object"},
	{"a fraction for a whole number", `{"count":1.5}`, apperr.CodeInvalid, "count", "whole number"},
	{"a number too large", `{"count":123456789012345678901234567890}`, apperr.CodeInvalid, "count", "out of range"},
	{"not an object", `[1]`, apperr.CodeInvalid, "", "must be a JSON object"},

	// The whole body.
	{"empty", ``, apperr.CodeInvalid, "", "empty"},
	{"syntax", `{"service":}`, apperr.CodeInvalid, "", "not valid JSON"},
	{"truncated", `{"service":"ev`, apperr.CodeInvalid, "", "truncated"},
	{"trailing data", `{"service":"events"} {}`, apperr.CodeInvalid, "", "nothing after it"},
	{"too large", `{"service":"` + strings.Repeat("x", MaxBody) + `"}`, apperr.CodeTooLarge, "", "larger than"},
}

func TestDecode(t *testing.T) {
	for _, c := range decodeCases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decodeString(c.body)
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := apperr.As(err)
			if e.Code != c.code || !strings.Contains(e.Message, c.says) {
				t.Fatalf("got %s %q, want %s saying %q", e.Code, e.Message, c.code, c.says)
			}
			switch {
			case c.field == "" && len(e.Details) != 0:
				t.Fatalf("details %+v, want none", e.Details)
			case c.field != "" && (len(e.Details) != 1 || e.Details[0].Field != c.field || !strings.Contains(e.Details[0].Reason, c.says)):
				t.Fatalf("details %+v, want one on %q saying %q", e.Details, c.field, c.says)
			}
		})
	}
}

// TestDecodeKeepsWhatWasSent: an accepted body arrives whole, a surrogate pair as its one
// character.
func TestDecodeKeepsWhatWasSent(t *testing.T) {
	got, err := decodeString(`{"service":"caf\u00e9 \ud83d\ude00","discount":{"percent":12.5},"codes":["A","B"],"labels":{"k":"v"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if got.Service != "café 😀" || got.Discount == nil || got.Discount.Percent != "12.5" || len(got.Codes) != 2 || got.Labels["k"] != "v" {
		t.Fatalf("decoded %+v", got)
	}
}

func TestDecodeRefusesOtherMediaTypes(t *testing.T) {
	for ct, ok := range map[string]bool{"application/json; charset=utf-8": true, "application/merge-patch+json": true, "text/plain": false, "application/x-www-form-urlencoded": false, "json": false} {
		r := httptest.NewRequest("POST", "/", bytes.NewReader([]byte(`{}`)))
		r.Header.Set("Content-Type", ct)
		var dst request
		err := Decode(r, &dst)
		if ok != (err == nil) || !ok && apperr.CodeOf(err) != apperr.CodeUnsupportedMedia {
			t.Errorf("%s: %v", ct, err)
		}
	}
}
