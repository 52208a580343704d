package changedb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changedb"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

type pcEnv struct {
	db      *dynamodb.Client
	table   string
	changes *changedb.Codes
	audit   *auditdb.Log
}

func newPromoChangesEnv(t *testing.T) pcEnv {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	log, err := auditdb.New(db, tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	ch, err := changedb.New(db, tables["PromoCodesTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	return pcEnv{db: db, table: tables["PromoCodesTable"], changes: ch, audit: log}
}

var pcCreated = time.Date(2026, 10, 1, 9, 30, 0, 123456789, time.UTC)

func pcCode(site, code string, stored promo.Status, expiresOn string) promo.Code {
	end, _ := promo.EndOfDay(expiresOn, time.UTC)
	return promo.Code{
		Site: site, Code: code, Service: "events", Recipient: &promo.Recipient{Email: "ann@example.com", Name: "Ann"},
		Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 10}, Used: 2,
		Discount:  promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 1500},
		ExpiresOn: expiresOn, ExpiresAt: end, AppliesTo: promo.AppliesToAll, Stored: stored,
		CreatedAt: pcCreated, CreatedBy: "creator",
	}
}

func (e pcEnv) seed(t *testing.T, codes ...promo.Code) {
	t.Helper()
	for _, c := range codes {
		item, err := promodb.MarshalCode(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(e.table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
}

// item reads a code's raw item.
func (e pcEnv) item(t *testing.T, site, code string) map[string]types.AttributeValue {
	t.Helper()
	out, err := e.db.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(e.table), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: site}, "sk": &types.AttributeValueMemberS{Value: promodb.CodeSK(code)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

// sameItem fails unless the stored item is exactly what the codec makes of want: every
// field and every index key derived from it.
func (e pcEnv) sameItem(t *testing.T, want promo.Code) {
	t.Helper()
	wantItem, err := promodb.MarshalCode(want)
	if err != nil {
		t.Fatal(err)
	}
	var got, exp map[string]any
	if err := attributevalue.UnmarshalMap(e.item(t, want.Site, want.Code), &got); err != nil {
		t.Fatal(err)
	}
	if err := attributevalue.UnmarshalMap(wantItem, &exp); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Fatalf("stored item\n%v\nwant\n%v", got, exp)
	}
}

// queryIndex returns the codes an index holds under its partition key value, with the sort
// key beginning with prefix (all when empty).
func (e pcEnv) queryIndex(t *testing.T, index, hashAttr, hash, rangeAttr, prefix string) []string {
	t.Helper()
	kc := expression.Key(hashAttr).Equal(expression.Value(hash))
	if prefix != "" {
		kc = kc.And(expression.Key(rangeAttr).BeginsWith(prefix))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.db.Query(context.Background(), &dynamodb.QueryInput{
		TableName: aws.String(e.table), IndexName: aws.String(index),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, it := range out.Items {
		c, err := promodb.UnmarshalCode(it)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c.Code)
	}
	return codes
}

func (e pcEnv) auditEntries(t *testing.T, site string) []audit.Entry {
	t.Helper()
	page, err := e.audit.List(context.Background(), site, "", audit.MaxLimit)
	if err != nil {
		t.Fatal(err)
	}
	return page.Entries
}

func TestPromoChangesGet(t *testing.T) {
	e := newPromoChangesEnv(t)
	want := pcCode("acme", "ABC123", promo.StatusActive, "2026-12-31")
	e.seed(t, want)
	got, found, err := e.changes.Get(context.Background(), "acme", "ABC123")
	if err != nil || !found || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v %v %v, want %+v", got, found, err, want)
	}
	for _, k := range [][2]string{{"acme", "NOPE12"}, {"globex", "ABC123"}} {
		if _, found, err := e.changes.Get(context.Background(), k[0], k[1]); err != nil || found {
			t.Fatalf("%v: found %v, err %v", k, found, err)
		}
	}
}

func TestPromoChangesSetExpiry(t *testing.T) {
	e := newPromoChangesEnv(t)
	ctx := context.Background()
	from := pcCode("acme", "ABC123", promo.StatusActive, "2026-12-31")
	e.seed(t, from, pcCode("acme", "OTHER1", promo.StatusActive, "2026-12-31"))
	ny, _ := time.LoadLocation("America/New_York")
	end, _ := promo.EndOfDay("2027-03-31", ny)
	now := time.Date(2026, 11, 28, 12, 0, 0, 42, time.UTC)
	to := from.Extended("2027-03-31", end, "u1 <u1@acme.example>", now)
	entry := audit.NewEntry("acme", "u1 <u1@acme.example>", promo.ActionExtend, "ABC123", now,
		[]audit.Change{{Field: "expiresOn", Before: "2026-12-31", After: "2027-03-31"}})

	w, err := e.changes.SetExpiry(ctx, from, to, entry)
	if err != nil || !w.Applied {
		t.Fatalf("SetExpiry = %+v, %v", w, err)
	}
	e.sameItem(t, to)
	if got := e.item(t, "acme", "ABC123")["expiresAt"].(*types.AttributeValueMemberS).Value; got != "2027-04-01T04:00:00.000000000Z" {
		t.Fatalf("expiresAt = %s, want the end of the day in New York, fixed width", got)
	}
	// The expiry index finds the code under its new date, and no longer under the old one.
	if got := e.queryIndex(t, promodb.IndexByExpiry, "site", "acme", "expiryKey", "2027-03-31#"); !reflect.DeepEqual(got, []string{"ABC123"}) {
		t.Fatalf("byExpiry 2027-03-31 = %v", got)
	}
	if got := e.queryIndex(t, promodb.IndexByExpiry, "site", "acme", "expiryKey", "2026-12-31#"); !reflect.DeepEqual(got, []string{"OTHER1"}) {
		t.Fatalf("byExpiry 2026-12-31 = %v", got)
	}
	entries := e.auditEntries(t, "acme")
	if len(entries) != 1 || entries[0].ID != entry.ID || entries[0].Action != promo.ActionExtend || entries[0].Target != "ABC123" ||
		entries[0].Changes[0].Before != "2026-12-31" || entries[0].Changes[0].After != "2027-03-31" {
		t.Fatalf("audit = %+v", entries)
	}

	// The same change again is refused: the code no longer expires on from's date.
	again := audit.NewEntry("acme", "u1", promo.ActionExtend, "ABC123", now, nil)
	w, err = e.changes.SetExpiry(ctx, from, to, again)
	if err != nil || w.Applied || !w.Found || w.Current.ExpiresOn != "2027-03-31" {
		t.Fatalf("stale SetExpiry = %+v, %v", w, err)
	}
	if n := len(e.auditEntries(t, "acme")); n != 1 {
		t.Fatalf("%d audit entries after a refused write, want 1", n)
	}
}

func TestPromoChangesSetExpiryRefused(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	active := pcCode("acme", "ABC123", promo.StatusActive, "2026-12-31")
	deleted := pcCode("acme", "ABC123", promo.StatusDeleted, "2026-12-31")
	later := pcCode("acme", "ABC123", promo.StatusActive, "2027-06-30")
	extend := func(c promo.Code, day string) promo.Code {
		end, _ := promo.EndOfDay(day, time.UTC)
		return c.Extended(day, end, "u1", now)
	}
	tests := []struct {
		name      string
		stored    *promo.Code
		from, to  promo.Code
		wantFound bool
		want      promo.Code
	}{
		{"not found", nil, active, extend(active, "2027-01-31"), false, promo.Code{}},
		{"deleted", &deleted, active, extend(active, "2027-01-31"), true, deleted},
		{"extended by someone else meanwhile", &later, active, extend(active, "2027-01-31"), true, later},
		{"never earlier, whatever from says", &active, active, extend(active, "2026-12-01"), true, active},
		{"another site's code", func() *promo.Code { c := active; c.Site = "globex"; return &c }(), active, extend(active, "2027-01-31"), false, promo.Code{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPromoChangesEnv(t)
			if tt.stored != nil {
				e.seed(t, *tt.stored)
			}
			w, err := e.changes.SetExpiry(context.Background(), tt.from, tt.to, audit.NewEntry("acme", "u1", promo.ActionExtend, "ABC123", now, nil))
			if err != nil || w.Applied || w.Found != tt.wantFound || !reflect.DeepEqual(w.Current, tt.want) {
				t.Fatalf("got %+v, %v; want found %v, current %+v", w, err, tt.wantFound, tt.want)
			}
			if tt.stored != nil {
				e.sameItem(t, *tt.stored)
			}
			if n := len(e.auditEntries(t, "acme")); n != 0 {
				t.Fatalf("%d audit entries for a refused write", n)
			}
		})
	}
}

// A use of the code (the checkout's conditional increment of used) between the extend's read
// and its write is not lost: the extend writes only the fields it changes.
func TestPromoChangesSetExpiryKeepsConcurrentUse(t *testing.T) {
	e := newPromoChangesEnv(t)
	ctx := context.Background()
	from := pcCode("acme", "ABC123", promo.StatusActive, "2026-12-31")
	e.seed(t, from)
	if _, err := e.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(e.table), Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "acme"}, "sk": &types.AttributeValueMemberS{Value: promodb.CodeSK("ABC123")},
		},
		UpdateExpression:          aws.String("SET used = used + :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}},
	}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	end, _ := promo.EndOfDay("2027-01-31", time.UTC)
	to := from.Extended("2027-01-31", end, "u1", now)
	if w, err := e.changes.SetExpiry(ctx, from, to, audit.NewEntry("acme", "u1", promo.ActionExtend, "ABC123", now, nil)); err != nil || !w.Applied {
		t.Fatalf("SetExpiry = %+v, %v", w, err)
	}
	to.Used = from.Used + 1
	e.sameItem(t, to)
}

func TestPromoChangesMarkDeleted(t *testing.T) {
	e := newPromoChangesEnv(t)
	ctx := context.Background()
	usedUp := pcCode("acme", "USEDUP", promo.StatusUsedUp, "2026-12-31")
	active := pcCode("acme", "ABC123", promo.StatusActive, "2026-12-31")
	keep := pcCode("acme", "KEEP01", promo.StatusActive, "2026-12-31")
	e.seed(t, usedUp, active, keep)
	now := time.Date(2026, 11, 28, 12, 0, 0, 7, time.UTC)

	for _, c := range []promo.Code{active, usedUp} {
		entry := audit.NewEntry("acme", "u2", promo.ActionDelete, c.Code, now, []audit.Change{{Field: "status", After: "deleted"}})
		w, err := e.changes.MarkDeleted(ctx, "acme", c.Code, "u2", now, entry)
		if err != nil || !w.Applied {
			t.Fatalf("%s: MarkDeleted = %+v, %v", c.Code, w, err)
		}
		// Everything else stays: the deleted code keeps its place in the report.
		e.sameItem(t, c.Deleted("u2", now))
	}
	if got := e.queryIndex(t, promodb.IndexByStatus, "statusKey", "acme#deleted", "", ""); len(got) != 2 {
		t.Fatalf("byStatus deleted = %v", got)
	}
	if got := e.queryIndex(t, promodb.IndexByStatus, "statusKey", "acme#active", "", ""); !reflect.DeepEqual(got, []string{"KEEP01"}) {
		t.Fatalf("byStatus active = %v", got)
	}
	if got := e.queryIndex(t, promodb.IndexByStatus, "statusKey", "acme#used_up", "", ""); len(got) != 0 {
		t.Fatalf("byStatus used_up = %v", got)
	}
	if n := len(e.auditEntries(t, "acme")); n != 2 {
		t.Fatalf("%d audit entries, want 2", n)
	}

	// Deleting again writes nothing and answers the code as deleted the first time.
	later := now.Add(time.Hour)
	w, err := e.changes.MarkDeleted(ctx, "acme", "ABC123", "u3", later, audit.NewEntry("acme", "u3", promo.ActionDelete, "ABC123", later, nil))
	if err != nil || w.Applied || !w.Found || w.Current.Stored != promo.StatusDeleted || !w.Current.DeletedAt.Equal(now) || w.Current.DeletedBy != "u2" {
		t.Fatalf("second MarkDeleted = %+v, %v", w, err)
	}
	e.sameItem(t, active.Deleted("u2", now))
	// A code that does not exist is not created.
	w, err = e.changes.MarkDeleted(ctx, "acme", "NOPE12", "u3", later, audit.NewEntry("acme", "u3", promo.ActionDelete, "NOPE12", later, nil))
	if err != nil || w.Applied || w.Found {
		t.Fatalf("MarkDeleted of a missing code = %+v, %v", w, err)
	}
	if it := e.item(t, "acme", "NOPE12"); it != nil {
		t.Fatalf("a missing code was created: %v", it)
	}
	if n := len(e.auditEntries(t, "acme")); n != 2 {
		t.Fatalf("%d audit entries after refused deletes, want 2", n)
	}
}

// pcFakeAPI answers TransactWriteItems from a list of errors, then succeeds.
type pcFakeAPI struct {
	errs  []error
	calls int
	t     *testing.T
}

func (f *pcFakeAPI) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return &dynamodb.GetItemOutput{}, nil
}

func (f *pcFakeAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if in.ClientRequestToken != nil {
		f.t.Errorf("attempt %d reuses the idempotency token of a cancelled transaction", f.calls)
	}
	in.ClientRequestToken = aws.String("set-by-the-sdk") // as the SDK's middleware does
	f.calls++
	if len(f.errs) == 0 {
		return &dynamodb.TransactWriteItemsOutput{}, nil
	}
	err := f.errs[0]
	f.errs = f.errs[1:]
	return nil, err
}

func pcCancelled(codes ...string) error {
	var reasons []types.CancellationReason
	for _, c := range codes {
		reasons = append(reasons, types.CancellationReason{Code: aws.String(c)})
	}
	return &types.TransactionCanceledException{Message: aws.String("cancelled"), CancellationReasons: reasons}
}

// A transaction cancelled by a concurrent one (or throttled) is tried again, with a new
// idempotency token; a refused condition is not; an unknown failure is an internal error.
func TestPromoChangesRetriesTransientCancellations(t *testing.T) {
	log, err := auditdb.New(dummyQuerier{}, "audit")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	entry := audit.NewEntry("acme", "u1", promo.ActionDelete, "ABC123", now, nil)
	conflictsForEver := make([]error, dynamo.WriteAttempts+1)
	for i := range conflictsForEver {
		conflictsForEver[i] = pcCancelled("TransactionConflict", "None")
	}
	tests := []struct {
		name      string
		errs      []error
		applied   bool
		refused   bool
		wantErr   bool
		wantCalls int
	}{
		{"conflict, then written", []error{pcCancelled("TransactionConflict", "None"), pcCancelled("None", "TransactionConflict")}, true, false, false, 3},
		{"throttled, then written", []error{&types.ProvisionedThroughputExceededException{Message: aws.String("slow down")}}, true, false, false, 2},
		{"refused", []error{pcCancelled("ConditionalCheckFailed", "None")}, false, true, false, 1},
		{"audit entry exists", []error{pcCancelled("None", "ConditionalCheckFailed")}, false, false, true, 1},
		{"conflicts for ever", conflictsForEver, false, false, true, dynamo.WriteAttempts},
		{"validation error", []error{&types.ResourceNotFoundException{Message: aws.String("no table")}}, false, false, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &pcFakeAPI{errs: tt.errs, t: t}
			ch, err := changedb.New(api, "codes", log)
			if err != nil {
				t.Fatal(err)
			}
			w, err := ch.MarkDeleted(context.Background(), "acme", "ABC123", "u1", now, entry)
			if (err != nil) != tt.wantErr || w.Applied != tt.applied || api.calls != tt.wantCalls {
				t.Fatalf("got %+v, %v after %d calls", w, err, api.calls)
			}
			if tt.refused && w.Found {
				t.Fatalf("refused without an item is not found: %+v", w)
			}
		})
	}
}

type dummyQuerier struct{}

func (dummyQuerier) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return &dynamodb.QueryOutput{}, nil
}
