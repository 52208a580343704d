// Package report is the use case of the promo-report function (SPEC 3.4): a site's
// promotion codes, filtered, in pages for the screen and in bounded walks for the CSV
// download, read from a Store that pages through indexes (never the whole table).
//
// The order of the rows is the store's index order, which the filters decide:
//
//   - newest first (creation instant descending, then code descending), unless one of these:
//   - alphabetically by code when the code filter is given;
//   - by expiry date, soonest first (then oldest created first), when an expiry bound is
//     given without a code, a recipient or a deleted/used_up status filter.
//
// The use case checks the filters and the bounds, and turns what the store refuses into the
// client's errors: a cursor it cannot continue from is invalid input on the cursor parameter.
package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Report reads the promotion code report.
type Report struct {
	store Store
	now   func() time.Time
	// PageMaxEvaluated is the MaxEvaluated of Page (DefaultMaxEvaluated when 0).
	PageMaxEvaluated int
}

// New returns the report read from store; now is the clock that judges statuses when a
// filter has no instant (time.Now when nil).
func New(store Store, now func() time.Time) (*Report, error) {
	if store == nil {
		return nil, errors.New("promo report: a store is required")
	}
	if now == nil {
		now = time.Now
	}
	return &Report{store: store, now: now}, nil
}

// Page is one page of a report.
type Page struct {
	Codes []promo.Code
	// Next is the cursor of the rest, or "" at the end.
	Next string
}

// Page returns up to limit codes of site that pass f, after cursor ("" for the first page).
// A page may hold fewer codes than limit, even none, and still have a Next: that happens
// when the filters discard most of what the page evaluated (at most PageMaxEvaluated items).
func (r *Report) Page(ctx context.Context, site string, f Filter, cursor string, limit int) (Page, error) {
	page := Page{Codes: []promo.Code{}}
	next, err := r.Walk(ctx, site, f, cursor, WalkOptions{MaxRows: limit, MaxEvaluated: r.PageMaxEvaluated}, func(c promo.Code) bool {
		page.Codes = append(page.Codes, c)
		return true
	})
	if err != nil {
		return Page{}, err
	}
	page.Next = next
	return page, nil
}

// Walk hands the codes of site that pass f, after cursor, in report order to emit, until
// o.MaxRows codes were taken, the data ends, o.MaxEvaluated items were evaluated, or emit
// refuses a code by returning false (the refused code is not taken: it comes first after the
// cursor). It returns the cursor of the codes not taken, or "" when there are none left.
func (r *Report) Walk(ctx context.Context, site string, f Filter, cursor string, o WalkOptions, emit func(promo.Code) bool) (string, error) {
	if site == "" {
		return "", apperr.New(apperr.CodeInvalid, "a site is required")
	}
	if o.MaxRows < 1 {
		return "", apperr.Internal(fmt.Errorf("promo report: MaxRows %d", o.MaxRows))
	}
	if o.MaxEvaluated <= 0 {
		o.MaxEvaluated = DefaultMaxEvaluated
	}
	var v apperr.Errors
	f.Check(&v)
	if err := v.Err(); err != nil {
		return "", err
	}
	if f.At.IsZero() {
		f.At = r.now()
	}
	next, err := r.store.Walk(ctx, site, f, cursor, o, emit)
	switch {
	case err == nil:
		return next, nil
	case errors.Is(err, ErrForeignCursor), errors.Is(err, ErrBadCursor):
		return "", apperr.Field(paramCursor, cursorReason(err))
	}
	return "", apperr.Internal(err)
}
