package reportdb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

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
				f    report.Filter
			}{
				{"no-filter", report.Filter{}},
				{"status=active", report.Filter{Status: promo.StatusActive}},
				{"status=expired", report.Filter{Status: promo.StatusExpired}},
			}
			// DynamoDB Local runs on the JVM: warm it up untimed, or the first sub-benchmarks
			// measure the JIT compiler rather than the report.
			warm, _ := reportOver(b, db, table)
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
					rep, _ := reportOver(b, q, table)
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
