package report

import (
	"errors"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// paramCursor is the query parameter a cursor comes in, which its refusals name.
const paramCursor = "cursor"

// cursorReason is what the client reads about a cursor the store refused: ErrForeignCursor
// says to start again, anything else is a cursor no report handed out.
func cursorReason(err error) string {
	if errors.Is(err, ErrForeignCursor) {
		return "belongs to another query (the filters or the site changed); start again without a cursor"
	}
	return "is not a cursor this report handed out"
}

// CheckCursor adds to v, on the cursor parameter, why the report of site filtered by f
// cannot continue from cursor, if it cannot; "" is the start, always good. Walk and Page
// refuse the same cursors: this lets a request report the cursor with its other parameters.
func (r *Report) CheckCursor(v *apperr.Errors, site string, f Filter, cursor string) {
	if cursor == "" {
		return
	}
	if err := r.store.CheckCursor(site, f, cursor); err != nil {
		v.Add(paramCursor, cursorReason(err))
	}
}

// CheckCursorWithoutFilters is CheckCursor for a request whose filters are not known (some of
// its parameters were refused): it adds a reason only for a cursor no report handed out, since
// any other may belong to the filters the client meant.
func (r *Report) CheckCursorWithoutFilters(v *apperr.Errors, site, cursor string) {
	if cursor == "" {
		return
	}
	if err := r.store.CheckCursor(site, Filter{}, cursor); err != nil && !errors.Is(err, ErrForeignCursor) {
		v.Add(paramCursor, cursorReason(err))
	}
}
