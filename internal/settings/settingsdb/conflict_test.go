package settingsdb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

// conflictOnce is DynamoDB Local behind a client that cancels the first attempt of every
// transaction as DynamoDB does when another transaction holds one of its items
// (TransactionConflict), which the SDK does not retry.
type conflictOnce struct {
	settingsdb.API
	calls int
}

func (c *conflictOnce) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.calls++
	if c.calls%2 == 1 {
		return nil, &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: []types.CancellationReason{
			{Code: aws.String("TransactionConflict")}, {Code: aws.String("None")},
		}}
	}
	return c.API.TransactWriteItems(ctx, in, o...)
}

// TestSaveRetriesATransactionConflict: a save whose transaction meets a conflict is tried
// again and applied once, with one audit entry; a stale version is still refused, after its
// own conflict, and writes nothing.
func TestSaveRetriesATransactionConflict(t *testing.T) {
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	log, err := auditdb.New(db, tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	client := &conflictOnce{API: db}
	store, err := settingsdb.New(client, tables["SitesTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	next := settings.New("acme")
	next.Version = 1
	entry := func() audit.Entry { return audit.NewEntry("acme", "u", "a", "events", time.Now(), nil) }
	if err := store.Save(ctx, next, entry()); err != nil {
		t.Fatalf("a save through a conflict: %v", err)
	}
	if err := store.Save(ctx, next, entry()); !errors.Is(err, settings.ErrVersionConflict) {
		t.Fatalf("a stale save through a conflict: %v, want the version conflict", err)
	}
	got, err := store.Get(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	page, err := log.List(ctx, "acme", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || len(page.Entries) != 1 || client.calls != 4 {
		t.Fatalf("version %d, %d audit entries, %d attempts; want 1, 1 and 4 (each save cancelled once)", got.Version, len(page.Entries), client.calls)
	}
}
