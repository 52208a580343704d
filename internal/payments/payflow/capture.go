package payflow

import (
	"context"
	"fmt"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Capture captures an authorisation (TRXTYPE=D, ORIGID=PNREF) for amount, and returns the
// capture's own PNREF. Capturing the same authorisation for the same amount again is the
// same request: Payflow performs it once.
func (c *Client) Capture(ctx context.Context, env provider.Env, creds Credentials, pnref string, amount int64, currency string) (string, error) {
	amt, err := paymentpage.FormatAmount(amount, currency)
	if err != nil || amount <= 0 {
		return "", fmt.Errorf("payflow: a capture needs an amount above zero in a known currency")
	}
	return c.follow(ctx, env, creds, "DelayedCapture", pnref, []paymentpage.Field{
		{Name: "TRXTYPE", Value: "D"}, {Name: "TENDER", Value: "C"}, {Name: "ORIGID", Value: pnref}, {Name: "AMT", Value: amt}, {Name: "CURRENCY", Value: currency},
	})
}

// Void voids an authorisation (TRXTYPE=V, ORIGID=PNREF) and returns the void's PNREF.
func (c *Client) Void(ctx context.Context, env provider.Env, creds Credentials, pnref string) (string, error) {
	return c.follow(ctx, env, creds, "Void", pnref, []paymentpage.Field{{Name: "TRXTYPE", Value: "V"}, {Name: "TENDER", Value: "C"}, {Name: "ORIGID", Value: pnref}})
}

// follow sends a transaction on an earlier one and returns its PNREF.
func (c *Client) follow(ctx context.Context, env provider.Env, creds Credentials, op, pnref string, fields []paymentpage.Field) (string, error) {
	if pnref == "" || len(pnref) > 12 {
		return "", fmt.Errorf("payflow: %s needs the PNREF of the authorisation", op)
	}
	reply, err := c.call(ctx, env, creds, op, true, fields)
	if err != nil {
		return "", err
	}
	if reply["PNREF"] == "" {
		return "", &paymentpage.Unavailable{Provider: "payflow", Op: op, Err: fmt.Errorf("the reply has no PNREF")}
	}
	return reply["PNREF"], nil
}
