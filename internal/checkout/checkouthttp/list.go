package checkouthttp

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// The orders list's query parameters, all optional:
//
//	test       true: the test orders instead of the production ones
//	state      one of the order states
//	code       orders with this promotion code (case-insensitive)
//	from, to   a YYYY-MM-DD date (that whole day in UTC) or an RFC 3339 instant; inclusive
//	limit      1 to 200 (default 50)
//	cursor     the next of the previous page, with the same filters
var listParams = []string{"test", "state", "code", "from", "to", "limit", "cursor"}

func listFilter(raw string) (checkout.ListFilter, error) {
	var v apperr.Errors
	q := httpx.ReadQuery(raw, listParams, "the orders list", &v)
	f := checkout.ListFilter{Code: promo.NormalizeCode(q.Get("code")), Cursor: q.Get("cursor"), Limit: checkout.DefaultListLimit}
	if t := q.Get("test"); t != "" {
		b, err := strconv.ParseBool(t)
		if err != nil {
			v.Add("test", "must be true or false")
		}
		f.Test = b
	}
	if s := q.Get("state"); s != "" {
		if f.State = checkout.State(s); !f.State.Valid() {
			v.Add("state", "must be one of the order states (pending_payment, authorised, captured, ...)")
		}
	}
	f.From = instant(&v, "from", q.Get("from"), false)
	f.To = instant(&v, "to", q.Get("to"), true)
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Add("to", "must be later than from")
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > checkout.MaxListLimit {
			v.Add("limit", fmt.Sprintf("must be 1 to %d", checkout.MaxListLimit))
		}
		f.Limit = n
	}
	return f, v.Err()
}

// instant reads a date (its whole day in UTC: the day's start, or with end the next day's)
// or an RFC 3339 instant (to is exclusive: the instant just after it).
func instant(v *apperr.Errors, name, s string, end bool) time.Time {
	if s == "" {
		return time.Time{}
	}
	if d, err := promo.ParseDate(s); err == nil {
		if end {
			return d.AddDate(0, 0, 1)
		}
		return d
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 2000 || t.Year() > 9999 {
		v.Add(name, "must be a YYYY-MM-DD date or an RFC 3339 instant")
		return time.Time{}
	}
	if end {
		return t.Add(time.Nanosecond)
	}
	return t
}

// listView is a page of the orders list.
type listView struct {
	Orders []orderView `json:"orders"`
	Next   string      `json:"next,omitempty"`
}

func listOrders(l checkout.Lister, now func() time.Time) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := listFilter(r.URL.RawQuery)
		if err != nil {
			return err
		}
		p, err := checkout.List(r.Context(), l, r.PathValue("site"), f, now())
		if err != nil {
			return err
		}
		out := listView{Orders: make([]orderView, 0, len(p.Orders)), Next: p.Next}
		for _, o := range p.Orders {
			out.Orders = append(out.Orders, viewOrder(o))
		}
		httpx.JSON(w, http.StatusOK, out)
		return nil
	}
}
