package webhooksapp

import (
	"context"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
)

// orderSetups finds an order and the provider set up for its service, from the stores:
// WorldPay's response is authenticated with that setup's callback password before checkout
// applies it (which reads both again in its own check).
type orderSetups struct {
	orders *ordersdb.Store
	sites  *settingsdb.Store
}

var (
	_ webhooks.Orders        = orderSetups{}
	_ webhooks.PayflowOrders = orderSetups{}
)

func (s orderSetups) OrderSetup(ctx context.Context, site, ref string) (checkout.Order, *provider.Setup, bool, error) {
	if !checkout.CheckRef(ref) {
		return checkout.Order{}, nil, false, nil
	}
	o, found, err := s.orders.Get(ctx, site, ref)
	if err != nil || !found {
		return checkout.Order{}, nil, false, err
	}
	return s.withSetup(ctx, o)
}

// PayflowOrder finds site's order by the secure token ID of its Payflow page, of either
// Payflow provider.
func (s orderSetups) PayflowOrder(ctx context.Context, site, tokenID string) (checkout.Order, *provider.Setup, bool, error) {
	for _, kind := range provider.PayflowKinds {
		o, found, err := s.orders.ByPayment(ctx, site, kind, tokenID)
		if err != nil {
			return checkout.Order{}, nil, false, err
		}
		if found {
			return s.withSetup(ctx, o)
		}
	}
	return checkout.Order{}, nil, false, nil
}

// withSetup is o with the provider set up for its service now.
func (s orderSetups) withSetup(ctx context.Context, o checkout.Order) (checkout.Order, *provider.Setup, bool, error) {
	st, err := s.sites.Get(ctx, o.Site)
	if err != nil {
		return checkout.Order{}, nil, false, err
	}
	return o, st.Provider(settings.Service(o.Offering.Service)), true, nil
}
