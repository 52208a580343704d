package ordersdb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// refs lists a page's order references.
func refs(p checkout.OrderPage) []string {
	out := []string{}
	for _, o := range p.Orders {
		out = append(out, o.Ref)
	}
	return out
}

func TestList(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	// Six orders an hour apart: even ones with the code, the last two test orders, one
	// authorised.
	var all []checkout.Order
	for i := range 6 {
		o := fullOrder(fmt.Sprintf("BO-LIST%07d", i))
		o.CreatedAt = created.Add(time.Duration(i) * time.Hour)
		o.History[0].At = o.CreatedAt
		if i%2 == 1 {
			o.Code, o.Discount = "", nil
		}
		if i >= 4 {
			o.Mode = settings.ModeTest
		}
		if _, err := s.Create(ctx, o, checkout.Key{}); err != nil {
			t.Fatal(err)
		}
		all = append(all, o)
	}
	paid, _ := all[2].Move(checkout.StateAuthorised, created.Add(3*time.Hour), checkout.Cause{By: "provider:payflow_pro"})
	if moved, err := s.Move(ctx, all[2], paid); err != nil || !moved {
		t.Fatal(moved, err)
	}
	other := fullOrder("BO-OTHERSITE00")
	other.Site = "acme"
	if _, err := s.Create(ctx, other, checkout.Key{}); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		f    checkout.ListFilter
		want []string
	}{
		"production, newest first": {checkout.ListFilter{}, []string{all[3].Ref, all[2].Ref, all[1].Ref, all[0].Ref}},
		"test orders when asked":   {checkout.ListFilter{Test: true}, []string{all[5].Ref, all[4].Ref}},
		"by state":                 {checkout.ListFilter{State: checkout.StateAuthorised}, []string{all[2].Ref}},
		"by code":                  {checkout.ListFilter{Code: "SAVE20"}, []string{all[2].Ref, all[0].Ref}},
		"by code and state":        {checkout.ListFilter{Code: "SAVE20", State: checkout.StatePendingPayment}, []string{all[0].Ref}},
		"date range [from, to)":    {checkout.ListFilter{From: created.Add(time.Hour), To: created.Add(3 * time.Hour)}, []string{all[2].Ref, all[1].Ref}},
		"from only":                {checkout.ListFilter{From: created.Add(3 * time.Hour)}, []string{all[3].Ref}},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := s.List(ctx, "demo", tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := refs(p); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	// Pages of two, by the cursor, cover the list once.
	var seen []string
	f := checkout.ListFilter{Limit: 2}
	for range 5 {
		p, err := s.List(ctx, "demo", f)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, refs(p)...)
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	if fmt.Sprint(seen) != fmt.Sprint([]string{all[3].Ref, all[2].Ref, all[1].Ref, all[0].Ref}) {
		t.Fatalf("paged: %v", seen)
	}
	first, _ := s.List(ctx, "demo", checkout.ListFilter{Limit: 1})
	for name, f := range map[string]checkout.ListFilter{
		"another site's": {Cursor: first.Next},
		"other filters":  {Cursor: first.Next, State: checkout.StateAuthorised},
		"garbage":        {Cursor: "not-a-cursor"},
	} {
		site := "demo"
		if name == "another site's" {
			site = "acme"
		}
		if _, err := s.List(ctx, site, f); apperr.CodeOf(err) != apperr.CodeInvalid {
			t.Errorf("%s cursor: %v", name, err)
		}
	}
}
