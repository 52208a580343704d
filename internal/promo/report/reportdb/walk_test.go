package reportdb_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
	"github.com/boxofficehq/boxoffice/internal/promo/report/reportdb"
)

// TestReportWalkRefusal: a walk stopped by its callback resumes at the refused code.
func TestReportWalkRefusal(t *testing.T) {
	db, table := codesTable(t)
	codes := reportFixture()
	putCodes(t, db, table, codes, 4)
	rep, _ := reportOver(t, db, table)
	f := report.Filter{Service: "events", At: reportNow}
	want := wantReport(codes, f)
	var got []string
	cursor := ""
	for walks := 0; ; walks++ {
		if walks > len(want)+2 {
			t.Fatal("no end")
		}
		n := 0
		next, err := rep.Walk(context.Background(), "demo", f, cursor, report.WalkOptions{MaxRows: 100}, func(c promo.Code) bool {
			if n == 3 { // take three per walk, refuse the fourth
				return false
			}
			n++
			got = append(got, c.Code)
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}

// funcQuerier is a reportdb.Querier made of a function.
type funcQuerier func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error)

func (f funcQuerier) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return f(in)
}

// TestWalkBounds: the store refuses bounds below 1 without reading (the use case sets them).
func TestWalkBounds(t *testing.T) {
	store, err := reportdb.New(funcQuerier(func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
		t.Fatalf("queried: %+v", in)
		return nil, nil
	}), "codes", testCursorKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []report.WalkOptions{{MaxRows: 0, MaxEvaluated: 10}, {MaxRows: 10, MaxEvaluated: 0}} {
		if _, err := store.Walk(context.Background(), "demo", report.Filter{At: reportNow}, "", o, func(promo.Code) bool { return true }); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// TestStartKeyRefusedByDynamoDB: should DynamoDB refuse the start key of a cursor that passed
// the store's checks, the cursor is refused (report.ErrBadCursor), not the store broken; the
// same refusal of a query without a cursor is the store's failure.
func TestStartKeyRefusedByDynamoDB(t *testing.T) {
	item, err := promodb.MarshalCode(reportFixture()[0])
	if err != nil {
		t.Fatal(err)
	}
	refused := &smithy.GenericAPIError{Code: "ValidationException", Message: "The provided starting key is invalid"}
	var startKeys []map[string]types.AttributeValue
	store, err := reportdb.New(funcQuerier(func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
		startKeys = append(startKeys, in.ExclusiveStartKey)
		if in.ExclusiveStartKey != nil || len(startKeys) > 2 {
			return nil, refused
		}
		return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{item}, ScannedCount: 1, LastEvaluatedKey: item}, nil
	}), "codes", testCursorKey)
	if err != nil {
		t.Fatal(err)
	}
	ctx, f, take := context.Background(), report.Filter{At: reportNow}, func(promo.Code) bool { return true }
	o := report.WalkOptions{MaxRows: 1, MaxEvaluated: 10}
	next, err := store.Walk(ctx, "demo", f, "", o, take)
	if err != nil || next == "" {
		t.Fatalf("first walk: %q, %v", next, err)
	}
	if _, err := store.Walk(ctx, "demo", f, next, o, take); !errors.Is(err, report.ErrBadCursor) || !errors.Is(err, refused) {
		t.Fatalf("with the cursor: %v, want report.ErrBadCursor", err)
	}
	if _, err := store.Walk(ctx, "demo", f, "", o, take); err == nil || errors.Is(err, report.ErrBadCursor) || !errors.Is(err, refused) {
		t.Fatalf("without a cursor: %v, want the store's failure", err)
	}
	if len(startKeys) != 3 || startKeys[0] != nil || startKeys[1] == nil {
		t.Fatalf("start keys %v", startKeys)
	}
}
