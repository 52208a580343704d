package checkout

import (
	"context"
	"time"
)

// Page sizes of the orders list.
const (
	DefaultListLimit = 50
	MaxListLimit     = 200
)

// ListFilter is what the orders list shows (SPEC 4.4): a site's production orders, or its
// test orders when Test is set, newest first; optionally only those in State, with Code,
// created from From to before To.
type ListFilter struct {
	Test     bool
	State    State
	Code     string
	From, To time.Time
	Limit    int
	// Cursor is the Next of the previous page (with the same filter).
	Cursor string
}

// OrderPage is one page of the orders list; Next is "" on the last one.
type OrderPage struct {
	Orders []Order
	Next   string
}

// Lister is the part of the orders store the list reads: one index Query per page.
type Lister interface {
	List(ctx context.Context, site string, f ListFilter) (OrderPage, error)
}

// List answers one page of a site's orders for its administrators, each in its state at
// now.
func List(ctx context.Context, l Lister, site string, f ListFilter, now time.Time) (OrderPage, error) {
	p, err := l.List(ctx, site, f)
	if err != nil {
		return OrderPage{}, err
	}
	for i := range p.Orders {
		p.Orders[i].State = p.Orders[i].StateAt(now)
	}
	return p, nil
}
