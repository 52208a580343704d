package idempotency

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"net/http"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// MaxKeyLength is the longest key, in characters (Stripe's limit).
const MaxKeyLength = 255

// Keyed is a request's key with its fingerprint.
type Keyed struct {
	Key, Fingerprint string
}

// Identify reads the request's key, if it sent one, and fingerprints the request (its
// caller, query and body; the body is put back for the handler). It is the guard's reading
// of a request, for a route that keeps the record of its key itself: the checkout's orders
// keep theirs in the order's own transaction. ok is false without the header; a malformed
// key is a 400 naming the header.
func Identify(r *http.Request) (k Keyed, ok bool, err error) {
	key, ok, err := keyOf(r)
	if err != nil || !ok {
		return Keyed{}, false, err
	}
	body, err := peekBody(r)
	if err != nil {
		return Keyed{}, false, apperr.Internal(fmt.Errorf("idempotency: read the body: %w", err))
	}
	return Keyed{Key: key, Fingerprint: fingerprint(httpx.Caller(r).Subject, r.URL.RawQuery, body)}, true, nil
}

// KeyReused is the refusal of a key sent again with another request.
func KeyReused() error {
	return &apperr.Error{Code: apperr.CodeIdempotencyKeyReused,
		Message: "this Idempotency-Key was sent with another request (another body or caller); send a new key with a new request",
		Details: []apperr.Detail{{Field: Header, Reason: "was used for another request"}}}
}

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
