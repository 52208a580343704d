package reportdb_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
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
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
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
func wantReport(codes []promo.Code, f reportdb.Filter) []string {
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

func passes(c promo.Code, f reportdb.Filter) bool {
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
	f    reportdb.Filter
	// empty says the case may select nothing (otherwise an empty answer fails: it would prove little).
	empty bool
}

func day(s string) time.Time { d, _ := promo.ParseDate(s); return d }

func reportCases(codes []promo.Code) []reportCase {
	at := func(i int) time.Time { return codes[i].CreatedAt }
	endOf := func(s string) time.Time { return day(s).AddDate(0, 0, 1).Add(-time.Nanosecond) }
	cases := []reportCase{
		{name: "no filter"},
		{name: "created from a day", f: reportdb.Filter{CreatedFrom: day("2026-05-08")}},
		{name: "created to a day", f: reportdb.Filter{CreatedTo: endOf("2026-05-04")}},
		{name: "created on one day", f: reportdb.Filter{CreatedFrom: day("2026-05-05"), CreatedTo: endOf("2026-05-05")}},
		{name: "created between exact instants, both inclusive", f: reportdb.Filter{CreatedFrom: at(10), CreatedTo: at(20)}},
		{name: "created a nanosecond after one code up to a nanosecond before another", f: reportdb.Filter{CreatedFrom: at(10).Add(time.Nanosecond), CreatedTo: at(20).Add(-time.Nanosecond)}},
		{name: "expires from", f: reportdb.Filter{ExpiresFrom: "2026-07-15"}},
		{name: "expires to", f: reportdb.Filter{ExpiresTo: "2026-06-15"}},
		{name: "expires on one day", f: reportdb.Filter{ExpiresFrom: "2026-06-15", ExpiresTo: "2026-06-15"}},
		{name: "expires in a range with no code", f: reportdb.Filter{ExpiresFrom: "2026-06-02", ExpiresTo: "2026-06-14"}, empty: true},
		{name: "code exact", f: reportdb.Filter{Code: "SUMMER10"}},
		{name: "code exact, none", f: reportdb.Filter{Code: "SUMMER11"}, empty: true},
		{name: "code prefix", f: reportdb.Filter{Code: "SP", CodePrefix: true}},
		{name: "code prefix, longer", f: reportdb.Filter{Code: "SPRING", CodePrefix: true}},
		{name: "code prefix that is a whole code", f: reportdb.Filter{Code: "SPORT01", CodePrefix: true}},
		{name: "recipient e-mail", f: reportdb.Filter{RecipientEmail: "person1@example.com"}},
		{name: "recipient name, any case and spacing", f: reportdb.Filter{RecipientName: "  ada   LOVELACE"}},
		{name: "recipient name, none", f: reportdb.Filter{RecipientName: "Nobody"}, empty: true},
		{name: "service events", f: reportdb.Filter{Service: "events"}},
		{name: "service training", f: reportdb.Filter{Service: "training"}},
		{name: "code prefix, service, status, created, expiry", f: reportdb.Filter{
			Code: "S", CodePrefix: true, Service: "events", Status: promo.StatusActive, CreatedFrom: day("2026-05-03"), ExpiresTo: "2026-12-31",
		}},
		{name: "service and status active", f: reportdb.Filter{Service: "events", Status: promo.StatusActive}},
		{name: "service and status expired", f: reportdb.Filter{Service: "training", Status: promo.StatusExpired}},
		{name: "status expired and created from", f: reportdb.Filter{Status: promo.StatusExpired, CreatedFrom: day("2026-05-06")}},
		{name: "status active, created range", f: reportdb.Filter{Status: promo.StatusActive, CreatedFrom: at(5), CreatedTo: at(40)}},
		{name: "expiry range, service and status active", f: reportdb.Filter{ExpiresFrom: "2026-06-15", ExpiresTo: "2026-07-15", Service: "events", Status: promo.StatusActive}},
		{name: "expiry range and created range", f: reportdb.Filter{ExpiresFrom: "2026-06-15", CreatedTo: endOf("2026-05-10")}},
		{name: "e-mail and status used_up", f: reportdb.Filter{RecipientEmail: "person0@example.com", Status: promo.StatusUsedUp}},
		{name: "e-mail and created range", f: reportdb.Filter{RecipientEmail: "person2@example.com", CreatedFrom: day("2026-05-04"), CreatedTo: endOf("2026-05-12")}},
		{name: "name, expiry range, created range", f: reportdb.Filter{RecipientName: "ada lovelace", ExpiresFrom: "2026-06-01", ExpiresTo: "2026-09-30", CreatedFrom: day("2026-05-02")}},
		{name: "name and status expired", f: reportdb.Filter{RecipientName: "Grace Hopper", Status: promo.StatusExpired}},
		{name: "status deleted, service, expiry", f: reportdb.Filter{Status: promo.StatusDeleted, Service: "events", ExpiresFrom: "2026-09-01"}},
		{name: "status used_up, created range", f: reportdb.Filter{Status: promo.StatusUsedUp, CreatedFrom: day("2026-05-05")}},
		{name: "code exact with a status it does not have", f: reportdb.Filter{Code: "SUMMER10", Status: promo.StatusDeleted}, empty: true},
		{name: "every filter", f: reportdb.Filter{
			Code: "S", CodePrefix: true, RecipientName: "ADA LOVELACE", Status: promo.StatusActive, Service: "events",
			CreatedFrom: day("2026-05-01"), CreatedTo: endOf("2026-05-14"), ExpiresFrom: "2026-06-15", ExpiresTo: "2026-12-31",
		}},
	}
	for _, s := range promo.Statuses {
		cases = append(cases, reportCase{name: "status " + string(s), f: reportdb.Filter{Status: s}})
	}
	for i := range cases {
		cases[i].f.At = reportNow
	}
	return cases
}

func newReport(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	db := testenv.DynamoDB(t)
	return db, testenv.Tables(t, db)["PromoCodesTable"]
}

// TestReportFilters checks every filter, alone and combined, against the plain computation,
// reading every case through pages of several sizes, with and without a tiny evaluation cap:
// the pages together hold every matching code exactly once, in order.
func TestReportFilters(t *testing.T) {
	db, table := newReport(t)
	codes := reportFixture()
	putCodes(t, db, table, codes, 4)

	for _, tc := range reportCases(codes) {
		want := wantReport(codes, tc.f)
		if len(want) == 0 && !tc.empty {
			t.Fatalf("%s: the fixture has no code for this case", tc.name)
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, run := range []struct{ limit, cap int }{{50, 0}, {200, 0}, {1, 0}, {2, 0}, {7, 0}, {2, 3}, {7, 5}, {1, 1}} {
				q := &queryOnly{db: db, t: t, table: table}
				rep, err := reportdb.New(q, table)
				if err != nil {
					t.Fatal(err)
				}
				rep.PageMaxEvaluated = run.cap
				maxEval := int64(cmp.Or(run.cap, reportdb.DefaultReportMaxEvaluated))
				var got []string
				cursor := ""
				for pages := 0; ; pages++ {
					if pages > 2*len(codes)+5 {
						t.Fatalf("limit %d cap %d: no end after %d pages", run.limit, run.cap, pages)
					}
					q.evaluated.Store(0)
					page, err := rep.Page(context.Background(), "demo", tc.f, cursor, run.limit)
					if err != nil {
						t.Fatalf("limit %d cap %d page %d: %v", run.limit, run.cap, pages, err)
					}
					if len(page.Codes) > run.limit {
						t.Fatalf("limit %d: a page of %d", run.limit, len(page.Codes))
					}
					if e := q.evaluated.Load(); e > maxEval {
						t.Fatalf("cap %d: a page evaluated %d items", maxEval, e)
					}
					for _, c := range page.Codes {
						if c.Site != "demo" {
							t.Fatalf("code %s of site %s", c.Code, c.Site)
						}
						if tc.f.Status != "" && c.StatusAt(reportNow) != tc.f.Status {
							t.Fatalf("code %s has status %s", c.Code, c.StatusAt(reportNow))
						}
						got = append(got, c.Code)
					}
					if page.Next == "" {
						break
					}
					cursor = page.Next
				}
				if !slices.Equal(got, want) {
					t.Fatalf("limit %d cap %d:\n got %v\nwant %v", run.limit, run.cap, got, want)
				}
			}
		})
	}
}

// TestReportStatusAroundExpiry: a code is active until the instant it expires, expired from
// that instant on.
func TestReportStatusAroundExpiry(t *testing.T) {
	db, table := newReport(t)
	mk := func(code string, expiresAt time.Time) promo.Code {
		return promo.Code{Site: "demo", Code: code, Service: "events", Usage: promo.Usage{Kind: promo.UsageUnlimited},
			Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 500}, ExpiresOn: "2026-06-15", ExpiresAt: expiresAt,
			AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive, CreatedAt: expiresAt.Add(-time.Hour)}
	}
	putCodes(t, db, table, []promo.Code{
		mk("BEFORE", reportNow.Add(-time.Nanosecond)), mk("ATNOW", reportNow), mk("AFTER", reportNow.Add(time.Nanosecond)),
		// Uses ran out but the stored status lags: neither active nor expired (it shows used_up).
		func() promo.Code {
			c := mk("LAGGING", reportNow.Add(time.Hour))
			c.Usage, c.Used = promo.Usage{Kind: promo.UsageOnce}, 1
			return c
		}(),
	}, 1)
	rep, err := reportdb.New(db, table)
	if err != nil {
		t.Fatal(err)
	}
	for status, want := range map[promo.Status][]string{
		promo.StatusActive:  {"AFTER"},
		promo.StatusExpired: {"ATNOW", "BEFORE"},
	} {
		for _, f := range []reportdb.Filter{
			{Status: status, At: reportNow},                                 // byStatus, site#active
			{Status: status, At: reportNow, Code: "A", CodePrefix: true},    // a filter on the base table
			{Status: status, At: reportNow, ExpiresFrom: "2026-06-15"},      // a filter on byExpiry
			{Status: status, At: reportNow, Service: "events"},              // a filter on byService
			{Status: status, At: reportNow, CreatedFrom: day("2026-06-01")}, // byStatus with a created range
		} {
			page, err := rep.Page(context.Background(), "demo", f, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range page.Codes {
				got = append(got, c.Code)
			}
			slices.Sort(got)
			w := slices.Clone(want)
			slices.Sort(w)
			if f.Code != "" {
				w = slices.DeleteFunc(w, func(s string) bool { return !strings.HasPrefix(s, "A") })
			}
			if !slices.Equal(got, w) {
				t.Errorf("%+v: got %v, want %v", f, got, w)
			}
		}
	}
}

func decodeCursorJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encodeCursorJSON(m map[string]any) string {
	raw, _ := json.Marshal(m)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// TestReportCursorRefused: a cursor of another query, or one that was tampered with, is a
// 400 on the cursor parameter, never a 500 and never misapplied.
func TestReportCursorRefused(t *testing.T) {
	db, table := newReport(t)
	codes := reportFixture()
	putCodes(t, db, table, codes, 4)
	rep, err := reportdb.New(db, table)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	active := reportdb.Filter{Status: promo.StatusActive, CreatedFrom: day("2026-05-02"), At: reportNow}
	first, err := rep.Page(ctx, "demo", active, "", 2)
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	// The cursor works for the same query, whatever the limit and the instant.
	later := active
	later.At = reportNow.Add(time.Minute)
	if _, err := rep.Page(ctx, "demo", later, first.Next, 5); err != nil {
		t.Fatalf("same query: %v", err)
	}
	if err := reportdb.CheckCursor("demo", active, first.Next); err != nil {
		t.Fatalf("CheckCursor: %v", err)
	}

	tamper := func(change func(k map[string]any)) string {
		m := decodeCursorJSON(t, first.Next)
		change(m["k"].(map[string]any))
		return encodeCursorJSON(m)
	}
	cases := []struct {
		name   string
		site   string
		f      reportdb.Filter
		cursor string
	}{
		{"another status", "demo", reportdb.Filter{Status: promo.StatusExpired, CreatedFrom: day("2026-05-02"), At: reportNow}, first.Next},
		{"another created range", "demo", reportdb.Filter{Status: promo.StatusActive, CreatedFrom: day("2026-05-03"), At: reportNow}, first.Next},
		{"no filters", "demo", reportdb.Filter{At: reportNow}, first.Next},
		{"another site", "other", active, first.Next},
		{"not base64", "demo", active, "!!!"},
		{"not JSON", "demo", active, base64.RawURLEncoding.EncodeToString([]byte("nope"))},
		{"empty JSON", "demo", active, base64.RawURLEncoding.EncodeToString([]byte("{}"))},
		{"one bit flipped", "demo", active, flip(first.Next)},
		{"too long", "demo", active, strings.Repeat("A", 5000)},
		{"key of another site", "demo", active, tamper(func(k map[string]any) { k["pk"] = "other" })},
		{"key out of the created range", "demo", active, tamper(func(k map[string]any) { k["createdKey"] = "2026-04-01T00:00:00.000000000Z#X" })},
		{"key of another status", "demo", active, tamper(func(k map[string]any) { k["statusKey"] = "demo#deleted" })},
		{"key not of a code", "demo", active, tamper(func(k map[string]any) { k["sk"] = "job#1" })},
		{"key missing an attribute", "demo", active, tamper(func(k map[string]any) { delete(k, "sk") })},
		{"key with another attribute", "demo", active, tamper(func(k map[string]any) { k["site"] = "demo" })},
		{"key attribute not a string", "demo", active, tamper(func(k map[string]any) { k["sk"] = 7 })},
		{"key attribute empty", "demo", active, tamper(func(k map[string]any) { k["sk"] = "" })},
		{"key attribute too long", "demo", active, tamper(func(k map[string]any) { k["sk"] = "code#" + strings.Repeat("A", 1100) })},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rep.Page(ctx, tc.site, tc.f, tc.cursor, 10)
			e := apperr.As(err)
			if err == nil || e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != "cursor" {
				t.Fatalf("got %v, want invalid_input on cursor", err)
			}
			if reportdb.CheckCursor(tc.site, tc.f, tc.cursor) == nil {
				t.Fatal("CheckCursor accepted it")
			}
		})
	}
}

func flip(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// TestReportWalkRefusal: a walk stopped by its callback resumes at the refused code.
func TestReportWalkRefusal(t *testing.T) {
	db, table := newReport(t)
	codes := reportFixture()
	putCodes(t, db, table, codes, 4)
	rep, err := reportdb.New(db, table)
	if err != nil {
		t.Fatal(err)
	}
	f := reportdb.Filter{Service: "events", At: reportNow}
	want := wantReport(codes, f)
	var got []string
	cursor := ""
	for walks := 0; ; walks++ {
		if walks > len(want)+2 {
			t.Fatal("no end")
		}
		n := 0
		next, err := rep.Walk(context.Background(), "demo", f, cursor, reportdb.WalkOptions{MaxRows: 100}, func(c promo.Code) bool {
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

// BenchmarkReportPage measures a first page (limit 50) of the report with no filter and with
// status filters, with 1,000 and with 100,000 codes in the site, against DynamoDB Local. The
// time of a page must not grow with the number of codes (SPEC 3.4).
//
//	go run ./infra/cmd/withemulators -- go test -run '^$' -bench BenchmarkReportPage -benchtime 20x ./internal/promo/report/reportdb/
func BenchmarkReportPage(b *testing.B) {
	db := testenv.DynamoDB(b)
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("codes=%d", n), func(b *testing.B) {
			table := testenv.Tables(b, db)["PromoCodesTable"]
			start := time.Now()
			putCodes(b, db, table, benchCodes(n), 8)
			b.Logf("seeded %d codes in %v", n, time.Since(start).Round(time.Millisecond))
			cases := []struct {
				name string
				f    reportdb.Filter
			}{
				{"no-filter", reportdb.Filter{}},
				{"status=active", reportdb.Filter{Status: promo.StatusActive}},
				{"status=expired", reportdb.Filter{Status: promo.StatusExpired}},
			}
			// DynamoDB Local runs on the JVM: warm it up untimed, or the first sub-benchmarks
			// measure the JIT compiler rather than the report.
			warm, err := reportdb.New(db, table)
			if err != nil {
				b.Fatal(err)
			}
			for i := range 300 {
				f := cases[i%len(cases)].f
				f.At = reportNow
				if _, err := warm.Page(context.Background(), "bench", f, "", 50); err != nil {
					b.Fatal(err)
				}
			}
			for _, bc := range cases {
				b.Run(bc.name, func(b *testing.B) {
					q := &queryOnly{db: db, t: b, table: table}
					rep, err := reportdb.New(q, table)
					if err != nil {
						b.Fatal(err)
					}
					bc.f.At = reportNow
					rows := 0
					for b.Loop() {
						page, err := rep.Page(context.Background(), "bench", bc.f, "", 50)
						if err != nil {
							b.Fatal(err)
						}
						rows += len(page.Codes)
					}
					b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
					b.ReportMetric(float64(q.calls.Load())/float64(b.N), "queries/op")
					b.ReportMetric(float64(q.evaluated.Load())/float64(b.N), "evaluated/op")
				})
			}
		})
	}
}

// benchCodes are n codes of site "bench": 70% active, 15% expired, 10% used up, 5% deleted,
// with recipients, created a minute apart.
func benchCodes(n int) []promo.Code {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	codes := make([]promo.Code, n)
	for i := range codes {
		c := promo.Code{
			Site: "bench", Code: fmt.Sprintf("B%07d", i), Service: []string{"events", "training"}[i%2],
			Recipient: &promo.Recipient{Email: fmt.Sprintf("buyer%d@example.com", i), Name: fmt.Sprintf("Buyer %d", i)},
			Usage:     promo.Usage{Kind: promo.UsageOnce}, Discount: promo.Discount{Kind: promo.DiscountAmount, AmountMinor: 500, Currency: "USD"},
			ExpiresOn: "2026-12-31", ExpiresAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), AppliesTo: promo.AppliesToAll,
			Stored: promo.StatusActive, CreatedAt: base.Add(time.Duration(i) * time.Minute), CreatedBy: "admin-1 <admin@demo.example>",
		}
		switch r := i % 20; {
		case r < 3:
			c.ExpiresOn, c.ExpiresAt = "2026-01-31", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		case r < 5:
			c.Stored, c.Used = promo.StatusUsedUp, 1
		case r < 6:
			c.Stored, c.DeletedAt, c.DeletedBy = promo.StatusDeleted, c.CreatedAt.Add(time.Hour), "admin-2"
		}
		codes[i] = c
	}
	return codes
}
