package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// fakeStore is a report.Store made of functions; a nil one fails the test when called.
type fakeStore struct {
	t           *testing.T
	walk        func(site string, f report.Filter, cursor string, o report.WalkOptions, emit func(promo.Code) bool) (string, error)
	checkCursor func(site string, f report.Filter, cursor string) error
}

var _ report.Store = fakeStore{}

func (s fakeStore) Walk(_ context.Context, site string, f report.Filter, cursor string, o report.WalkOptions, emit func(promo.Code) bool) (string, error) {
	if s.walk == nil {
		s.t.Fatalf("the store was walked: site %q, filter %+v, cursor %q, %+v", site, f, cursor, o)
	}
	return s.walk(site, f, cursor, o, emit)
}

func (s fakeStore) CheckCursor(site string, f report.Filter, cursor string) error {
	if s.checkCursor == nil {
		s.t.Fatalf("the store was asked about cursor %q of site %q, filter %+v", cursor, site, f)
	}
	return s.checkCursor(site, f, cursor)
}

// newReport is the report over store, on a clock stopped at reportNow.
func newReport(t *testing.T, store fakeStore) *report.Report {
	t.Helper()
	store.t = t
	rep, err := report.New(store, func() time.Time { return reportNow })
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
