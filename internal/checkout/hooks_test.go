package checkout

import "context"

// MoveForTest moves an order as a provider's report does, for tests outside the package
// (the webhooks function will move orders so).
func MoveForTest(c *Checkout, ctx context.Context, o Order, to State, cause Cause) (Order, bool, error) {
	return c.move(ctx, o, to, cause, nil)
}
