package reporthttp_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
	"github.com/boxofficehq/boxoffice/internal/promo/report/reportdb"
	"github.com/boxofficehq/boxoffice/internal/promo/report/reporthttp"
)

var now = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// codes are the site's codes, with names and codes that a spreadsheet would run as formulas.
func codes() []promo.Code {
	base := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	mk := func(i int, code, name string) promo.Code {
		c := promo.Code{
			Site: "demo", Code: code, Service: "events", Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 10}, Used: 3,
			Discount:  promo.Discount{Kind: promo.DiscountAmount, AmountMinor: 1250, Currency: "GBP"},
			ExpiresOn: "2026-12-31", ExpiresAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), AppliesTo: promo.AppliesToAll,
			Stored: promo.StatusActive, CreatedAt: base.Add(time.Duration(i) * time.Hour), CreatedBy: "admin-1 <admin@demo.example>",
		}
		if name != "" {
			c.Recipient = &promo.Recipient{Email: fmt.Sprintf("r%d@example.com", i), Name: name}
		}
		return c
	}
	cs := []promo.Code{
		mk(0, "PLAIN01", "Ada Lovelace"),
		mk(1, "-CMD", `=HYPERLINK("http://evil.example","click")`),
		mk(2, "FORMULA2", "+SUM(1,2)"),
		mk(3, "FORMULA3", "-2+3"),
		mk(4, "FORMULA4", "@cmd|' /C calc'!A0"),
		mk(5, "NOBODY5", ""),
		mk(6, "QUOTES6", "Smith, \"Jo\"\nline two"),
		mk(7, "DELETED7", "Grace Hopper"),
		mk(8, "ONCE8", "Alan Turing"),
		mk(9, "PERCENT9", "Émilie du Châtelet"),
	}
	cs[5].Usage, cs[5].Used = promo.Usage{Kind: promo.UsageUnlimited}, 2
	cs[7].Stored, cs[7].DeletedAt, cs[7].DeletedBy = promo.StatusDeleted, time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC), "=admin-2"
	cs[8].Usage, cs[8].Used = promo.Usage{Kind: promo.UsageOnce}, 0
	cs[9].Discount = promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 1250}
	cs[9].ExpiresOn, cs[9].ExpiresAt = "2026-06-15", now // expired at the report's instant
	return cs
}

func seed(t *testing.T, db *dynamodb.Client, table string, cs []promo.Code) {
	t.Helper()
	for _, c := range cs {
		item, err := promodb.MarshalCode(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
}

type handler struct {
	t *testing.T
	h lambdaapp.HTTPLambda
}

func newHandler(t *testing.T, limits reporthttp.CSVLimits) handler {
	t.Helper()
	db := testenv.DynamoDB(t)
	table := testenv.Tables(t, db)["PromoCodesTable"]
	seed(t, db, table, codes())
	store, err := reportdb.New(db, table, []byte("a cursor signing key of the tests, 32+ bytes"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.New(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	rt := reporthttp.NewHandler(reporthttp.Deps{Report: rep, Now: func() time.Time { return now }, Log: testenv.Logger(t), CSV: limits})
	return handler{t: t, h: lambdaapp.NewHTTPLambda(rt)}
}

// get sends GET path?query as the site's administrator through the Lambda adapter.
func (h handler) get(path, query string) events.APIGatewayV2HTTPResponse {
	h.t.Helper()
	resp, err := h.h(context.Background(), events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "GET " + path, RawPath: path, RawQueryString: query,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: path},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: map[string]string{"sub": "admin-1", "sites": "[demo]"},
			}},
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp
}

const csvPath = "/sites/demo/promo-codes/report.csv"

// readCSV checks a CSV response's headers and parses its body back.
func readCSV(t *testing.T, resp events.APIGatewayV2HTTPResponse) [][]string {
	t.Helper()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	if ct := resp.Headers["Content-Type"]; ct != "text/csv; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd := resp.Headers["Content-Disposition"]; cd != `attachment; filename="promo-codes-demo.csv"` {
		t.Fatalf("Content-Disposition %q", cd)
	}
	if resp.IsBase64Encoded {
		t.Fatal("the CSV went out base64-encoded")
	}
	body, ok := strings.CutPrefix(resp.Body, "\uFEFF")
	if !ok || !strings.HasSuffix(body, "\r\n") {
		t.Fatalf("no BOM or no CRLF: %q", resp.Body)
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse back: %v", err)
	}
	want := []string{"Code", "Service", "Recipient e-mail", "Recipient name", "Discount", "Used", "Maximum", "Expires on", "Status", "Created at", "Created by", "Deleted at", "Deleted by"}
	if len(records) == 0 || !slices.Equal(records[0], want) {
		t.Fatalf("header %v", records)
	}
	return records[1:]
}

func TestCSV(t *testing.T) {
	h := newHandler(t, reporthttp.CSVLimits{})
	rows := readCSV(t, h.get(csvPath, ""))
	if len(rows) != len(codes()) {
		t.Fatalf("%d rows", len(rows))
	}
	byCode := map[string][]string{}
	for _, r := range rows {
		byCode[r[0]] = r
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("row %v: cell %d starts a formula: %q", r[0], i, cell)
			}
		}
	}
	// Newest first; codes and names that start formulas are neutralised, the rest as is.
	if rows[0][0] != "PERCENT9" || rows[len(rows)-1][0] != "PLAIN01" {
		t.Errorf("order: first %s, last %s", rows[0][0], rows[len(rows)-1][0])
	}
	want := map[string][]string{
		"'-CMD":    {"'-CMD", "events", "r1@example.com", `'=HYPERLINK("http://evil.example","click")`, "£12.50", "3", "10", "2026-12-31", "active", "2026-05-01T10:00:00Z", "admin-1 <admin@demo.example>", "", ""},
		"FORMULA2": {"FORMULA2", "events", "r2@example.com", "'+SUM(1,2)", "£12.50", "3", "10", "2026-12-31", "active", "2026-05-01T11:00:00Z", "admin-1 <admin@demo.example>", "", ""},
		"FORMULA3": {"FORMULA3", "events", "r3@example.com", "'-2+3", "£12.50", "3", "10", "2026-12-31", "active", "2026-05-01T12:00:00Z", "admin-1 <admin@demo.example>", "", ""},
		"FORMULA4": {"FORMULA4", "events", "r4@example.com", "'@cmd|' /C calc'!A0", "£12.50", "3", "10", "2026-12-31", "active", "2026-05-01T13:00:00Z", "admin-1 <admin@demo.example>", "", ""},
		"NOBODY5":  {"NOBODY5", "events", "", "", "£12.50", "2", "unlimited", "2026-12-31", "active", "2026-05-01T14:00:00Z", "admin-1 <admin@demo.example>", "", ""},
		"QUOTES6":  {"QUOTES6", "events", "r6@example.com", "Smith, \"Jo\"\nline two", "£12.50", "3", "10", "2026-12-31", "active", "2026-05-01T15:00:00Z", "admin-1 <admin@demo.example>", "", ""},
		"DELETED7": {"DELETED7", "events", "r7@example.com", "Grace Hopper", "£12.50", "3", "10", "2026-12-31", "deleted", "2026-05-01T16:00:00Z", "admin-1 <admin@demo.example>", "2026-06-01T08:00:00Z", "'=admin-2"},
		"ONCE8":    {"ONCE8", "events", "r8@example.com", "Alan Turing", "£12.50", "0", "1", "2026-12-31", "active", "2026-05-01T17:00:00Z", "admin-1 <admin@demo.example>", "", ""},
		"PERCENT9": {"PERCENT9", "events", "r9@example.com", "Émilie du Châtelet", "12.5%", "3", "10", "2026-06-15", "expired", "2026-05-01T18:00:00Z", "admin-1 <admin@demo.example>", "", ""},
	}
	for code, w := range want {
		if got := byCode[code]; !slices.Equal(got, w) {
			t.Errorf("%s:\n got %q\nwant %q", code, got, w)
		}
	}

	// The same filters as the JSON route.
	rows = readCSV(t, h.get(csvPath, "status=expired"))
	if len(rows) != 1 || rows[0][0] != "PERCENT9" {
		t.Errorf("status=expired: %v", rows)
	}
	rows = readCSV(t, h.get(csvPath, "code=formula*&limit=2"))
	if len(rows) != 2 || rows[0][0] != "FORMULA2" || rows[1][0] != "FORMULA3" {
		t.Errorf("code=formula*&limit=2: %v", rows)
	}
	if resp := h.get(csvPath, "status=sleeping"); resp.StatusCode != 400 || !strings.Contains(resp.Body, `"field":"status"`) {
		t.Errorf("bad parameter: %d %s", resp.StatusCode, resp.Body)
	}
}

// follow reads a CSV report response by response through X-Next-Cursor.
func follow(t *testing.T, h handler, query string, check func(resp events.APIGatewayV2HTTPResponse, rows [][]string)) []string {
	t.Helper()
	var got []string
	cursor := ""
	for n := 0; ; n++ {
		if n > 30 {
			t.Fatal("no end")
		}
		q := query
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		resp := h.get(csvPath, q)
		rows := readCSV(t, resp)
		check(resp, rows)
		for _, r := range rows {
			got = append(got, r[0])
		}
		if cursor = resp.Headers[reporthttp.NextCursorHeader]; cursor == "" {
			return got
		}
	}
}

// csvCell is a code as the CSV shows it.
func csvCell(code string) string {
	if strings.HasPrefix(code, "-") {
		return "'" + code
	}
	return code
}

// newestFirst is every code of the site as the CSV shows it, newest first.
func newestFirst() []string {
	cs := codes()
	slices.SortFunc(cs, func(a, b promo.Code) int { return b.CreatedAt.Compare(a.CreatedAt) })
	var out []string
	for _, c := range cs {
		out = append(out, csvCell(c.Code))
	}
	return out
}

func TestCSVOverTheRowCap(t *testing.T) {
	h := newHandler(t, reporthttp.CSVLimits{MaxRows: 3})
	want := newestFirst()
	responses := 0
	got := follow(t, h, "service=events", func(resp events.APIGatewayV2HTTPResponse, rows [][]string) {
		responses++
		if len(rows) > 3 {
			t.Errorf("%d rows in one response", len(rows))
		}
		if len(rows) < 3 && resp.Headers[reporthttp.NextCursorHeader] != "" {
			t.Errorf("a short response with a next cursor")
		}
	})
	if !slices.Equal(got, want) || responses != 4 {
		t.Fatalf("%d responses:\n got %v\nwant %v", responses, got, want)
	}
	if resp := h.get(csvPath, "limit=4"); resp.StatusCode != 400 {
		t.Errorf("limit over the row cap: %d", resp.StatusCode)
	}
	// A cursor of other filters is refused.
	first := h.get(csvPath, "service=events")
	if resp := h.get(csvPath, "service=training&cursor="+first.Headers[reporthttp.NextCursorHeader]); resp.StatusCode != 400 || !strings.Contains(resp.Body, `"field":"cursor"`) {
		t.Errorf("foreign cursor: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestCSVOverTheByteCap(t *testing.T) {
	const maxBytes = 700
	h := newHandler(t, reporthttp.CSVLimits{MaxBytes: maxBytes})
	want := newestFirst()
	responses := 0
	got := follow(t, h, "", func(resp events.APIGatewayV2HTTPResponse, rows [][]string) {
		responses++
		body, _ := json.Marshal(resp.Body)
		if len(body)-2 > maxBytes && len(rows) > 1 {
			t.Errorf("a response of %d bytes as a JSON string, %d rows", len(body)-2, len(rows))
		}
	})
	if !slices.Equal(got, want) || responses < 3 {
		t.Fatalf("%d responses:\n got %v\nwant %v", responses, got, want)
	}
}

func TestJSONPage(t *testing.T) {
	h := newHandler(t, reporthttp.CSVLimits{})
	resp := h.get("/sites/demo/promo-codes", "recipient=GRACE%20%20hopper")
	if resp.StatusCode != 200 || resp.Headers["Content-Type"] != "application/json; charset=utf-8" {
		t.Fatalf("%d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	var page struct {
		Items []map[string]any `json:"items"`
		Next  *string          `json:"next"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Next != nil {
		t.Fatalf("page %s", resp.Body)
	}
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(page.Items[0]); err != nil {
		t.Fatal(err)
	}
	row := strings.TrimSpace(buf.String())
	want := `{"appliesTo":"all","code":"DELETED7","createdAt":"2026-05-01T16:00:00Z","createdBy":"admin-1 <admin@demo.example>",` +
		`"deletedAt":"2026-06-01T08:00:00Z","deletedBy":"=admin-2","discount":{"amountMinor":1250,"currency":"GBP","kind":"amount"},` +
		`"discountText":"£12.50","expiresAt":"2027-01-01T00:00:00Z","expiresOn":"2026-12-31","recipient":{"email":"r7@example.com","name":"Grace Hopper"},` +
		`"service":"events","status":"deleted","usage":{"kind":"multiple","max":10,"used":3},"usageText":"3 / 10"}`
	if row != want {
		t.Fatalf("row\n got %s\nwant %s", row, want)
	}

	for query, want := range map[string]string{
		"code=NOBODY5":  `"recipient":null`,
		"code=ONCE8":    `"usageText":"0 / 1"`,
		"code=PERCENT9": `"discount":{"kind":"percent","percentBasisPoints":1250},"discountText":"12.5%"`,
	} {
		if resp := h.get("/sites/demo/promo-codes", query); resp.StatusCode != 200 || !strings.Contains(resp.Body, want) {
			t.Errorf("%s: %s, want %s", query, resp.Body, want)
		}
	}
	if resp := h.get("/sites/demo/promo-codes", "code=NOBODY5"); !strings.Contains(resp.Body, `"usage":{"kind":"unlimited","max":null,"used":2},"usageText":"2 / unlimited"`) {
		t.Errorf("unlimited: %s", resp.Body)
	}

	// Paging through everything with limit 3: every code once, newest first.
	var got []string
	cursor := ""
	for n := 0; n < 10; n++ {
		q := "limit=3"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		resp := h.get("/sites/demo/promo-codes", q)
		var p struct {
			Items []struct{ Code string } `json:"items"`
			Next  string                  `json:"next"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, resp.Body)
		}
		for _, it := range p.Items {
			got = append(got, it.Code)
		}
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	want = "PERCENT9 ONCE8 DELETED7 QUOTES6 NOBODY5 FORMULA4 FORMULA3 FORMULA2 -CMD PLAIN01"
	if strings.Join(got, " ") != want {
		t.Fatalf("pages: %v", got)
	}
}

// TestCursorWithOtherParameters: a request's cursor is judged by the real store together with
// its other parameters: a cursor of no query is named even beside refused parameters, a
// cursor of other filters only when the filters are known.
func TestCursorWithOtherParameters(t *testing.T) {
	h := newHandler(t, reporthttp.CSVLimits{})
	const listPath = "/sites/demo/promo-codes"
	first := h.get(listPath, "service=events&limit=3")
	var page struct{ Next string }
	if err := json.Unmarshal([]byte(first.Body), &page); err != nil || first.StatusCode != 200 || page.Next == "" {
		t.Fatalf("first page: %d %s", first.StatusCode, first.Body)
	}
	for _, tc := range []struct {
		query  string
		fields []string
	}{
		{"cursor=%21%21", []string{"cursor"}},
		{"status=sleeping&cursor=%21%21", []string{"status", "cursor"}},
		{"service=training&cursor=" + page.Next, []string{"cursor"}},
		{"service=music&cursor=" + page.Next, []string{"service"}},
	} {
		for _, path := range []string{listPath, csvPath} {
			resp := h.get(path, tc.query)
			var body struct {
				Error struct {
					Code    string
					Details []struct{ Field string }
				}
			}
			if err := json.Unmarshal([]byte(resp.Body), &body); err != nil || resp.StatusCode != 400 || body.Error.Code != "invalid_input" {
				t.Fatalf("%s?%s: %d %s", path, tc.query, resp.StatusCode, resp.Body)
			}
			var fields []string
			for _, d := range body.Error.Details {
				fields = append(fields, d.Field)
			}
			if !slices.Equal(fields, tc.fields) {
				t.Errorf("%s?%s: fields %v, want %v", path, tc.query, fields, tc.fields)
			}
		}
	}
	if resp := h.get(listPath, "service=events&limit=3&cursor="+page.Next); resp.StatusCode != 200 {
		t.Fatalf("the cursor with its own filters: %d %s", resp.StatusCode, resp.Body)
	}
}
