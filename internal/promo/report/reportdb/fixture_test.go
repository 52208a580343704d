package reportdb_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
	"github.com/boxofficehq/boxoffice/internal/promo/report/reportdb"
)

// reportNow is the instant the report tests judge statuses at.
var reportNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// queryOnly is the only DynamoDB the report gets in these tests: it has Query and nothing
// else, so the report cannot Scan (reportdb.Querier has only Query: a compile-time guarantee;
// this wrapper adds the runtime checks). Every call must carry a key condition on the
// report's table, and the items evaluated are counted.
type queryOnly struct {
	db        *dynamodb.Client
	t         testing.TB
	table     string
	calls     atomic.Int64
	evaluated atomic.Int64
}

func (q *queryOnly) Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	q.calls.Add(1)
	if aws.ToString(in.TableName) != q.table || aws.ToString(in.KeyConditionExpression) == "" {
		q.t.Errorf("query without a key condition on the report table: %+v", in)
	}
	out, err := q.db.Query(ctx, in, optFns...)
	if err == nil {
		q.evaluated.Add(int64(out.ScannedCount))
	}
	return out, err
}

var _ reportdb.Querier = (*queryOnly)(nil)

// putCodes writes codes with BatchWriteItem, 25 per call, on workers goroutines, retrying
// what DynamoDB leaves unprocessed.
func putCodes(tb testing.TB, db *dynamodb.Client, table string, codes []promo.Code, workers int) {
	tb.Helper()
	batches := make(chan []promo.Code)
	var wg sync.WaitGroup
	var failed atomic.Value
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range batches {
				if err := writeBatch(db, table, batch); err != nil {
					failed.Store(err)
				}
			}
		}()
	}
	for i := 0; i < len(codes); i += 25 {
		batches <- codes[i:min(i+25, len(codes))]
	}
	close(batches)
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		tb.Fatal(err)
	}
}

func writeBatch(db *dynamodb.Client, table string, batch []promo.Code) error {
	reqs := make([]types.WriteRequest, 0, len(batch))
	for _, c := range batch {
		item, err := promodb.MarshalCode(c)
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	pending := map[string][]types.WriteRequest{table: reqs}
	for try := 0; len(pending[table]) > 0; try++ {
		if try == 20 {
			return fmt.Errorf("items still unprocessed after %d tries", try)
		}
		if try > 0 {
			time.Sleep(time.Duration(try) * 20 * time.Millisecond)
		}
		out, err := db.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			return err
		}
		pending = out.UnprocessedItems
	}
	return nil
}

// reportFixture is the codes of site "demo" the report tests read, plus the same codes in
// site "other", which must never show.
func reportFixture() []promo.Code {
	base := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	prefixes := []string{"SPRING", "SPORT", "SUMMER", "WINTER"}
	names := []string{"Ada Lovelace", "ada  lovelace", "Grace Hopper", "Alan Turing", " ADA LOVELACE "}
	var codes []promo.Code
	for i := range 48 {
		created := base.Add(time.Duration(i) * 7 * time.Hour)
		if i == 11 {
			created = base.Add(10 * 7 * time.Hour) // a tie with code 10: ordered by code
		}
		c := promo.Code{
			Site: "demo", Code: fmt.Sprintf("%s%02d", prefixes[i%4], i), Service: "events",
			Usage: promo.Usage{Kind: promo.UsageUnlimited}, Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 1000 + i},
			AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive, CreatedAt: created.Add(123456789 * time.Nanosecond),
			CreatedBy: "admin-1 <admin@demo.example>",
		}
		if i%3 == 0 {
			c.Service = "training"
		}
		if i%4 != 3 {
			c.Recipient = &promo.Recipient{Email: fmt.Sprintf("person%d@example.com", i%5), Name: names[i%5]}
		}
		switch i % 3 {
		case 1:
			c.Usage = promo.Usage{Kind: promo.UsageOnce}
		case 2:
			c.Usage, c.Used = promo.Usage{Kind: promo.UsageMultiple, Max: 5}, 2
		}
		switch i % 8 {
		case 0:
			c.ExpiresOn, c.ExpiresAt = "2026-12-31", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			if i%16 == 8 {
				c.ExpiresOn, c.ExpiresAt = "2026-09-30", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
			}
		case 1:
			c.ExpiresOn, c.ExpiresAt = "2026-06-01", time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
		case 2:
			c.ExpiresOn, c.ExpiresAt = "2026-07-15", time.Date(2026, 7, 16, 0, 0, 0, 0, time.UTC)
			c.Stored = promo.StatusUsedUp
			if c.Usage.Kind == promo.UsageUnlimited {
				c.Usage = promo.Usage{Kind: promo.UsageOnce}
			}
			c.Used = c.Usage.Limit()
		case 3:
			c.ExpiresOn, c.ExpiresAt = "2026-09-30", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
			c.Stored, c.DeletedAt, c.DeletedBy = promo.StatusDeleted, created.Add(24*time.Hour), "admin-2"
		case 4: // expires at the very instant of the report: expired
			c.ExpiresOn, c.ExpiresAt = "2026-06-15", reportNow
		case 5: // a nanosecond left: active
			c.ExpiresOn, c.ExpiresAt = "2026-06-15", reportNow.Add(time.Nanosecond)
		case 6: // a nanosecond ago: expired
			c.ExpiresOn, c.ExpiresAt = "2026-06-15", reportNow.Add(-time.Nanosecond)
		case 7:
			c.ExpiresOn, c.ExpiresAt = "2026-07-15", time.Date(2026, 7, 16, 0, 0, 0, 0, time.UTC)
		}
		codes = append(codes, c)
	}
	for _, c := range codes[:20] {
		c.Site = "other"
		codes = append(codes, c)
	}
	return codes
}

// wantReport is the report computed the plain way: every code of site "demo" that passes f,
// in the order the report promises.
func wantReport(codes []promo.Code, f report.Filter) []string {
	var got []promo.Code
	for _, c := range codes {
		if c.Site == "demo" && passes(c, f) {
			got = append(got, c)
		}
	}
	createdAsc := func(a, b promo.Code) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.Code, b.Code))
	}
	switch {
	case f.Code != "":
		slices.SortFunc(got, func(a, b promo.Code) int { return strings.Compare(a.Code, b.Code) })
	case f.RecipientEmail == "" && f.RecipientName == "" && f.Status != promo.StatusDeleted && f.Status != promo.StatusUsedUp &&
		(f.ExpiresFrom != "" || f.ExpiresTo != ""):
		slices.SortFunc(got, func(a, b promo.Code) int {
			return cmp.Or(strings.Compare(a.ExpiresOn, b.ExpiresOn), createdAsc(a, b))
		})
	default:
		slices.SortFunc(got, func(a, b promo.Code) int { return createdAsc(b, a) })
	}
	out := []string{}
	for _, c := range got {
		out = append(out, c.Code)
	}
	return out
}

func passes(c promo.Code, f report.Filter) bool {
	switch {
	case !f.CreatedFrom.IsZero() && c.CreatedAt.Before(f.CreatedFrom),
		!f.CreatedTo.IsZero() && c.CreatedAt.After(f.CreatedTo),
		f.ExpiresFrom != "" && c.ExpiresOn < f.ExpiresFrom,
		f.ExpiresTo != "" && c.ExpiresOn > f.ExpiresTo,
		f.Code != "" && !f.CodePrefix && c.Code != f.Code,
		f.Code != "" && f.CodePrefix && !strings.HasPrefix(c.Code, f.Code),
		f.RecipientEmail != "" && (c.Recipient == nil || c.Recipient.Email != f.RecipientEmail),
		f.RecipientName != "" && (c.Recipient == nil || promodb.NameKey(c.Recipient.Name) != promodb.NameKey(f.RecipientName)),
		f.Status != "" && c.StatusAt(f.At) != f.Status,
		f.Service != "" && c.Service != f.Service:
		return false
	}
	return true
}

type reportCase struct {
	name string
	f    report.Filter
	// empty says the case may select nothing (otherwise an empty answer fails: it would prove little).
	empty bool
}

func day(s string) time.Time { d, _ := promo.ParseDate(s); return d }

func reportCases(codes []promo.Code) []reportCase {
	at := func(i int) time.Time { return codes[i].CreatedAt }
	endOf := func(s string) time.Time { return day(s).AddDate(0, 0, 1).Add(-time.Nanosecond) }
	cases := []reportCase{
		{name: "no filter"},
		{name: "created from a day", f: report.Filter{CreatedFrom: day("2026-05-08")}},
		{name: "created to a day", f: report.Filter{CreatedTo: endOf("2026-05-04")}},
		{name: "created on one day", f: report.Filter{CreatedFrom: day("2026-05-05"), CreatedTo: endOf("2026-05-05")}},
		{name: "created between exact instants, both inclusive", f: report.Filter{CreatedFrom: at(10), CreatedTo: at(20)}},
		{name: "created a nanosecond after one code up to a nanosecond before another", f: report.Filter{CreatedFrom: at(10).Add(time.Nanosecond), CreatedTo: at(20).Add(-time.Nanosecond)}},
		{name: "expires from", f: report.Filter{ExpiresFrom: "2026-07-15"}},
		{name: "expires to", f: report.Filter{ExpiresTo: "2026-06-15"}},
		{name: "expires on one day", f: report.Filter{ExpiresFrom: "2026-06-15", ExpiresTo: "2026-06-15"}},
		{name: "expires in a range with no code", f: report.Filter{ExpiresFrom: "2026-06-02", ExpiresTo: "2026-06-14"}, empty: true},
		{name: "code exact", f: report.Filter{Code: "SUMMER10"}},
		{name: "code exact, none", f: report.Filter{Code: "SUMMER11"}, empty: true},
		{name: "code prefix", f: report.Filter{Code: "SP", CodePrefix: true}},
		{name: "code prefix, longer", f: report.Filter{Code: "SPRING", CodePrefix: true}},
		{name: "code prefix that is a whole code", f: report.Filter{Code: "SPORT01", CodePrefix: true}},
		{name: "recipient e-mail", f: report.Filter{RecipientEmail: "person1@example.com"}},
		{name: "recipient name, any case and spacing", f: report.Filter{RecipientName: "  ada   LOVELACE"}},
		{name: "recipient name, none", f: report.Filter{RecipientName: "Nobody"}, empty: true},
		{name: "service events", f: report.Filter{Service: "events"}},
		{name: "service training", f: report.Filter{Service: "training"}},
		{name: "code prefix, service, status, created, expiry", f: report.Filter{
			Code: "S", CodePrefix: true, Service: "events", Status: promo.StatusActive, CreatedFrom: day("2026-05-03"), ExpiresTo: "2026-12-31",
		}},
		{name: "service and status active", f: report.Filter{Service: "events", Status: promo.StatusActive}},
		{name: "service and status expired", f: report.Filter{Service: "training", Status: promo.StatusExpired}},
		{name: "status expired and created from", f: report.Filter{Status: promo.StatusExpired, CreatedFrom: day("2026-05-06")}},
		{name: "status active, created range", f: report.Filter{Status: promo.StatusActive, CreatedFrom: at(5), CreatedTo: at(40)}},
		{name: "expiry range, service and status active", f: report.Filter{ExpiresFrom: "2026-06-15", ExpiresTo: "2026-07-15", Service: "events", Status: promo.StatusActive}},
		{name: "expiry range and created range", f: report.Filter{ExpiresFrom: "2026-06-15", CreatedTo: endOf("2026-05-10")}},
		{name: "e-mail and status used_up", f: report.Filter{RecipientEmail: "person0@example.com", Status: promo.StatusUsedUp}},
		{name: "e-mail and created range", f: report.Filter{RecipientEmail: "person2@example.com", CreatedFrom: day("2026-05-04"), CreatedTo: endOf("2026-05-12")}},
		{name: "name, expiry range, created range", f: report.Filter{RecipientName: "ada lovelace", ExpiresFrom: "2026-06-01", ExpiresTo: "2026-09-30", CreatedFrom: day("2026-05-02")}},
		{name: "name and status expired", f: report.Filter{RecipientName: "Grace Hopper", Status: promo.StatusExpired}},
		{name: "status deleted, service, expiry", f: report.Filter{Status: promo.StatusDeleted, Service: "events", ExpiresFrom: "2026-09-01"}},
		{name: "status used_up, created range", f: report.Filter{Status: promo.StatusUsedUp, CreatedFrom: day("2026-05-05")}},
		{name: "code exact with a status it does not have", f: report.Filter{Code: "SUMMER10", Status: promo.StatusDeleted}, empty: true},
		{name: "every filter", f: report.Filter{
			Code: "S", CodePrefix: true, RecipientName: "ADA LOVELACE", Status: promo.StatusActive, Service: "events",
			CreatedFrom: day("2026-05-01"), CreatedTo: endOf("2026-05-14"), ExpiresFrom: "2026-06-15", ExpiresTo: "2026-12-31",
		}},
	}
	for _, s := range promo.Statuses {
		cases = append(cases, reportCase{name: "status " + string(s), f: report.Filter{Status: s}})
	}
	for i := range cases {
		cases[i].f.At = reportNow
	}
	return cases
}

// codesTable is DynamoDB Local and a fresh promotion codes table in it.
func codesTable(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	db := testenv.DynamoDB(t)
	return db, testenv.Tables(t, db)["PromoCodesTable"]
}

// testCursorKey signs the tests' cursors.
var testCursorKey = []byte("a cursor signing key of the tests, 32+ bytes")

// reportOver is the report use case over the store of table read through db, and that store.
func reportOver(tb testing.TB, db reportdb.Querier, table string) (*report.Report, *reportdb.Report) {
	tb.Helper()
	store, err := reportdb.New(db, table, testCursorKey)
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := report.New(store, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return rep, store
}
