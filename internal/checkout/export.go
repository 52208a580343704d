package checkout

import (
	"context"
	"time"
)

// MaxExportRows bounds the CSV export: one response carries at most this many orders
// (a Lambda answer is at most 6 MB); a bigger selection is cut, and the answer says so.
const MaxExportRows = 10_000

// Export walks the whole selection of the orders list for f (its cursor and limit are
// ignored), newest first, reading it a full page at a time, and hands each order in its
// state at now to emit until emit returns false or max orders were handed out. more says
// the selection holds orders that were not handed out.
func Export(ctx context.Context, l Lister, site string, f ListFilter, now time.Time, max int, emit func(Order) bool) (more bool, err error) {
	f.Cursor, f.Limit = "", MaxListLimit
	n := 0
	for {
		p, err := List(ctx, l, site, f, now)
		if err != nil {
			return false, err
		}
		for _, o := range p.Orders {
			if n == max || !emit(o) {
				return true, nil // o is not handed out
			}
			n++
		}
		if p.Next == "" {
			return false, nil
		}
		f.Cursor = p.Next
	}
}
