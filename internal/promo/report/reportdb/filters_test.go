package reportdb_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// TestReportFilters checks every filter, alone and combined, against the plain computation,
// reading every case through pages of several sizes, with and without a tiny evaluation cap:
// the pages together hold every matching code exactly once, in order.
func TestReportFilters(t *testing.T) {
	db, table := codesTable(t)
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
				rep, _ := reportOver(t, q, table)
				rep.PageMaxEvaluated = run.cap
				maxEval := int64(cmp.Or(run.cap, report.DefaultMaxEvaluated))
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
	db, table := codesTable(t)
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
	rep, _ := reportOver(t, db, table)
	for status, want := range map[promo.Status][]string{
		promo.StatusActive:  {"AFTER"},
		promo.StatusExpired: {"ATNOW", "BEFORE"},
	} {
		for _, f := range []report.Filter{
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
