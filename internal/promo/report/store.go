package report

import (
	"context"
	"errors"

	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Store reads a site's codes in report order; reportdb.Report is one. It is handed filters
// that passed Filter.Check, with At set, and WalkOptions with both bounds at least 1.
type Store interface {
	// Walk hands the codes of site that pass f, after cursor ("" for the start), in report
	// order to emit, until o.MaxRows codes were taken, the data ends, o.MaxEvaluated items were
	// evaluated, or emit refuses a code by returning false (the refused code is not taken: it
	// comes first after the cursor). It returns the cursor of the codes not taken, or "" when
	// there are none left. No code is skipped or repeated across cursors.
	//
	// A cursor it cannot continue from is ErrForeignCursor or ErrBadCursor, before any code.
	Walk(ctx context.Context, site string, f Filter, cursor string, o WalkOptions, emit func(promo.Code) bool) (next string, err error)
	// CheckCursor says, without reading anything, whether Walk can continue the report of
	// site filtered by f from cursor: nil, ErrForeignCursor or ErrBadCursor.
	CheckCursor(site string, f Filter, cursor string) error
}

// The refusals of a cursor by a Store.
var (
	// ErrForeignCursor is a cursor that names another query than this one: another site or
	// other filters (the instant At and the limits do not count).
	ErrForeignCursor = errors.New("promo report: a cursor of another query")
	// ErrBadCursor is a cursor no report handed out, whatever its filters: undecodable,
	// edited, or outside the query it names.
	ErrBadCursor = errors.New("promo report: not a cursor of any query")
)

// WalkOptions bound one walk through a report.
type WalkOptions struct {
	// MaxRows is the most codes handed to the walk's callback (at least 1).
	MaxRows int
	// MaxEvaluated caps the items the store evaluates (reads, before the filters) in this
	// walk, so that its time is bounded however few of them the filters keep. When the cap is
	// hit the walk ends early with a cursor. Zero means DefaultMaxEvaluated.
	MaxEvaluated int
}

// DefaultMaxEvaluated is how many items a walk may evaluate when nothing else is said.
const DefaultMaxEvaluated = 2000
