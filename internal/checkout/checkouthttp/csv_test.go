package checkouthttp

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// pagedOrders lists orders two to a page, recording the filters it was asked for.
type pagedOrders struct {
	orders []checkout.Order
	asked  []checkout.ListFilter
}

func (p *pagedOrders) List(_ context.Context, _ string, f checkout.ListFilter) (checkout.OrderPage, error) {
	p.asked = append(p.asked, f)
	start := 0
	if f.Cursor != "" {
		fmt.Sscan(f.Cursor, &start)
	}
	end := min(start+2, len(p.orders))
	page := checkout.OrderPage{Orders: append([]checkout.Order(nil), p.orders[start:end]...)}
	if end < len(p.orders) {
		page.Next = fmt.Sprint(end)
	}
	return page, nil
}

func csvOrder(ref, buyer string) checkout.Order {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	return checkout.Order{Site: "demo", Ref: ref, Mode: "production", State: checkout.StateCaptured, Provider: "payflow_pro",
		Offering: checkout.Offering{Service: "events", Type: "event", ID: "ev-1", Name: "@SUM(A1:A9)", PriceMinor: 4900, Currency: "USD"},
		Buyer:    checkout.Buyer{Name: buyer, Email: "ann@example.com"}, Code: "SAVE20",
		Amounts: checkout.Amounts{Currency: "USD", PriceMinor: 4900, DiscountMinor: 980, TotalMinor: 3920},
		Refs:    checkout.ProviderRefs{PNREF: "A10B9C8D7E6F"}, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}
}

// The export walks every page of the selection with the list's filters, writes a header
// row and one row per order, and no cell is a formula.
func TestExportCSV(t *testing.T) {
	l := &pagedOrders{orders: []checkout.Order{
		csvOrder("BO-AAAAAAAAAAAA", "=HYPERLINK(\"http://evil.example\")"), csvOrder("BO-BBBBBBBBBBBB", "+1 555"),
		csvOrder("BO-CCCCCCCCCCCC", "Ann Lee"),
	}}
	h := lambdaapp.NewHTTPLambda(NewHandler(Deps{Orders: l, Now: time.Now, Log: testenv.Logger(t)}))
	admin := testenv.Claims("admin-1", "demo")
	a := testenv.CallHTTP(t, h, "GET", "/sites/demo/orders/report.csv?state=captured&from=2026-06-01", "", admin)
	if a.Status != 200 || a.Headers["Content-Type"] != "text/csv; charset=utf-8" || a.Headers["Content-Disposition"] != `attachment; filename="orders-demo.csv"` ||
		a.Headers[TruncatedHeader] != "" {
		t.Fatalf("export: %d %v %s", a.Status, a.Headers, a.Raw)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(a.Raw, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("rows = %q, %v", rows, err)
	}
	if rows[1][8] != `'=HYPERLINK("http://evil.example")` || rows[2][8] != "'+1 555" || rows[1][7] != "'@SUM(A1:A9)" || rows[3][8] != "Ann Lee" {
		t.Errorf("formula cells: %q %q %q", rows[1][8], rows[2][8], rows[1][7])
	}
	if want := "BO-AAAAAAAAAAAA,2026-06-01T12:00:00Z,captured,false,events,event,ev-1,'@SUM(A1:A9),'=HYPERLINK(\"http://evil.example\"),ann@example.com,SAVE20,USD,4900,980,3920,payflow_pro,A10B9C8D7E6F,2026-06-01T13:00:00Z"; strings.Join(rows[1], ",") != want {
		t.Errorf("row = %q\nwant %q", strings.Join(rows[1], ","), want)
	}
	if len(l.asked) != 2 || l.asked[0].State != checkout.StateCaptured || l.asked[0].From.IsZero() || l.asked[0].Limit != checkout.MaxListLimit || l.asked[1].Cursor != "2" {
		t.Errorf("asked the list for %+v", l.asked)
	}
	// The export is the whole selection: paging parameters are refused by name.
	for _, q := range []string{"cursor=abc", "limit=10", "state=paid"} {
		a := testenv.CallJSON(t, h, "GET", "/sites/demo/orders/report.csv?"+q, "", admin)
		a.Want(t, 400, map[string]any{"error.code": "invalid_input", "error.details.0.field": strings.SplitN(q, "=", 2)[0]})
	}
	testenv.CallJSON(t, h, "GET", "/sites/other/orders/report.csv", "", admin).Want(t, 403, map[string]any{"error.code": "forbidden"})
}

// A selection over the cap is cut, and the answer says so.
func TestExportIsCapped(t *testing.T) {
	l := &pagedOrders{}
	for i := range 5 {
		l.orders = append(l.orders, csvOrder(fmt.Sprintf("BO-AAAAAAAAAAA%d", i), "Ann"))
	}
	var got []string
	more, err := checkout.Export(context.Background(), l, "demo", checkout.ListFilter{}, time.Now(), 3, func(o checkout.Order) bool {
		got = append(got, o.Ref)
		return true
	})
	if err != nil || !more || len(got) != 3 {
		t.Fatalf("capped at 3: %v, more %v, %v", got, more, err)
	}
	more, err = checkout.Export(context.Background(), l, "demo", checkout.ListFilter{}, time.Now(), 5, func(checkout.Order) bool { return true })
	if err != nil || more {
		t.Fatalf("all five under a cap of 5: more %v, %v", more, err)
	}
}
