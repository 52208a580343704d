package auditdb

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr/apperrtest"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
)

// pageQuerier answers every query with one entry and the start key it was given as the
// last key evaluated, and remembers the query.
type pageQuerier struct {
	item  map[string]types.AttributeValue
	asked *dynamodb.QueryInput
}

func (q *pageQuerier) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	q.asked = in
	last := in.ExclusiveStartKey
	if last == nil {
		last = map[string]types.AttributeValue{dynamo.PK: q.item[dynamo.PK], dynamo.SK: q.item[dynamo.SK]}
	}
	return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{q.item}, LastEvaluatedKey: last}, nil
}

// FuzzAuditCursor: an audit list's cursor comes back from the client. It is refused on the
// cursor parameter, before any query, unless it is the encoding of an entry ID; then the
// list resumes right after that entry of the site, and the cursor of the next page reads
// back as the key it was made from.
func FuzzAuditCursor(f *testing.F) {
	id := changedEntry().ID
	for _, c := range []string{"", base64.RawURLEncoding.EncodeToString([]byte(id)), base64.StdEncoding.EncodeToString([]byte(id)),
		"x", "eyJwayI6ImFjbWUifQ", base64.RawURLEncoding.EncodeToString([]byte(id + "0")), base64.RawURLEncoding.EncodeToString([]byte("20261128T120000.000000500Z-0123456789AB"))} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		put, err := (&Log{table: "audit"}).Put(changedEntry())
		if err != nil {
			t.Fatal(err)
		}
		q := &pageQuerier{item: put.Put.Item}
		l, err := New(q, "audit")
		if err != nil {
			t.Fatal(err)
		}
		raw, decodeErr := base64.RawURLEncoding.DecodeString(cursor)
		isCursor := cursor == "" || decodeErr == nil && audit.IsID(string(raw))
		page, err := l.List(context.Background(), "acme", cursor, 10)
		if !isCursor {
			apperrtest.RequireFields(t, cursor, err, "cursor")
			if q.asked != nil {
				t.Fatalf("%q: refused after a query", cursor)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q, the cursor of entry %q: %v", cursor, raw, err)
		}
		start := q.asked.ExclusiveStartKey
		if cursor == "" && start != nil || cursor != "" && (len(start) != 2 ||
			start[dynamo.PK].(*types.AttributeValueMemberS).Value != "acme" || start[dynamo.SK].(*types.AttributeValueMemberS).Value != string(raw)) {
			t.Fatalf("%q resumes after %v", cursor, start)
		}
		lastSK := string(raw) // the querier's last key evaluated: the start key, else the entry's
		if cursor == "" {
			lastSK = changedEntry().ID
		}
		if _, err := l.List(context.Background(), "acme", page.Next, 10); err != nil || q.asked.ExclusiveStartKey[dynamo.SK].(*types.AttributeValueMemberS).Value != lastSK {
			t.Fatalf("%q: the next cursor %q does not resume after %q: %v", cursor, page.Next, lastSK, err)
		}
	})
}
