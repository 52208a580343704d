package reportdb

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// FuzzCursor: a cursor comes back from the client, who may edit it. The cursor handed out
// for a row resumes at exactly that row; whatever the client makes of it (an edit at any
// place, or a cursor of their own) is refused as a bad or a foreign cursor, unless it still
// reads as exactly the row it was handed out for. byCode chooses the code filter's plan
// (base table) rather than the unfiltered one (byCreated).
func FuzzCursor(f *testing.F) {
	f.Add("acme", "SPRING25", "2026-05-01T09:00:00.000000000Z#SPRING25", true, uint16(0), []byte(nil), false)
	f.Add("acme", "SPRING25", "2026-05-01T09:00:00.000000000Z#SPRING25", false, uint16(3), []byte("x"), false)
	f.Add("acme", "A", "k", false, uint16(200), []byte("=="), true)
	f.Add("demo", "B", "k", true, uint16(9), []byte(".AAAA"), false)
	f.Add("", "", "", false, uint16(0), []byte("eyJxIjoiIiwiayI6e319.AAAAAAAAAAAAAAAAAAAAAA"), true)
	f.Fuzz(func(t *testing.T, site, code, createdKey string, byCode bool, at uint16, edit []byte, replace bool) {
		if !utf8.ValidString(site) || !utf8.ValidString(code) || !utf8.ValidString(createdKey) {
			return // DynamoDB strings are UTF-8: no row has another key
		}
		secret := []byte(strings.Repeat("k", MinCursorKey))
		filter := report.Filter{}
		if byCode {
			filter.Code = code
		}
		p := planFor(site, filter)
		row := map[string]string{dynamo.PK: site, dynamo.SK: promodb.CodeSK(code), "site": site, "createdKey": createdKey}
		key := map[string]types.AttributeValue{}
		for _, a := range p.keyAttrs() {
			key[a] = &types.AttributeValueMemberS{Value: row[a]}
		}
		handed, err := p.encodeCursor(secret, key)
		if err != nil {
			t.Fatal(err)
		}
		sameRow := func(got map[string]types.AttributeValue) bool {
			return maps.EqualFunc(got, key, func(a, b types.AttributeValue) bool {
				return a.(*types.AttributeValueMemberS).Value == b.(*types.AttributeValueMemberS).Value
			})
		}
		if got, err := p.startKey(secret, handed); err == nil && !sameRow(got) {
			t.Fatalf("the cursor of %v resumes at %v", row, got)
		} else if err != nil && !errors.Is(err, report.ErrBadCursor) {
			t.Fatalf("the cursor of %v: %v", row, err) // a row no query has (an empty key) is a bad cursor
		}

		edited := string(edit)
		if !replace {
			i := int(at) % (len(handed) + 1)
			edited = handed[:i] + string(edit) + handed[i:]
		}
		got, err := p.startKey(secret, edited)
		switch {
		case err == nil && edited != "" && !sameRow(got):
			t.Fatalf("the edited cursor %q resumes at %v; it was handed out for %v", edited, got, row)
		case err != nil && !errors.Is(err, report.ErrBadCursor) && !errors.Is(err, report.ErrForeignCursor):
			t.Fatalf("the edited cursor %q: %v", edited, err)
		}
	})
}
