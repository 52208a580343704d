package ordersdb_test

import (
	"context"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

func TestByPayment(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	paid := fullOrder("BO-PPPPPPPPPPPP")
	paid.Refs.TokenID = "TOKENID0000000000000000000000000PAID"
	other := fullOrder("BO-QQQQQQQQQQQQ")
	other.Refs.TokenID = "TOKENID000000000000000000000000OTHER"
	elsewhere := fullOrder("BO-RRRRRRRRRRRR")
	elsewhere.Site, elsewhere.Refs.TokenID = "acme", "TOKENID000000000000000000000ELSEWHERE"
	for _, o := range []checkout.Order{paid, other, elsewhere} {
		if _, err := s.Create(ctx, o, checkout.Key{}); err != nil {
			t.Fatal(err)
		}
	}
	got, found, err := s.ByPayment(ctx, "demo", provider.PayflowPro, paid.Refs.TokenID)
	if err != nil || !found || got.Ref != paid.Ref || len(got.History) != 1 || got.Refs.Token != "tok" {
		t.Fatalf("by token ID = %+v, %v, %v", got, found, err)
	}
	for _, miss := range []struct {
		site string
		kind provider.Kind
		id   string
	}{
		{"demo", provider.WebsitePaymentsProUK, paid.Refs.TokenID}, // another provider's token
		{"demo", provider.PayflowPro, elsewhere.Refs.TokenID},      // another site's order
		{"demo", provider.PayflowPro, "TOKENID00000000000000000000000UNKNOWN"},
		{"demo", provider.PayflowPro, ""},
	} {
		if got, found, err := s.ByPayment(ctx, miss.site, miss.kind, miss.id); err != nil || found {
			t.Errorf("%s %s %q: found %s (%v)", miss.site, miss.kind, miss.id, got.Ref, err)
		}
	}
}
