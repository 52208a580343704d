package idempotency

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
	"net/http"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// MaxKeyLength is the longest key, in characters (Stripe's limit).
const MaxKeyLength = 255

// keyOf returns the request's key, if it sent one: 1 to 255 printable ASCII characters,
// once. Anything else is a 400 naming the header.
func keyOf(r *http.Request) (key string, ok bool, err error) {
	values := r.Header.Values(Header)
	switch {
	case len(values) == 0:
		return "", false, nil
	case len(values) > 1:
		return "", false, apperr.Field(Header, "is sent more than once; send one key")
	}
	if err := CheckKey(values[0]); err != nil {
		return "", false, err
	}
	return values[0], true, nil
}

// CheckKey refuses a key that is not 1 to 255 printable ASCII characters (a UUID is the
// usual key).
func CheckKey(key string) error {
	const reason = "must be 1 to 255 printable ASCII characters (a fresh UUID per request, say)"
	if key == "" || len(key) > MaxKeyLength {
		return apperr.Field(Header, reason)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return apperr.Field(Header, reason)
		}
	}
	return nil
}

// fingerprint tells one request from another under a key: who sent it, its query, and its
// body, the body as canonical JSON when it is JSON (so spacing and the order of fields do not
// make a retry another request).
func fingerprint(subject, query string, body []byte) string {
	h := sha256.New()
	writeField(h, subject)
	writeField(h, query)
	writeField(h, string(canonicalJSON(body)))
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalJSON re-encodes a JSON body with sorted object keys and no spacing; anything
// else (not JSON, not UTF-8) is left as it is. Numbers keep their text.
func canonicalJSON(body []byte) []byte {
	if !utf8.Valid(body) || !json.Valid(body) {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

// writeField hashes s with its length first, so that fields cannot run into each other.
func writeField(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}
