package promoreportapp_test

import (
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/promoreportapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

const eventsDir = "../../../events/promo-report"

// queryOnly is the DynamoDB the function gets in this test: a struct with Query and nothing
// else. That it compiles as a promoreportapp.DB proves the function cannot Scan, or write:
// DB has no other method, and the compiler checks it. At run time, each call must carry a
// key condition on the table of PROMO_TABLE (on the table itself or one of its indexes).
type queryOnly struct {
	t     *testing.T
	db    *dynamodb.Client
	table string
	calls atomic.Int64
}

var _ promoreportapp.DB = (*queryOnly)(nil)

func (q *queryOnly) Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	q.calls.Add(1)
	if aws.ToString(in.TableName) != q.table || aws.ToString(in.KeyConditionExpression) == "" {
		q.t.Errorf("a query without a key condition on the promo table: %+v", in)
	}
	return q.db.Query(ctx, in, optFns...)
}

// seedCodes puts the site's codes: created in May 2026, expiring far in the future, but for
// one long expired.
func seedCodes(t *testing.T, db *dynamodb.Client, table string) {
	t.Helper()
	future, past := time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(site, code, service string, day int, r *promo.Recipient) promo.Code {
		return promo.Code{
			Site: site, Code: code, Service: service, Recipient: r, Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 10}, Used: 3,
			Discount:  promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000},
			ExpiresOn: "2034-12-31", ExpiresAt: future, AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive,
			CreatedAt: time.Date(2026, 5, day, 10, 0, 0, 0, time.UTC), CreatedBy: "admin-1 <admin@demo.example>",
		}
	}
	codes := []promo.Code{
		mk("demo", "SPRING01", "events", 1, &promo.Recipient{Email: "ada@example.com", Name: "Ada Lovelace"}),
		mk("demo", "SPRING02", "events", 2, &promo.Recipient{Email: "evil@example.com", Name: `=HYPERLINK("http://evil.example","x")`}),
		mk("demo", "SPRING03", "training", 3, &promo.Recipient{Email: "ada@example.com", Name: "Ada Lovelace"}),
		mk("demo", "SUMMER04", "events", 4, nil),
		mk("demo", "SUMMER05", "events", 5, nil),
		mk("demo", "WINTER06", "events", 6, nil),
		mk("demo", "WINTER07", "events", 7, nil),
		mk("globex", "GLOBEX01", "events", 8, nil),
	}
	codes[3].ExpiresOn, codes[3].ExpiresAt = "2020-12-31", past
	codes[4].Stored, codes[4].Used = promo.StatusUsedUp, 10
	codes[5].Stored, codes[5].DeletedAt, codes[5].DeletedBy = promo.StatusDeleted, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "admin-2"
	testenv.PutCodes(t, db, table, codes...)
}

func codesOf(a testenv.Answer) []string {
	var out []string
	items, _ := a.Get("items").([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["code"].(string))
	}
	return out
}

// TestEvents feeds every sample event through the exact handler main passes to lambda.Start,
// on a DynamoDB that has nothing but Query.
func TestEvents(t *testing.T) {
	l := testenv.NewLocal(t)
	env := l.Env(t, "promo-report")
	seedCodes(t, l.DB, env["PROMO_TABLE"])
	db := &queryOnly{t: t, db: l.DB, table: env["PROMO_TABLE"]}
	rt, err := promoreportapp.New(lambdaapp.MapLookup(env), db, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	h := lambdaapp.NewHTTPLambda(rt)

	codes := func(want ...string) func(*testing.T, testenv.Answer) {
		return func(t *testing.T, a testenv.Answer) {
			if got := codesOf(a); !slices.Equal(got, want) {
				t.Errorf("codes %v, want %v", got, want)
			}
		}
	}
	testenv.RunHTTPEvents(t, h, eventsDir, []testenv.Step{
		{Event: "list-no-filter", Status: 200, Want: map[string]any{
			"items.0.code": "WINTER07", "items.0.recipient": nil, "items.0.status": "active", "items.0.usageText": "3 / 10", "items.0.discountText": "20%",
			"items.1.code": "WINTER06", "items.1.status": "deleted", "items.1.deletedBy": "admin-2",
			"items.2.status": "used_up", "items.3.status": "expired", "items.5.recipient.name": `=HYPERLINK("http://evil.example","x")`,
			"next": nil,
		}, Check: codes("WINTER07", "WINTER06", "SUMMER05", "SUMMER04", "SPRING03", "SPRING02", "SPRING01")},
		// Active events codes created in May, two a page: newest first, and the next page
		// through the cursor, with the same filters.
		{Event: "list-filtered", Status: 200, Check: func(t *testing.T, a testenv.Answer) {
			codes("WINTER07", "SPRING02")(t, a)
			next, _ := a.Get("next").(string)
			if next == "" {
				t.Fatal("no next cursor")
			}
			ev := testenv.LoadHTTPEvent(t, eventsDir, "list-filtered")
			ev.RawQueryString += "&cursor=" + next
			resp, err := h(context.Background(), ev)
			if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Body, `"code":"SPRING01"`) || strings.Contains(resp.Body, `"next"`) ||
				strings.Count(resp.Body, `"code":`) != 1 {
				t.Errorf("second page: %v %d %s", err, resp.StatusCode, resp.Body)
			}
			// The cursor with other filters is refused.
			ev.RawQueryString = "status=expired&cursor=" + next
			if resp, _ := h(context.Background(), ev); resp.StatusCode != 400 || !strings.Contains(resp.Body, `"field":"cursor"`) {
				t.Errorf("foreign cursor: %d %s", resp.StatusCode, resp.Body)
			}
		}},
		{Event: "list-by-recipient", Status: 200, Want: map[string]any{"items.0.recipient.email": "ada@example.com"},
			Check: codes("SPRING01", "SPRING03")}, // the code filter lists alphabetically
		{Event: "list-bad-parameter", Status: 400, Want: map[string]any{
			"error.code": "invalid_input", "error.details.0.field": "createdFrom", "error.details.1.field": "status", "error.details.2.field": "limit",
		}},
		{Event: "report-csv", Status: 200, Check: checkCSV},
		{Event: "list-other-site", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "list-no-token", Status: 401, Want: map[string]any{"error.code": "unauthenticated"}},
	})

	if db.calls.Load() == 0 {
		t.Fatal("the report never queried")
	}
}

// checkCSV looks at the report-csv answer: a file Excel opens, no cell a formula.
func checkCSV(t *testing.T, resp testenv.Answer) {
	if resp.Headers["Content-Type"] != "text/csv; charset=utf-8" || resp.Headers["Content-Disposition"] != `attachment; filename="promo-codes-demo.csv"` ||
		resp.Headers["X-Next-Cursor"] != "" {
		t.Errorf("report-csv headers: %v", resp.Headers)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.Raw, "\uFEFF"))).ReadAll()
	if err != nil || len(records) != 5 || records[0][0] != "Code" {
		t.Fatalf("report-csv: %v %q", err, records)
	}
	var got []string
	for _, r := range records[1:] {
		got = append(got, r[0])
		if r[8] != "active" {
			t.Errorf("status %q", r[8])
		}
	}
	if !slices.Equal(got, []string{"WINTER07", "SPRING03", "SPRING02", "SPRING01"}) {
		t.Errorf("report-csv codes %v", got)
	}
	if name := records[3][3]; name != `'=HYPERLINK("http://evil.example","x")` {
		t.Errorf("a formula went out as is: %q", name)
	}
}
