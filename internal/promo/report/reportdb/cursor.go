package reportdb

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// A cursor is a start key bound to the query it was handed out for: the key of the item a
// walk resumes after, and the identity of the site and the filters, so that a cursor of
// another query is refused rather than misapplied. It is signed (HMAC-SHA256 with the
// store's key): base64url(JSON) "." base64url(MAC), so that an edited cursor is refused
// before anything in it is believed.

// identity is a digest of the site and the filters (not At, not the limits): a cursor
// carries it.
func identity(site string, f report.Filter) string {
	parts := []string{
		"promo-report/1", site, dynamo.FormatTime(f.CreatedFrom), dynamo.FormatTime(f.CreatedTo), f.ExpiresFrom, f.ExpiresTo,
		f.Code, fmt.Sprint(f.CodePrefix), f.RecipientEmail, promodb.NameKey(f.RecipientName), string(f.Status), f.Service,
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// keyAttrs are the attributes of a start key on the plan's table or index.
func (p plan) keyAttrs() []string {
	if p.index == "" {
		return []string{dynamo.PK, dynamo.SK}
	}
	return []string{dynamo.PK, dynamo.SK, p.hashAttr, p.rangeAttr}
}

// keyOf is the start key that resumes right after item.
func (p plan) keyOf(item map[string]types.AttributeValue) map[string]types.AttributeValue {
	key := make(map[string]types.AttributeValue, 4)
	for _, a := range p.keyAttrs() {
		key[a] = item[a]
	}
	return key
}

// reportCursor is a cursor as handed out: base64url of this JSON.
type reportCursor struct {
	// Query is the identity of the query it belongs to.
	Query string `json:"q"`
	// Key is the start key, attribute by attribute (all strings).
	Key map[string]string `json:"k"`
}

// maxCursor bounds what is decoded: a real cursor is a few hundred characters.
const maxCursor = 4096

// maxKeyValue bounds one attribute of a decoded start key (DynamoDB's limit for a sort key).
const maxKeyValue = 1024

// macLen is how much of the HMAC a cursor carries: 128 bits.
const macLen = 16

func mac(secret []byte, payload string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(payload))
	return h.Sum(nil)[:macLen]
}

// encodeCursor is the cursor that resumes the plan's query at key, signed with secret.
func (p plan) encodeCursor(secret []byte, key map[string]types.AttributeValue) (string, error) {
	c := reportCursor{Query: p.query, Key: make(map[string]string, len(key))}
	for _, a := range p.keyAttrs() {
		s, ok := key[a].(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("promo report: start key attribute %s is %T", a, key[a])
		}
		c.Key[a] = s.Value
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("promo report cursor: %w", err)
	}
	payload := base64.RawURLEncoding.EncodeToString(raw)
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac(secret, payload)), nil
}

// startKey reads a cursor of the plan's query into a start key (nil for "", the start). It
// refuses a cursor of another query (report.ErrForeignCursor) and one this query did not hand
// out (report.ErrBadCursor): undecodable, or a key DynamoDB would refuse or that lies outside
// the key condition. The signature and the form are judged before the query, so that a
// cursor of any query passes as foreign, and an edited one as no cursor at all.
func (p plan) startKey(secret []byte, s string) (map[string]types.AttributeValue, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > maxCursor {
		return nil, report.ErrBadCursor
	}
	payload, sig, ok := strings.Cut(s, ".")
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if !ok || err != nil || !hmac.Equal(got, mac(secret, payload)) {
		return nil, report.ErrBadCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, report.ErrBadCursor
	}
	var c reportCursor
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return nil, report.ErrBadCursor
	}
	if c.Query != p.query {
		return nil, report.ErrForeignCursor
	}
	attrs := p.keyAttrs()
	if len(c.Key) != len(attrs) {
		return nil, report.ErrBadCursor
	}
	key := make(map[string]types.AttributeValue, len(attrs))
	for _, a := range attrs {
		v, ok := c.Key[a]
		if !ok || v == "" || len(v) > maxKeyValue || !utf8.ValidString(v) {
			return nil, report.ErrBadCursor
		}
		key[a] = &types.AttributeValueMemberS{Value: v}
	}
	if c.Key[dynamo.PK] != p.site || !strings.HasPrefix(c.Key[dynamo.SK], promodb.CodeSKPrefix) ||
		c.Key[p.hashAttr] != p.hashValue || !p.rng.holds(c.Key[p.rangeAttr]) {
		return nil, report.ErrBadCursor
	}
	return key, nil
}
